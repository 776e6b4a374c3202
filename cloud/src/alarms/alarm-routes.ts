import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { alarmActionBodySchema, MAX_SHELVE_MS } from '@simtestlab/sync';
import { edgeRefusal } from '../access/edge-identity';
import { requireSite } from '../access/guards';
import { runChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, forbidden } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import { idParam } from '../sites/schemas';
import { permissionFor, recordAlarmAction } from './alarm-actions';
import type { AlarmActionDelivery } from './alarm-delivery';
import type { AlarmChangePublisher } from './alarm-publisher';
import { ALARM_COLUMNS, toAlarmStatus, type AlarmRow } from './alarm-rows';
import { activeAlarmsSchema, alarmActionAcceptedSchema, alarmActionParamSchema } from './schemas';

const activeAlarmsRoute = createRoute({
  method: 'get',
  path: '/api/sites/{siteId}/alarms',
  tags: ['alarms'],
  summary: "List a site's alarms that are not normal",
  description:
    'Viewers and above of the site. Alarms that are active, cleared but unacknowledged, shelved or out of service, as the edge last ' +
    'reported them and with acknowledgements made on the hub, most severe first and then newest first. Times are epoch ms UTC.',
  security: bearerSecurity,
  request: { params: z.object({ siteId: idParam('siteId') }) },
  responses: { 200: { description: 'The alarms', content: { 'application/json': { schema: activeAlarmsSchema } } }, ...errorResponses(401, 404) },
});

const alarmActionRoute = createRoute({
  method: 'post',
  path: '/api/sites/{siteId}/alarms/{ruleId}/{action}',
  tags: ['alarms'],
  summary: 'Acknowledge, shelve, unshelve, comment on, or take out of or back into service an alarm',
  description:
    'Operators and above for acknowledge, shelve, unshelve and comment; site managers and above for remove-from-service and ' +
    'return-to-service. The hub records the request and sends it to the edge, which applies it and uploads the transition; the ' +
    "request's result appears once the edge answered. `acknowledge` needs the `occurrence` the user saw and also sets the hub's " +
    'acknowledgement at once, unless the hub has one for that occurrence: then the answer says who acknowledged first and the ' +
    `request is still recorded for the history. \`shelve\` needs \`shelvedUntil\`, at most ${MAX_SHELVE_MS / 86_400_000} days ahead. ` +
    'An occurrence that is over gets 409 `stale_occurrence`, and an action that does not apply to the state 409 `invalid_state`.',
  security: bearerSecurity,
  request: {
    params: z.object({ siteId: idParam('siteId'), ruleId: z.string().max(100).openapi({ param: { name: 'ruleId', in: 'path' } }), action: alarmActionParamSchema }),
    body: { required: true, content: { 'application/json': { schema: alarmActionBodySchema.meta({ id: 'AlarmActionBody' }) } } },
  },
  responses: {
    202: { description: 'Recorded for delivery to the edge', content: { 'application/json': { schema: alarmActionAcceptedSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** Optional parts of the alarm routes: the publisher of alarm changes and the delivery of actions to edges. */
export interface AlarmRouteOptions {
  publish: AlarmChangePublisher;
  delivery?: AlarmActionDelivery;
}

/** Registers the routes of a site's current alarms and of hub users' alarm actions. */
export function registerAlarmRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps, options: AlarmRouteOptions): void {
  app.openapi(activeAlarmsRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const rows = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const site = await requireSite(tx, caller, siteId, 'dashboard.view');
      return tx<AlarmRow[]>`
        SELECT ${tx(ALARM_COLUMNS)} FROM alarms
        WHERE site_id = ${site.id} AND state <> 'normal'
        ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, active_since DESC NULLS LAST, rule_id`;
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ siteId, alarms: rows.map(toAlarmStatus) }, 200);
  });

  app.openapi(alarmActionRoute, async (c) => {
    const { caller, logger } = c.var;
    const { siteId, ruleId, action } = c.req.valid('param');
    const body = c.req.valid('json');
    const recorded = await runChange(deps, c, async ({ tx, audit }) => {
      const site = await requireSite(tx, caller, siteId, permissionFor(action));
      const edgeProblem = await edgeRefusal(tx, site, caller.userId, 'alarm actions');
      if (edgeProblem !== null) throw forbidden(edgeProblem);
      const result = await recordAlarmAction(tx, { site, caller, ruleId, action, body, now: Date.now() });
      await audit({
        action: `alarm.${action}`,
        targetType: 'alarm',
        targetId: ruleId,
        organizationId: site.organizationId,
        siteId: site.id,
        before: result.before,
        after: { requestId: result.requestId, body, duplicate: result.duplicate },
      });
      return result;
    });

    if (recorded.change !== null) await options.publish([recorded.change]);
    try {
      options.delivery?.deliver(siteId);
    } catch (error) {
      logger.error({ err: error, siteId, requestId: recorded.requestId }, 'starting the delivery of an alarm action failed; it is sent when the uplink next connects');
    }
    return c.json(
      { requestId: recorded.requestId, siteId, ruleId, action, duplicate: recorded.duplicate, message: recorded.message, alarm: recorded.alarm },
      202,
    );
  });
}
