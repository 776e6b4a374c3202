import { z } from 'zod';
import { localDateTimeAt, startOfZonedDay, utcOffsetMs, zonedTimeToUtcMs, type LocalDateTime } from '../time/zoned-time';

/**
 * Electricity tariffs of a site and the cost of metered energy under them. Prices apply by the wall
 * clock of the tariff's time zone, so a 23- or 25-hour day is priced by what the local clock shows.
 */

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const MINUTES_PER_DAY = 1440;
// A leap year, so that a season may start or end on 02-29.
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const weekdaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof weekdaySchema>;

const monthDaySchema = z.string().refine(
  (value) => parseMonthDay(value) !== undefined,
  { error: (issue) => `invalid month-day "${String(issue.input)}": expected MM-DD, for example 03-31` },
);

const clockTimeSchema = z.string().refine(
  (value) => parseClockMinutes(value) !== undefined,
  { error: (issue) => `invalid time "${String(issue.input)}": expected HH:MM from 00:00 to 24:00` },
);

/**
 * Maximum absolute energy price per kWh. Dynamic and feed-in tariffs go negative when the grid has a
 * surplus, so negative prices are valid. The bound catches a typo such as a price per MWh.
 */
export const MAX_ABS_PRICE_PER_KWH = 1000;
/** Maximum demand charge per kW of peak import power. */
export const MAX_DEMAND_PRICE_PER_KW = 1000;

/** Formats a rejected input for a message: strings quoted, other values as `String` prints them. */
const shownValue = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

const pricePerKwhSchema = z
  .number({ error: (issue) => `invalid price per kWh ${shownValue(issue.input)}: expected a finite number` })
  .refine((price) => Number.isFinite(price) && Math.abs(price) <= MAX_ABS_PRICE_PER_KWH, {
    error: (issue) =>
      `price per kWh ${String(issue.input)} is out of range: enter a price from -${MAX_ABS_PRICE_PER_KWH} to ${MAX_ABS_PRICE_PER_KWH} per kWh (negative prices are allowed)`,
  });

const demandPricePerKwSchema = z
  .number({ error: (issue) => `invalid demand price per kW ${shownValue(issue.input)}: expected a finite number` })
  .refine((price) => Number.isFinite(price) && price >= 0 && price <= MAX_DEMAND_PRICE_PER_KW, {
    error: (issue) => `demand price per kW ${String(issue.input)} is out of range: enter a price from 0 to ${MAX_DEMAND_PRICE_PER_KW} per kW`,
  });

const demandSchema = z.object({
  pricePerKw: demandPricePerKwSchema,
  intervalMinutes: z.literal(15, {
    error: (issue) => `demand interval must be 15 minutes (got ${shownValue(issue.input)}): demand charges bill the highest 15-minute average import power`,
  }),
});

const timeOfUsePeriodSchema = z
  .object({
    name: z.string().min(1),
    days: z.array(weekdaySchema).min(1),
    /** Local wall-clock start, inclusive. */
    from: clockTimeSchema,
    /** Local wall-clock end, exclusive. 24:00 ends the period at midnight. */
    to: clockTimeSchema,
    pricePerKwh: pricePerKwhSchema,
  })
  .refine((period) => (parseClockMinutes(period.from) ?? 0) < (parseClockMinutes(period.to) ?? MINUTES_PER_DAY), {
    error: (issue) => {
      const period = issue.input as { name: string; from: string; to: string };
      return `period "${period.name}" ends at ${period.to}, not after its start ${period.from}: split a period that crosses midnight into two`;
    },
  });

const timeOfUseSeasonSchema = z
  .object({
    name: z.string().min(1),
    /** First local day of the season, inclusive, as MM-DD. A season whose `from` is after `to` wraps the year end. */
    from: monthDaySchema,
    /** Last local day of the season, inclusive, as MM-DD. */
    to: monthDaySchema,
    periods: z.array(timeOfUsePeriodSchema),
  })
  .superRefine((season, context) => {
    const overlap = findOverlappingPeriods(season.periods);
    if (overlap !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['periods'],
        message: `periods "${overlap.first}" and "${overlap.second}" of season "${season.name}" overlap on ${overlap.day}: make their hours on that day disjoint`,
      });
    }
  });

const importTariffSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('flat'), pricePerKwh: pricePerKwhSchema }),
  z
    .object({
      kind: z.literal('time-of-use'),
      seasons: z.array(timeOfUseSeasonSchema),
      /** The price at any local time that no season period covers. */
      defaultPricePerKwh: pricePerKwhSchema,
    })
    .superRefine((tariff, context) => {
      const overlap = findOverlappingSeasons(tariff.seasons);
      if (overlap !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['seasons'],
          message: `seasons "${overlap.first}" and "${overlap.second}" both cover ${overlap.monthDay}: make their date ranges disjoint`,
        });
      }
    }),
]);

/** A site's tariff: the import price, the optional feed-in price for export and the optional demand charge. */
export const tariffSchema = z.object({
  /** ISO 4217 code of every price in the tariff. */
  currency: z.string().regex(/^[A-Z]{3}$/, { error: (issue) => `invalid currency "${String(issue.input)}": expected an ISO 4217 code such as EUR` }),
  /** IANA zone whose wall clock the periods and seasons follow. */
  timeZone: z.string().refine(isKnownTimeZone, {
    error: (issue) => `unknown time zone "${String(issue.input)}": expected an IANA name such as Europe/Paris`,
  }),
  import: importTariffSchema,
  export: z.object({ pricePerKwh: pricePerKwhSchema }).optional(),
  demand: demandSchema.optional(),
});
export type Tariff = z.infer<typeof tariffSchema>;
export type TimeOfUseSeason = z.infer<typeof timeOfUseSeasonSchema>;

/** Metered energy over [start, end), both epoch ms UTC. */
export const energyBucketSchema = z
  .object({
    start: z.number().int(),
    end: z.number().int(),
    importWh: z.number().finite().nonnegative(),
    exportWh: z.number().finite().nonnegative(),
  })
  .refine((bucket) => bucket.end > bucket.start, {
    error: (issue) => {
      const bucket = issue.input as { start: number; end: number };
      return `bucket ending at ${bucket.end} does not end after its start ${bucket.start}`;
    },
  });
export type EnergyBucket = z.infer<typeof energyBucketSchema>;

/** Cost of one bucket in the tariff's currency. `net` is the import cost minus the export credit. */
export interface BucketCost {
  start: number;
  end: number;
  importCost: number;
  exportCredit: number;
  net: number;
}

/** Costs of a list of buckets and their sums, unrounded, in `currency`. */
export interface EnergyCost {
  currency: string;
  buckets: BucketCost[];
  totals: { importCost: number; exportCredit: number; net: number };
}

function parseMonthDay(value: string): number | undefined {
  const match = /^(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return undefined;
  const month = Number(match[1]);
  const day = Number(match[2]);
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return undefined;
  return month * 100 + day;
}

function parseClockMinutes(value: string): number | undefined {
  const match = /^(\d{2}):(\d{2})$/.exec(value);
  if (match === null) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (Number(match[2]) > 59 || minutes > MINUTES_PER_DAY) return undefined;
  return minutes;
}

function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    // Intl throws a RangeError for a zone name it does not know.
    return false;
  }
}

function seasonCovers(season: Pick<TimeOfUseSeason, 'from' | 'to'>, monthDay: number): boolean {
  const from = parseMonthDay(season.from);
  const to = parseMonthDay(season.to);
  // Validation reports a malformed date, so a season that has one covers no day.
  if (from === undefined || to === undefined) return false;
  return from <= to ? monthDay >= from && monthDay <= to : monthDay >= from || monthDay <= to;
}

function findOverlappingPeriods(periods: TimeOfUseSeason['periods']): { first: string; second: string; day: Weekday } | undefined {
  for (const day of weekdaySchema.options) {
    const onDay = periods
      .filter((period) => period.days.includes(day))
      .map((period) => ({ name: period.name, from: parseClockMinutes(period.from) ?? 0, to: parseClockMinutes(period.to) ?? 0 }))
      .sort((a, b) => a.from - b.from);
    for (let i = 1; i < onDay.length; i++) {
      if (onDay[i]!.from < onDay[i - 1]!.to) return { first: onDay[i - 1]!.name, second: onDay[i]!.name, day };
    }
  }
  return undefined;
}

function findOverlappingSeasons(seasons: TimeOfUseSeason[]): { first: string; second: string; monthDay: string } | undefined {
  for (let month = 1; month <= 12; month++) {
    for (let day = 1; day <= DAYS_IN_MONTH[month - 1]!; day++) {
      const covering = seasons.filter((season) => seasonCovers(season, month * 100 + day));
      if (covering.length > 1) {
        const monthDay = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        return { first: covering[0]!.name, second: covering[1]!.name, monthDay };
      }
    }
  }
  return undefined;
}

/** Name of the price a flat tariff charges, as `importRateAt` returns it. */
export const FLAT_PERIOD_NAME = 'flat';
/** Name of the default price of a time-of-use tariff, charged outside every period. */
export const DEFAULT_PERIOD_NAME = 'default';

/** An import price and the name of the time-of-use period it belongs to. */
export interface ImportRate {
  periodName: string;
  pricePerKwh: number;
}

function rateAtLocal(tariff: Tariff, local: LocalDateTime): ImportRate {
  const importTariff = tariff.import;
  if (importTariff.kind === 'flat') return { periodName: FLAT_PERIOD_NAME, pricePerKwh: importTariff.pricePerKwh };

  const defaultRate = { periodName: DEFAULT_PERIOD_NAME, pricePerKwh: importTariff.defaultPricePerKwh };
  const season = importTariff.seasons.find((candidate) => seasonCovers(candidate, local.month * 100 + local.day));
  if (season === undefined) return defaultRate;

  const weekday = WEEKDAYS[new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay()]!;
  const minuteOfDay = local.hour * 60 + local.minute + local.second / 60;
  const period = season.periods.find(
    (candidate) =>
      candidate.days.includes(weekday) && minuteOfDay >= parseClockMinutes(candidate.from)! && minuteOfDay < parseClockMinutes(candidate.to)!,
  );
  return period === undefined ? defaultRate : { periodName: period.name, pricePerKwh: period.pricePerKwh };
}

/** Returns the import price per kWh in force at `utcMs` (epoch ms UTC), by the wall clock of the tariff's zone. */
export function priceAt(tariff: Tariff, utcMs: number): number {
  return rateAtLocal(tariff, localDateTimeAt(utcMs, tariff.timeZone)).pricePerKwh;
}

/**
 * Returns the import price in force at `utcMs` with the name of its time-of-use period: "flat" for a flat
 * tariff and "default" outside every period.
 */
export function importRateAt(tariff: Tariff, utcMs: number): ImportRate {
  return rateAtLocal(tariff, localDateTimeAt(utcMs, tariff.timeZone));
}

/** Local minutes of the day at which a time-of-use price may change: midnight and every period edge. */
function priceEdgeMinutes(tariff: Tariff): number[] {
  const minutes = new Set<number>([0]);
  if (tariff.import.kind === 'time-of-use') {
    for (const season of tariff.import.seasons) {
      for (const period of season.periods) {
        minutes.add(parseClockMinutes(period.from)! % MINUTES_PER_DAY);
        minutes.add(parseClockMinutes(period.to)! % MINUTES_PER_DAY);
      }
    }
  }
  return [...minutes];
}

/** Finds the instant in (start, end] at which the zone's UTC offset changes, to the second, by bisection. */
function offsetChangeWithin(timeZone: string, start: number, end: number): number {
  const startOffset = utcOffsetMs(timeZone, start);
  let low = start;
  let high = end;
  while (high - low > 1000) {
    const middle = Math.floor((low + high) / 2);
    if (utcOffsetMs(timeZone, middle) === startOffset) low = middle;
    else high = middle;
  }
  return high - (((high % 1000) + 1000) % 1000);
}

/**
 * Returns the instants strictly inside (start, end) at which the import price may change. These are each
 * period edge and midnight on every local day the bucket touches, both passes of a repeated wall time,
 * and any change of the zone's UTC offset. An extra instant only splits a bucket where the price stays.
 */
function priceBoundariesWithin(tariff: Tariff, start: number, end: number): number[] {
  if (tariff.import.kind === 'flat') return [];
  const { timeZone } = tariff;
  const boundaries = new Set<number>();
  const edgeMinutes = priceEdgeMinutes(tariff);

  for (let dayStart = startOfZonedDay(start, timeZone); dayStart < end; dayStart = startOfZonedDay(dayStart, timeZone, 1)) {
    const day = localDateTimeAt(dayStart, timeZone);
    for (const minutes of edgeMinutes) {
      const wall = { year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0 };
      boundaries.add(zonedTimeToUtcMs(wall, timeZone, 'earlier'));
      boundaries.add(zonedTimeToUtcMs(wall, timeZone, 'later'));
    }
  }
  if (utcOffsetMs(timeZone, start) !== utcOffsetMs(timeZone, end - 1)) boundaries.add(offsetChangeWithin(timeZone, start, end - 1));

  return [...boundaries].filter((instant) => instant > start && instant < end).sort((a, b) => a - b);
}

/**
 * Computes the import cost, export credit and net cost of each bucket and their totals. Where the import
 * price changes inside a bucket, the bucket's import energy is split pro rata by time between the prices.
 * Export is credited at the feed-in price, or not at all when the tariff has none.
 * Throws a ZodError for an invalid bucket, such as one that does not end after its start.
 */
export function energyCost(tariff: Tariff, buckets: readonly EnergyBucket[]): EnergyCost {
  const exportPricePerKwh = tariff.export?.pricePerKwh ?? 0;
  const costs = buckets.map((input): BucketCost => {
    const bucket = energyBucketSchema.parse(input);
    const durationMs = bucket.end - bucket.start;
    const edges = [bucket.start, ...priceBoundariesWithin(tariff, bucket.start, bucket.end), bucket.end];

    let importCost = 0;
    for (let i = 0; i + 1 < edges.length; i++) {
      const shareOfBucket = (edges[i + 1]! - edges[i]!) / durationMs;
      importCost += (bucket.importWh / 1000) * shareOfBucket * priceAt(tariff, edges[i]!);
    }
    const exportCredit = (bucket.exportWh / 1000) * exportPricePerKwh;
    return { start: bucket.start, end: bucket.end, importCost, exportCredit, net: importCost - exportCredit };
  });

  const totals = { importCost: 0, exportCredit: 0, net: 0 };
  for (const cost of costs) {
    totals.importCost += cost.importCost;
    totals.exportCredit += cost.exportCredit;
    totals.net += cost.net;
  }
  return { currency: tariff.currency, buckets: costs, totals };
}

/** A span [start, end) in epoch ms UTC over which the import price of a tariff stays the same. */
export interface ImportPriceSegment extends ImportRate {
  start: number;
  end: number;
}

/**
 * Splits [start, end) at every instant where the import price may change, the same instants at which
 * `energyCost` splits a bucket, and returns the spans in order with their price and period name. A report
 * computes the spans of a whole period once and prices thousands of buckets from them, which is far
 * cheaper than finding the instants again for every bucket.
 */
export function importPriceSegments(tariff: Tariff, start: number, end: number): ImportPriceSegment[] {
  if (!(end > start)) throw new RangeError(`price span [${start}, ${end}) is empty: the end must be after the start`);
  const edges = [start, ...priceBoundariesWithin(tariff, start, end), end];
  const segments: ImportPriceSegment[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    segments.push({ start: edges[i]!, end: edges[i + 1]!, ...importRateAt(tariff, edges[i]!) });
  }
  return segments;
}
