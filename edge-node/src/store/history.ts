import { decodeQuality, type ReportRollupRow, type Resolution, type SampleValue } from '@simtestlab/sync';
import type { SqliteDatabase } from './database';
import { bucketFromRow, mergeBucket, type RollupBucket, type StoredRollupRow } from './rollup-bucket';
import type { RollupEngine } from './rollups';
import type { Tier } from './time-buckets';

export interface RawHistoryRow {
  ts: number;
  value: SampleValue;
  quality: string;
  reason?: string;
}

/** A rollup bucket as the API returns it: mean instead of sum, and whether it is still open. */
export interface RollupHistoryRow {
  start: number;
  end: number;
  count: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  last: number | null;
  delta: number | null;
  estimated: boolean;
  revision: number;
  open: boolean;
}

/** A rollup bucket as reads see it, with the stored row's revision and whether a part of it is not stored yet. */
export interface MergedRollupBucket {
  bucket: RollupBucket;
  revision: number;
  open: boolean;
}

/** Closed buckets whose commit has not finished yet, such as `SampleWriter.uncommittedBuckets`. */
export type UncommittedBuckets = (tier: Tier, pointId: number, from: number, to: number) => RollupBucket[];

/**
 * Reads history of one point: raw samples or rollups. Rollups include the buckets still open in
 * memory and, with `uncommitted`, closed buckets whose commit is still under way, so a bucket never
 * disappears from reads between closing and landing in the database.
 */
export class HistoryReader {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly rollups: RollupEngine,
    private readonly uncommitted?: UncommittedBuckets,
  ) {}

  raw(pointId: number, from: number, to: number, limit: number): RawHistoryRow[] {
    const rows = this.db
      .prepare<[number, number, number, number], { ts: number; value: SampleValue; quality: number }>(
        'SELECT ts, value, quality FROM samples WHERE ts >= ? AND ts < ? AND point_id = ? ORDER BY ts LIMIT ?',
      )
      .all(from, to, pointId, limit);
    return rows.map((row) => ({ ts: row.ts, value: row.value, ...decodeQuality(row.quality) }));
  }

  rollup(tier: Tier, pointId: number, from: number, to: number, limit: number): RollupHistoryRow[] {
    return this.rollupBuckets(tier, pointId, from, to, limit).map((entry) => toHistoryRow(entry.bucket, entry.revision, entry.open));
  }

  /**
   * Returns the buckets of one point whose start is in `[from, to)`, ordered by start: stored rows merged
   * with closed buckets still being committed and with open buckets. `open` is true for a bucket that has
   * such a part, and `revision` is 0 for one with no stored row.
   */
  rollupBuckets(tier: Tier, pointId: number, from: number, to: number, limit: number): MergedRollupBucket[] {
    const stored = this.db
      .prepare<[number, number, number, number], StoredRollupRow>(
        `SELECT * FROM rollup_${tier} WHERE point_id = ? AND bucket_start >= ? AND bucket_start < ? ORDER BY bucket_start LIMIT ?`,
      )
      .all(pointId, from, to, limit);
    const byStart = new Map<number, MergedRollupBucket>();
    for (const row of stored) byStart.set(row.bucket_start, { bucket: bucketFromRow(row), revision: row.revision, open: false });
    const pending = [...(this.uncommitted?.(tier, pointId, from, to) ?? []), ...this.rollups.openBuckets(tier, pointId, from, to)];
    for (const bucket of pending) {
      const entry = byStart.get(bucket.start);
      if (entry) {
        mergeBucket(entry.bucket, bucket);
        entry.open = true;
      } else byStart.set(bucket.start, { bucket: { ...bucket }, revision: 0, open: true });
    }
    return [...byStart.values()].sort((a, b) => a.bucket.start - b.bucket.start).slice(0, limit);
  }

  /**
   * Returns the rows the energy report reads of one point whose start is in `[from, to)`, ordered by
   * start, with the same merge as `rollupBuckets`. Without pending buckets in the range, it reads only
   * the report's columns straight into the result, because a year report reads hundreds of thousands of rows.
   */
  reportRows(tier: Tier, pointId: number, from: number, to: number): ReportRollupRow[] {
    const pending = (this.uncommitted?.(tier, pointId, from, to).length ?? 0) + this.rollups.openBuckets(tier, pointId, from, to).length;
    if (pending > 0) {
      return this.rollupBuckets(tier, pointId, from, to, Number.MAX_SAFE_INTEGER).map(({ bucket }) => ({
        start: bucket.start,
        end: bucket.end,
        count: bucket.count,
        sum: bucket.sum,
        last: bucket.last,
        lastTs: bucket.lastTs,
      }));
    }
    return this.db
      .prepare<[number, number, number], ReportRollupRow>(
        `SELECT bucket_start AS start, bucket_end AS "end", count, sum, last, last_ts AS lastTs
         FROM rollup_${tier} WHERE point_id = ? AND bucket_start >= ? AND bucket_start < ? ORDER BY bucket_start`,
      )
      .all(pointId, from, to);
  }

  read(resolution: Resolution, pointId: number, from: number, to: number, limit: number): RawHistoryRow[] | RollupHistoryRow[] {
    return resolution === 'raw' ? this.raw(pointId, from, to, limit) : this.rollup(resolution, pointId, from, to, limit);
  }
}

function toHistoryRow(bucket: RollupBucket, revision: number, open: boolean): RollupHistoryRow {
  return {
    start: bucket.start,
    end: bucket.end,
    count: bucket.count,
    mean: bucket.sum === null || bucket.count === 0 ? null : bucket.sum / bucket.count,
    min: bucket.min,
    max: bucket.max,
    last: bucket.last,
    delta: bucket.delta,
    estimated: bucket.estimated,
    revision,
    open,
  };
}
