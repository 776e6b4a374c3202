import { createRoute, z } from '@hono/zod-openapi';
import { stream } from 'hono/streaming';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  alarmActionBodySchema,
  alarmActionResultSchema,
  alarmHistoryFilterSchema,
  alarmStatusSchema,
  alarmTransitionSchema,
  isAllowed,
  type AlarmActionResult,
  type AlarmTransition,
  type AlarmUserAction,
} from '@simtestlab/sync';
import type { TransitionQuery } from '../../alarms/alarm-store';
import type { EdgeRuntime } from '../../runtime/edge-runtime';
import { requestActor } from '../auth-guard';
import { errorResponse, errorResponses, parseQuery } from '../http-error';
import { bearerSecurity, createRouter, mountRoute } from '../openapi-router';
import { timeParamDocSchema, timeParamSchema } from '../time-param';

/** Action names in URLs, kebab-case like the other paths, and the action each one is. */
const urlActions: Record<string, AlarmUserAction> = {
  acknowledge: 'acknowledge',
  shelve: 'shelve',
  unshelve: 'unshelve',
  comment: 'comment',
  'remove-from-service': 'remove_from_service',
  'return-to-service': 'return_to_service',
};

/** HTTP status of each reason an action was not applied. */
const rejectionStatus: Record<Extract<AlarmActionResult, { ok: false }>['code'], ContentfulStatusCode> = {
  not_permitted: 403,
  unknown_alarm: 404,
  stale_occurrence: 409,
  invalid_state: 409,
  invalid_request: 400,
};

/** Rows read per page of a CSV export, so the export keeps no statement open while alarms are written. */
const CSV_PAGE_ROWS = 500;

const historyQuery = alarmHistoryFilterSchema
  .extend({ from: timeParamSchema.optional(), to: timeParamSchema.optional() })
  .refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, {
    message: '"from" is after "to"; swap them or widen the range',
    path: ['to'],
  });

const idempotencyKeySchema = z.uuid({ error: 'Idempotency-Key must be a UUID' }).optional();

function transitionQuery(filter: z.infer<typeof historyQuery>): TransitionQuery {
  const { from, to, ...rest } = filter;
  return { ...rest, ...(from === undefined ? {} : { fromMs: from }), ...(to === undefined ? {} : { toMs: to }) };
}

const csvColumns = 'time,seq,id,ruleId,action,from,to,severity,point,device,value,message,user,userOrigin,comment,occurrence,shelvedUntil,requestId\n';

/**
 * First characters that make spreadsheet programs evaluate a cell as a formula (the OWASP "CSV
 * Injection" list). Rule names, messages and comments are user text, so such a cell gets a leading
 * single quote and opens as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Encodes one cell. Numbers skip the formula guard, so a negative value stays a number. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(transition: AlarmTransition): string {
  const cells = [
    new Date(transition.at).toISOString(),
    transition.seq,
    transition.id,
    transition.ruleId,
    transition.action,
    transition.from,
    transition.to,
    transition.severity,
    transition.point,
    transition.device,
    transition.value,
    transition.message,
    transition.user?.name,
    transition.user?.origin,
    transition.comment,
    transition.occurrence,
    transition.shelvedUntil === null ? null : new Date(transition.shelvedUntil).toISOString(),
    transition.requestId,
  ];
  return `${cells.map(csvCell).join(',')}\n`;
}

const historyQueryDoc = alarmHistoryFilterSchema.extend({ from: timeParamDocSchema.optional(), to: timeParamDocSchema.optional() });

const alarmActionParams = z.object({
  ruleId: z.string().openapi({ param: { name: 'ruleId', in: 'path' }, example: 'grid-overload' }),
  action: z.enum(Object.keys(urlActions) as [string, ...string[]]).openapi({ param: { name: 'action', in: 'path' } }),
});

const idempotencyHeaders = z.object({
  'idempotency-key': z.uuid().optional().openapi({ description: 'A UUID; an action sent again with the same key is applied once' }),
});

export const activeAlarmsRoute = createRoute({
  method: 'get',
  path: '/alarms',
  tags: ['alarms'],
  summary: 'Current state of every alarm rule of the site',
  security: bearerSecurity,
  responses: {
    200: { description: 'Alarms', content: { 'application/json': { schema: z.object({ alarms: z.array(alarmStatusSchema) }) } } },
    ...errorResponses(401, 403),
  },
});

export const alarmHistoryRoute = createRoute({
  method: 'get',
  path: '/alarms/history',
  tags: ['alarms'],
  summary: 'Alarm transitions, newest first',
  security: bearerSecurity,
  request: { query: historyQueryDoc },
  responses: {
    200: {
      description: 'Transitions; `truncated` is true when `limit` rows were returned',
      content: { 'application/json': { schema: z.object({ transitions: z.array(alarmTransitionSchema), truncated: z.boolean() }) } },
    },
    ...errorResponses(400, 401, 403),
  },
});

export const alarmHistoryCsvRoute = createRoute({
  method: 'get',
  path: '/alarms/history.csv',
  tags: ['alarms'],
  summary: 'Alarm transitions as CSV; needs `report.export` (operator and above)',
  security: bearerSecurity,
  request: { query: historyQueryDoc },
  responses: {
    200: { description: 'CSV with a header row', content: { 'text/csv': { schema: z.string() } } },
    ...errorResponses(400, 401, 403),
  },
});

export const alarmActionRoute = createRoute({
  method: 'post',
  path: '/alarms/{ruleId}/{action}',
  tags: ['alarms'],
  summary: "A user's action on an alarm: acknowledge, shelve, unshelve, comment, remove from or return to service",
  security: bearerSecurity,
  request: {
    params: alarmActionParams,
    headers: idempotencyHeaders,
    body: { required: false, content: { 'application/json': { schema: alarmActionBodySchema } } },
  },
  responses: {
    200: {
      description: 'The action was applied, or was a duplicate acknowledgement',
      content: { 'application/json': { schema: alarmActionResultSchema.options[0] } },
    },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** Route definitions of this module, for the OpenAPI document. */
export const alarmRouteDefinitions = [activeAlarmsRoute, alarmHistoryRoute, alarmHistoryCsvRoute, alarmActionRoute];

/**
 * Alarm routes: active alarms, the history as JSON and CSV, and users' actions. The app's guard
 * requires `dashboard.view`. The alarm service checks each action's own right, so the edge's API and
 * the requests the hub relays share one check.
 */
export function alarmRoutes(runtime: EdgeRuntime) {
  const app = createRouter();

  mountRoute(app, activeAlarmsRoute, (c) => c.json({ alarms: runtime.alarms.active() }));

  mountRoute(app, alarmHistoryRoute, (c) => {
    const query = parseQuery(c, historyQuery);
    if (!query.ok) return query.response;
    const transitions = runtime.alarms.history(transitionQuery(query.value));
    return c.json({ transitions, truncated: transitions.length === query.value.limit });
  });

  mountRoute(app, alarmHistoryCsvRoute, (c) => {
    const actor = requestActor(runtime.db, c);
    if (!isAllowed({ role: actor.role, developer: actor.developer }, 'report.export')) {
      return errorResponse(c, 403, 'forbidden', `the role ${actor.role ?? 'none'} may not take the action report.export; exporting the alarm history needs operator or above`);
    }
    const query = parseQuery(c, historyQuery);
    if (!query.ok) return query.response;
    const filter = transitionQuery(query.value);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="alarm-history-${runtime.config.site.id}.csv"`);
    return stream(c, async (output) => {
      await output.write(csvColumns);
      let remaining = filter.limit;
      let beforeSeq: number | undefined;
      while (remaining > 0) {
        const page = runtime.alarms.history({ ...filter, limit: Math.min(remaining, CSV_PAGE_ROWS) }, beforeSeq);
        for (const transition of page) await output.write(csvRow(transition));
        if (page.length < Math.min(remaining, CSV_PAGE_ROWS)) return;
        remaining -= page.length;
        beforeSeq = page.at(-1)!.seq;
      }
    });
  });

  mountRoute(app, alarmActionRoute, async (c) => {
    const ruleId = c.req.param('ruleId') ?? '';
    const urlAction = c.req.param('action') ?? '';
    const action = urlActions[urlAction];
    if (action === undefined) {
      return errorResponse(c, 404, 'unknown_action', `no alarm action "${urlAction}": use one of ${Object.keys(urlActions).join(', ')}`, 'action');
    }
    const idempotencyKey = idempotencyKeySchema.safeParse(c.req.header('idempotency-key'));
    if (!idempotencyKey.success) return errorResponse(c, 400, 'invalid_parameter', idempotencyKey.error.issues[0]!.message, 'Idempotency-Key');

    let json: unknown = {};
    const text = await c.req.text();
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        return errorResponse(c, 400, 'invalid_body', `the body is not valid JSON: ${text.slice(0, 80)}`);
      }
    }
    const body = alarmActionBodySchema.safeParse(json);
    if (!body.success) {
      const issue = body.error.issues[0]!;
      const parameter = issue.path.map(String).join('.') || 'body';
      return errorResponse(c, 400, 'invalid_body', `${parameter}: ${issue.message}`, parameter);
    }

    const result = runtime.alarms.apply({
      ruleId,
      action,
      body: body.data,
      actor: requestActor(runtime.db, c),
      ...(idempotencyKey.data === undefined ? {} : { requestId: idempotencyKey.data }),
    });
    if (!result.ok) return errorResponse(c, rejectionStatus[result.code], result.code, result.message);
    return c.json(result);
  });

  return app;
}
