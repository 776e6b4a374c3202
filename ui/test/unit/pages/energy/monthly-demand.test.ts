import type { EnergyReport, MonthlyDemand } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { DEMAND_CHARGE_HINT, monthlyDemandRows, showsDemandChargeHint, showsMonthlyDemand } from '../../../../src/components/energy/monthly-demand';
import { makeReport } from './energy-fixture';

const LOCALE = 'en-GB';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Local midnight of the first day of a 2026 month (0-based) in Berlin: UTC+2 from April to October, else UTC+1. */
function berlinMonthStart(monthIndex: number): number {
  const offsetHours = monthIndex >= 3 && monthIndex <= 9 ? 2 : 1;
  return Date.UTC(2026, monthIndex, 1) - offsetHours * HOUR_MS;
}

/** Builds a 2026 month with a 15-minute peak on the 10th at 08:15 local time, unless `powerKw` is null. */
function makeMonth(monthIndex: number, powerKw: number | null, demandCharge: number | null): MonthlyDemand {
  const start = berlinMonthStart(monthIndex);
  const end = monthIndex === 11 ? Date.UTC(2027, 0, 1) - HOUR_MS : berlinMonthStart(monthIndex + 1);
  const peakStart = start + 9 * DAY_MS + 8.25 * HOUR_MS;
  return {
    month: `2026-${String(monthIndex + 1).padStart(2, '0')}`,
    start,
    end,
    peak: powerKw === null ? null : { start: peakStart, end: peakStart + 0.25 * HOUR_MS, powerKw },
    demandCharge,
  };
}

/** Builds a report of the year 2026 with a peak in every month but February, and a demand charge in every month with a peak. */
function makeYearReport(overrides: Partial<EnergyReport> = {}): EnergyReport {
  const months = Array.from({ length: 12 }, (_, index) => (index === 1 ? makeMonth(index, null, null) : makeMonth(index, 40 + index, 100 + index)));
  const base = makeReport();
  return makeReport({
    period: { kind: 'year', start: berlinMonthStart(0), end: Date.UTC(2027, 0, 1) - HOUR_MS, from: '2026-01-01', to: '2026-12-31', hours: 8_760 },
    resolution: '1mo',
    monthlyDemand: months,
    peakDemand: months[11]!.peak,
    cost: { ...base.cost!, demandCharge: months.reduce((sum, entry) => sum + (entry.demandCharge ?? 0), 0) },
    ...overrides,
  });
}

function makeMonthReport(demandCharge: number | null): EnergyReport {
  const march = makeMonth(2, 42, demandCharge);
  const base = makeReport();
  return makeReport({
    period: { kind: 'month', start: march.start, end: march.end, from: '2026-03-01', to: '2026-03-31', hours: 743 },
    resolution: '1d',
    monthlyDemand: [march],
    peakDemand: march.peak,
    cost: { ...base.cost!, demandCharge },
  });
}

describe('showsMonthlyDemand', () => {
  it('shows a year with peaks', () => {
    expect(showsMonthlyDemand(makeYearReport())).toBe(true);
  });

  it('hides a single month', () => {
    expect(showsMonthlyDemand(makeMonthReport(120))).toBe(false);
  });

  it('hides a day without whole months', () => {
    expect(showsMonthlyDemand(makeReport())).toBe(false);
  });

  it('hides months without any peak', () => {
    const report = makeYearReport({ monthlyDemand: Array.from({ length: 12 }, (_, index) => makeMonth(index, null, null)), peakDemand: null });

    expect(showsMonthlyDemand(report)).toBe(false);
  });

  it('shows a year without a tariff', () => {
    expect(showsMonthlyDemand(makeYearReport({ cost: null, costStatus: 'no-tariff' }))).toBe(true);
  });
});

describe('monthlyDemandRows', () => {
  it('has one row per month, labelled in the site zone', () => {
    const rows = monthlyDemandRows(makeYearReport(), LOCALE);

    expect(rows).toHaveLength(12);
    expect(rows[0]!.month).toBe('Jan 2026');
    expect(rows[6]!.month).toBe('Jul 2026');
    expect(rows[11]!.month).toBe('Dec 2026');
  });

  it('formats the peak and its local time', () => {
    const march = monthlyDemandRows(makeYearReport(), LOCALE)[2]!;

    expect(march.peakKw).toBe('42.00');
    expect(march.peakTime).toBe('10 Mar 2026, 08:15–08:30');
    expect(march.demandCharge).toBe('€102.00');
  });

  it('shows a summer peak in summer time', () => {
    const july = monthlyDemandRows(makeYearReport(), LOCALE)[6]!;

    expect(july.peakTime).toBe('10 Jul 2026, 08:15–08:30');
  });

  it('marks a month without peak or charge', () => {
    const february = monthlyDemandRows(makeYearReport(), LOCALE)[1]!;

    expect(february.peakKw).toBe('no data');
    expect(february.peakTime).toBe('–');
    expect(february.demandCharge).toBe('–');
  });

  it('shows a peak without charge as not billed', () => {
    const months = Array.from({ length: 12 }, (_, index) => makeMonth(index, 40, null));
    const base = makeReport();
    const april = monthlyDemandRows(makeYearReport({ monthlyDemand: months, cost: { ...base.cost!, demandCharge: null } }), LOCALE)[3]!;

    expect(april.peakKw).toBe('40.00');
    expect(april.demandCharge).toBe('not billed');
  });

  it('shows no charge without a tariff', () => {
    const rows = monthlyDemandRows(makeYearReport({ cost: null, costStatus: 'no-tariff' }), LOCALE);

    expect(rows.map((row) => row.demandCharge)).toEqual(new Array<string>(12).fill('none'));
  });
});

describe('demand charge hint', () => {
  it('names whole months', () => {
    expect(DEMAND_CHARGE_HINT).toBe('A demand charge is billed per calendar month, so it is shown for the whole months of the period whose tariff has one.');
  });

  it('shows without a demand charge', () => {
    expect(showsDemandChargeHint(makeReport())).toBe(true);
    expect(showsDemandChargeHint(makeMonthReport(null))).toBe(true);
  });

  it('hides when whole months cover the period', () => {
    expect(showsDemandChargeHint(makeMonthReport(120))).toBe(false);
    expect(showsDemandChargeHint(makeYearReport())).toBe(false);
  });

  it('shows for a custom period ending mid-month', () => {
    const year = makeYearReport();
    const report = makeYearReport({
      period: { kind: 'custom', start: year.period.start, end: berlinMonthStart(11) + 14 * DAY_MS, from: '2026-01-01', to: '2026-12-14', hours: 8_400 },
      monthlyDemand: year.monthlyDemand.slice(0, 11),
    });

    expect(showsDemandChargeHint(report)).toBe(true);
  });

  it('hides without a cost', () => {
    expect(showsDemandChargeHint(makeYearReport({ cost: null, costStatus: 'no-tariff' }))).toBe(false);
  });
});
