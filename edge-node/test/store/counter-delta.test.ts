import { describe, expect, it } from 'vitest';
import { counterStep, spreadByMinute } from '../../src/store/counter-delta';

const MINUTE_MS = 60_000;
const UINT32_WRAP = 2 ** 32;

describe('counterStep', () => {
  it('books an increase as plain growth', () => {
    expect(counterStep(1000, 1012.5)).toEqual({ kind: 'delta', delta: 12.5, cause: 'increase' });
  });

  it('books an unchanged value as zero growth', () => {
    expect(counterStep(1000, 1000)).toEqual({ kind: 'delta', delta: 0, cause: 'increase' });
  });

  it('books a smaller value as a reset worth the new value', () => {
    expect(counterStep(1000, 7)).toEqual({ kind: 'delta', delta: 7, cause: 'reset' });
  });

  it('books a wrap near 2^32 as a rollover', () => {
    expect(counterStep(UINT32_WRAP - 40, 24, UINT32_WRAP)).toEqual({ kind: 'delta', delta: 64, cause: 'rollover' });
  });

  it('books a drop far from the rollover point as a reset', () => {
    expect(counterStep(1_000_000, 24, UINT32_WRAP)).toEqual({ kind: 'delta', delta: 24, cause: 'reset' });
  });

  it('books a drop without a known rollover point as a reset', () => {
    expect(counterStep(UINT32_WRAP - 40, 24)).toEqual({ kind: 'delta', delta: 24, cause: 'reset' });
  });

  it('ignores a zero after a non-zero value', () => {
    expect(counterStep(5020, 0)).toEqual({ kind: 'ignored', cause: 'zero' });
    expect(counterStep(UINT32_WRAP - 40, 0, UINT32_WRAP)).toEqual({ kind: 'ignored', cause: 'zero' });
  });

  it('detects the real reset at the first non-zero reading after zeros', () => {
    // The zeros are ignored, so the previous value stays 5010 and the next reading is smaller.
    const readings = [5000, 5010, 0, 0, 12, 20];
    let previous = readings[0]!;
    const steps = [];
    for (const value of readings.slice(1)) {
      const step = counterStep(previous, value, UINT32_WRAP);
      steps.push(step);
      if (step.kind === 'delta') previous = value;
    }
    expect(steps).toEqual([
      { kind: 'delta', delta: 10, cause: 'increase' },
      { kind: 'ignored', cause: 'zero' },
      { kind: 'ignored', cause: 'zero' },
      { kind: 'delta', delta: 12, cause: 'reset' },
      { kind: 'delta', delta: 8, cause: 'increase' },
    ]);
  });

  it('never returns a negative delta', () => {
    const values = [0, 1, 999, 1000, UINT32_WRAP - 1, UINT32_WRAP * 0.95, UINT32_WRAP * 0.05, 12.5];
    for (const previous of values) {
      for (const value of values) {
        for (const rolloverAt of [undefined, UINT32_WRAP]) {
          const step = counterStep(previous, value, rolloverAt);
          if (step.kind === 'delta') expect(step.delta, `${previous} -> ${value}`).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });
});

describe('spreadByMinute', () => {
  it.each([
    ['inside one minute', Date.UTC(2025, 0, 1, 12, 0, 10), Date.UTC(2025, 0, 1, 12, 0, 50), 8],
    ['across one boundary', Date.UTC(2025, 0, 1, 12, 0, 50), Date.UTC(2025, 0, 1, 12, 1, 10), 6],
    ['over a twenty-minute gap', Date.UTC(2025, 0, 1, 12, 9, 50), Date.UTC(2025, 0, 1, 12, 29, 50), 600],
    ['from one boundary to another', Date.UTC(2025, 0, 1, 12, 0), Date.UTC(2025, 0, 1, 15, 0), 1800],
    ['with odd milliseconds', Date.UTC(2025, 0, 1, 12, 0, 7, 333), Date.UTC(2025, 0, 1, 12, 4, 1, 9), 0.1],
  ])('splits growth %s into minute slices', (_label, fromTs, toTs, delta) => {
    const slices = [...spreadByMinute(fromTs, toTs, delta)];

    const total = slices.reduce((sum, slice) => sum + slice.delta, 0);
    expect(total).toBeCloseTo(delta, 9);

    expect(slices[0]!.ts).toBe(fromTs);
    for (const [i, slice] of slices.entries()) {
      const sliceEnd = slices[i + 1]?.ts ?? toTs;
      expect(slice.delta, `slice ${i} is negative`).toBeGreaterThanOrEqual(0);
      expect(Math.floor(slice.ts / MINUTE_MS), `slice ${i} crosses a minute boundary`).toBe(Math.floor((sliceEnd - 1) / MINUTE_MS));
      if (i > 0) expect(slice.ts % MINUTE_MS, `slice ${i} starts off a minute boundary`).toBe(0);
      expect(slice.delta).toBeCloseTo((delta * (sliceEnd - slice.ts)) / (toTs - fromTs), 12);
    }
    expect(slices.length).toBe(Math.ceil(toTs / MINUTE_MS) - Math.floor(fromTs / MINUTE_MS));
  });

  it('gives each full minute of a gap the same share', () => {
    const slices = [...spreadByMinute(Date.UTC(2025, 0, 1, 12, 0), Date.UTC(2025, 0, 1, 12, 20), 600)];
    expect(slices.map((slice) => slice.delta)).toEqual(Array.from({ length: 20 }, () => 30));
  });

  it('books growth with no elapsed time at the reading', () => {
    const ts = Date.UTC(2025, 0, 1, 12, 0, 30);
    expect([...spreadByMinute(ts, ts, 5)]).toEqual([{ ts, delta: 5 }]);
  });

  it.each([
    ['a week', 7 * 86_400_000, 60_000],
    ['a month', 30 * 86_400_000, 15 * 60_000],
    ['half a year', 182 * 86_400_000, 3_600_000],
  ])('uses coarser slices over %s', (_label, spanMs, sliceMs) => {
    const fromTs = Date.UTC(2025, 0, 1, 12, 0, 30);
    const slices = [...spreadByMinute(fromTs, fromTs + spanMs, 1000)];

    expect(slices.length).toBe(Math.ceil(spanMs / sliceMs) + (fromTs % sliceMs === 0 ? 0 : 1));
    expect(slices.reduce((sum, slice) => sum + slice.delta, 0)).toBeCloseTo(1000, 6);
    for (const slice of slices.slice(1)) expect(slice.ts % sliceMs).toBe(0);
  });
});
