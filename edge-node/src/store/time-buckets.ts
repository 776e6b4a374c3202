/**
 * Rollup tiers and their bucket boundaries. 1 min and 15 min buckets are aligned to UTC; 1 h and
 * 1 day buckets follow the site's local time, so a local day on a daylight-saving change lasts 23 or
 * 25 hours and the repeated hour of a fall-back night forms two buckets.
 */
export const tiers = ['1m', '15m', '1h', '1d'] as const;
export type Tier = (typeof tiers)[number];

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

interface FieldsFormatter {
  formatToParts(date: Date): Intl.DateTimeFormatPart[];
}

const formatters = new Map<string, FieldsFormatter>();

function formatterFor(timeZone: string): FieldsFormatter {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Offset of local time from UTC at instant `ts`, in ms (positive east of Greenwich). */
export function zoneOffsetMs(timeZone: string, ts: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ts))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const localAsUtc = Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
  return localAsUtc - (ts - (((ts % 1000) + 1000) % 1000));
}

/** Converts a local wall-clock instant (expressed as if it were UTC) to the UTC instant it names. */
function localToUtc(timeZone: string, localAsUtc: number): number {
  let utc = localAsUtc - zoneOffsetMs(timeZone, localAsUtc);
  const corrected = localAsUtc - zoneOffsetMs(timeZone, utc);
  if (corrected !== utc) utc = corrected;
  return utc;
}

const floorTo = (value: number, step: number) => value - (((value % step) + step) % step);

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
      const offset = zoneOffsetMs(timeZone, ts);
      const start = floorTo(ts + offset, HOUR_MS) - offset;
      const next = start + HOUR_MS;
      const nextOffset = zoneOffsetMs(timeZone, next);
      // Zones with half-hour daylight saving shifts (Lord Howe) end the hour early.
      const end = nextOffset === offset ? next : Math.min(next, floorTo(next + nextOffset, HOUR_MS) - nextOffset);
      return { start, end: end > ts ? end : next };
    }
    case '1d': {
      const localMidnight = floorTo(ts + zoneOffsetMs(timeZone, ts), DAY_MS);
      return { start: localToUtc(timeZone, localMidnight), end: localToUtc(timeZone, localMidnight + DAY_MS) };
    }
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
