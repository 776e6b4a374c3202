import type { StorageConfig } from '../config/schema';
import type { SqliteDatabase } from './database';
import { tiers } from './time-buckets';

const DAY_MS = 86_400_000;
/** Rows deleted per statement, so a large backlog never holds the write lock for long. */
const CHUNK_MS = 10 * 60_000;

/**
 * Deletes raw samples and rollup rows older than their tier's retention. Raw samples go in ten-minute
 * slices of the time-ordered key, each its own short transaction, so the writer is never blocked for
 * long. Returns the number of rows deleted.
 */
export function applyRetention(db: SqliteDatabase, retention: StorageConfig['retention'], nowTs: number): number {
  let deleted = 0;
  const rawCutoff = nowTs - retention.rawDays * DAY_MS;
  const oldest = db.prepare<[], { ts: number | null }>('SELECT min(ts) AS ts FROM samples').get()?.ts ?? null;
  if (oldest !== null) {
    const deleteSlice = db.prepare('DELETE FROM samples WHERE ts >= ? AND ts < ?');
    for (let from = oldest; from < rawCutoff; from += CHUNK_MS) {
      deleted += deleteSlice.run(from, Math.min(from + CHUNK_MS, rawCutoff)).changes;
    }
  }
  for (const tier of tiers) {
    const cutoff = nowTs - retention[`${tier}Days`] * DAY_MS;
    deleted += db.prepare(`DELETE FROM rollup_${tier} WHERE bucket_start < ?`).run(cutoff).changes;
  }
  const eventCutoff = nowTs - retention['1dDays'] * DAY_MS;
  deleted += db.prepare('DELETE FROM device_events WHERE ts < ?').run(eventCutoff).changes;
  return deleted;
}
