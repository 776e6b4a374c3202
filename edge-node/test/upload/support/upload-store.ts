import type { RollupRow } from '@simtestlab/sync';
import { createSilentLogger } from '../../../src/logger';
import type { SqliteDatabase } from '../../../src/store/database';
import type { StoredRollupRow } from '../../../src/store/rollup-bucket';
import { Outbox } from '../../../src/upload/outbox';
import { enableUploadQueue } from '../../../src/upload/outbox-writer';
import { meterSample, addSample } from '../../store/support/sample-stream';
import { openTestStore, type TestStore } from '../../store/support/temp-store';

/** A test store of the meter points with the upload outbox on and an `Outbox` reading it. */
export interface UploadTestStore extends TestStore {
  outbox: Outbox;
}

/** Opens a store at `path` in UTC; `queue: false` leaves the outbox off, as on an unpaired edge. */
export function openUploadStore(path: string, options: { queue?: boolean } = {}): UploadTestStore {
  const store = openTestStore(path, { timeZone: 'UTC' });
  if (options.queue !== false) enableUploadQueue(store.db, createSilentLogger());
  return { ...store, outbox: new Outbox(store.db) };
}

/**
 * Feeds `meter.power` every 10 s for `minutes` minutes from `fromTs` (value = minute index) and
 * commits with the clock past the last minute, so its 1 min buckets are written.
 */
export function feedPowerMinutes(store: TestStore, fromTs: number, minutes: number): void {
  for (let minute = 0; minute < minutes; minute++) {
    for (let second = 0; second < 60; second += 10) addSample(store, meterSample('power', fromTs + minute * 60_000 + second * 1000, minute));
  }
  store.commitAt(fromTs + minutes * 60_000 + 5_000);
}

/** An `upload_rollups` entry: its key and the values of the rollup row it queues. */
export interface QueuedRollup {
  seq: number;
  tier: string;
  point_id: number;
  bucket_start: number;
  bucket_end: number | null;
  last_ts: number | null;
  /** The wire tuple as JSON, or null in an entry without values. */
  row: string | null;
}

/** Returns the wire tuple of a stored rollup row, as the outbox queues it. */
export function tupleOf(row: StoredRollupRow): RollupRow {
  return [row.bucket_start, row.bucket_end, row.count, row.sum, row.min, row.max, row.last, row.last_ts, row.delta, row.estimated, row.revision] as RollupRow;
}

export const queuedRollups = (db: SqliteDatabase, tier?: string): QueuedRollup[] =>
  db
    .prepare<[string | null, string | null], QueuedRollup>('SELECT * FROM upload_rollups WHERE (? IS NULL OR tier = ?) ORDER BY seq')
    .all(tier ?? null, tier ?? null);

export interface QueuedEventRow {
  seq: number;
  id: string;
  kind: string;
  at: number;
  payload: string;
}

export const queuedEvents = (db: SqliteDatabase): QueuedEventRow[] => db.prepare<[], QueuedEventRow>('SELECT * FROM upload_events ORDER BY seq').all();
