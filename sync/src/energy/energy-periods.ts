import { z } from 'zod';
import { localDateTimeAsUtcMs, localDateTimeAt, localDateTimeOfWallMs, startOfZonedDay, zonedTimeToUtcMs, type LocalDateTime } from '../time/zoned-time';

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

/** Years a local date may have: four digits, so that labels and file names sort as text. */
export const MIN_DATE_YEAR = 1000;
export const MAX_DATE_YEAR = 9999;

/**
 * A period that cannot be resolved: an invalid, reversed or too long custom range or an invalid anchor.
 * The REST APIs return it as a 400, and other RangeErrors stay internal errors.
 */
export class PeriodRangeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'PeriodRangeError';
  }
}

const MS_PER_DAY = 86_400_000;

const FIXED_STEP_MS: Partial<Record<BucketResolution, number>> = { '15m': 15 * 60_000, '1h': 3_600_000 };

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
const dateLabel = (local: LocalDateTime): string => `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
/**
 * Returns UTC midnight of a calendar date in epoch ms, carrying an out-of-range month or day into the next
 * unit. Unlike `Date.UTC`, it keeps the years 0 to 99 as they are instead of moving them to 1900-1999.
 */
function utcMidnightMs(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

const localMidnight = (year: number, month: number, day: number): LocalDateTime => localDateTimeOfWallMs(utcMidnightMs(year, month, day));

/** Returns the day of the week of a calendar date, 0 for Monday to 6 for Sunday as in ISO 8601. */
export function isoWeekday(local: Pick<LocalDateTime, 'year' | 'month' | 'day'>): number {
  return (new Date(utcMidnightMs(local.year, local.month, local.day)).getUTCDay() + 6) % 7;
}

/** ISO 8601 week label (`2026-W13`) of the week that starts on the given Monday: the week belongs to the year of its Thursday. */
function isoWeekLabel(monday: LocalDateTime): string {
  const thursday = localMidnight(monday.year, monday.month, monday.day + 3);
  const dayOfYear = (utcMidnightMs(thursday.year, thursday.month, thursday.day) - utcMidnightMs(thursday.year, 1, 1)) / MS_PER_DAY;
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
    throw new PeriodRangeError(`custom period from ${from} to ${to} is invalid: pass both bounds as finite epoch ms UTC`);
  }
  if (to <= from) {
    throw new PeriodRangeError(`custom period ends at ${new Date(to).toISOString()}, not after its start ${new Date(from).toISOString()}: give an end later than the start`);
  }
  const first = localDateTimeAt(from, timeZone);
  const last = localDateTimeAt(to - 1, timeZone);
  // Local days are counted on the wall clock, so a period over a DST change is as long as one without.
  const wallDays = (localDateTimeAsUtcMs(localDateTimeAt(to, timeZone)) - localDateTimeAsUtcMs(first)) / MS_PER_DAY;
  if (wallDays > MAX_CUSTOM_PERIOD_DAYS) {
    throw new PeriodRangeError(
      `custom period from ${dateLabel(first)} to ${dateLabel(last)} spans ${Math.ceil(wallDays)} local days, more than the maximum of ${MAX_CUSTOM_PERIOD_DAYS}: ` +
        'split it into shorter periods or pick a year',
    );
  }
  return { kind: 'custom', start: from, end: to, label: `${dateLabel(first)}/${dateLabel(last)}`, timeZone };
}

/**
 * Returns the period of `kind` in `timeZone` that contains the instant `anchorUtcMs`. Weeks run from
 * Monday to Sunday and carry their ISO 8601 week label. A custom period is [custom.from, custom.to) and
 * ignores the anchor. Throws a PeriodRangeError for a missing or reversed custom range, a custom range
 * longer than 366 local days or an invalid anchor, and a RangeError for an unknown zone.
 */
export function periodRange(kind: PeriodKind, anchorUtcMs: number, timeZone: string, custom?: { from: number; to: number }): PeriodRange {
  if (kind === 'custom') {
    if (custom === undefined) throw new PeriodRangeError('custom period needs { from, to } in epoch ms UTC: pass both bounds');
    return customRange(custom.from, custom.to, timeZone);
  }
  if (!Number.isFinite(anchorUtcMs)) throw new PeriodRangeError(`period anchor ${anchorUtcMs} is not a valid instant: pass epoch ms UTC`);
  return calendarRange(kind, localDateTimeAt(anchorUtcMs, timeZone), timeZone);
}

/**
 * Returns the period before `range` for a comparison. For a calendar kind this is the previous day, week,
 * month or year in the same zone, so February comes before March whatever their lengths. For a custom
 * period it is the span of the same length on the local wall clock that ends where `range` starts: the
 * same number of local days, ending the day before the first day. Its length in ms differs from that of
 * `range` when one of them contains a DST change.
 */
export function previousPeriod(range: PeriodRange): PeriodRange {
  if (range.kind === 'custom') {
    const startWallMs = localDateTimeAsUtcMs(localDateTimeAt(range.start, range.timeZone));
    const endWallMs = localDateTimeAsUtcMs(localDateTimeAt(range.end, range.timeZone));
    const previousStart = zonedTimeToUtcMs(localDateTimeOfWallMs(startWallMs - (endWallMs - startWallMs)), range.timeZone);
    return customRange(previousStart, range.start, range.timeZone);
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

/** A local date YYYY-MM-DD with a year from MIN_DATE_YEAR to MAX_DATE_YEAR. */
export const localDateSchema = z
  .string()
  // Aborting on a wrong format keeps the later checks from adding a second message.
  .regex(/^\d{4}-\d{2}-\d{2}$/, {
    error: (issue) => `invalid date ${JSON.stringify(issue.input)}: expected a local date as YYYY-MM-DD with a year from ${MIN_DATE_YEAR} to ${MAX_DATE_YEAR}, for example 2026-03-29`,
    abort: true,
  })
  .refine((value) => Number(value.slice(0, 4)) >= MIN_DATE_YEAR, {
    error: (issue) => `date ${String(issue.input)} is out of range: use a year from ${MIN_DATE_YEAR} to ${MAX_DATE_YEAR}`,
    abort: true,
  })
  .refine(
    (value) => {
      const [year, month, day] = value.split('-').map(Number);
      const date = parseLocalDate(value);
      return date.year === year && date.month === month && date.day === day;
    },
    { error: (issue) => `invalid calendar date ${String(issue.input)}: check the month and day` },
  );

const periodQueryFields = {
  period: z.enum(periodKinds, { message: `period must be one of ${periodKinds.join(', ')}` }),
  from: localDateSchema.optional(),
  to: localDateSchema.optional(),
  resolution: z.enum(bucketResolutions, { message: `resolution must be one of ${bucketResolutions.join(', ')}` }).optional(),
};

function checkCustomBounds(query: { period: PeriodKind; from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx): void {
  if (query.period !== 'custom') return;
  if (query.from === undefined) ctx.addIssue({ code: 'custom', path: ['from'], message: 'missing from: a custom period needs from as YYYY-MM-DD' });
  if (query.to === undefined) ctx.addIssue({ code: 'custom', path: ['to'], message: 'missing to: a custom period needs to as YYYY-MM-DD' });
  if (query.from !== undefined && query.to !== undefined && query.to < query.from) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `to ${query.to} is before from ${query.from}: swap them` });
  }
}

/**
 * Period query as `periodRangeFromQuery` takes it. `date` is a local date in the site's zone inside the
 * requested period. A custom period takes `from` and `to` as local dates, includes both days and ignores
 * `date`.
 */
export const periodQuerySchema = z.object({ ...periodQueryFields, date: localDateSchema }).superRefine(checkCustomBounds);
export type PeriodQuery = z.infer<typeof periodQuerySchema>;

/**
 * Period query as the hub's REST API takes it: like `periodQuerySchema`, but a custom period needs no
 * `date`. `periodQueryOf` turns it into a PeriodQuery.
 */
export const periodRequestSchema = z
  .object({ ...periodQueryFields, date: localDateSchema.optional() })
  .superRefine((query, ctx) => {
    checkCustomBounds(query, ctx);
    if (query.period !== 'custom' && query.date === undefined) {
      ctx.addIssue({ code: 'custom', path: ['date'], message: `missing date: a ${query.period} period needs date as YYYY-MM-DD, a local day inside it` });
    }
  });
export type PeriodRequest = z.infer<typeof periodRequestSchema>;

/** Converts a checked period request to a PeriodQuery. A custom period without `date` gets its first day, which it ignores. */
export function periodQueryOf(request: PeriodRequest): PeriodQuery {
  const date = request.date ?? request.from;
  if (date === undefined) throw new PeriodRangeError(`${request.period} period without date: pass date as YYYY-MM-DD`);
  return { ...request, date };
}

/** Resolves a parsed period query to its range in `timeZone`. Throws a PeriodRangeError as `periodRange` does. */
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
