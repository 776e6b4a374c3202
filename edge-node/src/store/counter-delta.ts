/** A counter reading, in engineering units. */
export interface CounterReading {
  ts: number;
  value: number;
}

/** Movement of a counter between two readings. */
export type CounterStep =
  | { kind: 'delta'; delta: number; cause: 'increase' | 'rollover' | 'reset' }
  | { kind: 'ignored'; cause: 'zero' };

/**
 * Works out the growth of a counter from `previous` to `value` without ever booking a negative delta:
 * - a larger value is plain growth;
 * - a smaller value close to zero after a value close to `rolloverAt` is a rollover of the register,
 *   and the growth is what was left to the rollover plus the new value;
 * - any other smaller value is a reset (meter replaced or cleared), and the growth since the reset is
 *   the new value itself;
 * - a zero after a non-zero value is ignored, because meters and gateways report 0 while they boot or
 *   when a read goes wrong. A real reset to zero shows up at the next non-zero reading, which is then
 *   smaller than the last value and counted as a reset, so no energy is lost.
 */
export function counterStep(previous: number, value: number, rolloverAt?: number): CounterStep {
  if (value >= previous) return { kind: 'delta', delta: value - previous, cause: 'increase' };
  if (value === 0) return { kind: 'ignored', cause: 'zero' };
  if (rolloverAt !== undefined && previous > rolloverAt * 0.9 && value < rolloverAt * 0.1) {
    return { kind: 'delta', delta: rolloverAt - previous + value, cause: 'rollover' };
  }
  return { kind: 'delta', delta: value, cause: 'reset' };
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
