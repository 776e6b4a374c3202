/**
 * Times in query strings: epoch milliseconds, or ISO 8601 with an offset (`Z` or `+02:00`), so no local
 * time zone is guessed. Only the years 0001 to 9999 are accepted: Postgres and the driver pass dates as
 * ISO text, and a date outside them has a signed six-digit year that Postgres does not read.
 */

const EARLIEST_MS = Date.parse('0001-01-01T00:00:00Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** Advice for an error message about a time that could not be read. */
export const QUERY_TIME_HINT = 'send epoch milliseconds or ISO 8601 with an offset, such as 2026-01-31T00:00:00Z, within the years 0001 to 9999';

/**
 * Checks that the calendar date at the start of an ISO 8601 text exists. `Date.parse` rolls an impossible
 * day over into the next month (2026-02-30 becomes 2 March), so the date is checked on its own.
 */
function isRealCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return true;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  // setUTCFullYear, because Date.UTC reads the years 0 to 99 as 1900 to 1999.
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Parses a query time into epoch milliseconds, or returns NaN when it is not one or lies outside the years 0001 to 9999. */
export function parseQueryTime(value: string): number {
  let ms = Number.NaN;
  if (/^\d{1,15}$/.test(value)) ms = Number(value);
  else if (/(Z|[+-]\d{2}:?\d{2})$/i.test(value) && isRealCalendarDate(value)) ms = Date.parse(value);
  return ms >= EARLIEST_MS && ms <= LATEST_MS ? ms : Number.NaN;
}
