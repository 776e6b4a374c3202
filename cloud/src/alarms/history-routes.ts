import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { createPullStream } from '../audit/pull-stream';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import { toHistoryEntry } from './alarm-rows';
import { ALARM_HISTORY_CSV_HEADER, writeAlarmHistoryCsv } from './history-csv';
import { historyExceeds, historySelection, readHistoryRows, resolveHistoryScope } from './history-query';
import { alarmHistoryCsvQuerySchema, alarmHistoryQuerySchema, alarmHistorySchema, MAX_ALARM_EXPORT_ROWS } from './schemas';

const FILTERS =
  'Transitions as the edges uploaded them, newest first by the edge time. `state` is the state after the transition; `from` and `to` ' +
  '(epoch ms or ISO 8601 with an offset) bound the edge time, `from` included. With `siteId` the caller needs the right at that site ' +
  '(404 for a site they cannot open); without it the history covers every site where their role allows it: the sites of the ' +
  'organizations they administer and the sites granted to them, and for platform admins every site.';

const historyRoute = createRoute({
  method: 'get',
  path: '/api/alarms/history',
  tags: ['alarms'],
  summary: 'Read the alarm history of one site or of every site the caller may see',
  description: `Viewers and above. ${FILTERS}`,
  security: bearerSecurity,
  request: { query: alarmHistoryQuerySchema },
  responses: { 200: { description: 'The transitions', content: { 'application/json': { schema: alarmHistorySchema } } }, ...errorResponses(400, 401, 403, 404) },
});

const historyCsvRoute = createRoute({
  method: 'get',
  path: '/api/alarms/history.csv',
  tags: ['alarms'],
  summary: `Export the alarm history as CSV, newest first, at most ${MAX_ALARM_EXPORT_ROWS} rows`,
  description:
    `Operators and above (report.export). ${FILTERS} The CSV follows RFC 4180 with a header row; a cell that starts with =, +, -, @, tab ` +
    'or carriage return gets a leading single quote, so spreadsheet programs do not run it as a formula.',
  security: bearerSecurity,
  request: { query: alarmHistoryCsvQuerySchema },
  responses: {
    200: {
      description: 'The CSV file',
      headers: z.object({
        'X-Export-Truncated': z.literal('true').optional().openapi({ description: 'Present when more transitions matched than `limit` and the oldest were left out' }),
      }),
      content: { 'text/csv': { schema: z.string() } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** Registers the alarm history routes. */
export function registerAlarmHistoryRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(historyRoute, async (c) => {
    const { caller } = c.var;
    const query = c.req.valid('query');
    const rows = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const scope = await resolveHistoryScope(tx, caller, query.siteId, 'dashboard.view');
      return readHistoryRows(tx, caller, historySelection(scope, query), query.limit + 1);
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ transitions: rows.slice(0, query.limit).map(toHistoryEntry), truncated: rows.length > query.limit }, 200);
  });

  app.openapi(historyCsvRoute, async (c) => {
    const { caller, logger } = c.var;
    const query = c.req.valid('query');
    const { selection, truncated } = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const scope = await resolveHistoryScope(tx, caller, query.siteId, 'report.export');
      const selection = historySelection(scope, query);
      return { selection, truncated: await historyExceeds(tx, caller, selection, selection.limit) };
    });
    const headers: Record<string, string> = {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="alarm-history.csv"',
      'Cache-Control': 'no-store',
    };
    if (truncated) headers['X-Export-Truncated'] = 'true';
    // Hono runs this handler for HEAD too and discards the body without cancelling it, so no stream is started.
    if (c.req.method === 'HEAD') return c.body(null, 200, headers);

    const body = createPullStream(
      async (write) => {
        if (!(await write(ALARM_HISTORY_CSV_HEADER))) return;
        const result = await writeAlarmHistoryCsv(deps.sql, caller, selection, write);
        const message = result.cancelled ? 'alarm history export cancelled by the client' : 'alarm history exported';
        logger.info({ rows: result.written, truncated, siteId: query.siteId, userId: caller.userId }, message);
      },
      (error) => logger.error({ err: error, siteId: query.siteId, userId: caller.userId }, 'alarm history export failed while streaming; the response was aborted'),
    );
    return c.body(body, 200, headers);
  });
}
