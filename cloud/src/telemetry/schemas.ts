import { z } from '@hono/zod-openapi';
import { uploadResolutions } from '@simtestlab/sync';
import { parseQueryTime, QUERY_TIME_HINT } from '../api/query-time';

/** Most points one history request may name. */
export const MAX_HISTORY_POINTS = 100;

/** A time as epoch milliseconds or ISO 8601 with an offset (`Z` or `+02:00`), so no local time zone is guessed. */
const timeParam = (name: string) =>
  z
    .string()
    .transform((value, context) => {
      const ms = parseQueryTime(value);
      if (Number.isNaN(ms)) {
        context.addIssue({ code: 'custom', message: `"${value.slice(0, 60)}" is not a time: ${QUERY_TIME_HINT}` });
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
