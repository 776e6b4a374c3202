import { formatNumber } from '../../format/values';

/** Formats an amount in an ISO 4217 currency, with the code itself when the browser does not know it. */
export function formatMoney(amount: number | null, currency: string): string {
  if (amount === null) return '–';
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);
  } catch {
    // Intl throws a RangeError for a malformed currency code.
    return `${formatNumber(amount)} ${currency}`;
  }
}

/** Formats a ratio from 0 to 1 as a whole percentage. */
export function formatRatio(ratio: number | null): string {
  if (ratio === null) return '–';
  return new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

/** Formats CO2 in kg, or in t from 10 t up. */
export function formatCo2(kg: number | null): string {
  if (kg === null) return '–';
  return Math.abs(kg) >= 10_000 ? `${formatNumber(kg / 1000)} t` : `${formatNumber(kg)} kg`;
}

/** Formats the start of a demand peak by the wall clock of the site's zone, with the zone's short name. */
export function formatPeakTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(ms) + ` ${zoneName(ms, timeZone)}`;
}

function zoneName(ms: number, timeZone: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(ms).find((candidate) => candidate.type === 'timeZoneName');
  return part?.value ?? timeZone;
}
