import { packRollupRows, type CommitBatch } from './commit-batch';
import type { SqliteDatabase } from './database';
import { addDelta, addValue, bucketFromRow, emptyBucket, mergeBucket, type RollupBucket, type StoredRollupRow } from './rollup-bucket';
import { Bucketer, tiers, type Tier } from './time-buckets';

type OpenBuckets = Map<number, Map<number, RollupBucket>>;

/** Meta key of a tier's close watermark: every bucket that starts before it is written. */
const closedKey = (tier: Tier) => `rollup.closedThrough.${tier}`;

/**
 * Rollups at 1 min, 15 min, 1 h and 1 day, aggregated in memory as samples arrive and written when
 * a bucket closes. This is the single stateful core of the store.
 *
 * Each tier has a close watermark. At every commit the writer collects the buckets that start before
 * the new watermark; they are upserted in the same transaction as the raw samples that filled them,
 * merging into a stored row when one exists (a late sample, or growth spread over a gap), and the
 * row's revision goes up. Open buckets live only in memory. After a crash, `recover` rebuilds them
 * exactly: open 15 min and 1 h buckets from closed 1 min rows, open days from closed hours and
 * minutes, and everything newer than the 1 min watermark from the raw samples.
 */
export class RollupEngine {
  private readonly open: Record<Tier, OpenBuckets> = { '1m': new Map(), '15m': new Map(), '1h': new Map(), '1d': new Map() };
  private readonly closedThrough: Record<Tier, number> = { '1m': 0, '15m': 0, '1h': 0, '1d': 0 };
  readonly bucketer: Bucketer;

  constructor(
    private readonly db: SqliteDatabase,
    timeZone: string,
  ) {
    this.bucketer = new Bucketer(timeZone);
    const readMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    for (const tier of tiers) {
      const stored = readMeta.get(closedKey(tier));
      if (stored) this.closedThrough[tier] = Number(stored.value);
    }
  }

  /** The 1 min close watermark: raw samples at or after it are not yet in any stored 1 min row. */
  get replayFrom(): number {
    return this.closedThrough['1m'];
  }

  private bucketFor(tier: Tier, pointId: number, ts: number): RollupBucket {
    const { start, end } = this.bucketer.bucket(tier, ts);
    let byPoint = this.open[tier].get(start);
    if (!byPoint) {
      byPoint = new Map();
      this.open[tier].set(start, byPoint);
    }
    let bucket = byPoint.get(pointId);
    if (!bucket) {
      bucket = emptyBucket(pointId, start, end);
      byPoint.set(pointId, bucket);
    }
    return bucket;
  }

  /** Adds a numeric value of a point to all four tiers. */
  addValue(pointId: number, ts: number, value: number): void {
    for (const tier of tiers) addValue(this.bucketFor(tier, pointId, ts), ts, value);
  }

  /**
   * Books counter growth that belongs at `ts` into all four tiers. Slices before `skipBefore` are
   * left out: during recovery they are already in stored rows.
   */
  addDelta(pointId: number, ts: number, delta: number, estimated: boolean, skipBefore = -Infinity): void {
    if (ts < skipBefore) return;
    for (const tier of tiers) addDelta(this.bucketFor(tier, pointId, ts), delta, estimated);
  }

  /**
   * Takes every bucket that starts before the watermarks for `nowTs - graceMs` out of memory and
   * returns them with the advanced watermarks, for the caller to write in one transaction together
   * with the raw samples that completed them.
   */
  collectClosed(nowTs: number, graceMs: number): Pick<CommitBatch, 'rollups' | 'meta'> {
    const horizon = nowTs - graceMs;
    const rollups: CommitBatch['rollups'] = [];
    const meta: CommitBatch['meta'] = [];
    for (const tier of tiers) {
      const watermark = Math.max(this.closedThrough[tier], this.bucketer.bucket(tier, horizon).start);
      const closed: RollupBucket[] = [];
      for (const [start, byPoint] of this.open[tier]) {
        if (start >= watermark) continue;
        for (const bucket of byPoint.values()) closed.push(bucket);
        this.open[tier].delete(start);
      }
      if (closed.length > 0) rollups.push({ tier, rows: packRollupRows(closed) });
      if (watermark !== this.closedThrough[tier]) {
        this.closedThrough[tier] = watermark;
        meta.push([closedKey(tier), String(watermark)]);
      }
    }
    return { rollups, meta };
  }

  /**
   * Rebuilds the open buckets of the higher tiers from stored finer rows. The caller then replays raw
   * samples from `replayFrom` through `addValue` and `addDelta`.
   */
  recoverFromStoredRows(): void {
    const minuteWatermark = this.closedThrough['1m'];
    const hourWatermark = this.closedThrough['1h'];
    this.mergeStored('1m', '15m', this.closedThrough['15m'], minuteWatermark);
    this.mergeStored('1m', '1h', hourWatermark, minuteWatermark);
    this.mergeStored('1h', '1d', this.closedThrough['1d'], hourWatermark);
    this.mergeStored('1m', '1d', Math.max(hourWatermark, this.closedThrough['1d']), minuteWatermark);
  }

  private mergeStored(source: Tier, target: Tier, from: number, to: number): void {
    if (from >= to) return;
    const rows = this.db
      .prepare<[number, number], StoredRollupRow>(`SELECT * FROM rollup_${source} WHERE bucket_start >= ? AND bucket_start < ?`)
      .all(from, to);
    for (const row of rows) mergeBucket(this.bucketFor(target, row.point_id, row.bucket_start), bucketFromRow(row));
  }

  /** Open (not yet stored) buckets of a point in `[from, to)`, for reads that include the current bucket. */
  openBuckets(tier: Tier, pointId: number, from: number, to: number): RollupBucket[] {
    const result: RollupBucket[] = [];
    for (const [start, byPoint] of this.open[tier]) {
      if (start < from || start >= to) continue;
      const bucket = byPoint.get(pointId);
      if (bucket) result.push(bucket);
    }
    return result.sort((a, b) => a.start - b.start);
  }

  /** Number of open buckets held in memory, for metrics. */
  openBucketCount(): number {
    let count = 0;
    for (const tier of tiers) for (const byPoint of this.open[tier].values()) count += byPoint.size;
    return count;
  }
}
