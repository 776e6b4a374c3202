import { describe, expect, it } from 'vitest';
import { formatCo2Kg, formatKw, formatKwh, formatKwNumber, formatKwhChange, formatKwhWithUnit, formatMoney, formatPercentChange, formatRatio, formatWatts } from '../../../../src/components/energy/energy-format';

const LOCALE = 'en-GB';

describe('formatKwh', () => {
  it.each([
    [123_456_000, '123,456'],
    [100_000, '100'],
    [56_780, '56.8'],
    [3_456, '3.46'],
    [120, '0.12'],
    [0, '0.00'],
    [-2_500, '-2.50'],
  ])('shows %d Wh as %s kWh', (wattHours, expected) => {
    expect(formatKwh(wattHours, LOCALE)).toBe(expected);
  });

  it('shows a dash for null', () => {
    expect(formatKwh(null, LOCALE)).toBe('–');
    expect(formatKwhWithUnit(null, LOCALE)).toBe('–');
  });

  it('adds the unit', () => {
    expect(formatKwhWithUnit(12_340, LOCALE)).toBe('12.3 kWh');
  });
});

describe('formatKwhChange', () => {
  it('signs increases and decreases', () => {
    expect(formatKwhChange(1_250, LOCALE)).toBe('+1.25 kWh');
    expect(formatKwhChange(-300_000, LOCALE)).toBe('-300 kWh');
  });

  it('leaves no change unsigned', () => {
    expect(formatKwhChange(0, LOCALE)).toBe('0.00 kWh');
  });
});

describe('formatMoney', () => {
  it('uses the currency symbol', () => {
    expect(formatMoney(7.04, 'EUR', LOCALE)).toBe('€7.04');
  });

  it('signs a change when asked', () => {
    expect(formatMoney(1.2, 'EUR', LOCALE, true)).toBe('+€1.20');
  });

  it('writes an invalid code after the amount', () => {
    expect(formatMoney(3, 'EURO', LOCALE)).toBe('3.00 EURO');
  });

  it('shows a dash for null', () => {
    expect(formatMoney(null, 'EUR', LOCALE)).toBe('–');
  });
});

describe('ratios and powers', () => {
  it('formats ratios as percentages', () => {
    expect(formatRatio(0.875, LOCALE)).toBe('87.5 %');
    expect(formatRatio(null, LOCALE)).toBe('–');
    expect(formatPercentChange(0.2, LOCALE)).toBe('+20.0 %');
    expect(formatPercentChange(-0.05, LOCALE)).toBe('-5.0 %');
  });

  it('formats powers in W or kW', () => {
    expect(formatWatts(850, LOCALE)).toBe('850 W');
    expect(formatWatts(1_250, LOCALE)).toBe('1.25 kW');
    expect(formatKw(123.4, LOCALE)).toBe('123 kW');
  });

  it('formats kW without the unit for columns', () => {
    expect(formatKwNumber(4.2, LOCALE)).toBe('4.20');
    expect(formatKwNumber(1_234.5, LOCALE)).toBe('1,235');
  });

  it('formats CO2 in kg or t', () => {
    expect(formatCo2Kg(9.6, LOCALE)).toBe('9.6 kg');
    expect(formatCo2Kg(12_500, LOCALE)).toBe('12.5 t');
  });
});
