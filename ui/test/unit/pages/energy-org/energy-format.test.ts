import { describe, expect, it } from 'vitest';
import { formatCo2, formatMoney, formatPeakTime, formatRatio } from '../../../../src/pages/energy/energy-format';

describe('energy formats', () => {
  it('shows a peak by the site clock', () => {
    const start = Date.UTC(2026, 2, 10, 7, 15);
    expect(formatPeakTime(start, 'Europe/Berlin')).toMatch(/\b0?8:15/);
    expect(formatPeakTime(start, 'America/New_York')).toMatch(/\b0?3:15/);
  });

  it('names the zone of a peak', () => {
    expect(formatPeakTime(Date.UTC(2026, 6, 1, 12), 'UTC')).toMatch(/UTC$/);
  });

  it('shows money in the currency', () => {
    expect(formatMoney(12.5, 'EUR')).toMatch(/12[.,]50/);
    expect(formatMoney(12.5, 'EUR')).toMatch(/€|EUR/);
    expect(formatMoney(null, 'EUR')).toBe('–');
  });

  it('falls back to the code for an invalid currency', () => {
    expect(formatMoney(3, 'E1')).toBe('3 E1');
  });

  it('shows ratios as percent', () => {
    expect(formatRatio(0.4)).toMatch(/40\s?%/);
    expect(formatRatio(null)).toBe('–');
  });

  it('switches CO2 to tonnes from 10 t', () => {
    expect(formatCo2(950)).toMatch(/kg$/);
    expect(formatCo2(12_500)).toMatch(/12[.,]5 t$/);
  });
});
