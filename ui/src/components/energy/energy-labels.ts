import type { BucketResolution, EnergyFlow, MeterRole, PeriodQuery, ReportMeter, ReportPeriod } from '@simtestlab/sync';
import { periodDays } from './energy-period';

/**
 * Words and date labels of the energy pages. Instants are shown in the site's time zone; local dates
 * (YYYY-MM-DD) are formatted as calendar days, so a label never shifts with the browser's zone.
 */

export const ROLE_LABELS: Record<MeterRole, string> = {
  grid: 'Grid (import and export)',
  'grid-import': 'Grid import',
  'grid-export': 'Grid export',
  pv: 'PV production',
  battery: 'Battery (charge and discharge)',
  'battery-charge': 'Battery charge',
  'battery-discharge': 'Battery discharge',
  ev: 'EV charging',
  consumption: 'Consumption',
};

export const METHOD_LABELS: Record<ReportMeter['method'], string> = {
  counter: 'Counter',
  'power-integration': 'Power integration',
  mixed: 'Mixed (counter and power)',
  none: 'No data',
};

export const FLOW_LABELS: Record<EnergyFlow, string> = {
  gridImport: 'Grid import',
  gridExport: 'Grid export',
  pv: 'PV production',
  batteryCharge: 'Battery charge',
  batteryDischarge: 'Battery discharge',
  ev: 'EV charging',
  consumption: 'Consumption',
};

export const HIERARCHY_KIND_LABELS = { building: 'Building', area: 'Area', system: 'System' } as const;

/** Roles a site needs for its balance, as the empty state names them, one-way roles included. */
export const ROLES_TO_ASSIGN = 'grid (or grid-import and grid-export), pv, battery (or battery-charge and battery-discharge), ev and consumption';

/** Places to set meter roles in, as the navigation of each app names them. */
export const ROLE_SETTING_PLACES = {
  cloud: "Device settings in the site's navigation > the device > Meter roles",
  edge: "the roles map of each device in the site file, such as roles: { 'm203.TotWhImp': 'grid-import' }",
} as const;

function calendarDate(date: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day));
}

function formatCalendar(date: string, options: Intl.DateTimeFormatOptions, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(calendarDate(date));
}

/** Returns the ISO 8601 week number of the week that starts on `monday`. */
function isoWeekNumber(monday: string): { year: number; week: number } {
  const thursday = calendarDate(monday).getTime() + 3 * 86_400_000;
  const year = new Date(thursday).getUTCFullYear();
  return { year, week: Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1 };
}

/** Formats a span of local days: `23 Mar – 29 Mar 2026`, or one day. */
export function formatDaySpan(from: string, to: string, locale?: string): string {
  const full: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };
  if (from === to) return formatCalendar(from, full, locale);
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  return `${formatCalendar(from, sameYear ? { day: 'numeric', month: 'short' } : full, locale)} – ${formatCalendar(to, full, locale)}`;
}

/** Returns the title of a period: `Sunday, 29 March 2026`, `Week 13, 2026 (23 Mar – 29 Mar 2026)`, `March 2026`, `2026`. */
export function periodTitle(query: PeriodQuery, locale?: string): string {
  const days = periodDays(query);
  switch (query.period) {
    case 'day':
      return formatCalendar(days.from, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }, locale);
    case 'week': {
      const { year, week } = isoWeekNumber(days.from);
      return `Week ${week}, ${year} (${formatDaySpan(days.from, days.to, locale)})`;
    }
    case 'month':
      return formatCalendar(days.from, { month: 'long', year: 'numeric' }, locale);
    case 'year':
      return days.from.slice(0, 4);
    case 'custom':
      return formatDaySpan(days.from, days.to, locale);
  }
}

/** Explains a period whose length differs from whole 24-hour days because clocks changed; null otherwise. */
export function dstNote(period: Pick<ReportPeriod, 'kind' | 'from' | 'to' | 'hours'>): string | null {
  const days = Math.round((calendarDate(period.to).getTime() - calendarDate(period.from).getTime()) / 86_400_000) + 1;
  const difference = period.hours - days * 24;
  if (difference === 0) return null;
  const subject = period.kind === 'day' ? 'This day' : 'This period';
  return difference < 0
    ? `${subject} has ${period.hours} hours: clocks went forward, so an hour is missing.`
    : `${subject} has ${period.hours} hours: clocks went back, so an hour is repeated.`;
}

/** Formats an instant as date and time of day in `timeZone`: `30 Mar 2026, 18:15`. */
export function formatLocalDateTime(ms: number, timeZone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(ms);
}

/** Formats the time of day in `timeZone`: `18:15`. */
export function formatLocalTime(ms: number, timeZone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(ms);
}

/** Formats an interval inside a day with its date: `30 Mar 2026, 18:15–18:30`. */
export function formatLocalInterval(start: number, end: number, timeZone: string, locale?: string): string {
  return `${formatLocalDateTime(start, timeZone, locale)}–${formatLocalTime(end, timeZone, locale)}`;
}

function utcOffset(ms: number, timeZone: string, locale?: string): string {
  const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'shortOffset' }).formatToParts(ms);
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? '';
}

/**
 * Returns one label per bucket for chart axes and tables, in `timeZone`. Hourly and 15-minute buckets
 * show the time of day, with the date when they span more than one day. On the day clocks go back the
 * repeated hour appears twice, so those labels carry their UTC offset (`02:00 GMT+2`, `02:00 GMT+1`).
 * On the day clocks go forward the skipped hour has no bucket and so no label.
 */
export function bucketLabels(buckets: readonly { start: number; end: number }[], resolution: BucketResolution, timeZone: string, locale?: string): string[] {
  if (resolution === '1mo') {
    const format = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone });
    return buckets.map((bucket) => format.format(bucket.start));
  }
  if (resolution === '1d') {
    const format = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone });
    return buckets.map((bucket) => format.format(bucket.start));
  }
  const dayOf = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });
  const oneDay = new Set(buckets.map((bucket) => dayOf.format(bucket.start))).size <= 1;
  const format = new Intl.DateTimeFormat(locale, {
    ...(oneDay ? {} : { day: 'numeric', month: 'short' }),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  });
  const labels = buckets.map((bucket) => format.format(bucket.start));
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return labels.map((label, index) => ((counts.get(label) ?? 0) > 1 ? `${label} ${utcOffset(buckets[index]!.start, timeZone, locale)}` : label));
}
