import type { DataType, PointKind } from '../model/point';

/**
 * The rule for how a cumulative energy counter moved between two readings. The edge store books its
 * rollup deltas with it and the energy report books counter growth with it, so both agree on what is
 * growth, what is a reset and what is ignored.
 *
 * Given the reference (the last accepted reading, at first the first reading) and the next reading, in
 * order:
 * 1. The value did not drop: the rise is growth.
 * 2. The value dropped by no more than the noise tolerance: no growth and no reset, and the higher
 *    reference stays, so the return to it is not booked twice.
 * 3. The value is zero (up to the absolute tolerance): ignored. Meters and gateways send 0 while they
 *    boot or after a failed read. The next reading decides. Back at the reference, it is plain growth.
 *    Still low, it is a reset worth its whole value, so a real reset to 0 loses no energy.
 * 4. The register wraps (`rolloverAt` is known) and the growth across the wrap is at most half the
 *    range: a rollover, worth the growth across the wrap.
 * 5. Any other drop is a reset (meter replaced or cleared): the growth is the new value minus
 *    `counterStartValue`, never below 0.
 *
 * Limits: a glitch to a low value that is not zero (a torn 32-bit read, say) counts as a reset, and the
 * return from it as growth. A real reset to 0 is booked at the first non-zero reading after it, so a
 * new meter that stays at 0 for longer than the gap limit shows as a gap. The rule cannot tell a
 * rollover from a reset to a low value once the old value was above half the range.
 * NOTE: a zero glitch as the very first reading becomes the reference, so the whole value is booked at
 * the next reading. In the store this happens only for a new point. In the report it happens when a
 * counter's outage began more than the row window's lead (2 or 6 hours) before the period. A fix needs a
 * plausibility limit on growth per interval, which a point's configuration does not give.
 */

/**
 * Relative noise tolerance: a drop of at most 2^-22 of the reference is float noise. A float32 step
 * (ulp) of a value v is between 2^-24·v and 2^-23·v, so this allows two to four float32 steps of a meter
 * that keeps its total in float32 and rounds it differently between reads. At 5,000 kWh it is 1.2 Wh.
 */
export const COUNTER_NOISE_RELATIVE = 2 ** -22;

/** Absolute noise tolerance in the counter's unit, for values near 0, where the relative one vanishes. */
export const DEFAULT_COUNTER_NOISE_TOLERANCE = 1e-6;

export interface CounterStepOptions {
  /** Smallest absolute noise tolerance, in the counter's unit; `DEFAULT_COUNTER_NOISE_TOLERANCE` by default. */
  noiseTolerance?: number;
  /**
   * A drop no larger than this (counter unit) counts as 0, like noise, such as a meter briefly reporting a
   * lower value. Defaults to `noiseTolerance`. The relative tolerance applies when it is larger.
   */
  resetThreshold?: number;
  /** Value the counter restarts from after a reset, 0 by default. */
  counterStartValue?: number;
  /** Value at which the register wraps to 0 (for example 2 ** 32 for a uint32 register with scale 1). */
  rolloverAt?: number;
}

/** Movement of a counter between two readings, with the growth in the counter's unit. */
export type CounterStep =
  | {
      kind: 'growth';
      /** Growth since the reference, 0 or more. */
      delta: number;
      cause: 'increase' | 'noise' | 'rollover' | 'reset';
      /** Value the next reading is compared with: the new reading, or the old reference after noise. */
      reference: number;
    }
  | { kind: 'ignore'; cause: 'zero' };

/** Returns the drop from `reference` that still counts as float noise, in the counter's unit. */
export function counterNoiseTolerance(reference: number, options: CounterStepOptions = {}): number {
  return Math.max(options.noiseTolerance ?? DEFAULT_COUNTER_NOISE_TOLERANCE, Math.abs(reference) * COUNTER_NOISE_RELATIVE);
}

/**
 * Tells whether a reading is zero, up to the absolute noise tolerance, which also takes in the tiny
 * subnormal values a float32 register with one zero word decodes to.
 */
function isZeroReading(value: number, options: CounterStepOptions): boolean {
  return Math.abs(value) <= (options.noiseTolerance ?? DEFAULT_COUNTER_NOISE_TOLERANCE);
}

/**
 * Works out the growth of a counter from `reference` to `next` by the rule in this file's header. The
 * first reading a caller sees is its first reference, as it is. After a 'growth' step the caller keeps
 * `reference` and the new reading's time. After 'ignore' it keeps both the old reference and its time, so
 * the growth up to the next accepted reading is spread over the whole interval.
 */
export function counterStep(reference: number, next: number, options: CounterStepOptions = {}): CounterStep {
  const noise = counterNoiseTolerance(reference, options);
  const drop = reference - next;
  if (drop <= 0) return { kind: 'growth', delta: next - reference, cause: 'increase', reference: next };
  if (drop <= Math.max(noise, options.resetThreshold ?? 0)) return { kind: 'growth', delta: 0, cause: 'noise', reference };
  if (isZeroReading(next, options)) return { kind: 'ignore', cause: 'zero' };

  const { rolloverAt } = options;
  // A counter cannot grow by half its range between two readings, so a short step across the wrap is a
  // rollover and a longer one is a reset.
  if (rolloverAt !== undefined && next >= 0 && reference <= rolloverAt && rolloverAt - reference + next <= rolloverAt / 2) {
    return { kind: 'growth', delta: rolloverAt - reference + next, cause: 'rollover', reference: next };
  }
  return { kind: 'growth', delta: Math.max(0, next - (options.counterStartValue ?? 0)), cause: 'reset', reference: next };
}

/** Bits of the integer register types whose counters wrap, as the unsigned range they count through. */
const rolloverBits: Partial<Record<DataType, number>> = { uint16: 16, uint32: 32, int32: 31, int16: 15 };

/**
 * Returns the engineering value at which a counter point's register wraps to 0: 2^bits of its integer
 * type times its scale. Undefined for a point that is no counter, has no positive scale, or whose type
 * does not wrap in practice (64-bit and float registers).
 * NOTE: a signed type is taken to count through its non-negative half and wrap to 0. A register that
 * wraps to its negative minimum instead gets a reset worth 0 at the wrap, so the growth across it is lost.
 */
export function counterRolloverAt(point: { kind: PointKind; dataType: DataType; scale: number }): number | undefined {
  const bits = rolloverBits[point.dataType];
  if (bits === undefined || point.kind !== 'counter' || !(point.scale > 0)) return undefined;
  return 2 ** bits * point.scale;
}
