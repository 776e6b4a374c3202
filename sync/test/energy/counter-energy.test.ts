import { describe, expect, it } from 'vitest';
import { energyFromCounter, energyFromMeter, energySeriesSchema, integratePower, startOfZonedDay, type TimedReading } from '../../src/index';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

/** Bucket boundaries every `stepMs` from T0, `count` buckets. */
const boundaries = (count: number, stepMs = HOUR): number[] => Array.from({ length: count + 1 }, (_, i) => T0 + i * stepMs);
const reading = (minutes: number, value: number): TimedReading => ({ ts: T0 + minutes * MINUTE, value });
const everyFifteenMinutes = (hours: number, valueAt: (minutes: number) => number): TimedReading[] =>
  Array.from({ length: hours * 4 + 1 }, (_, i) => reading(i * 15, valueAt(i * 15)));

describe('energyFromCounter', () => {
  it('books a steady counter per bucket', () => {
    const series = energyFromCounter(everyFifteenMinutes(2, (m) => 1000 + m * 10), boundaries(2), { maxGapMs: 20 * MINUTE });

    expect(series.buckets.map((b) => b.energyWh)).toEqual([600, 600]);
    expect(series.buckets.map((b) => b.coverage)).toEqual([1, 1]);
    expect(series.buckets.every((b) => b.method === 'counter' && b.resets === 0 && b.gaps.length === 0)).toBe(true);
    expect(series.totals.energyWh).toBe(1200);
    expect(series.totals.unattributedWh).toBe(0);
    expect(energySeriesSchema.parse(series)).toEqual(series);
  });

  it('converts kWh to Wh', () => {
    const series = energyFromCounter([reading(0, 10), reading(60, 12.5)], boundaries(1), { maxGapMs: HOUR, unit: 'kWh' });

    expect(series.buckets[0]!.energyWh).toBe(2500);
  });

  it('counts a reset mid-bucket', () => {
    const readings = [reading(0, 100), reading(15, 110), reading(30, 0.5), reading(45, 3), reading(60, 5)];
    const series = energyFromCounter(readings, boundaries(1), { maxGapMs: 20 * MINUTE, resetThreshold: 1 });

    // 10 Wh before the reset, then the 5 Wh the counter shows after it.
    expect(series.buckets[0]!.energyWh).toBe(15);
    expect(series.buckets[0]!.resets).toBe(1);
    expect(series.totals.resets).toBe(1);
  });

  it('books a reset at a boundary earlier', () => {
    const readings = [reading(30, 100), reading(60, 2), reading(90, 6)];
    const series = energyFromCounter(readings, boundaries(2), { maxGapMs: HOUR, resetThreshold: 1 });

    expect(series.buckets.map((b) => b.resets)).toEqual([1, 0]);
    expect(series.buckets.map((b) => b.energyWh)).toEqual([2, 4]);
  });

  it('counts from counterStartValue after a reset', () => {
    const readings = [reading(0, 100), reading(30, 110), reading(60, 52)];
    const series = energyFromCounter(readings, boundaries(1), { maxGapMs: HOUR, resetThreshold: 1, counterStartValue: 50 });

    expect(series.buckets[0]!.energyWh).toBe(12);
  });

  it('adds a rollover across the maximum', () => {
    const max = 2 ** 32;
    const readings = [reading(0, max - 300), reading(30, max - 100), reading(60, 150)];
    const series = energyFromCounter(readings, boundaries(1), { maxGapMs: HOUR, rolloverAt: max });

    expect(series.buckets[0]!.energyWh).toBe(200 + 250);
    expect(series.buckets[0]!.resets).toBe(1);
  });

  it('treats a large drop as a reset despite rolloverAt', () => {
    const readings = [reading(0, 1000), reading(60, 40)];
    const series = energyFromCounter(readings, boundaries(1), { maxGapMs: HOUR, rolloverAt: 2 ** 32 });

    expect(series.buckets[0]!.energyWh).toBe(40);
  });

  it('reports a gap longer than maxGapMs', () => {
    // Readings at 0:00, 0:30 and 2:30 over three hourly buckets. The two-hour interval is a gap.
    const readings = [reading(0, 0), reading(30, 100), reading(150, 900)];
    const series = energyFromCounter(readings, boundaries(3), { maxGapMs: HOUR });

    expect(series.buckets.map((b) => b.energyWh)).toEqual([100, 0, 0]);
    expect(series.buckets.map((b) => b.coverage)).toEqual([0.5, 0, 0]);
    expect(series.buckets[0]!.gaps).toEqual([{ from: T0 + 30 * MINUTE, to: T0 + HOUR }]);
    expect(series.buckets[1]!.gaps).toEqual([{ from: T0 + HOUR, to: T0 + 2 * HOUR }]);
    expect(series.buckets[2]!.gaps).toEqual([{ from: T0 + 2 * HOUR, to: T0 + 150 * MINUTE }]);
    expect(series.totals.gaps).toEqual([{ from: T0 + 30 * MINUTE, to: T0 + 150 * MINUTE }]);
    expect(series.totals.unattributedWh).toBe(800);
    expect(series.totals.energyWh).toBe(100);
  });

  it('splits a short gap pro rata', () => {
    // 40 minutes from 0:50 to 1:30: 10 minutes in the first bucket, 30 in the second.
    const readings = [reading(0, 0), reading(50, 50), reading(90, 250), reading(120, 280)];
    const series = energyFromCounter(readings, boundaries(2), { maxGapMs: 50 * MINUTE });

    expect(series.buckets[0]!.energyWh).toBe(50 + 50);
    expect(series.buckets[1]!.energyWh).toBe(150 + 30);
    expect(series.buckets.every((b) => b.gaps.length === 0)).toBe(true);
    expect(series.totals.energyWh).toBe(280);
  });

  it('ignores float noise', () => {
    // Booking the rise from 100.09 again would give 0.31 Wh.
    const readings = [reading(0, 100), reading(20, 100.1), reading(40, 100.09), reading(60, 100.3)];
    const series = energyFromCounter(readings, boundaries(1), { maxGapMs: HOUR, noiseTolerance: 0.05 });

    expect(series.buckets[0]!.energyWh).toBeCloseTo(0.3, 9);
    expect(series.buckets[0]!.resets).toBe(0);
  });

  it('keeps the reference over a small drop', () => {
    // A drop of 0.5 stays below resetThreshold, so the recovery to 110 adds only the 10 Wh above 100.
    const readings = [reading(0, 90), reading(20, 100), reading(40, 99.5), reading(60, 110)];
    const series = energyFromCounter(readings, boundaries(1), { maxGapMs: HOUR, resetThreshold: 1 });

    expect(series.buckets[0]!.energyWh).toBe(20);
    expect(series.buckets[0]!.resets).toBe(0);
  });

  it('sums a 23-hour Paris day', () => {
    const dayStart = startOfZonedDay(Date.UTC(2026, 2, 29, 12), 'Europe/Paris');
    const dayEnd = startOfZonedDay(dayStart, 'Europe/Paris', 1);
    const hourly: number[] = [];
    for (let ts = dayStart; ts <= dayEnd; ts += HOUR) hourly.push(ts);
    const readings: TimedReading[] = [];
    for (let ts = dayStart - HOUR; ts <= dayEnd + HOUR; ts += 7 * MINUTE) readings.push({ ts, value: 5000 + (ts - dayStart) / 1000 });

    const series = energyFromCounter(readings, hourly, { maxGapMs: 10 * MINUTE });

    expect(dayStart).toBe(Date.UTC(2026, 2, 28, 23));
    expect(hourly[hourly.length - 1]).toBe(dayEnd);
    expect(series.buckets).toHaveLength(23);
    expect(series.totals.energyWh).toBeCloseTo((dayEnd - dayStart) / 1000, 6);
    expect(series.totals.coverage).toBeCloseTo(1, 9);
    for (const bucket of series.buckets) expect(bucket.energyWh).toBeCloseTo(3600, 6);
  });

  it('rejects unsorted readings', () => {
    expect(() => energyFromCounter([reading(10, 1), reading(5, 2)], boundaries(1), { maxGapMs: HOUR })).toThrow(/sort the readings/);
  });

  it('rejects resetThreshold below noiseTolerance', () => {
    expect(() => energyFromCounter([], boundaries(1), { maxGapMs: HOUR, noiseTolerance: 1, resetThreshold: 0.5 })).toThrow(/invalid resetThreshold 0.5/);
  });

  it('rejects boundaries that do not increase', () => {
    expect(() => energyFromCounter([], [T0, T0], { maxGapMs: HOUR })).toThrow(/increase strictly/);
  });
});

describe('integratePower', () => {
  it('integrates a constant power', () => {
    const readings = everyFifteenMinutes(2, () => 2000);
    const series = integratePower(readings, boundaries(2), 20 * MINUTE);

    expect(series.buckets.map((b) => b.energyWh)).toEqual([2000, 2000]);
    expect(series.buckets.every((b) => b.method === 'power-integration')).toBe(true);
    expect(series.totals.unattributedWh).toBeNull();
  });

  it('integrates a ramp split mid-interval', () => {
    // Power rises from 0 W to 1200 W over 0:30 to 1:30, one reading at each end.
    const readings = [reading(30, 0), reading(90, 1200)];
    const series = integratePower(readings, boundaries(2), 2 * HOUR);

    // Half an hour from 0 W to 600 W, then half an hour from 600 W to 1200 W.
    expect(series.buckets[0]!.energyWh).toBe(150);
    expect(series.buckets[1]!.energyWh).toBe(450);
    expect(series.buckets.map((b) => b.coverage)).toEqual([0.5, 0.5]);
  });

  it('skips a long gap', () => {
    const series = integratePower([reading(0, 1000), reading(30, 1000), reading(60, 1000)], boundaries(1), 20 * MINUTE);

    expect(series.buckets[0]!.energyWh).toBe(0);
    expect(series.totals.gaps).toHaveLength(2);
  });
});

describe('energyFromMeter', () => {
  it('picks the method per bucket', () => {
    // The counter covers only the first hour, but the power readings cover both.
    const counter = [reading(0, 0), reading(30, 400), reading(60, 800)];
    const power = everyFifteenMinutes(2, () => 1500);
    const series = energyFromMeter({ counter, power, boundaries: boundaries(2), counterOptions: { maxGapMs: 30 * MINUTE } });

    expect(series.buckets.map((b) => b.method)).toEqual(['counter', 'power-integration']);
    expect(series.buckets.map((b) => b.energyWh)).toEqual([800, 1500]);
    expect(series.totals.energyWh).toBe(2300);
    expect(series.totals.unattributedWh).toBeNull();
  });

  it('keeps the counter without power readings', () => {
    const counter = [reading(0, 0), reading(30, 400)];
    const series = energyFromMeter({ counter, boundaries: boundaries(1), counterOptions: { maxGapMs: HOUR } });

    expect(series.buckets[0]!.method).toBe('counter');
    expect(series.buckets[0]!.energyWh).toBe(400);
    expect(series.buckets[0]!.coverage).toBe(0.5);
  });
});
