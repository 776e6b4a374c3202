import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentLogger } from '../../../src/logger';
import { openDatabase, type SqliteDatabase } from '../../../src/store/database';
import { PointRegistry } from '../../../src/store/point-registry';
import type { StoredRollupRow } from '../../../src/store/rollup-bucket';
import { SampleWriter } from '../../../src/store/sample-writer';
import type { Tier } from '../../../src/store/time-buckets';
import { meterDeviceKey, meterPoints, type MeterPointKey } from './meter-points';

/** A temporary directory that `remove` deletes with everything in it. */
export interface TempDir {
  path: string;
  remove(): void;
}

/**
 * Returns the folder for test databases: `STORE_TEST_TMPDIR` when set, else /dev/shm when the
 * machine has it, else the OS temp dir. On tmpfs an fsync costs nothing, so `synchronous = FULL` does not make the tests
 * slow or their timing depend on other disk load. No test here measures durability across a power
 * cut, which only a real disk could show.
 */
function testTempRoot(): string {
  const configured = process.env.STORE_TEST_TMPDIR;
  if (configured) return configured;
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

/** Creates an empty temporary directory for one test's databases. */
export function makeTempDir(prefix = 'edge-store-'): TempDir {
  const path = mkdtempSync(join(testTempRoot(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A store opened on a real SQLite file, with the meter points registered and a settable clock. */
export interface TestStore {
  db: SqliteDatabase;
  registry: PointRegistry;
  writer: SampleWriter;
  ids: Record<MeterPointKey, number>;
  /** The writer's clock, in epoch ms: `commit` closes buckets against this value. */
  clock: { nowTs: number };
  /** Sets the clock to `nowTs` and commits. */
  commitAt(nowTs: number): void;
  close(): void;
}

export interface OpenTestStoreOptions {
  timeZone: string;
  pollIntervalMs?: number;
  rollupGraceMs?: number;
}

/** Opens (or reopens) the database at `path` the way the edge node does, with a fresh registry and writer. */
export function openTestStore(path: string, options: OpenTestStoreOptions): TestStore {
  const db = openDatabase(path);
  const registry = new PointRegistry(db);
  const registered = registry.registerPoints(meterDeviceKey, meterPoints, options.pollIntervalMs ?? 1000);
  const ids = Object.fromEntries(registered.map((point) => [point.definition.key, point.id])) as Record<MeterPointKey, number>;
  const clock = { nowTs: 0 };
  const writer = new SampleWriter(db, registry, options.timeZone, createSilentLogger(), {
    now: () => clock.nowTs,
    ...(options.rollupGraceMs === undefined ? {} : { rollupGraceMs: options.rollupGraceMs }),
  });
  return {
    db,
    registry,
    writer,
    ids,
    clock,
    commitAt(nowTs) {
      clock.nowTs = nowTs;
      writer.commit();
    },
    close: () => db.close(),
  };
}

/** Reads every stored row of a tier, ordered by point and bucket start. */
export function readRollupRows(db: SqliteDatabase, tier: Tier, pointId?: number): StoredRollupRow[] {
  if (pointId === undefined) {
    return db.prepare<[], StoredRollupRow>(`SELECT * FROM rollup_${tier} ORDER BY point_id, bucket_start`).all();
  }
  return db
    .prepare<[number], StoredRollupRow>(`SELECT * FROM rollup_${tier} WHERE point_id = ? ORDER BY bucket_start`)
    .all(pointId);
}
