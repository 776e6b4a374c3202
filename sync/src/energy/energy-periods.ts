import { z } from 'zod';
import { localDateTimeAt, localDateTimeOfWallMs, startOfZonedDay, zonedTimeToUtcMs, type LocalDateTime } from '../time/zoned-time';

/**
 * Reporting periods in a site's time zone: the range of a day, ISO week, month, year or custom span,
 * the period before it for comparisons, and the bucket boundaries inside it.
 */

export const periodKinds = ['day', 'week', 'month', 'year', 'custom'] as const;
export type PeriodKind = (typeof periodKinds)[number];

export const bucketResolutions = ['15m', '1h', '1d', '1mo'] as const;
export type BucketResolution = (typeof bucketResolutions)[number];

/** A reporting period [start, end) in epoch ms UTC with a label in the site's local calendar. */
export interface PeriodRange {
  kind: PeriodKind;
  start: number;
  end: number;
  label: string;
  timeZone: string;
}

/** Maximum length of a custom period in local days, which is one leap year. */
export const MAX_CUSTOM_PERIOD_DAYS = 366;

const FIXED_STEP_MS: Partial<Record<BucketResolution, number>> = { '15m': 15 * 60_000, '1h': 3_600_000 };

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
const dateLabel = (local: LocalDateTime): string => `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
// Date.UTC carries an out-of-range month or day into the next unit.
const localMidnight = (year: number, month: number, day: number): LocalDateTime => localDateTimeOfWallMs(Date.UTC(year, month - 1, day));

/** Returns the day of the week of a calendar date, 0 for Monday to 6 for Sunday as in ISO 8601. */
export function isoWeekday(local: Pick<LocalDateTime, 'year' | 'month' | 'day'>): number {
  return (new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay() + 6) % 7;
}

/** ISO 8601 week label (`2026-W13`) of the week that starts on the given Monday: the week belongs to the year of its Thursday. */
function isoWeekLabel(monday: LocalDateTime): string {
  const thursday = localMidnight(monday.year, monday.month, monday.day + 3);
  const dayOfYear = (Date.UTC(thursday.year, thursday.month - 1, thursday.day) - Date.UTC(thursday.year, 0, 1)) / 86_400_000;
  return `${pad(thursday.year, 4)}-W${pad(Math.floor(dayOfYear / 7) + 1)}`;
}

function calendarRange(kind: Exclude<PeriodKind, 'custom'>, local: LocalDateTime, timeZone: string): PeriodRange {
  const at = (start: LocalDateTime, end: LocalDateTime, label: string): PeriodRange => ({
    kind,
    start: zonedTimeToUtcMs(start, timeZone),
    end: zonedTimeToUtcMs(end, timeZone),
    label,
    timeZone,
  });
  switch (kind) {
    case 'day':
      return at(localMidnight(local.year, local.month, local.day), localMidnight(local.year, local.month, local.day + 1), dateLabel(local));
    case 'week': {
      const monday = localMidnight(local.year, local.month, local.day - isoWeekday(local));
      return at(monday, localMidnight(monday.year, monday.month, monday.day + 7), isoWeekLabel(monday));
    }
    case 'month':
      return at(localMidnight(local.year, local.month, 1), localMidnight(local.year, local.month + 1, 1), `${pad(local.year, 4)}-${pad(local.month)}`);
    case 'year':
      return at(localMidnight(local.year, 1, 1), localMidnight(local.year + 1, 1, 1), pad(local.year, 4));
  }
}

function customRange(from: number, to: number, timeZone: string): PeriodRange {
  if (!Number.isFinite(from) || !Number.isFinite(to)) {
    throw new RangeError(`custom period from ${from} to ${to} is invalid: pass both bounds as finite epoch ms UTC`);
  }
  if (to <= from) {
    throw new RangeError(`custom period ends at ${new Date(to).toISOString()}, not after its start ${new Date(from).toISOString()}: give an end later than the start`);
  }
  const first = localDateTimeAt(from, timeZone);
  const sameTimeLater = { ...localMidnight(first.year, first.month, first.day + MAX_CUSTOM_PERIOD_DAYS), hour: first.hour, minute: first.minute, second: first.second };
  const latestEnd = zonedTimeToUtcMs(sameTimeLater, timeZone);
  if (to > latestEnd) {
    throw new RangeError(
      `custom period from ${new Date(from).toISOString()} to ${new Date(to).toISOString()} is longer than ${MAX_CUSTOM_PERIOD_DAYS} days: split it or pick a year`,
    );
  }
  const last = localDateTimeAt(to - 1, timeZone);
  return { kind: 'custom', start: from, end: to, label: `${dateLabel(first)}/${dateLabel(last)}`, timeZone };
}

/**
 * Returns the period of `kind` in `timeZone` that contains the instant `anchorUtcMs`. Weeks run from
 * Monday to Sunday and carry their ISO 8601 week label. A custom period is [custom.from, custom.to) and
 * ignores the anchor. Throws a RangeError for an unknown zone, a missing or reversed custom range, or a
 * custom range longer than 366 local days.
 */
export function periodRange(kind: PeriodKind, anchorUtcMs: number, timeZone: string, custom?: { from: number; to: number }): PeriodRange {
  if (kind === 'custom') {
    if (custom === undefined) throw new RangeError('custom period needs { from, to } in epoch ms UTC: pass both bounds');
    return customRange(custom.from, custom.to, timeZone);
  }
  if (!Number.isFinite(anchorUtcMs)) throw new RangeError(`period anchor ${anchorUtcMs} is not a valid instant: pass epoch ms UTC`);
  return calendarRange(kind, localDateTimeAt(anchorUtcMs, timeZone), timeZone);
}

/**
 * Returns the period before `range` for a comparison. For a calendar kind this is the previous day, week,
 * month or year in the same zone, so February comes before March whatever their lengths. For a custom
 * period it is the span of the same length in ms that ends where `range` starts.
 */
export function previousPeriod(range: PeriodRange): PeriodRange {
  if (range.kind === 'custom') {
    const lengthMs = range.end - range.start;
    return customRange(range.start - lengthMs, range.start, range.timeZone);
  }
  // The instant just before the start lies in the previous period of every calendar kind.
  return periodRange(range.kind, range.start - 1, range.timeZone);
}

/**
 * Returns the bucket boundaries of `range` in epoch ms UTC: the start of each bucket, then the end of the
 * last. 15-minute and hourly buckets step through UTC instants, so a 23-hour day has 23 hourly buckets and
 * a 25-hour day 25. Daily and monthly buckets start at local midnights and the first of the local month.
 * A range that does not start or end on a bucket boundary gets a shorter first or last bucket.
 */
export function bucketBoundaries(range: Pick<PeriodRange, 'start' | 'end'>, resolution: BucketResolution, timeZone: string): number[] {
  if (!(range.end > range.start)) {
    throw new RangeError(`period [${range.start}, ${range.end}) is empty: the end must be after the start`);
  }
  const boundaries = [range.start];
  for (let ts = nextBoundary(range.start, resolution, timeZone); ts < range.end; ts = nextBoundary(ts, resolution, timeZone)) {
    boundaries.push(ts);
  }
  boundaries.push(range.end);
  return boundaries;
}

/** Returns the first bucket start after `ts` for a resolution. */
function nextBoundary(ts: number, resolution: BucketResolution, timeZone: string): number {
  const stepMs = FIXED_STEP_MS[resolution];
  if (stepMs !== undefined) return ts + stepMs;
  if (resolution === '1d') return startOfZonedDay(ts, timeZone, 1);
  const local = localDateTimeAt(ts, timeZone);
  return zonedTimeToUtcMs(localMidnight(local.year, local.month + 1, 1), timeZone);
}

/** Reads a YYYY-MM-DD string as local midnight, carrying a day past the month's end into the next month. */
function parseLocalDate(value: string): LocalDateTime {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  return localMidnight(year, month, day);
}

const localDateSchema = z
  .string()
  // Aborting on a wrong format keeps the calendar check from adding a second message.
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a local date as YYYY-MM-DD, for example 2026-03-29', abort: true })
  .refine((value) => {
    const [year, month, day] = value.split('-').map(Number);
    const date = parseLocalDate(value);
    return date.year === year && date.month === month && date.day === day;
  }, 'invalid calendar date: check the month and day');

/**
 * Period query as the REST API takes it. `date` is a local date in the site's zone inside the requested
 * period. A custom period takes `from` and `to` as local dates, and includes both days.
 */
export const periodQuerySchema = z
  .object({
    period: z.enum(periodKinds, { message: `period must be one of ${periodKinds.join(', ')}` }),
    date: localDateSchema,
    from: localDateSchema.optional(),
    to: localDateSchema.optional(),
    resolution: z.enum(bucketResolutions, { message: `resolution must be one of ${bucketResolutions.join(', ')}` }).optional(),
  })
  .superRefine((query, ctx) => {
    if (query.period !== 'custom') return;
    if (query.from === undefined) ctx.addIssue({ code: 'custom', path: ['from'], message: 'missing from: a custom period needs from as YYYY-MM-DD' });
    if (query.to === undefined) ctx.addIssue({ code: 'custom', path: ['to'], message: 'missing to: a custom period needs to as YYYY-MM-DD' });
    if (query.from !== undefined && query.to !== undefined && query.to < query.from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `to ${query.to} is before from ${query.from}: swap them` });
    }
  });
export type PeriodQuery = z.infer<typeof periodQuerySchema>;

/** Resolves a parsed period query to its range in `timeZone`. Throws a RangeError as `periodRange` does. */
export function periodRangeFromQuery(query: PeriodQuery, timeZone: string): PeriodRange {
  if (query.period === 'custom' && query.from !== undefined && query.to !== undefined) {
    const from = zonedTimeToUtcMs(parseLocalDate(query.from), timeZone);
    const lastDay = parseLocalDate(query.to);
    const to = zonedTimeToUtcMs(localMidnight(lastDay.year, lastDay.month, lastDay.day + 1), timeZone);
    return periodRange('custom', from, timeZone, { from, to });
  }
  const anchor = parseLocalDate(query.date);
  return periodRange(query.period, zonedTimeToUtcMs({ ...anchor, hour: 12 }, timeZone), timeZone);
}
