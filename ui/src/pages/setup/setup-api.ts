import { createApiClient } from '../../api/http';
import type { paths } from '../../api/generated/edge-api';
import { setupErrorFrom } from './setup-errors';
import type { PairResult, ScanRequest, ScanResult, SetupDeviceRequest, SetupStatus, SetupTemplate } from './setup-types';

/** The edge node's setup routes. Every call but `status` and `unlock` sends the setup token. */
export interface SetupApi {
  status(): Promise<SetupStatus>;
  unlock(code: string): Promise<{ token: string; expiresAt: string }>;
  createAdmin(username: string, password: string): Promise<{ username: string }>;
  pair(cloudUrl: string, code: string): Promise<PairResult>;
  standalone(siteName: string, timeZone: string): Promise<{ siteId: string; siteName: string; timeZone: string }>;
  startScan(request: ScanRequest): Promise<{ scanId: string }>;
  readScan(scanId: string): Promise<ScanResult>;
  templates(): Promise<SetupTemplate[]>;
  saveDevices(devices: SetupDeviceRequest[]): Promise<{ devices: number }>;
  finish(): Promise<{ state: 'complete'; loginUrl: string }>;
  /** Whether the node has left setup mode and serves its site (`GET /api/instance` without `setup`). */
  nodeRunning(): Promise<boolean>;
}

/** Returns the body of a response, or throws the edge node's error as an `ApiError`. */
async function bodyOf<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw setupErrorFrom(response, error);
  return data as T;
}

/**
 * Creates the setup client. `token` returns the setup token of this tab, or null before the code is
 * entered. A setup token cannot be renewed, so a 401 reaches the wizard, which shows the code step again.
 */
export function createSetupApi(token: () => string | null): SetupApi {
  const client = createApiClient<paths>({ token, renew: async () => false });
  return {
    status: () => bodyOf(client.GET('/api/setup/status')),
    unlock: (code) => bodyOf(client.POST('/api/setup/unlock', { body: { code } })),
    createAdmin: (username, password) => bodyOf(client.POST('/api/setup/admin', { body: { username, password } })),
    pair: (cloudUrl, code) => bodyOf(client.POST('/api/setup/pair', { body: { cloudUrl, code } })),
    standalone: (siteName, timeZone) => bodyOf(client.POST('/api/setup/standalone', { body: { siteName, timeZone } })),
    startScan: (request) => bodyOf(client.POST('/api/setup/scan', { body: request })),
    readScan: (scanId) => bodyOf(client.GET('/api/setup/scan/{scanId}', { params: { path: { scanId } } })),
    templates: async () => (await bodyOf(client.GET('/api/setup/templates'))).templates,
    saveDevices: (devices) => bodyOf(client.POST('/api/setup/devices', { body: { devices } })),
    finish: () => bodyOf(client.POST('/api/setup/finish')),
    nodeRunning: async () => {
      const { data, response } = await client.GET('/api/instance');
      return response.ok && data !== undefined && data.setup !== true;
    },
  };
}
