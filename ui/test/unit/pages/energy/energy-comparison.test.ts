import { describe, expect, it } from 'vitest';
import { changeFrom, changeNote, formatEnergyChange, formatMoneyChange } from '../../../../src/components/energy/energy-comparison';

const LOCALE = 'en-GB';

describe('changeFrom', () => {
  it('computes the absolute and relative change', () => {
    expect(changeFrom(12_000, 10_000)).toEqual({ absolute: 2_000, relative: 0.2, direction: 'up' });
    expect(changeFrom(5_000, 10_000)).toEqual({ absolute: -5_000, relative: -0.5, direction: 'down' });
  });

  it('has no relative change after a zero period', () => {
    const change = changeFrom(3_000, 0);

    expect(change).toEqual({ absolute: 3_000, relative: null, direction: 'up' });
  });

  it('returns null without a previous value', () => {
    expect(changeFrom(3_000, null)).toBeNull();
    expect(changeFrom(3_000, undefined)).toBeNull();
    expect(changeFrom(null, 3_000)).toBeNull();
  });

  it('divides by the size of a negative previous value', () => {
    expect(changeFrom(-5, -10)?.relative).toBe(0.5);
  });

  it('marks equal values as the same', () => {
    expect(changeFrom(10, 10)).toEqual({ absolute: 0, relative: 0, direction: 'same' });
  });
});

describe('change texts', () => {
  it('gives energy with the percentage', () => {
    expect(formatEnergyChange(changeFrom(12_000, 10_000)!, LOCALE)).toBe('+2.00 kWh (+20.0 %)');
  });

  it('gives energy alone after a zero period', () => {
    const change = changeFrom(3_000, 0)!;

    expect(formatEnergyChange(change, LOCALE)).toBe('+3.00 kWh');
    expect(changeNote(change)).toBe('no % change: the previous period was 0');
  });

  it('needs no note for two zero periods', () => {
    expect(changeNote(changeFrom(0, 0)!)).toBeNull();
  });

  it('gives money with the percentage', () => {
    expect(formatMoneyChange(changeFrom(7.04, 6)!, 'EUR', LOCALE)).toBe('+€1.04 (+17.3 %)');
  });
});
