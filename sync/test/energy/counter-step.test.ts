import { describe, expect, it } from 'vitest';
import { COUNTER_NOISE_RELATIVE, counterRolloverAt, counterStep, type CounterStep } from '../../src/index';

const UINT32_WRAP = 2 ** 32;

/** Runs `readings` through `counterStep` as the store and the report do, and returns every step. */
function walk(readings: readonly number[], rolloverAt?: number): CounterStep[] {
  let reference = readings[0]!;
  const steps: CounterStep[] = [];
  for (const value of readings.slice(1)) {
    const step = counterStep(reference, value, rolloverAt === undefined ? {} : { rolloverAt });
    steps.push(step);
    if (step.kind === 'growth') reference = step.reference;
  }
  return steps;
}

describe('counterStep', () => {
  it('books an increase as growth', () => {
    expect(counterStep(1000, 1012.5)).toEqual({ kind: 'growth', delta: 12.5, cause: 'increase', reference: 1012.5 });
  });

  it('books an unchanged value as zero growth', () => {
    expect(counterStep(1000, 1000)).toEqual({ kind: 'growth', delta: 0, cause: 'increase', reference: 1000 });
  });

  it('books a smaller value as a reset worth the new value', () => {
    expect(counterStep(1000, 7)).toEqual({ kind: 'growth', delta: 7, cause: 'reset', reference: 7 });
  });

  it('counts a reset from counterStartValue', () => {
    expect(counterStep(1000, 52, { counterStartValue: 50 })).toEqual({ kind: 'growth', delta: 2, cause: 'reset', reference: 52 });
  });

  it('books a wrap near 2^32 as a rollover', () => {
    expect(counterStep(UINT32_WRAP - 40, 24, { rolloverAt: UINT32_WRAP })).toEqual({ kind: 'growth', delta: 64, cause: 'rollover', reference: 24 });
  });

  it('books a drop far from the rollover point as a reset', () => {
    expect(counterStep(1_000_000, 24, { rolloverAt: UINT32_WRAP })).toEqual({ kind: 'growth', delta: 24, cause: 'reset', reference: 24 });
  });

  it('books a drop without a known rollover point as a reset', () => {
    expect(counterStep(UINT32_WRAP - 40, 24)).toEqual({ kind: 'growth', delta: 24, cause: 'reset', reference: 24 });
  });

  it('books a rollover of a scaled uint16 register', () => {
    // A uint16 register in 0.1 kWh steps wraps at 6553.6 kWh.
    const step = counterStep(6553.2, 0.3, { rolloverAt: 6553.6 });

    expect(step).toMatchObject({ kind: 'growth', cause: 'rollover', reference: 0.3 });
    expect(step.kind === 'growth' ? step.delta : Number.NaN).toBeCloseTo(0.7, 9);
  });

  it('ignores a zero after a non-zero value', () => {
    expect(counterStep(5020, 0)).toEqual({ kind: 'ignore', cause: 'zero' });
    expect(counterStep(UINT32_WRAP - 40, 0, { rolloverAt: UINT32_WRAP })).toEqual({ kind: 'ignore', cause: 'zero' });
  });

  it('ignores a subnormal float32 value as zero', () => {
    // A float32 of 5000 with its high word read as 0 decodes to about 2.3e-41.
    expect(counterStep(5000, 2.3e-41)).toEqual({ kind: 'ignore', cause: 'zero' });
  });

  it('holds the reference over a float32 step down', () => {
    // One float32 step at 5000 kWh is 2^-11 kWh, about 0.49 Wh.
    const reference = 5010.2333;
    const step = counterStep(reference, reference - 0.0005);

    expect(step).toEqual({ kind: 'growth', delta: 0, cause: 'noise', reference });
  });

  it('scales the noise tolerance with the value', () => {
    const reference = 5_000_000;
    const tolerance = reference * COUNTER_NOISE_RELATIVE;

    expect(counterStep(reference, reference - tolerance)).toMatchObject({ cause: 'noise' });
    expect(counterStep(reference, reference - 2 * tolerance)).toMatchObject({ cause: 'reset' });
  });

  it('holds the reference over a drop below resetThreshold', () => {
    expect(counterStep(100, 99.5, { resetThreshold: 1 })).toEqual({ kind: 'growth', delta: 0, cause: 'noise', reference: 100 });
  });

  it('books the return after a zero glitch from the old value', () => {
    expect(walk([5000, 5010, 0, 5012])).toEqual([
      { kind: 'growth', delta: 10, cause: 'increase', reference: 5010 },
      { kind: 'ignore', cause: 'zero' },
      { kind: 'growth', delta: 2, cause: 'increase', reference: 5012 },
    ]);
  });

  it('books no growth for the return after noise', () => {
    const steps = walk([5000, 4999.9999, 5000, 5001]);

    expect(steps.map((step) => (step.kind === 'growth' ? step.delta : null))).toEqual([0, 0, 1]);
  });

  it('detects the real reset at the first non-zero reading after zeros', () => {
    // The zeros are ignored, so the reference stays 5010 and the next reading is smaller.
    expect(walk([5000, 5010, 0, 0, 12, 20], UINT32_WRAP)).toEqual([
      { kind: 'growth', delta: 10, cause: 'increase', reference: 5010 },
      { kind: 'ignore', cause: 'zero' },
      { kind: 'ignore', cause: 'zero' },
      { kind: 'growth', delta: 12, cause: 'reset', reference: 12 },
      { kind: 'growth', delta: 8, cause: 'increase', reference: 20 },
    ]);
  });

  it('never returns a negative delta', () => {
    const values = [0, 1, 12.5, 999, 1000, UINT32_WRAP - 1, UINT32_WRAP * 0.95, UINT32_WRAP * 0.05, UINT32_WRAP * 1.5, -5];
    for (const reference of values) {
      for (const value of values) {
        for (const rolloverAt of [undefined, UINT32_WRAP]) {
          const step = counterStep(reference, value, rolloverAt === undefined ? {} : { rolloverAt });
          if (step.kind === 'growth') expect(step.delta, `${reference} -> ${value}`).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });
});

describe('counterRolloverAt', () => {
  it.each([
    ['uint16', 1, 2 ** 16],
    ['uint32', 1, 2 ** 32],
    ['uint32', 0.01, 2 ** 32 * 0.01],
    ['int16', 1, 2 ** 15],
    ['int32', 1, 2 ** 31],
  ] as const)('gives a %s counter with scale %s its range', (dataType, scale, expected) => {
    expect(counterRolloverAt({ kind: 'counter', dataType, scale })).toBe(expected);
  });

  it.each([
    ['a float32 counter', { kind: 'counter', dataType: 'float32', scale: 1 }],
    ['a uint64 counter', { kind: 'counter', dataType: 'uint64', scale: 1 }],
    ['a uint32 gauge', { kind: 'gauge', dataType: 'uint32', scale: 1 }],
    ['a counter with a negative scale', { kind: 'counter', dataType: 'uint32', scale: -1 }],
  ] as const)('gives %s none', (_label, point) => {
    expect(counterRolloverAt(point)).toBeUndefined();
  });
});
