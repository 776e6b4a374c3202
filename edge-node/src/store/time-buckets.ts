/**
 * Rollup tiers and their bucket boundaries. 1 min and 15 min buckets are aligned to UTC; 1 h and
 * 1 day buckets follow the site's local time, so a local day on a daylight-saving change lasts 23 or
 * 25 hours and the repeated hour of a fall-back night forms two buckets.
 */
import { startOfZonedDay, utcOffsetMs } from '@simtestlab/sync';

export const tiers = ['1m', '15m', '1h', '1d'] as const;
export type Tier = (typeof tiers)[number];

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

const floorTo = (value: number, step: number) => value - (((value % step) + step) % step);

/**
 * Finds the first instant in `(from, to]` at which the zone's offset differs from its offset at
 * `from`, by bisection to the millisecond. The caller knows that the offset changes in that range.
 */
function offsetChangeBetween(timeZone: string, from: number, to: number): number {
  const before = utcOffsetMs(timeZone, from);
  let low = from;
  let high = to;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (utcOffsetMs(timeZone, middle) === before) low = middle;
    else high = middle;
  }
  return high;
}

/** A bucket as `[start, end)` in epoch ms UTC. */
export interface Bucket {
  start: number;
  end: number;
}

/** Returns the bucket of `tier` that contains `ts`. */
export function bucketOf(tier: Tier, ts: number, timeZone: string): Bucket {
  switch (tier) {
    case '1m': {
      const start = floorTo(ts, MINUTE_MS);
      return { start, end: start + MINUTE_MS };
    }
    case '15m': {
      const start = floorTo(ts, 15 * MINUTE_MS);
      return { start, end: start + 15 * MINUTE_MS };
    }
    case '1h': {
      // The local hour around `ts` at the current offset, cut where the offset changes inside it.
      // Such a change always ends a bucket, so the repeated hour of a fall-back night forms two
      // buckets. Zones with half-hour shifts (Lord Howe) get half-hour buckets on change nights.
      const offset = utcOffsetMs(timeZone, ts);
      let start = floorTo(ts + offset, HOUR_MS) - offset;
      let end = start + HOUR_MS;
      if (utcOffsetMs(timeZone, start) !== offset) start = offsetChangeBetween(timeZone, start, ts);
      if (utcOffsetMs(timeZone, end) !== offset) end = offsetChangeBetween(timeZone, ts, end);
      return { start, end };
    }
    case '1d':
      return { start: startOfZonedDay(ts, timeZone), end: startOfZonedDay(ts, timeZone, 1) };
  }
}

/**
 * Caches the last bucket per tier, so the common case of a sample in the current bucket costs two
 * comparisons instead of a time zone lookup.
 */
export class Bucketer {
  private readonly cache: Record<Tier, Bucket> = {
    '1m': { start: 0, end: 0 },
    '15m': { start: 0, end: 0 },
    '1h': { start: 0, end: 0 },
    '1d': { start: 0, end: 0 },
  };

  constructor(readonly timeZone: string) {}

  bucket(tier: Tier, ts: number): Bucket {
    const cached = this.cache[tier];
    if (ts >= cached.start && ts < cached.end) return cached;
    const fresh = bucketOf(tier, ts, this.timeZone);
    this.cache[tier] = fresh;
    return fresh;
  }
}
