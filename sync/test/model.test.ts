import { describe, expect, it } from 'vitest';
import {
  clientMessageSchema,
  decodeQuality,
  deviceSchema,
  encodeQuality,
  normalizeUnit,
  parsePointId,
  pointId,
  qualities,
  qualityReasons,
  serverMessageSchema,
  siteSchema,
} from '../src/index';

describe('quality codes', () => {
  it('round-trips every quality and reason', () => {
    for (const quality of qualities) {
      expect(decodeQuality(encodeQuality(quality))).toEqual({ quality });
      for (const reason of qualityReasons) expect(decodeQuality(encodeQuality(quality, reason))).toEqual({ quality, reason });
    }
  });

  it('orders good below uncertain below stale below bad', () => {
    expect(encodeQuality('good')).toBeLessThan(encodeQuality('uncertain', 'overridden'));
    expect(encodeQuality('uncertain', 'config')).toBeLessThan(encodeQuality('stale'));
    expect(encodeQuality('stale', 'config')).toBeLessThan(encodeQuality('bad'));
  });

  it('rejects an unknown code', () => {
    expect(() => decodeQuality(9 * 256)).toThrow(/invalid quality code 2304/);
  });
});

describe('point ids', () => {
  it('splits at the first dot only', () => {
    expect(pointId('inverter-1', 'm103.W')).toBe('inverter-1.m103.W');
    expect(parsePointId('inverter-1.m103.W')).toEqual({ device: 'inverter-1', point: 'm103.W' });
  });

  it.each(['nodot', '.point', 'device.'])('rejects %s', (id) => {
    expect(parsePointId(id)).toBeUndefined();
  });
});

describe('units', () => {
  it('maps aliases to canonical symbols', () => {
    expect(normalizeUnit('%')).toBe('Pct');
    expect(normalizeUnit('°C')).toBe('C');
    expect(normalizeUnit('W')).toBe('W');
    expect(normalizeUnit(undefined)).toBe('');
    expect(normalizeUnit('furlongs')).toBeUndefined();
  });
});

describe('device schema', () => {
  it('fills defaults for a Modbus TCP device', () => {
    const device = deviceSchema.parse({
      key: 'meter-1',
      driver: 'modbus-tcp',
      connection: { host: '127.0.0.1' },
      points: [{ key: 'W', address: 0 }],
    });
    expect(device.pollIntervalMs).toBe(5000);
    if (device.driver !== 'modbus-tcp') throw new Error('wrong driver');
    expect(device.connection).toMatchObject({ port: 502, unitId: 1, timeoutMs: 1000, maxBlockRegisters: 125 });
    expect(device.points[0]).toMatchObject({ table: 'holding-register', dataType: 'float32', kind: 'gauge', scale: 1 });
  });

  it('names the bad field of a point', () => {
    const result = deviceSchema.safeParse({
      key: 'meter-1',
      driver: 'modbus-tcp',
      connection: { host: '127.0.0.1' },
      points: [{ key: 'W', address: 0, wordOrder: 'ABDC' }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['points', 0, 'wordOrder']);
  });

  it('rejects a device key with a dot', () => {
    expect(deviceSchema.safeParse({ key: 'a.b', driver: 'mqtt', points: [] }).success).toBe(false);
  });
});

describe('site schema', () => {
  it('accepts an IANA zone and rejects an unknown one', () => {
    expect(siteSchema.safeParse({ id: 'demo', name: 'Demo', timeZone: 'Europe/Paris' }).success).toBe(true);
    const bad = siteSchema.safeParse({ id: 'demo', name: 'Demo', timeZone: 'Mars/Olympus' });
    expect(bad.error?.issues[0]?.message).toMatch(/IANA time zone/);
  });
});

describe('live messages', () => {
  it('parses a subscribe with defaults', () => {
    expect(clientMessageSchema.parse({ type: 'subscribe', devices: ['meter-1'] })).toEqual({ type: 'subscribe', devices: ['meter-1'], points: [] });
  });

  it('rejects an unknown message type', () => {
    expect(clientMessageSchema.safeParse({ type: 'shutdown' }).success).toBe(false);
  });

  it('parses a samples frame and rejects a bad quality', () => {
    const frame = { type: 'samples', coalesced: 0, samples: [{ point: 'm.W', ts: 1, value: 5, quality: 'good' }] };
    expect(serverMessageSchema.parse(frame)).toEqual(frame);
    const bad = { ...frame, samples: [{ point: 'm.W', ts: 1, value: 5, quality: 'fine' }] };
    expect(serverMessageSchema.safeParse(bad).success).toBe(false);
  });
});
