import { z } from '@hono/zod-openapi';
import { uploadResolutions } from '@simtestlab/sync';

/** Most points one history request may name. */
export const MAX_HISTORY_POINTS = 100;

/**
 * Checks that the calendar date at the start of an ISO 8601 text exists. `Date.parse` rolls an impossible
 * day over into the next month (2026-02-30 becomes 2 March), so the date is checked on its own.
 */
function isRealCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return true;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Parses epoch milliseconds or ISO 8601 with an offset into epoch milliseconds, or NaN. */
function parseTime(value: string): number {
  if (/^\d{1,15}$/.test(value)) return Number(value);
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(value) || !isRealCalendarDate(value)) return Number.NaN;
  return Date.parse(value);
}

/** A time as epoch milliseconds or ISO 8601 with an offset (`Z` or `+02:00`), so no local time zone is guessed. */
const timeParam = (name: string) =>
  z
    .string()
    .transform((value, context) => {
      const ms = parseTime(value);
      if (Number.isNaN(ms)) {
        context.addIssue({ code: 'custom', message: `"${value}" is not a time: send epoch milliseconds or ISO 8601 with an offset, such as 2026-01-31T00:00:00Z` });
        return z.NEVER;
      }
      return ms;
    })
    .openapi({ param: { name, in: 'query' }, description: 'Epoch milliseconds UTC, or ISO 8601 with an offset', example: '2026-01-31T00:00:00Z' });

export const historyQuerySchema = z
  .object({
    site: z.string().openapi({ description: 'Site id' }),
    points: z
      .string()
      .transform((value) => value.split(',').map((point) => point.trim()).filter((point) => point !== ''))
      .pipe(
        z
          .array(z.string().max(200))
          .min(1, 'name at least one point id, such as grid-meter.m203.W')
          .max(MAX_HISTORY_POINTS, `at most ${MAX_HISTORY_POINTS} points per request; split the request`),
      )
      .openapi({ description: 'Comma-separated point ids of the edge (`device.point`)', example: 'grid-meter.m203.W,pv-inverter-1.W' }),
    from: timeParam('from'),
    to: timeParam('to'),
    resolution: z
      .enum([...uploadResolutions, 'auto'])
      .default('auto')
      .openapi({ description: '`auto` picks the finest resolution with at most 2,000 buckets per point over the range' }),
  })
  .refine((query) => query.from < query.to, { message: '"from" must be before "to"', path: ['to'] });
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export const historyBucketSchema = z
  .object({
    /** Bucket start and end, epoch ms UTC. */
    start: z.number().int(),
    end: z.number().int(),
    count: z.number().int(),
    avg: z.number().nullable(),
    min: z.number().nullable(),
    max: z.number().nullable(),
    last: z.number().nullable(),
    delta: z.number().nullable(),
    estimated: z.boolean(),
  })
  .openapi('HistoryBucket');
export type HistoryBucket = z.infer<typeof historyBucketSchema>;

export const historySchema = z
  .object({
    siteId: z.string(),
    resolution: z.enum(uploadResolutions),
    from: z.number().int(),
    to: z.number().int(),
    series: z.array(z.object({ point: z.string(), buckets: z.array(historyBucketSchema) })),
  })
  .openapi('TelemetryHistory');
export type History = z.infer<typeof historySchema>;
