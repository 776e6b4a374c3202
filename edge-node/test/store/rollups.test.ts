import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryReader } from '../../src/store/history';
import { tiers } from '../../src/store/time-buckets';
import { bruteForceBuckets } from './support/brute-force';
import { BAD_TIMEOUT, GOOD, STALE, UNCERTAIN, type MeterPointKey } from './support/meter-points';
import { seededRandom } from './support/random';
import { addSample, feedAndCloseAll, meterSample, usableOf, type MeterSample } from './support/sample-stream';
import { makeTempDir, openTestStore, readRollupRows, type TempDir, type TestStore } from './support/temp-store';

const SECOND_MS = 1000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const utc = (iso: string) => Date.parse(iso);

let dir: TempDir;
let store: TestStore | undefined;

beforeEach(() => {
  dir = makeTempDir();
});

afterEach(() => {
  store?.close();
  store = undefined;
  dir.remove();
});

function open(timeZone: string): TestStore {
  store = openTestStore(`${dir.path}/edge.db`, { timeZone });
  return store;
}

/** Samples of `key` every `stepMs` in `[fromTs, toTs)`, valued by `valueAt(i)`. */
function series(key: MeterPointKey, fromTs: number, toTs: number, stepMs: number, valueAt: (i: number) => number): MeterSample[] {
  const samples: MeterSample[] = [];
  for (let ts = fromTs, i = 0; ts < toTs; ts += stepMs, i++) samples.push(meterSample(key, ts, valueAt(i)));
  return samples;
}

const byTime = (a: MeterSample, b: MeterSample) => a.ts - b.ts || a.key.localeCompare(b.key);

interface RollupCase {
  name: string;
  timeZone: string;
  commitEvery: number;
  samples: () => MeterSample[];
}

// Values are integers or quarters, so every sum is exact whatever the order of additions.
const cases: RollupCase[] = [
  {
    name: 'one-second power over three hours in Paris',
    timeZone: 'Europe/Paris',
    commitEvery: 50,
    samples: () => series('power', utc('2025-01-15T10:59:30Z'), utc('2025-01-15T13:59:30Z'), SECOND_MS, (i) => ((i * 37) % 1000) - 200),
  },
  {
    name: 'irregular intervals in Kolkata across local half hours',
    timeZone: 'Asia/Kolkata',
    commitEvery: 7,
    samples: () => {
      const random = seededRandom(7);
      const samples: MeterSample[] = [];
      for (let ts = utc('2025-06-01T08:10:00Z'); ts < utc('2025-06-01T15:40:00Z'); ts += 1 + Math.floor(random() * 45_000)) {
        samples.push(meterSample('power', ts, Math.round(random() * 4000 - 1000) / 4));
      }
      return samples;
    },
  },
  {
    name: 'spring-forward day in Los Angeles',
    timeZone: 'America/Los_Angeles',
    commitEvery: 20,
    samples: () => series('power', utc('2025-03-08T06:00:00Z'), utc('2025-03-10T10:00:00Z'), MINUTE_MS, (i) => (i % 97) * 3),
  },
  {
    name: 'fall-back night in Paris with its repeated hour',
    timeZone: 'Europe/Paris',
    commitEvery: 33,
    samples: () => series('power', utc('2025-10-25T20:00:00Z'), utc('2025-10-27T02:00:00Z'), 30 * SECOND_MS, (i) => 5000 - (i % 211) * 4),
  },
  {
    name: 'half-hour shift night on Lord Howe Island',
    timeZone: 'Australia/Lord_Howe',
    commitEvery: 10,
    samples: () => series('power', utc('2025-04-05T12:00:00Z'), utc('2025-04-05T18:00:00Z'), 20 * SECOND_MS, (i) => i % 13),
  },
  {
    name: 'samples arriving out of order inside open buckets',
    timeZone: 'Europe/Paris',
    commitEvery: 25,
    samples: () => {
      const samples = series('power', utc('2025-02-01T07:58:00Z'), utc('2025-02-01T09:05:00Z'), SECOND_MS, (i) => (i * 7919) % 503);
      for (let i = 0; i + 1 < samples.length; i += 2) [samples[i], samples[i + 1]] = [samples[i + 1]!, samples[i]!];
      return samples;
    },
  },
  {
    name: 'three points interleaved with unusable voltage samples',
    timeZone: 'America/Los_Angeles',
    commitEvery: 30,
    samples: () => {
      const from = utc('2025-05-05T06:50:00Z');
      const to = utc('2025-05-05T09:10:00Z');
      const qualities = [GOOD, GOOD, UNCERTAIN, STALE, BAD_TIMEOUT, GOOD, GOOD];
      const voltage = series('voltage', from, to, 5 * SECOND_MS, (i) => 230 + (i % 9)).map((sample, i) => {
        if (i % 11 === 0) return { ...sample, value: null, quality: BAD_TIMEOUT };
        return { ...sample, quality: qualities[i % qualities.length]! };
      });
      return [
        ...series('power', from, to, 2 * SECOND_MS, (i) => (i % 400) - 150),
        ...series('energy', from, to, 10 * SECOND_MS, (i) => 10_000 + i * 3),
        ...voltage,
      ].sort(byTime);
    },
  },
];

describe('rollups through SampleWriter', () => {
  it.each(cases)('match a brute-force aggregate: $name', ({ timeZone, commitEvery, samples: makeSamples }) => {
    const samples = makeSamples();
    const opened = open(timeZone);
    feedAndCloseAll(opened, samples, { commitEvery });
    const history = new HistoryReader(opened.db, opened.writer.rollups);

    const keys = [...new Set(samples.map((sample) => sample.key))];
    for (const key of keys) {
      const pointId = opened.ids[key];
      for (const tier of tiers) {
        const expected = bruteForceBuckets(usableOf(samples, key), tier, timeZone);
        const rows = readRollupRows(opened.db, tier, pointId);
        const label = `${key} ${tier}`;
        expect(rows.length, `${label} bucket count`).toBe(expected.length);

        // One comparison per tier keeps the test fast; the diff names the bucket that differs.
        const actual = rows.map((row) => ({
          bucket: new Date(row.bucket_start).toISOString(),
          count: row.count,
          sum: row.sum,
          min: row.min,
          max: row.max,
          last: row.last,
          lastTs: row.last_ts,
          revision: row.revision,
        }));
        const expectedRows = expected.map((want, i) => ({
          bucket: new Date(rows[i]?.bucket_start ?? 0).toISOString(),
          count: want.count,
          sum: want.sum,
          min: want.min,
          max: want.max,
          last: want.last,
          lastTs: want.lastTs,
          revision: 1,
        }));
        expect(actual, label).toEqual(expectedRows);

        const misplaced = rows.filter((row, i) => row.bucket_start > expected[i]!.firstTs || row.bucket_end <= expected[i]!.lastTs);
        expect(misplaced, `${label} buckets that do not contain their samples`).toEqual([]);

        const historyRows = history.rollup(tier, pointId, 0, Number.MAX_SAFE_INTEGER, 100_000);
        const wrongMeans = historyRows.filter((row, i) => row.open || Math.abs(row.mean! - expected[i]!.sum / expected[i]!.count) > 1e-9);
        expect(wrongMeans, `${label} history rows with a wrong mean or still open`).toEqual([]);

        const reportRows = rows.map((row) => ({ start: row.bucket_start, end: row.bucket_end, count: row.count, sum: row.sum, last: row.last, lastTs: row.last_ts }));
        expect(history.reportRows(tier, pointId, 0, Number.MAX_SAFE_INTEGER), `${label} report rows`).toEqual(reportRows);
      }
    }
    expect(opened.writer.rollups.openBucketCount()).toBe(0);
  });

  it('keeps null, stale and bad samples out of every tier', () => {
    const opened = open('Europe/Paris');
    const ts = utc('2025-01-15T10:00:10Z');
    const samples = [
      meterSample('voltage', ts, 230),
      meterSample('voltage', ts + 1000, null, BAD_TIMEOUT),
      meterSample('voltage', ts + 2000, 9999, BAD_TIMEOUT),
      meterSample('voltage', ts + 3000, -9999, STALE),
      meterSample('voltage', ts + 4000, 'E42', GOOD),
      meterSample('voltage', ts + 5000, 231, UNCERTAIN),
      meterSample('energy', ts, 500),
      meterSample('energy', ts + 10_000, 4_000_000_000, BAD_TIMEOUT),
      meterSample('energy', ts + 20_000, null, BAD_TIMEOUT),
      meterSample('energy', ts + 30_000, 510),
    ];
    feedAndCloseAll(opened, samples, { commitEvery: 3 });

    for (const tier of tiers) {
      const [voltage] = readRollupRows(opened.db, tier, opened.ids.voltage);
      expect(voltage, `${tier} voltage row`).toMatchObject({ count: 2, sum: 461, min: 230, max: 231, last: 231 });
      const [energy] = readRollupRows(opened.db, tier, opened.ids.energy);
      expect(energy, `${tier} energy row`).toMatchObject({ count: 2, min: 500, max: 510, delta: 10 });
    }
    const rawCount = opened.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM samples').get()!.n;
    expect(rawCount, 'raw samples keep unusable values').toBe(samples.length);
  });

  it('merges a late sample into its closed bucket and raises the revision', () => {
    const opened = open('Europe/Paris');
    const minute = utc('2025-01-15T10:05:00Z');
    for (let s = 0; s < 60; s += 10) addSample(opened, meterSample('power', minute + s * SECOND_MS, 100 + s));
    addSample(opened, meterSample('power', minute + 70 * SECOND_MS, 1));
    opened.commitAt(minute + 70 * SECOND_MS);

    const closed = readRollupRows(opened.db, '1m', opened.ids.power);
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ bucket_start: minute, count: 6, sum: 750, min: 100, max: 150, last: 150, revision: 1 });

    // Late by more than the grace: its minute is already stored, its quarter hour is still open.
    addSample(opened, meterSample('power', minute + 55 * SECOND_MS, 7));
    addSample(opened, meterSample('power', minute + 5 * SECOND_MS, 999));
    opened.commitAt(minute + 80 * SECOND_MS);

    const merged = readRollupRows(opened.db, '1m', opened.ids.power)[0]!;
    expect(merged).toMatchObject({ bucket_start: minute, count: 8, sum: 1756, min: 7, max: 999, revision: 2 });
    expect(merged.last, 'last keeps the newest timestamp').toBe(7);
    expect(merged.last_ts).toBe(minute + 55 * SECOND_MS);
    expect(readRollupRows(opened.db, '15m', opened.ids.power), 'the quarter hour is not written yet').toHaveLength(0);

    const history = new HistoryReader(opened.db, opened.writer.rollups);
    const [quarter] = history.rollup('15m', opened.ids.power, 0, Number.MAX_SAFE_INTEGER, 10);
    expect(quarter, 'the open quarter hour counts the late samples once').toMatchObject({ count: 9, open: true, min: 1, max: 999 });
    expect(history.reportRows('15m', opened.ids.power, 0, Number.MAX_SAFE_INTEGER), 'the report reads the open quarter hour').toEqual([
      { start: quarter!.start, end: quarter!.end, count: 9, sum: 1757, last: 1, lastTs: expect.any(Number) },
    ]);

    opened.commitAt(minute + DAY_MS * 2);
    for (const tier of ['15m', '1h', '1d'] as const) {
      const [row] = readRollupRows(opened.db, tier, opened.ids.power);
      expect(row, `${tier} after close`).toMatchObject({ count: 9, sum: 1757, min: 1, max: 999, last: 1, revision: 1 });
    }
  });

  it('keeps a bucket open until the grace after its end', () => {
    const opened = open('UTC');
    const minute = utc('2025-01-15T10:05:00Z');
    addSample(opened, meterSample('power', minute + 30 * SECOND_MS, 5));
    opened.commitAt(minute + MINUTE_MS + 1999);
    expect(readRollupRows(opened.db, '1m'), 'within the 2 s grace').toHaveLength(0);
    opened.commitAt(minute + MINUTE_MS + 2000);
    expect(readRollupRows(opened.db, '1m'), 'after the grace').toHaveLength(1);
  });

  it('fills 23 h and 25 h Paris days', () => {
    const opened = open('Europe/Paris');
    const samples = [
      ...series('power', utc('2025-03-29T22:00:00Z'), utc('2025-03-31T00:00:00Z'), MINUTE_MS, () => 2),
      ...series('power', utc('2025-10-25T21:00:00Z'), utc('2025-10-27T00:00:00Z'), MINUTE_MS, () => 3),
    ];
    feedAndCloseAll(opened, samples, { commitEvery: 15 });

    const days = readRollupRows(opened.db, '1d', opened.ids.power);
    const spring = days.find((row) => row.bucket_start === utc('2025-03-29T23:00:00Z'));
    const autumn = days.find((row) => row.bucket_start === utc('2025-10-25T22:00:00Z'));
    expect(spring).toMatchObject({ bucket_end: utc('2025-03-30T22:00:00Z'), count: 23 * 60, sum: 23 * 60 * 2 });
    expect(autumn).toMatchObject({ bucket_end: utc('2025-10-26T23:00:00Z'), count: 25 * 60, sum: 25 * 60 * 3 });

    const hours = readRollupRows(opened.db, '1h', opened.ids.power);
    const inDay = (start: number, end: number) => hours.filter((row) => row.bucket_start >= start && row.bucket_start < end);
    expect(inDay(spring!.bucket_start, spring!.bucket_end)).toHaveLength(23);
    expect(inDay(autumn!.bucket_start, autumn!.bucket_end)).toHaveLength(25);
    for (const row of hours) expect(row.bucket_end - row.bucket_start).toBe(HOUR_MS);
  });
});
