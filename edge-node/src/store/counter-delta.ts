/**
 * Counter growth in the store's rollups. Whether a reading is growth, a reset, a rollover or ignored is
 * decided by `counterStep` of @simtestlab/sync, the rule the energy report uses too.
 */

/** A counter reading, in engineering units; `value` is the reference later readings are compared with. */
export interface CounterReading {
  ts: number;
  value: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Slice length for spreading growth over a gap: one minute for gaps up to a week, so every tier is
 * exact; 15 minutes up to 90 days and one hour beyond, so a meter that comes back after months does
 * not create hundreds of thousands of rows in one call. With the longer slices the 1 min tier gets
 * the growth in lumps at slice starts; totals stay exact in every tier.
 */
export function spreadSliceMs(spanMs: number): number {
  if (spanMs <= 7 * DAY_MS) return MINUTE_MS;
  if (spanMs <= 90 * DAY_MS) return 15 * MINUTE_MS;
  return 60 * MINUTE_MS;
}

/**
 * Splits growth observed between `fromTs` and `toTs` into slices aligned to minute boundaries, in
 * proportion to time, so energy seen after a gap is spread over the gap instead of forming a spike in
 * one bucket. Every rollup tier has minute-aligned boundaries, so a one-minute slice falls into
 * exactly one bucket per tier.
 */
export function* spreadByMinute(fromTs: number, toTs: number, delta: number): Generator<{ ts: number; delta: number }> {
  if (toTs <= fromTs) {
    yield { ts: toTs, delta };
    return;
  }
  const span = toTs - fromTs;
  const sliceMs = spreadSliceMs(span);
  let sliceStart = fromTs;
  while (sliceStart < toTs) {
    const sliceEnd = Math.min(sliceStart - (sliceStart % sliceMs) + sliceMs, toTs);
    yield { ts: sliceStart, delta: (delta * (sliceEnd - sliceStart)) / span };
    sliceStart = sliceEnd;
  }
}
