import { describe, expect, it } from 'vitest';
import { spreadByMinute } from '../../src/store/counter-delta';

const MINUTE_MS = 60_000;

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
