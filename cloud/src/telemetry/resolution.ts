import { uploadResolutions, type UploadResolution } from '@simtestlab/sync';

/** Length of a bucket of each stored resolution, in milliseconds. */
export const RESOLUTION_MS: Record<UploadResolution, number> = {
  '1m': 60_000,
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
};

/**
 * Maximum buckets per point for `auto`, which takes the finest resolution that stays at or below it. So
 * `auto` gives 1m up to about 33 hours, 15m up to about 20 days, 1h up to about 83 days and 1d beyond.
 */
export const AUTO_MAX_BUCKETS = 2_000;

/**
 * Picks the finest resolution with at most `maxBuckets` buckets per point over the range (by default
 * AUTO_MAX_BUCKETS), else 1d.
 */
export function pickResolution(fromMs: number, toMs: number, maxBuckets = AUTO_MAX_BUCKETS): UploadResolution {
  const fitting = uploadResolutions.find((resolution) => bucketCount(resolution, fromMs, toMs) <= maxBuckets);
  return fitting ?? '1d';
}

/** Counts the buckets of `resolution` that can start in [fromMs, toMs), an upper bound of the rows per point. */
export function bucketCount(resolution: UploadResolution, fromMs: number, toMs: number): number {
  return Math.ceil((toMs - fromMs) / RESOLUTION_MS[resolution]);
}
