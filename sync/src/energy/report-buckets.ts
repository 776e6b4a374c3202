/**
 * Maps a report's source buckets (15-minute or hourly) onto its display buckets (15 minutes to one
 * month). Both come from `bucketBoundaries` over the same range, so a source bucket normally lies inside
 * one display bucket. A source bucket that straddles a display boundary, as in a custom range that starts
 * off the hour, is split in proportion to time.
 */

/** Part of a source bucket that falls into a display bucket, as a share of the source bucket. */
export interface BucketOverlap {
  source: number;
  display: number;
  share: number;
}

/** Lists the overlaps of two sorted boundary lists over the same range, in one pass. */
export function bucketOverlaps(source: readonly number[], display: readonly number[]): BucketOverlap[] {
  const overlaps: BucketOverlap[] = [];
  let d = 0;
  for (let s = 0; s + 1 < source.length; s++) {
    const start = source[s]!;
    const end = source[s + 1]!;
    while (d + 1 < display.length - 1 && display[d + 1]! <= start) d += 1;
    for (let k = d; k + 1 < display.length && display[k]! < end; k++) {
      const pieceMs = Math.min(end, display[k + 1]!) - Math.max(start, display[k]!);
      if (pieceMs > 0) overlaps.push({ source: s, display: k, share: pieceMs / (end - start) });
    }
  }
  return overlaps;
}

/** Sums per-source-bucket values into display buckets. */
export function toDisplay(values: ArrayLike<number>, overlaps: readonly BucketOverlap[], displayCount: number): Float64Array {
  const result = new Float64Array(displayCount);
  for (const { source, display, share } of overlaps) result[display]! += values[source]! * share;
  return result;
}

/**
 * Returns the share of each bucket that lies before `cutAt`: 1 for a bucket that ends by then, 0 for one
 * that starts at or after it, and the share of time for the bucket it cuts.
 */
export function bucketSharesBefore(boundaries: readonly number[], cutAt: number): Float64Array {
  const shares = new Float64Array(boundaries.length - 1);
  for (let i = 0; i + 1 < boundaries.length; i++) {
    const start = boundaries[i]!;
    const end = boundaries[i + 1]!;
    shares[i] = Math.min(1, Math.max(0, (cutAt - start) / (end - start)));
  }
  return shares;
}
