import { formatKwhChange, formatMoney, formatPercentChange } from './energy-format';

/** Change of a figure against the previous period. */
export interface Change {
  /** Current minus previous, in the figure's unit. */
  absolute: number;
  /** Absolute change over the previous value; null when the previous value is 0, where a ratio means nothing. */
  relative: number | null;
  direction: 'up' | 'down' | 'same';
}

/** Returns the change from `previous` to `current`, or null when either is unknown. */
export function changeFrom(current: number | null, previous: number | null | undefined): Change | null {
  if (current === null || previous === null || previous === undefined) return null;
  if (!Number.isFinite(current) || !Number.isFinite(previous)) return null;
  const absolute = current - previous;
  let direction: Change['direction'] = 'same';
  if (absolute > 0) direction = 'up';
  else if (absolute < 0) direction = 'down';
  return { absolute, relative: previous === 0 ? null : absolute / Math.abs(previous), direction };
}

/** Joins an absolute change and its percentage: `+1.25 kWh (+12.5 %)`, or the absolute part alone. */
function withPercent(absolute: string, change: Change, locale?: string): string {
  return change.relative === null ? absolute : `${absolute} (${formatPercentChange(change.relative, locale)})`;
}

/** Formats an energy change in kWh with its percentage: `+1.25 kWh (+12.5 %)`. */
export function formatEnergyChange(change: Change, locale?: string): string {
  return withPercent(formatKwhChange(change.absolute, locale), change, locale);
}

/** Formats a money change with its percentage: `+€1.20 (+3.0 %)`. */
export function formatMoneyChange(change: Change, currency: string, locale?: string): string {
  return withPercent(formatMoney(change.absolute, currency, locale, true), change, locale);
}

/** Explains a change without percentage, so the reader does not look for a missing number. */
export function changeNote(change: Change): string | null {
  return change.relative === null && change.absolute !== 0 ? 'no % change: the previous period was 0' : null;
}
