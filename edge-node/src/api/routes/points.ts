import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import { resolutionSchema } from '@simtestlab/sync';
import { z } from 'zod';
import type { EdgeRuntime } from '../../runtime/edge-runtime';
import type { RegisteredPoint } from '../../store/point-registry';
import { errorResponse, parseQuery } from '../http-error';
import { timeParamSchema } from '../time-param';

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

/** Point routes: list, one point, its history as JSON and as CSV. */
export function pointRoutes(runtime: EdgeRuntime) {
  const app = new Hono();

  app.get('/points', (c) => {
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

  app.get('/points/:point', (c) => {
    const point = findPoint(c.req.param('point'));
    if (!point) return notFound(c, c.req.param('point'));
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

  app.get('/points/:point/history', (c) => {
    const history = readHistory(c);
    if (!history.ok) return history.response;
    const { point, resolution, from, to, limit, rows } = history;
    return c.json({ point: point.key, unit: point.definition.unit, resolution, from, to, truncated: rows.length === limit, rows });
  });

  app.get('/points/:point/history.csv', (c) => {
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
