/** A counter reading, in engineering units. */
export interface CounterReading {
  ts: number;
  value: number;
}

/** How a counter moved between two readings. */
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

/**
 * Splits growth observed between `fromTs` and `toTs` into one-minute slices in proportion to time,
 * so energy seen after a gap is spread over the gap instead of forming a spike in one bucket. Every
 * rollup tier has minute-aligned boundaries, so each slice falls into exactly one bucket per tier.
 */
export function* spreadByMinute(fromTs: number, toTs: number, delta: number): Generator<{ ts: number; delta: number }> {
  if (toTs <= fromTs) {
    yield { ts: toTs, delta };
    return;
  }
  const span = toTs - fromTs;
  let sliceStart = fromTs;
  while (sliceStart < toTs) {
    const minuteEnd = sliceStart - (sliceStart % MINUTE_MS) + MINUTE_MS;
    const sliceEnd = Math.min(minuteEnd, toTs);
    yield { ts: sliceStart, delta: (delta * (sliceEnd - sliceStart)) / span };
    sliceStart = sliceEnd;
  }
}
