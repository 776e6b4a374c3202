import { counterRolloverAt, pointId as makePointId, type AnyPoint, type Device } from '@simtestlab/sync';
import type { SqliteDatabase } from './database';

/** What the store needs to know about a point on the hot path. */
export interface RegisteredPoint {
  id: number;
  /** `device.point` */
  key: string;
  deviceKey: string;
  definition: AnyPoint;
  isCounter: boolean;
  /** Engineering value at which the counter register rolls over, when its type bounds it. */
  rolloverAt?: number;
  /** Readings further apart than this are a gap: growth across it is booked as estimated. */
  gapMs: number;
}

/**
 * Devices and points known to the store, mapped to the integer ids the sample tables use. Points
 * are upserted by `(device, key)`, so a point keeps its id (and its history) across restarts and
 * configuration reloads.
 */
export class PointRegistry {
  private readonly byKey = new Map<string, RegisteredPoint>();
  private readonly byId = new Map<number, RegisteredPoint>();
  private readonly byDevice = new Map<string, Map<string, RegisteredPoint>>();

  constructor(private readonly db: SqliteDatabase) {}

  /** Stores a device definition without its points (they may come from discovery later). */
  registerDevice(device: Device): void {
    const { points: _points, ...definition } = device;
    this.db
      .prepare(
        `INSERT INTO devices (key, name, driver, definition) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET name = excluded.name, driver = excluded.driver, definition = excluded.definition`,
      )
      .run(device.key, device.name ?? null, device.driver, JSON.stringify(definition));
  }

  /** Registers (or updates) the points of a device and returns them with their ids. */
  registerPoints(deviceKey: string, points: readonly AnyPoint[], pollIntervalMs: number): RegisteredPoint[] {
    const upsert = this.db.prepare<[string, string, string | null, string, string, string, string], { id: number }>(
      `INSERT INTO points (device_key, key, name, unit, data_type, kind, definition) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (device_key, key) DO UPDATE SET name = excluded.name, unit = excluded.unit,
         data_type = excluded.data_type, kind = excluded.kind, definition = excluded.definition
       RETURNING id`,
    );
    const registered = this.db.transaction(() =>
      points.map((point) => {
        const row = upsert.get(deviceKey, point.key, point.name ?? null, point.unit, point.dataType, point.kind, JSON.stringify(point))!;
        return this.remember(row.id, deviceKey, point, pollIntervalMs);
      }),
    )();
    return registered;
  }

  private remember(id: number, deviceKey: string, point: AnyPoint, pollIntervalMs: number): RegisteredPoint {
    const entry: RegisteredPoint = {
      id,
      key: makePointId(deviceKey, point.key),
      deviceKey,
      definition: point,
      isCounter: point.kind === 'counter',
      gapMs: Math.max(3 * pollIntervalMs, 30_000),
    };
    const rolloverAt = counterRolloverAt(point);
    if (rolloverAt !== undefined) entry.rolloverAt = rolloverAt;
    this.byKey.set(entry.key, entry);
    this.byId.set(id, entry);
    let points = this.byDevice.get(deviceKey);
    if (!points) {
      points = new Map();
      this.byDevice.set(deviceKey, points);
    }
    points.set(point.key, entry);
    return entry;
  }

  get(key: string): RegisteredPoint | undefined {
    return this.byKey.get(key);
  }

  /** Looks a point up by device and point key without building the `device.point` string. */
  getInDevice(deviceKey: string, pointKey: string): RegisteredPoint | undefined {
    return this.byDevice.get(deviceKey)?.get(pointKey);
  }

  getById(id: number): RegisteredPoint | undefined {
    return this.byId.get(id);
  }

  all(): RegisteredPoint[] {
    return [...this.byKey.values()];
  }

  ofDevice(deviceKey: string): RegisteredPoint[] {
    return [...(this.byDevice.get(deviceKey)?.values() ?? [])];
  }

  /** Loads every stored point, so history of points no longer configured stays readable. */
  loadStored(): void {
    const rows = this.db
      .prepare<[], { id: number; device_key: string; definition: string }>('SELECT id, device_key, definition FROM points')
      .all();
    for (const row of rows) {
      if (!this.byId.has(row.id)) this.remember(row.id, row.device_key, JSON.parse(row.definition) as AnyPoint, 5000);
    }
  }
}
