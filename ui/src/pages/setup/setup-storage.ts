import { z } from 'zod';
import type { SetupDeviceRequest } from './setup-types';

/*
 * What this tab keeps of the setup in sessionStorage, so a reload needs neither the code again nor
 * loses what the review shows: the setup token, the admin's username and the devices of the last
 * successful `POST /api/setup/devices`. `GET /api/setup/status` returns only whether an admin exists
 * and how many devices are saved, not their names. The edge node keeps tokens in memory, so after its
 * restart the wizard gets a 401 and shows the code step, while the names stay valid.
 */

const TOKEN_KEY = 'simtestlab.setupToken';
const EXPIRY_KEY = 'simtestlab.setupTokenExpiresAt';
const ADMIN_KEY = 'simtestlab.setupAdmin';
const DEVICES_KEY = 'simtestlab.setupDevices';

const savedDevicesSchema = z.array(
  z.object({
    name: z.string(),
    template: z.string(),
    protocol: z.enum(['modbus-tcp', 'bacnet']),
    host: z.string().optional(),
    address: z.string().optional(),
    port: z.number().int(),
    unitId: z.number().int().optional(),
    deviceInstance: z.number().int().optional(),
  }),
);

/** The part of the Web Storage API the setup storage uses, so tests pass a Map-backed object. */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The setup state of one tab, read and written through `storage`. */
export interface SetupStorage {
  saveToken(token: string, expiresAt: string): void;
  /** Returns the token, or null when there is none or it expired at `now` (epoch ms). */
  loadToken(now?: number): string | null;
  clearToken(): void;
  saveAdmin(username: string): void;
  loadAdmin(): string | null;
  saveDevices(devices: readonly SetupDeviceRequest[]): void;
  /** Returns the devices of the last successful save, or null when this tab saved none or the entry is damaged. */
  loadDevices(): SetupDeviceRequest[] | null;
  /** Removes everything, once setup is finished. */
  clear(): void;
}

/** Creates the setup storage of this tab on `storage`, sessionStorage in the browser. */
export function makeSetupStorage(storage: KeyValueStorage): SetupStorage {
  const clearToken = () => {
    storage.removeItem(TOKEN_KEY);
    storage.removeItem(EXPIRY_KEY);
  };
  return {
    saveToken(token, expiresAt) {
      storage.setItem(TOKEN_KEY, token);
      storage.setItem(EXPIRY_KEY, expiresAt);
    },
    loadToken(now = Date.now()) {
      const token = storage.getItem(TOKEN_KEY);
      const expiresAtMs = Date.parse(storage.getItem(EXPIRY_KEY) ?? '');
      if (token === null || !Number.isFinite(expiresAtMs) || expiresAtMs <= now) return null;
      return token;
    },
    clearToken,
    saveAdmin(username) {
      storage.setItem(ADMIN_KEY, username);
    },
    loadAdmin() {
      const username = storage.getItem(ADMIN_KEY);
      return username === null || username === '' ? null : username;
    },
    saveDevices(devices) {
      storage.setItem(DEVICES_KEY, JSON.stringify(devices));
    },
    loadDevices() {
      const text = storage.getItem(DEVICES_KEY);
      if (text === null) return null;
      try {
        const parsed = savedDevicesSchema.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data : null;
      } catch {
        // A damaged entry counts as no entry: the review then shows only the server's count.
        return null;
      }
    },
    clear() {
      clearToken();
      storage.removeItem(ADMIN_KEY);
      storage.removeItem(DEVICES_KEY);
    },
  };
}
