/**
 * The running aggregate of one point in one rollup bucket. `sum` and `count` give the mean; `delta`
 * is the energy (or other counter) growth booked into the bucket, null for points that are not
 * counters.
 */
export interface RollupBucket {
  pointId: number;
  start: number;
  end: number;
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
  last: number | null;
  lastTs: number | null;
  delta: number | null;
  estimated: boolean;
}

export function emptyBucket(pointId: number, start: number, end: number): RollupBucket {
  return { pointId, start, end, count: 0, sum: null, min: null, max: null, last: null, lastTs: null, delta: null, estimated: false };
}

/** Adds one value observed at `ts`. */
export function addValue(bucket: RollupBucket, ts: number, value: number): void {
  bucket.count += 1;
  bucket.sum = bucket.sum === null ? value : bucket.sum + value;
  if (bucket.min === null || value < bucket.min) bucket.min = value;
  if (bucket.max === null || value > bucket.max) bucket.max = value;
  if (bucket.lastTs === null || ts >= bucket.lastTs) {
    bucket.last = value;
    bucket.lastTs = ts;
  }
}

/** Adds counter growth; `estimated` marks growth spread over a gap in the readings. */
export function addDelta(bucket: RollupBucket, delta: number, estimated: boolean): void {
  bucket.delta = bucket.delta === null ? delta : bucket.delta + delta;
  if (estimated) bucket.estimated = true;
}

/** Folds `source` (a finer bucket, or a stored row of the same bucket) into `target`. */
export function mergeBucket(target: RollupBucket, source: RollupBucket): void {
  target.count += source.count;
  if (source.sum !== null) target.sum = target.sum === null ? source.sum : target.sum + source.sum;
  if (source.min !== null && (target.min === null || source.min < target.min)) target.min = source.min;
  if (source.max !== null && (target.max === null || source.max > target.max)) target.max = source.max;
  if (source.lastTs !== null && (target.lastTs === null || source.lastTs >= target.lastTs)) {
    target.last = source.last;
    target.lastTs = source.lastTs;
  }
  if (source.delta !== null) addDelta(target, source.delta, source.estimated);
  else if (source.estimated) target.estimated = true;
}

/** A row of a `rollup_<tier>` table. */
export interface StoredRollupRow {
  point_id: number;
  bucket_start: number;
  bucket_end: number;
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
  last: number | null;
  last_ts: number | null;
  delta: number | null;
  estimated: number;
  revision: number;
}

export function bucketFromRow(row: StoredRollupRow): RollupBucket {
  return {
    pointId: row.point_id,
    start: row.bucket_start,
    end: row.bucket_end,
    count: row.count,
    sum: row.sum,
    min: row.min,
    max: row.max,
    last: row.last,
    lastTs: row.last_ts,
    delta: row.delta,
    estimated: row.estimated === 1,
  };
}
