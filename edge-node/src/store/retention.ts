import type { StorageConfig } from '../config/schema';
import type { SqliteDatabase } from './database';
import { tiers } from './time-buckets';

const DAY_MS = 86_400_000;
/** Rows deleted per statement, so a large backlog never holds the write lock for long. */
const CHUNK_MS = 10 * 60_000;

/**
 * Deletes raw samples and rollup rows older than their tier's retention. Raw samples go in ten-minute
 * slices of the time-ordered key, each its own short transaction, so the writer is never blocked for
 * long. A rollup row still in the upload outbox is kept whatever its age, because the hub has not
 * acknowledged it yet. The disk budget check reports a database that grows because of it. Returns the
 * number of rows deleted.
 */
export function applyRetention(db: SqliteDatabase, retention: StorageConfig['retention'], nowTs: number): number {
  let deleted = 0;
  const rawCutoff = nowTs - retention.rawDays * DAY_MS;
  const oldest = db.prepare<[], { ts: number | null }>('SELECT min(ts) AS ts FROM samples').get()?.ts ?? null;
  if (oldest !== null) {
    const deleteSlice = db.prepare('DELETE FROM samples WHERE ts >= ? AND ts < ?');
    // Each slice starts at the oldest remaining sample, so empty stretches (a device clock stuck
    // near 1970, an outage) cost one lookup instead of a statement per ten minutes.
    const oldestFrom = db.prepare<[number], { ts: number | null }>('SELECT min(ts) AS ts FROM samples WHERE ts >= ?');
    for (let from: number | null = oldest; from !== null && from < rawCutoff; ) {
      const to = Math.min(from + CHUNK_MS, rawCutoff);
      deleted += deleteSlice.run(from, to).changes;
      from = oldestFrom.get(to)?.ts ?? null;
    }
  }
  for (const tier of tiers) {
    const cutoff = nowTs - retention[`${tier}Days`] * DAY_MS;
    deleted += db
      .prepare(
        `DELETE FROM rollup_${tier} AS r WHERE bucket_start < ?
         AND NOT EXISTS (SELECT 1 FROM upload_rollups u WHERE u.tier = ? AND u.point_id = r.point_id AND u.bucket_start = r.bucket_start)`,
      )
      .run(cutoff, tier).changes;
  }
  const eventCutoff = nowTs - retention['1dDays'] * DAY_MS;
  deleted += db.prepare('DELETE FROM device_events WHERE ts < ?').run(eventCutoff).changes;
  return deleted;
}
