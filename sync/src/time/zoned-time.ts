/**
 * Wall-clock time in an IANA time zone and its conversion to and from epoch ms UTC, with the zone
 * database of the JavaScript runtime (Intl). The edge node and the UI share these functions, so a
 * site's local day starts at the same instant in both.
 */

/** A wall-clock date and time without a zone. Months count from 1. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Choice between the two instants of a wall-clock time that occurs twice, in the repeated hour when clocks go back. */
export type RepeatedTimeChoice = 'earlier' | 'later';

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Creating an Intl.DateTimeFormat is slow, so each zone gets one, kept for the life of the process. */
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

/** Returns a wall-clock time as if it were a UTC instant, in epoch ms, the way `Date.UTC` reads its fields. */
export function localDateTimeAsUtcMs(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
}

/** Reads the fields of a wall-clock time held as if it were a UTC instant, the inverse of `localDateTimeAsUtcMs`. */
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
 * Returns the wall-clock time in an IANA zone at the instant `utcMs` (epoch ms UTC), to the second.
 * Throws a RangeError for an unknown zone name.
 */
export function localDateTimeAt(utcMs: number, timeZone: string): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(utcMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/**
 * Returns the offset of an IANA zone from UTC at an instant, in ms (positive east of Greenwich).
 * Throws a RangeError for an unknown zone name.
 */
export function utcOffsetMs(timeZone: string, utcMs: number): number {
  // Intl prints whole seconds, so the offset is measured from the start of the second that contains `utcMs`.
  const wholeSecondsMs = utcMs - (((utcMs % 1000) + 1000) % 1000);
  return localDateTimeAsUtcMs(localDateTimeAt(wholeSecondsMs, timeZone)) - wholeSecondsMs;
}

/**
 * Converts a wall-clock time in an IANA zone to epoch ms UTC.
 *
 * A time that occurs twice, in the repeated hour when clocks go back, resolves to the earlier instant
 * (the first pass, still at the summer offset) unless `repeated` is `'later'`: 01:30 on 2020-11-01 in
 * America/Los_Angeles is 08:30Z, or 09:30Z with `'later'`.
 *
 * A time that never occurs, in the hour skipped when clocks go forward, moves forward by the size of
 * the jump, as `Date` and the "compatible" disambiguation of Temporal do: 02:30 on 2020-03-08 in
 * America/Los_Angeles becomes 03:30 PDT (10:30Z). `repeated` does not affect a skipped time.
 */
export function zonedTimeToUtcMs(local: LocalDateTime, timeZone: string, repeated: RepeatedTimeChoice = 'earlier'): number {
  const wall = localDateTimeAsUtcMs(local);
  // Zone transitions are far more than a day apart, so the offsets a day before and after are the
  // only two candidates.
  const offsetBefore = utcOffsetMs(timeZone, wall - DAY_MS);
  const offsetAfter = utcOffsetMs(timeZone, wall + DAY_MS);
  const candidates = [wall - offsetBefore, wall - offsetAfter].filter((utcMs) => utcMs + utcOffsetMs(timeZone, utcMs) === wall);
  // No candidate maps back to `wall` only inside a skipped hour. Subtracting the offset in force
  // before the jump lands the same distance past the jump as `wall` lies past its start.
  if (candidates.length === 0) return wall - offsetBefore;
  return repeated === 'earlier' ? Math.min(...candidates) : Math.max(...candidates);
}

/**
 * Returns the instant at which the local day in an IANA zone begins, for the day `dayOffset` days after
 * the one that contains `utcMs`. A day with a daylight-saving change lasts 23 or 25 hours. Where a
 * zone skips midnight itself, the skipped midnight moves forward as in `zonedTimeToUtcMs`, which for a
 * gap that starts at midnight is the end of the gap.
 */
export function startOfZonedDay(utcMs: number, timeZone: string, dayOffset = 0): number {
  const local = localDateTimeAt(utcMs, timeZone);
  // Date.UTC carries a day of 0 or 32 into the neighbouring month.
  const midnight = localDateTimeOfWallMs(Date.UTC(local.year, local.month - 1, local.day + dayOffset));
  return zonedTimeToUtcMs(midnight, timeZone);
}
