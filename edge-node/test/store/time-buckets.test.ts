import { describe, expect, it } from 'vitest';
import { Bucketer, bucketOf, tiers, type Tier } from '../../src/store/time-buckets';
import { seededRandom } from './support/random';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const utc = (iso: string) => Date.parse(iso);

/** Asserts that `bucketOf` returns exactly `[start, end)` (ISO strings in UTC) for `ts`. */
function expectBucket(tier: Tier, ts: string, zone: string, start: string, end: string): void {
  const bucket = bucketOf(tier, utc(ts), zone);
  expect(new Date(bucket.start).toISOString(), `${tier} start of ${ts} in ${zone}`).toBe(new Date(start).toISOString());
  expect(new Date(bucket.end).toISOString(), `${tier} end of ${ts} in ${zone}`).toBe(new Date(end).toISOString());
}

describe('bucketOf 1m and 15m', () => {
  it.each(['UTC', 'Europe/Paris', 'America/Los_Angeles', 'Asia/Kolkata'])('aligns to UTC in %s', (zone) => {
    expectBucket('1m', '2025-01-15T10:07:31.250Z', zone, '2025-01-15T10:07:00Z', '2025-01-15T10:08:00Z');
    expectBucket('15m', '2025-01-15T10:07:31.250Z', zone, '2025-01-15T10:00:00Z', '2025-01-15T10:15:00Z');
    expectBucket('15m', '2025-01-15T10:59:59.999Z', zone, '2025-01-15T10:45:00Z', '2025-01-15T11:00:00Z');
  });

  it('starts a bucket exactly on its boundary', () => {
    expectBucket('1m', '2025-01-15T10:08:00Z', 'UTC', '2025-01-15T10:08:00Z', '2025-01-15T10:09:00Z');
    expectBucket('15m', '2025-01-15T10:15:00Z', 'UTC', '2025-01-15T10:15:00Z', '2025-01-15T10:30:00Z');
  });
});

describe('bucketOf 1h and 1d on ordinary days', () => {
  it.each([
    ['Europe/Paris', '2025-01-15T10:20:00Z', '2025-01-15T10:00:00Z', '2025-01-15T11:00:00Z', '2025-01-14T23:00:00Z', '2025-01-15T23:00:00Z'],
    ['Europe/Paris', '2025-07-15T23:30:00Z', '2025-07-15T23:00:00Z', '2025-07-16T00:00:00Z', '2025-07-15T22:00:00Z', '2025-07-16T22:00:00Z'],
    ['America/Los_Angeles', '2025-01-15T07:59:59Z', '2025-01-15T07:00:00Z', '2025-01-15T08:00:00Z', '2025-01-14T08:00:00Z', '2025-01-15T08:00:00Z'],
    ['America/Los_Angeles', '2025-07-15T07:00:00Z', '2025-07-15T07:00:00Z', '2025-07-15T08:00:00Z', '2025-07-15T07:00:00Z', '2025-07-16T07:00:00Z'],
    ['Asia/Kolkata', '2025-01-15T10:20:00Z', '2025-01-15T09:30:00Z', '2025-01-15T10:30:00Z', '2025-01-14T18:30:00Z', '2025-01-15T18:30:00Z'],
    ['Asia/Kolkata', '2025-07-15T18:29:59Z', '2025-07-15T17:30:00Z', '2025-07-15T18:30:00Z', '2025-07-14T18:30:00Z', '2025-07-15T18:30:00Z'],
  ])('follows local time in %s at %s', (zone, ts, hourStart, hourEnd, dayStart, dayEnd) => {
    expectBucket('1h', ts, zone, hourStart, hourEnd);
    expectBucket('1d', ts, zone, dayStart, dayEnd);
  });

  it('keeps every Kolkata day 24 hours long through a year', () => {
    for (let ts = utc('2025-01-01T00:00:00Z'); ts < utc('2026-01-01T00:00:00Z'); ts += 24 * HOUR_MS) {
      const day = bucketOf('1d', ts, 'Asia/Kolkata');
      expect(day.end - day.start).toBe(24 * HOUR_MS);
      expect(((day.start % HOUR_MS) + HOUR_MS) % HOUR_MS).toBe(30 * MINUTE_MS);
    }
  });
});

describe('bucketOf on daylight saving days', () => {
  it.each([
    ['Europe/Paris', '2025-03-30T12:00:00Z', '2025-03-29T23:00:00Z', '2025-03-30T22:00:00Z', 23],
    ['America/Los_Angeles', '2025-03-09T20:00:00Z', '2025-03-09T08:00:00Z', '2025-03-10T07:00:00Z', 23],
    ['Europe/Paris', '2025-10-26T12:00:00Z', '2025-10-25T22:00:00Z', '2025-10-26T23:00:00Z', 25],
    ['America/Los_Angeles', '2025-11-02T20:00:00Z', '2025-11-02T07:00:00Z', '2025-11-03T08:00:00Z', 25],
  ])('makes a %s day of %s span its local hours', (zone, ts, start, end, hours) => {
    expectBucket('1d', ts, zone, start, end);
    const day = bucketOf('1d', utc(ts), zone);
    expect(day.end - day.start).toBe(hours * HOUR_MS);

    const hourBuckets = new Set<number>();
    for (let t = day.start; t < day.end; t += 5 * MINUTE_MS) hourBuckets.add(bucketOf('1h', t, zone).start);
    expect(hourBuckets.size).toBe(hours);
  });

  it('splits the repeated hour of a Paris fall-back night in two', () => {
    // 02:30 local happens at 00:30Z (CEST, +2) and again at 01:30Z (CET, +1).
    expectBucket('1h', '2025-10-26T00:30:00Z', 'Europe/Paris', '2025-10-26T00:00:00Z', '2025-10-26T01:00:00Z');
    expectBucket('1h', '2025-10-26T01:30:00Z', 'Europe/Paris', '2025-10-26T01:00:00Z', '2025-10-26T02:00:00Z');
  });

  it('splits the repeated hour of a Los Angeles fall-back night in two', () => {
    // 01:30 local happens at 08:30Z (PDT, -7) and again at 09:30Z (PST, -8).
    expectBucket('1h', '2025-11-02T08:30:00Z', 'America/Los_Angeles', '2025-11-02T08:00:00Z', '2025-11-02T09:00:00Z');
    expectBucket('1h', '2025-11-02T09:30:00Z', 'America/Los_Angeles', '2025-11-02T09:00:00Z', '2025-11-02T10:00:00Z');
  });

  it('skips the missing hour of a spring-forward night', () => {
    // Paris jumps from 02:00 CET to 03:00 CEST at 01:00Z: 01:xx local is followed by 03:xx local.
    expectBucket('1h', '2025-03-30T00:59:59Z', 'Europe/Paris', '2025-03-30T00:00:00Z', '2025-03-30T01:00:00Z');
    expectBucket('1h', '2025-03-30T01:00:00Z', 'Europe/Paris', '2025-03-30T01:00:00Z', '2025-03-30T02:00:00Z');
    expectBucket('1h', '2025-03-09T10:10:00Z', 'America/Los_Angeles', '2025-03-09T10:00:00Z', '2025-03-09T11:00:00Z');
  });

  it('starts the day when clocks skip local midnight', () => {
    // Santiago goes from 00:00 (-4) straight to 01:00 (-3) on 2025-09-07, at 04:00Z.
    expectBucket('1d', '2025-09-07T03:30:00Z', 'America/Santiago', '2025-09-06T04:00:00Z', '2025-09-07T04:00:00Z');
    expectBucket('1d', '2025-09-07T04:00:00Z', 'America/Santiago', '2025-09-07T04:00:00Z', '2025-09-08T03:00:00Z');
    // Havana goes from 00:00 (-5) to 01:00 (-4) on 2025-03-09, at 05:00Z.
    expectBucket('1d', '2025-03-09T04:59:59Z', 'America/Havana', '2025-03-08T05:00:00Z', '2025-03-09T05:00:00Z');
    expectBucket('1d', '2025-03-09T05:00:00Z', 'America/Havana', '2025-03-09T05:00:00Z', '2025-03-10T04:00:00Z');
  });

  it('cuts Lord Howe hours at its half-hour shifts', () => {
    // 2025-04-05T15:00Z: 02:00 (+11) becomes 01:30 (+10:30), so 01:30-02:00 local repeats.
    expectBucket('1h', '2025-04-05T14:40:00Z', 'Australia/Lord_Howe', '2025-04-05T14:00:00Z', '2025-04-05T15:00:00Z');
    expectBucket('1h', '2025-04-05T15:10:00Z', 'Australia/Lord_Howe', '2025-04-05T15:00:00Z', '2025-04-05T15:30:00Z');
    expectBucket('1h', '2025-04-05T15:30:00Z', 'Australia/Lord_Howe', '2025-04-05T15:30:00Z', '2025-04-05T16:30:00Z');
    // 2025-10-04T15:30Z: 02:00 (+10:30) becomes 02:30 (+11).
    expectBucket('1h', '2025-10-04T15:10:00Z', 'Australia/Lord_Howe', '2025-10-04T14:30:00Z', '2025-10-04T15:30:00Z');
    expectBucket('1h', '2025-10-04T15:40:00Z', 'Australia/Lord_Howe', '2025-10-04T15:30:00Z', '2025-10-04T16:00:00Z');
  });
});

/** Zones and the instants around which their 2025 offset changes. */
const changeWindows: [string, string[]][] = [
  ['Europe/Paris', ['2025-03-30T01:00:00Z', '2025-10-26T01:00:00Z']],
  ['America/Los_Angeles', ['2025-03-09T10:00:00Z', '2025-11-02T09:00:00Z']],
  ['Asia/Kolkata', ['2025-03-30T01:00:00Z']],
  ['America/Santiago', ['2025-04-06T03:00:00Z', '2025-09-07T04:00:00Z']],
  ['Australia/Lord_Howe', ['2025-04-05T15:00:00Z', '2025-10-04T15:30:00Z']],
];

describe('bucketOf tiling', () => {
  it.each(changeWindows)('tiles time without gaps or overlaps in %s', (zone, changes) => {
    for (const change of changes) {
      for (const tier of tiers) {
        const from = utc(change) - 2 * 24 * HOUR_MS;
        const to = utc(change) + 2 * 24 * HOUR_MS;
        for (let ts = from; ts < to; ts += 13 * MINUTE_MS + 7_000) {
          const bucket = bucketOf(tier, ts, zone);
          expect(bucket.start, `${tier} bucket of ${new Date(ts).toISOString()} starts after it`).toBeLessThanOrEqual(ts);
          expect(bucket.end, `${tier} bucket of ${new Date(ts).toISOString()} ends before it`).toBeGreaterThan(ts);
          expect(bucketOf(tier, bucket.end, zone).start, `${tier} bucket after ${new Date(ts).toISOString()}`).toBe(bucket.end);
          expect(bucketOf(tier, bucket.start - 1, zone).end, `${tier} bucket before ${new Date(ts).toISOString()}`).toBe(bucket.start);
          expect(bucket.start % MINUTE_MS, 'bucket starts on a minute').toBe(0);
        }
      }
    }
  });
});

describe('Bucketer', () => {
  it.each(['Europe/Paris', 'America/Los_Angeles', 'Asia/Kolkata'])('matches bucketOf across a daylight saving change in %s', (zone) => {
    const bucketer = new Bucketer(zone);
    const center = zone === 'America/Los_Angeles' ? utc('2025-11-02T09:00:00Z') : utc('2025-10-26T01:00:00Z');
    // A forward sweep at 47 s steps, the common case of samples in the current bucket.
    for (let ts = center - 26 * HOUR_MS; ts < center + 26 * HOUR_MS; ts += 47_000) {
      for (const tier of tiers) expect(bucketer.bucket(tier, ts), `${tier} at ${ts}`).toEqual(bucketOf(tier, ts, zone));
    }
    // Random jumps back and forth, as late samples and watermark lookups interleave.
    const random = seededRandom(42);
    for (let i = 0; i < 1000; i++) {
      const ts = center + Math.round((random() - 0.5) * 52 * HOUR_MS);
      for (const tier of tiers) expect(bucketer.bucket(tier, ts), `${tier} at ${ts}`).toEqual(bucketOf(tier, ts, zone));
    }
  });
});
