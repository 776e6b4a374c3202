import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deviceSchema, type Device } from '@simtestlab/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { controlTargets } from '../../src/control/control-targets';
import { openDatabase, type SqliteDatabase } from '../../src/store/database';
import { PointRegistry } from '../../src/store/point-registry';

let dir: string;
let db: SqliteDatabase;
let registry: PointRegistry;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edge-control-targets-'));
  db = openDatabase(join(dir, 'edge.db'));
  registry = new PointRegistry(db);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function device(fields: Record<string, unknown>): Device {
  return deviceSchema.parse({ driver: 'modbus-tcp', connection: { host: '127.0.0.1' }, ...fields });
}

describe('control targets', () => {
  it('resolves a point discovered on a SunSpec device', () => {
    const inverter = device({ key: 'inverter', sunspec: {} });
    const discovered = device({ key: 'x', points: [{ key: 'm123.WMaxLimPct', address: 40_100, writable: true }] }).points[0]!;
    registry.registerPoints('inverter', [discovered], 5000);
    const resolve = controlTargets({ devices: [inverter], registry, driverOf: () => undefined });
    expect(resolve('inverter.m123.WMaxLimPct')?.point).toEqual(discovered);
  });

  it('ignores a stored point the site file no longer has', () => {
    const plc = device({ key: 'plc', points: [{ key: 'kept', address: 0, writable: true }] });
    registry.registerPoints('plc', [device({ key: 'x', points: [{ key: 'removed', address: 1, writable: true }] }).points[0]!], 5000);
    const resolve = controlTargets({ devices: [plc], registry, driverOf: () => undefined });
    expect(resolve('plc.removed')).toBeUndefined();
    expect(resolve('plc.kept')?.point.key).toBe('kept');
  });

  it('ignores devices outside the site file and ids without a dot', () => {
    const resolve = controlTargets({ devices: [], registry, driverOf: () => undefined });
    expect(resolve('gone.point')).toBeUndefined();
    expect(resolve('nodot')).toBeUndefined();
  });
});
