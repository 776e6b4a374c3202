import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { pointBaseSchema, qualitySchema, resolutionSchema, sampleValueSchema } from '@simtestlab/sync';
import type { EdgeRuntime } from '../../runtime/edge-runtime';
import type { RegisteredPoint } from '../../store/point-registry';
import { errorResponse, errorResponses, parseQuery } from '../http-error';
import { bearerSecurity, createRouter, mountRoute } from '../openapi-router';
import { timeParamDocSchema, timeParamSchema } from '../time-param';

/** Rows one history request returns at most; page with `from` for more. */
const MAX_HISTORY_ROWS = 100_000;
const DEFAULT_RANGE_MS = 3_600_000;

/** A point with its definition and latest value, as the API returns it. */
export function describePoint(runtime: EdgeRuntime, point: RegisteredPoint, now: number) {
  const last = runtime.lastValues.get(point.key, now);
  const { key: _key, ...definition } = point.definition;
  return {
    id: point.key,
    device: point.deviceKey,
    key: point.definition.key,
    ...definition,
    value: last?.value ?? null,
    ts: last?.ts ?? null,
    quality: last?.quality ?? null,
    reason: last?.reason ?? null,
  };
}

/**
 * A point as the API returns it: its definition and its latest value. The schema lists the definition
 * fields every driver has, and driver-specific fields such as `address` or `topic` pass through.
 */
export const pointResponseSchema = z
  .looseObject({
    ...pointBaseSchema.omit({ key: true }).shape,
    id: z.string().openapi({ description: 'Point id at this site, `device.point`' }),
    device: z.string(),
    key: z.string(),
    value: sampleValueSchema,
    ts: z.number().int().nullable(),
    quality: qualitySchema.nullable(),
    reason: z.string().nullable(),
  })
  .openapi('Point');

const listQuery = z.object({ device: z.string().optional() });

const historyQuery = z
  .object({
    from: timeParamSchema.optional(),
    to: timeParamSchema.optional(),
    resolution: resolutionSchema.default('raw'),
    limit: z.coerce
      .number({ error: 'expected a whole number of rows' })
      .int({ error: 'expected a whole number of rows' })
      .min(1)
      .max(MAX_HISTORY_ROWS)
      .default(10_000),
  })
  .transform((query) => {
    const to = query.to ?? Date.now();
    return { ...query, to, from: query.from ?? to - DEFAULT_RANGE_MS };
  })
  .refine((query) => query.from < query.to, { message: 'must be earlier than to', path: ['from'] });

const pointParams = z.object({ point: z.string().openapi({ param: { name: 'point', in: 'path' }, example: 'meter.powerW' }) });

/** The history query as documented. `historyQuery` also fills the defaults of `from` and `to` and checks their order. */
const historyQueryDoc = z.object({
  from: timeParamDocSchema.optional().openapi({ description: 'Start, inclusive; defaults to one hour before `to`' }),
  to: timeParamDocSchema.optional().openapi({ description: 'End, exclusive; defaults to now' }),
  resolution: resolutionSchema.default('raw'),
  limit: z.coerce.number().int().min(1).max(MAX_HISTORY_ROWS).default(10_000),
});

const rawRowSchema = z.object({ ts: z.number().int(), value: sampleValueSchema, quality: z.string(), reason: z.string().optional() });
const rollupRowSchema = z.object({
  start: z.number().int(),
  end: z.number().int(),
  count: z.number().int(),
  mean: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  last: z.number().nullable(),
  delta: z.number().nullable(),
  estimated: z.boolean(),
  revision: z.number().int(),
  open: z.boolean(),
});

const historyBodySchema = z
  .object({
    point: z.string(),
    unit: z.string(),
    resolution: resolutionSchema,
    from: z.number().int(),
    to: z.number().int(),
    truncated: z.boolean(),
    rows: z.union([z.array(rawRowSchema), z.array(rollupRowSchema)]).openapi({ description: 'Raw samples for `raw`, rollup buckets otherwise' }),
  })
  .openapi('PointHistory');

export const listPointsRoute = createRoute({
  method: 'get',
  path: '/points',
  tags: ['points'],
  summary: 'Points of the site, or of one device, with their latest values',
  security: bearerSecurity,
  request: { query: listQuery },
  responses: {
    200: { description: 'Points', content: { 'application/json': { schema: z.object({ points: z.array(pointResponseSchema) }) } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

export const getPointRoute = createRoute({
  method: 'get',
  path: '/points/{point}',
  tags: ['points'],
  summary: 'One point with its latest value',
  security: bearerSecurity,
  request: { params: pointParams },
  responses: {
    200: { description: 'The point', content: { 'application/json': { schema: pointResponseSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export const pointHistoryRoute = createRoute({
  method: 'get',
  path: '/points/{point}/history',
  tags: ['points'],
  summary: 'History of a point: raw samples or rollups',
  security: bearerSecurity,
  request: { params: pointParams, query: historyQueryDoc },
  responses: {
    200: { description: 'History rows, oldest first', content: { 'application/json': { schema: historyBodySchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

export const pointHistoryCsvRoute = createRoute({
  method: 'get',
  path: '/points/{point}/history.csv',
  tags: ['points'],
  summary: 'History of a point as CSV, with the columns of the raw or rollup rows',
  security: bearerSecurity,
  request: { params: pointParams, query: historyQueryDoc },
  responses: {
    200: { description: 'CSV with a header row', content: { 'text/csv': { schema: z.string() } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** Route definitions of this module, for the OpenAPI document. */
export const pointRouteDefinitions = [listPointsRoute, getPointRoute, pointHistoryRoute, pointHistoryCsvRoute];

/** Point routes: list, one point, its history as JSON and as CSV. */
export function pointRoutes(runtime: EdgeRuntime) {
  const app = createRouter();

  mountRoute(app, listPointsRoute, (c) => {
    const query = parseQuery(c, listQuery);
    if (!query.ok) return query.response;
    const { device } = query.value;
    if (device !== undefined && !runtime.config.devices.some((candidate) => candidate.key === device)) {
      return errorResponse(c, 404, 'device_not_found', `no device "${device}" at this site; GET /api/devices lists them`, 'device');
    }
    const now = Date.now();
    const points = device === undefined ? runtime.registry.all() : runtime.registry.ofDevice(device);
    return c.json({ points: points.map((point) => describePoint(runtime, point, now)) });
  });

  const findPoint = (id: string) => runtime.registry.get(id);
  const notFound = (c: Context, id: string) =>
    errorResponse(c, 404, 'point_not_found', `no point "${id}" at this site; point ids are "device.point", GET /api/points lists them`);

  mountRoute(app, getPointRoute, (c) => {
    const point = findPoint(c.req.param('point') ?? '');
    if (!point) return notFound(c, c.req.param('point') ?? '');
    return c.json(describePoint(runtime, point, Date.now()));
  });

  /** Resolves the point and query of a history request and reads the rows, or returns the error response. */
  const readHistory = (c: Context) => {
    const id = c.req.param('point') ?? '';
    const point = findPoint(id);
    if (!point) return { ok: false as const, response: notFound(c, id) };
    const query = parseQuery(c, historyQuery);
    if (!query.ok) return query;
    const { from, to, resolution, limit } = query.value;
    return { ok: true as const, point, from, to, resolution, limit, rows: runtime.history.read(resolution, point.id, from, to, limit) };
  };

  mountRoute(app, pointHistoryRoute, (c) => {
    const history = readHistory(c);
    if (!history.ok) return history.response;
    const { point, resolution, from, to, limit, rows } = history;
    return c.json({ point: point.key, unit: point.definition.unit, resolution, from, to, truncated: rows.length === limit, rows });
  });

  mountRoute(app, pointHistoryCsvRoute, (c) => {
    const history = readHistory(c);
    if (!history.ok) return history.response;
    const { point, resolution, rows } = history;
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${point.key}-${resolution}.csv"`);
    return stream(c, async (output) => {
      if (resolution === 'raw') {
        await output.write('time,value,quality,reason\n');
        for (const row of rows as ReturnType<typeof runtime.history.raw>) {
          await output.write(`${new Date(row.ts).toISOString()},${csvValue(row.value)},${row.quality},${row.reason ?? ''}\n`);
        }
        return;
      }
      await output.write('start,end,count,mean,min,max,last,delta,estimated,revision,open\n');
      for (const row of rows as ReturnType<typeof runtime.history.rollup>) {
        const cells = [new Date(row.start).toISOString(), new Date(row.end).toISOString(), row.count, row.mean, row.min, row.max, row.last, row.delta, row.estimated, row.revision, row.open];
        await output.write(`${cells.map(csvValue).join(',')}\n`);
      }
    });
  });

  return app;
}

function csvValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  return String(value);
}
