import { describe, expect, it } from 'vitest';
import { makeSetupStorage, type KeyValueStorage } from '../../../../src/pages/setup/setup-storage';
import type { SetupDeviceRequest } from '../../../../src/pages/setup/setup-types';

function memoryStorage(): KeyValueStorage & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    getItem: (key) => entries.get(key) ?? null,
    setItem: (key, value) => void entries.set(key, value),
    removeItem: (key) => void entries.delete(key),
  };
}

const devices: SetupDeviceRequest[] = [
  { name: 'Grid meter', template: 'sunspec', protocol: 'modbus-tcp', host: '127.0.0.1', port: 15503, unitId: 1 },
  { name: 'AHU', template: 'bacnet/flexlab-ahu', protocol: 'bacnet', address: '127.0.0.1', port: 47808, deviceInstance: 2001 },
];

describe('makeSetupStorage', () => {
  it('returns the token until it expires', () => {
    const storage = makeSetupStorage(memoryStorage());
    storage.saveToken('token-1', '2026-12-05T16:00:00.000Z');
    expect(storage.loadToken(Date.parse('2026-12-05T15:59:59Z'))).toBe('token-1');
    expect(storage.loadToken(Date.parse('2026-12-05T16:00:00Z'))).toBeNull();
  });

  it('keeps the admin and the devices when the token is cleared', () => {
    const storage = makeSetupStorage(memoryStorage());
    storage.saveToken('token-1', '2026-12-05T16:00:00.000Z');
    storage.saveAdmin('installer');
    storage.saveDevices(devices);
    storage.clearToken();
    expect(storage.loadToken(0)).toBeNull();
    expect(storage.loadAdmin()).toBe('installer');
    expect(storage.loadDevices()).toEqual(devices);
  });

  it('clears everything after setup', () => {
    const backing = memoryStorage();
    const storage = makeSetupStorage(backing);
    storage.saveToken('token-1', '2026-12-05T16:00:00.000Z');
    storage.saveAdmin('installer');
    storage.saveDevices(devices);
    storage.clear();
    expect([...backing.entries.keys()]).toEqual([]);
  });

  it('returns null for no devices or a damaged entry', () => {
    const backing = memoryStorage();
    const storage = makeSetupStorage(backing);
    expect(storage.loadDevices()).toBeNull();
    backing.entries.set('simtestlab.setupDevices', '{not json');
    expect(storage.loadDevices()).toBeNull();
    backing.entries.set('simtestlab.setupDevices', JSON.stringify([{ name: 'Grid meter' }]));
    expect(storage.loadDevices()).toBeNull();
  });
});
