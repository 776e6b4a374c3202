import { localDateSchema, localDateTimeAt, MAX_CUSTOM_PERIOD_DAYS, periodKinds, type PeriodKind, type PeriodQuery } from '@simtestlab/sync';

/**
 * The period the energy pages show, as local calendar dates (YYYY-MM-DD) in the site's time zone, and
 * its steps: today, the previous and next period, the first and last day, and the URL query. Dates are
 * handled as calendar days through Date.UTC, so no step depends on the browser's zone or on DST.
 */

const DAY_MS = 86_400_000;

/** Search parameters of the energy page, as the router returns them. */
export type PeriodParams = Partial<Record<'period' | 'date' | 'from' | 'to', string | string[]>>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function validDate(value: string | undefined): string | undefined {
  return value !== undefined && localDateSchema.safeParse(value).success ? value : undefined;
}

function toUtcDay(date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day);
}

function fromUtcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Adds whole days to a local date. */
export function addDays(date: string, days: number): string {
  return fromUtcDay(toUtcDay(date) + days * DAY_MS);
}

/** Adds whole months to a local date's month and returns the first day of that month. */
export function addMonths(date: string, months: number): string {
  const [year, month] = date.split('-').map(Number) as [number, number];
  return fromUtcDay(Date.UTC(year, month - 1 + months, 1));
}

/** Returns the number of days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcDay(to) - toUtcDay(from)) / DAY_MS) + 1;
}

/** Returns today's local date in `timeZone`. */
export function todayIn(timeZone: string, nowMs: number): string {
  const local = localDateTimeAt(nowMs, timeZone);
  return `${String(local.year).padStart(4, '0')}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
}

/** Returns the first and last local day of the period a query names, both included. */
export function periodDays(query: PeriodQuery): { from: string; to: string } {
  switch (query.period) {
    case 'day':
      return { from: query.date, to: query.date };
    case 'week': {
      // ISO weeks start on Monday; getUTCDay counts from Sunday.
      const weekday = (new Date(toUtcDay(query.date)).getUTCDay() + 6) % 7;
      const monday = addDays(query.date, -weekday);
      return { from: monday, to: addDays(monday, 6) };
    }
    case 'month': {
      const start = addMonths(query.date, 0);
      return { from: start, to: addDays(addMonths(start, 1), -1) };
    }
    case 'year':
      return { from: `${query.date.slice(0, 4)}-01-01`, to: `${query.date.slice(0, 4)}-12-31` };
    case 'custom':
      return { from: query.from ?? query.date, to: query.to ?? query.date };
  }
}

/** The period read from the search parameters, and what was wrong with them, as message fragments. */
export interface CheckedPeriodParams {
  query: PeriodQuery;
  /** Such as `unknown period "decade"` or `invalid date "2026-13-01"`; empty when every parameter was valid. */
  problems: string[];
}

/**
 * Reads the period from the page's search parameters. A missing or invalid part falls back to today.
 * An invalid part is also listed in `problems`, so the page can correct the URL and show why.
 */
export function checkPeriodParams(params: PeriodParams, today: string): CheckedPeriodParams {
  const problems: string[] = [];
  const kind = first(params.period);
  const knownKind = (periodKinds as readonly string[]).includes(kind ?? '');
  if (kind !== undefined && !knownKind) problems.push(`unknown period "${kind}"`);
  const period: PeriodKind = knownKind ? (kind as PeriodKind) : 'day';

  const dateText = first(params.date);
  const validated = validDate(dateText);
  if (dateText !== undefined && validated === undefined) problems.push(`invalid date "${dateText}"`);
  const date = validated ?? today;
  if (period !== 'custom') return { query: { period, date }, problems };

  const fromText = first(params.from);
  const toText = first(params.to);
  const from = validDate(fromText);
  const to = validDate(toText);
  if (from === undefined || to === undefined || to < from || daysBetween(from, to) > MAX_CUSTOM_PERIOD_DAYS) {
    problems.push(`invalid custom period from "${fromText ?? ''}" to "${toText ?? ''}"`);
    return { query: { period: 'day', date }, problems };
  }
  return { query: { period, date: from, from, to }, problems };
}

/** Returns the search parameters of a query, with null for the ones it does not use so the router removes them. */
export function paramsOfQuery(query: PeriodQuery): Record<'period' | 'date' | 'from' | 'to', string | null> {
  return { period: query.period, date: query.date, from: query.from ?? null, to: query.to ?? null };
}

/** Returns the period of the same kind `steps` periods before (negative) or after (positive) `query`. */
export function shiftQuery(query: PeriodQuery, steps: number): PeriodQuery {
  switch (query.period) {
    case 'day':
      return { period: 'day', date: addDays(query.date, steps) };
    case 'week':
      return { period: 'week', date: addDays(periodDays(query).from, 7 * steps) };
    case 'month':
      return { period: 'month', date: addMonths(query.date, steps) };
    case 'year':
      return { period: 'year', date: `${String(Number(query.date.slice(0, 4)) + steps).padStart(4, '0')}-01-01` };
    case 'custom': {
      const days = periodDays(query);
      const length = daysBetween(days.from, days.to);
      const from = addDays(days.from, length * steps);
      return { period: 'custom', date: from, from, to: addDays(days.to, length * steps) };
    }
  }
}

/** Returns whether the period starts after `today`, so it contains no data yet. */
export function startsAfter(query: PeriodQuery, today: string): boolean {
  return periodDays(query).from > today;
}

/** Returns the calendar month (YYYY-MM) a query's date lies in, for the monthly report. */
export function monthOfQuery(query: PeriodQuery): string {
  return (query.period === 'custom' ? (query.from ?? query.date) : query.date).slice(0, 7);
}

/** Reads a `month` parameter (YYYY-MM); null when it is missing or invalid. */
export function parseMonth(value: string | string[] | undefined): string | null {
  const text = first(value);
  return text !== undefined && /^\d{4}-\d{2}$/.test(text) && validDate(`${text}-01`) !== undefined ? text : null;
}

/** Returns the month query of the monthly report. */
export function monthQuery(month: string): PeriodQuery {
  return { period: 'month', date: `${month}-01` };
}
