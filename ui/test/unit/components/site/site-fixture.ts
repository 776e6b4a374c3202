import type { Reading } from '../../../../src/live/live-values';
import type { SiteDevice, SitePoint } from '../../../../src/site/site-api';

/** Makes a numeric gauge point of `device`, with any field overridden. */
export function makePoint(device: string, key: string, overrides: Partial<SitePoint> = {}): SitePoint {
  return {
    id: `${device}.${key}`,
    device,
    key,
    name: key,
    unit: 'W',
    kind: 'gauge',
    dataType: 'float32',
    writable: false,
    reading: null,
    ...overrides,
  };
}

export function makeDevice(key: string, overrides: Partial<SiteDevice> = {}): SiteDevice {
  return { key, name: key, driver: 'modbus-tcp', status: 'online', lastError: null, nodeId: null, pointCount: 0, poll: null, ...overrides };
}

export function reading(value: number | string | null, quality: Reading['quality'] = 'good', ts = 1_000): Reading {
  return { value, quality, ts };
}
