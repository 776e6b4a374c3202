/** A wall-clock date and time without a zone, as data loggers write it. Months count from 1. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClockAsUtcMs(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
}

/** Reads the fields of a wall-clock time held as if it were a UTC instant, the inverse of `Date.UTC`. */
export function localDateTimeOfWallMs(wallMs: number): LocalDateTime {
  const date = new Date(wallMs);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

/**
 * Returns the offset of an IANA zone from UTC at an instant, in ms (positive east of Greenwich).
 * Throws a RangeError for an unknown zone name.
 */
export function utcOffsetMs(timeZone: string, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(utcMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  const wholeSecondsMs = utcMs - (((utcMs % 1000) + 1000) % 1000);
  return wall - wholeSecondsMs;
}

/**
 * Converts a wall-clock time in an IANA zone to epoch ms UTC with the runtime's zone database.
 * A time that occurs twice (clocks set back) resolves to the `earlier` or `later` instant as asked.
 * A time that never occurs (clocks set forward) moves forward by the size of the jump, as the
 * "compatible" disambiguation of Temporal does.
 */
export function zonedTimeToUtcMs(
  local: LocalDateTime,
  timeZone: string,
  prefer: 'earlier' | 'later' = 'earlier',
): number {
  const wall = wallClockAsUtcMs(local);
  // Zone transitions are far more than a day apart, so the offsets a day before and after are the
  // only two candidates.
  const offsetBefore = utcOffsetMs(timeZone, wall - DAY_MS);
  const offsetAfter = utcOffsetMs(timeZone, wall + DAY_MS);
  const candidates = [wall - offsetBefore, wall - offsetAfter].filter(
    (utcMs) => utcMs + utcOffsetMs(timeZone, utcMs) === wall,
  );
  if (candidates.length === 0) return wall - offsetBefore;
  const earlier = Math.min(...candidates);
  const later = Math.max(...candidates);
  return prefer === 'earlier' ? earlier : later;
}

/**
 * Converts a wall-clock time of a time series to UTC. When the time occurs twice, the earlier instant
 * is taken unless it does not come after the previous row, which happens in the repeated hour of a
 * series that runs through the change back to standard time.
 */
export function seriesTimeToUtcMs(local: LocalDateTime, timeZone: string, previousTs: number | undefined): number {
  const earlier = zonedTimeToUtcMs(local, timeZone, 'earlier');
  if (previousTs === undefined || earlier > previousTs) return earlier;
  return zonedTimeToUtcMs(local, timeZone, 'later');
}

/** Converts a wall-clock time with a fixed offset from UTC (minutes, negative west) to epoch ms UTC. */
export function fixedOffsetTimeToUtcMs(local: LocalDateTime, utcOffsetMinutes: number): number {
  return wallClockAsUtcMs(local) - utcOffsetMinutes * 60_000;
}

/** Checks the ranges of a parsed date and time; `Date.UTC` would otherwise roll 31/2 into March. */
export function isValidLocalDateTime(local: LocalDateTime): boolean {
  const { year, month, day, hour, minute, second } = local;
  if (![year, month, day, hour, minute, second].every(Number.isInteger)) return false;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  if (hour < 0 || minute < 0 || second < 0) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** Parses `YYYY-MM-DD HH:MM:SS` (or with a `T`), or returns undefined when it is not a valid date and time. */
export function parseIsoLocalDateTime(cell: string): LocalDateTime | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(cell.trim());
  if (!match) return undefined;
  const local = {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: Number(match[4]),
    minute: Number(match[5]),
    second: Number(match[6]),
  };
  return isValidLocalDateTime(local) ? local : undefined;
}
