/**
 * Timestamps as the dataset files that the simulators replay write them: wall-clock text without a
 * zone, read either in the site's IANA zone or at a fixed offset from UTC.
 */
import { type LocalDateTime, localDateTimeAsUtcMs, zonedTimeToUtcMs } from '@simtestlab/sync';

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
  return localDateTimeAsUtcMs(local) - utcOffsetMinutes * 60_000;
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
