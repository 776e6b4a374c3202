import type { EnergyReport } from '@simtestlab/sync';
import { formatKwNumber, formatMoney } from './energy-format';
import { bucketLabels, formatLocalInterval } from './energy-labels';

/** Hint under the cost table about the part of the period that a demand charge covers. */
export const DEMAND_CHARGE_HINT = 'A demand charge is billed per calendar month, so it is shown for the whole months of the period whose tariff has one.';

/**
 * Returns whether the cost table shows `DEMAND_CHARGE_HINT`: when the period has no demand charge, or
 * when it starts or ends inside a month, whose days then count towards no demand charge.
 */
export function showsDemandChargeHint(report: EnergyReport): boolean {
  if (report.cost === null) return false;
  if (report.cost.demandCharge === null) return true;
  const first = report.monthlyDemand[0];
  const last = report.monthlyDemand.at(-1);
  if (first === undefined || last === undefined) return true;
  return first.start > report.period.start || last.end < report.period.end;
}

/**
 * Returns whether the indicators show the peak demand of each month: only for more than one whole month,
 * because the peak of a single month is the peak of the period, and only when some month has a peak.
 */
export function showsMonthlyDemand(report: EnergyReport): boolean {
  return report.monthlyDemand.length > 1 && report.monthlyDemand.some((entry) => entry.peak !== null);
}

/** One row of the "Peak demand by month" table, as text. */
export interface MonthlyDemandRow {
  /** Calendar month in the site's time zone, as the monthly chart labels it: `Mar 2026`. */
  month: string;
  /** Highest 15-minute average grid import in kW without the unit, or `no data` when the month has none. */
  peakKw: string;
  /** Local interval of the peak, such as `10 Mar 2026, 08:15–08:30`, or `–` without a peak. */
  peakTime: string;
  /** Demand charge in the report's currency, `not billed`, `–` without a peak, or `none` when the report has no cost. */
  demandCharge: string;
}

/**
 * Formats a month's demand charge: the amount, `not billed` for a month with a peak that its tariff does
 * not charge, `–` for a month without a peak, whose charge is unknown, and `none` without a cost.
 */
function monthChargeText(entry: EnergyReport['monthlyDemand'][number], currency: string | null, locale: string | undefined): string {
  if (currency === null) return 'none';
  if (entry.demandCharge !== null) return formatMoney(entry.demandCharge, currency, locale);
  return entry.peak === null ? '–' : 'not billed';
}

/** Formats each whole month of the report's period for the "Peak demand by month" table. */
export function monthlyDemandRows(report: EnergyReport, locale?: string): MonthlyDemandRow[] {
  const months = bucketLabels(report.monthlyDemand, '1mo', report.timeZone, locale);
  const currency = report.cost?.currency ?? null;
  return report.monthlyDemand.map((entry, index) => ({
    month: months[index]!,
    peakKw: entry.peak === null ? 'no data' : formatKwNumber(entry.peak.powerKw, locale),
    peakTime: entry.peak === null ? '–' : formatLocalInterval(entry.peak.start, entry.peak.end, report.timeZone, locale),
    demandCharge: monthChargeText(entry, currency, locale),
  }));
}
