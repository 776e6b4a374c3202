import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredRollupRow } from '../../src/store/rollup-bucket';
import { tiers } from '../../src/store/time-buckets';
import { interpolatedGrowth, type CounterGrowth } from './support/brute-force';
import { feedAndCloseAll, meterSample, type MeterSample } from './support/sample-stream';
import { makeTempDir, openTestStore, readRollupRows, type TempDir, type TestStore } from './support/temp-store';

const SECOND_MS = 1000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const UINT32_WRAP = 2 ** 32;
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

/**
 * Opens a store whose points are polled every `pollIntervalMs`: readings further apart than three
 * intervals (30 s at least) are a gap.
 */
function open(timeZone = 'UTC', pollIntervalMs = 10 * SECOND_MS): TestStore {
  store = openTestStore(`${dir.path}/edge.db`, { timeZone, pollIntervalMs });
  return store;
}

const sumDeltas = (rows: readonly StoredRollupRow[]) => rows.reduce((sum, row) => sum + (row.delta ?? 0), 0);

/** Energy readings from `values`, one every `stepMs` from `fromTs`, plus power so commits see time move. */
function readings(fromTs: number, stepMs: number, values: readonly number[]): MeterSample[] {
  return values.flatMap((value, i) => [meterSample('energy', fromTs + i * stepMs, value), meterSample('power', fromTs + i * stepMs, 1)]);
}

describe('counter rollups', () => {
  it('spreads energy after a 20-minute gap over the gap', () => {
    const opened = open();
    const start = utc('2025-01-15T12:00:00Z');
    const gapStart = utc('2025-01-15T12:09:50Z');
    const gapEnd = utc('2025-01-15T12:29:50Z');
    const samples: MeterSample[] = [];
    const growth: CounterGrowth[] = [];
    let energy = 50_000;
    // 5 Wh every 10 s, or 30 Wh a minute. Power keeps arriving during the gap, energy does not.
    for (let ts = start; ts < utc('2025-01-15T12:45:00Z'); ts += 10 * SECOND_MS) {
      samples.push(meterSample('power', ts, 1800));
      if (ts > gapStart && ts < gapEnd) continue;
      const previousTs = growth.at(-1)?.ts;
      const increment = previousTs === undefined ? 0 : ((ts - previousTs) / (10 * SECOND_MS)) * 5;
      energy += increment;
      growth.push({ ts, growth: increment });
      samples.push(meterSample('energy', ts, energy));
    }
    feedAndCloseAll(opened, samples, { commitEvery: 6 });

    const minutes = readRollupRows(opened.db, '1m', opened.ids.energy);
    expect(sumDeltas(minutes), 'total delta equals counter growth').toBeCloseTo(energy - 50_000, 9);
    expect(minutes.filter((row) => row.delta! < 0), 'negative deltas').toEqual([]);
    const largest = Math.max(...minutes.map((row) => row.delta!));
    expect(largest, 'no bucket gets more than a minute of growth').toBeCloseTo(30, 9);

    for (const row of minutes) {
      const at = new Date(row.bucket_start).toISOString();
      expect(row.delta, `delta of ${at}`).toBeCloseTo(interpolatedGrowth(growth, row.bucket_start, row.bucket_end), 9);
      const touchesGap = row.bucket_end > gapStart && row.bucket_start < gapEnd;
      expect(row.estimated, `estimated flag of ${at}`).toBe(touchesGap ? 1 : 0);
    }
    const gapMinutes = minutes.filter((row) => row.bucket_start >= utc('2025-01-15T12:10:00Z') && row.bucket_start < utc('2025-01-15T12:29:00Z'));
    expect(gapMinutes, 'one row per minute of the gap').toHaveLength(19);
    for (const row of gapMinutes) expect(row).toMatchObject({ count: 0, delta: 30, estimated: 1, revision: 1 });

    // The minute before the gap was stored before the gap's growth was known, so it was merged.
    const beforeGap = minutes.find((row) => row.bucket_start === utc('2025-01-15T12:09:00Z'))!;
    expect(beforeGap).toMatchObject({ count: 6, delta: 30, estimated: 1, revision: 2 });

    for (const tier of ['15m', '1h', '1d'] as const) {
      const rows = readRollupRows(opened.db, tier, opened.ids.energy);
      expect(sumDeltas(rows), `${tier} total delta`).toBeCloseTo(energy - 50_000, 9);
      for (const row of rows) expect(row.delta, `${tier} delta`).toBeCloseTo(interpolatedGrowth(growth, row.bucket_start, row.bucket_end), 9);
    }
    expect(readRollupRows(opened.db, '15m', opened.ids.energy).map((row) => row.estimated)).toEqual([1, 1, 0]);
  });

  it('books a meter reset as growth from zero', () => {
    const opened = open();
    feedAndCloseAll(opened, readings(utc('2025-01-15T12:00:05Z'), 10 * SECOND_MS, [1000, 1010, 1020, 7, 17]), { commitEvery: 2 });

    for (const tier of tiers) {
      const rows = readRollupRows(opened.db, tier, opened.ids.energy);
      expect(sumDeltas(rows), `${tier} total delta`).toBe(37);
      expect(rows.filter((row) => row.delta! < 0), `${tier} negative deltas`).toEqual([]);
    }
    expect(opened.writer.stats.counterResets).toBe(1);
  });

  it('books a 32-bit rollover as the growth across the wrap', () => {
    const opened = open();
    const values = [UINT32_WRAP - 80, UINT32_WRAP - 40, 40, 120, 160];
    feedAndCloseAll(opened, readings(utc('2025-01-15T12:00:05Z'), 10 * SECOND_MS, values), { commitEvery: 2 });

    for (const tier of tiers) {
      const rows = readRollupRows(opened.db, tier, opened.ids.energy);
      expect(sumDeltas(rows), `${tier} total delta`).toBe(240);
      expect(rows.filter((row) => row.delta! < 0), `${tier} negative deltas`).toEqual([]);
    }
    expect(opened.writer.stats.counterRollovers).toBe(1);
    expect(opened.writer.stats.counterResets).toBe(0);
  });

  it('ignores zero readings until a real reset shows', () => {
    const opened = open();
    feedAndCloseAll(opened, readings(utc('2025-01-15T12:00:05Z'), 10 * SECOND_MS, [5000, 5010, 0, 5020, 0, 0, 12, 20]), { commitEvery: 3 });

    const [day] = readRollupRows(opened.db, '1d', opened.ids.energy);
    expect(day!.delta, 'growth: 10 + 10, then 12 after the reset, then 8').toBe(40);
    expect(day!.min, 'zero readings still count as values').toBe(0);
    expect(opened.writer.stats.counterZeroReadingsIgnored).toBe(3);
    expect(opened.writer.stats.counterResets).toBe(1);
    for (const tier of tiers) {
      const rows = readRollupRows(opened.db, tier, opened.ids.energy);
      expect(rows.filter((row) => row.delta! < 0), `${tier} negative deltas`).toEqual([]);
    }
  });

  it('books no growth for a float noise drop', () => {
    const opened = open();
    // 5,000,100 Wh drops by 1 Wh, less than 2^-22 of the value (1.19 Wh), and then grows past it again.
    feedAndCloseAll(opened, readings(utc('2025-01-15T12:00:05Z'), 10 * SECOND_MS, [5_000_000, 5_000_100, 5_000_099, 5_000_100, 5_000_110]), { commitEvery: 2 });

    for (const tier of tiers) {
      expect(sumDeltas(readRollupRows(opened.db, tier, opened.ids.energy)), `${tier} total delta`).toBe(110);
    }
    expect(opened.writer.stats.counterResets).toBe(0);
  });

  it.each([
    ['23 h', '2025-03-29T22:00:00Z', '2025-03-31T00:00:00Z', '2025-03-29T23:00:00Z', 23],
    ['25 h', '2025-10-25T21:00:00Z', '2025-10-27T00:00:00Z', '2025-10-25T22:00:00Z', 25],
  ])('sums the energy of a %s Paris day', (_label, from, to, dayStart, hours) => {
    const opened = open('Europe/Paris', MINUTE_MS);
    // One reading a minute, 1 Wh each, from before the day to after it.
    const samples: MeterSample[] = [];
    let energy = 1_000;
    for (let ts = utc(from); ts < utc(to); ts += MINUTE_MS) samples.push(meterSample('energy', ts, energy++));
    feedAndCloseAll(opened, samples, { commitEvery: 30 });

    const day = readRollupRows(opened.db, '1d', opened.ids.energy).find((row) => row.bucket_start === utc(dayStart))!;
    expect(day.bucket_end - day.bucket_start).toBe(hours * HOUR_MS);
    expect(day).toMatchObject({ count: hours * 60, delta: hours * 60, estimated: 0 });

    const hourRows = readRollupRows(opened.db, '1h', opened.ids.energy).filter(
      (row) => row.bucket_start >= day.bucket_start && row.bucket_start < day.bucket_end,
    );
    expect(hourRows).toHaveLength(hours);
    expect(sumDeltas(hourRows), 'hours of the day').toBe(day.delta);
    expect(sumDeltas(readRollupRows(opened.db, '1d', opened.ids.energy)), 'all days').toBe(energy - 1_001);
  });
});
