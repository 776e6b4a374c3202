import { decodeQuality, type Resolution, type SampleValue } from '@simtestlab/sync';
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

/** Reads history of one point: raw samples or rollups, the latter including buckets still open. */
export class HistoryReader {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly rollups: RollupEngine,
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
    const stored = this.db
      .prepare<[number, number, number, number], StoredRollupRow>(
        `SELECT * FROM rollup_${tier} WHERE point_id = ? AND bucket_start >= ? AND bucket_start < ? ORDER BY bucket_start LIMIT ?`,
      )
      .all(pointId, from, to, limit);
    const byStart = new Map<number, RollupHistoryRow>();
    for (const row of stored) byStart.set(row.bucket_start, toHistoryRow(bucketFromRow(row), row.revision, false));
    for (const open of this.rollups.openBuckets(tier, pointId, from, to)) {
      const storedRow = stored.find((row) => row.bucket_start === open.start);
      if (storedRow) {
        const combined = bucketFromRow(storedRow);
        mergeBucket(combined, open);
        byStart.set(open.start, toHistoryRow(combined, storedRow.revision, true));
      } else byStart.set(open.start, toHistoryRow(open, 0, true));
    }
    return [...byStart.values()].sort((a, b) => a.start - b.start).slice(0, limit);
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
