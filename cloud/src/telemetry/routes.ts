import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Caller } from '../access/caller';
import { requireSite } from '../access/guards';
import { createPullStream } from '../audit/pull-stream';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, HttpError } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import { HISTORY_CSV_HEADER, writeHistoryCsv } from './history-csv';
import { readHistoryRows, type HistorySelection } from './history-query';
import { AUTO_MAX_BUCKETS, bucketCount, pickResolution } from './resolution';
import { historyQuerySchema, historySchema, MAX_HISTORY_POINTS, type History, type HistoryQuery } from './schemas';

/** Maximum buckets of a JSON history response, over all its points. */
export const MAX_HISTORY_ROWS = 100_000;

/** Maximum buckets of a CSV export, over all its points. */
export const MAX_HISTORY_CSV_ROWS = 1_000_000;

const ACCESS =
  'Viewers and above of the site may read it; a site the caller cannot open is not found (404). Buckets whose start lies in ' +
  '[from, to) are returned, by point and then time, with times in epoch ms UTC (ISO 8601 in the CSV). `avg` is sum / count. ' +
  `\`auto\` picks the finest resolution with at most ${AUTO_MAX_BUCKETS} buckets per point (1m up to about 33 h, 15m up to about ` +
  `20 days, 1h up to about 83 days, else 1d), and fewer when the points together would exceed the row limit. At most ${MAX_HISTORY_POINTS} points.`;

const historyRoute = createRoute({
  method: 'get',
  path: '/api/telemetry/historical',
  tags: ['telemetry'],
  summary: 'Read uploaded rollup buckets of points of a site',
  description: `${ACCESS} At most ${MAX_HISTORY_ROWS} buckets in all: a range that could hold more gets 400.`,
  security: bearerSecurity,
  request: { query: historyQuerySchema },
  responses: { 200: { description: 'One series per requested point', content: { 'application/json': { schema: historySchema } } }, ...errorResponses(400, 401, 404) },
});

const historyCsvRoute = createRoute({
  method: 'get',
  path: '/api/telemetry/historical.csv',
  tags: ['telemetry'],
  summary: 'Export uploaded rollup buckets of points of a site as CSV',
  description:
    `${ACCESS} At most ${MAX_HISTORY_CSV_ROWS} buckets in all. The CSV follows RFC 4180 with a header row; a cell that starts with =, +, -, @, ` +
    'tab or carriage return gets a leading single quote, so spreadsheet programs do not run it as a formula.',
  security: bearerSecurity,
  request: { query: historyQuerySchema },
  responses: { 200: { description: 'The CSV file', content: { 'text/csv': { schema: z.string() } } }, ...errorResponses(400, 401, 404) },
});

/**
 * Checks the caller's access to the site and resolves the selection. Raises 400 when the range could
 * hold more than `maxRows` buckets at the chosen resolution.
 */
async function selectHistory(deps: AppDeps, caller: Caller, query: HistoryQuery, maxRows: number): Promise<HistorySelection> {
  const site = await inTenantScope(deps.sql, caller.scope, (tx) => requireSite(tx, caller, query.site, 'dashboard.view'));
  const maxBucketsPerPoint = Math.min(AUTO_MAX_BUCKETS, Math.floor(maxRows / query.points.length));
  const resolution = query.resolution === 'auto' ? pickResolution(query.from, query.to, maxBucketsPerPoint) : query.resolution;
  const rows = bucketCount(resolution, query.from, query.to) * query.points.length;
  if (rows > maxRows) {
    throw new HttpError(
      400,
      'invalid_request',
      `the request could return ${rows} buckets (${query.points.length} points at ${resolution}), more than the limit of ${maxRows}: choose a coarser resolution, a shorter range or fewer points`,
      { parameter: 'resolution' },
    );
  }
  return { organizationId: site.organizationId, siteId: site.id, points: query.points, resolution, fromMs: query.from, toMs: query.to };
}

export function registerTelemetryRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(historyRoute, async (c) => {
    const { caller } = c.var;
    const selection = await selectHistory(deps, caller, c.req.valid('query'), MAX_HISTORY_ROWS);
    const rows = await inTenantScope(deps.sql, caller.scope, (tx) => readHistoryRows(tx, selection, MAX_HISTORY_ROWS));

    const series = new Map(selection.points.map((point) => [point, [] as History['series'][number]['buckets']]));
    for (const { point, ...bucket } of rows) series.get(point)?.push(bucket);
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        siteId: selection.siteId,
        resolution: selection.resolution,
        from: selection.fromMs,
        to: selection.toMs,
        series: [...series].map(([point, buckets]) => ({ point, buckets })),
      },
      200,
    );
  });

  app.openapi(historyCsvRoute, async (c) => {
    const { caller, logger } = c.var;
    const selection = await selectHistory(deps, caller, c.req.valid('query'), MAX_HISTORY_CSV_ROWS);
    const headers = {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="telemetry-${selection.resolution}.csv"`,
      'Cache-Control': 'no-store',
    };
    // Hono runs this handler for HEAD too and discards the body without cancelling it, so no stream is started.
    if (c.req.method === 'HEAD') return c.body(null, 200, headers);

    const body = createPullStream(
      async (write) => {
        if (!(await write(HISTORY_CSV_HEADER))) return;
        const result = await writeHistoryCsv(deps.sql, caller.scope, selection, write);
        const message = result.cancelled ? 'telemetry export cancelled by the client' : 'telemetry exported';
        logger.info({ rows: result.written, siteId: selection.siteId, resolution: selection.resolution, userId: caller.userId }, message);
      },
      (error) => logger.error({ err: error, siteId: selection.siteId, userId: caller.userId }, 'telemetry export failed while streaming; the response was aborted'),
    );
    return c.body(body, 200, headers);
  });
}
