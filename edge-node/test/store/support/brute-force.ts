import type { Tier } from '../../../src/store/time-buckets';

/** A usable numeric sample of one point. */
export interface PlainSample {
  ts: number;
  value: number;
}

/** The aggregate of the samples that share one bucket, computed without the store's code. */
export interface ExpectedBucket {
  key: string;
  firstTs: number;
  lastTs: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  last: number;
}

const wallClockFormatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string): Intl.DateTimeFormat {
  let formatter = wallClockFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      timeZoneName: 'longOffset',
    });
    wallClockFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Names the bucket of `ts` from the local calendar date, hour and UTC offset that Intl prints, so
 * the expectation does not share the offset arithmetic of `bucketOf`. The offset is part of an hour's
 * name, which keeps the two passes of a repeated fall-back hour apart.
 */
export function bucketKey(tier: Tier, ts: number, timeZone: string): string {
  if (tier === '1m') return `m${Math.floor(ts / 60_000)}`;
  if (tier === '15m') return `q${Math.floor(ts / 900_000)}`;
  const parts = Object.fromEntries(wallClock(timeZone).formatToParts(new Date(ts)).map((part) => [part.type, part.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return tier === '1d' ? date : `${date}T${parts.hour} ${parts.timeZoneName}`;
}

/** Groups samples by bucket and aggregates each group, ordered by the bucket's first sample. */
export function bruteForceBuckets(samples: readonly PlainSample[], tier: Tier, timeZone: string): ExpectedBucket[] {
  const groups = new Map<string, ExpectedBucket>();
  for (const sample of samples) {
    const key = bucketKey(tier, sample.ts, timeZone);
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        key,
        firstTs: sample.ts,
        lastTs: sample.ts,
        count: 1,
        sum: sample.value,
        min: sample.value,
        max: sample.value,
        last: sample.value,
      });
      continue;
    }
    group.count += 1;
    group.sum += sample.value;
    group.min = Math.min(group.min, sample.value);
    group.max = Math.max(group.max, sample.value);
    group.firstTs = Math.min(group.firstTs, sample.ts);
    if (sample.ts >= group.lastTs) {
      group.lastTs = sample.ts;
      group.last = sample.value;
    }
  }
  return [...groups.values()].sort((a, b) => a.firstTs - b.firstTs);
}

/** A counter reading with the growth since the previous one, as the test author works it out. */
export interface CounterGrowth {
  ts: number;
  growth: number;
}

/**
 * Returns the growth that falls in `[start, end)` when each reading's growth is spread evenly over the time since
 * the previous reading (linear interpolation of the counter).
 */
export function interpolatedGrowth(readings: readonly CounterGrowth[], start: number, end: number): number {
  let total = 0;
  for (let i = 1; i < readings.length; i++) {
    const from = readings[i - 1]!.ts;
    const to = readings[i]!.ts;
    const overlap = Math.min(to, end) - Math.max(from, start);
    if (overlap > 0) total += (readings[i]!.growth * overlap) / (to - from);
  }
  return total;
}
