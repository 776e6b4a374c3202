import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireSite } from '../access/guards';
import { runChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, notFound } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import { idParam } from '../sites/schemas';
import { deleteRule, findRuleForUpdate, insertRule, listRules, ruleAuditState, updateRule } from './rule-store';
import { resolveRuleFields } from './rule-validation';
import { alarmRuleBodySchema, alarmRuleListSchema, alarmRulePatchSchema, alarmRuleSchema } from './schemas';

const WHO =
  'Site managers and above of the site. The edge receives the rules with the alarm_rules shape and evaluates them; the hub never does. ' +
  '`point` names a point of the site as `device.point`; `condition` is one of the alarm conditions (high, high_high, low, low_low, ' +
  'rate_of_change, stale, device_offline, state).';

const siteParams = z.object({ siteId: idParam('siteId') });
const ruleParams = z.object({ siteId: idParam('siteId'), ruleId: idParam('ruleId') });
const ruleContent = { 'application/json': { schema: alarmRuleSchema } };

const listRulesRoute = createRoute({
  method: 'get',
  path: '/api/sites/{siteId}/alarm-rules',
  tags: ['alarms'],
  summary: "List a site's alarm rules",
  description: WHO,
  security: bearerSecurity,
  request: { params: siteParams },
  responses: { 200: { description: 'The rules, oldest first', content: { 'application/json': { schema: alarmRuleListSchema } } }, ...errorResponses(401, 403, 404) },
});

const createRuleRoute = createRoute({
  method: 'post',
  path: '/api/sites/{siteId}/alarm-rules',
  tags: ['alarms'],
  summary: 'Add an alarm rule to a site',
  description: WHO,
  security: bearerSecurity,
  request: { params: siteParams, body: { required: true, content: { 'application/json': { schema: alarmRuleBodySchema } } } },
  responses: { 201: { description: 'The new rule', content: ruleContent }, ...errorResponses(400, 401, 403, 404) },
});

const updateRuleRoute = createRoute({
  method: 'patch',
  path: '/api/sites/{siteId}/alarm-rules/{ruleId}',
  tags: ['alarms'],
  summary: 'Change fields of an alarm rule',
  description: `${WHO} Fields left out keep their value; a new condition replaces the old one whole.`,
  security: bearerSecurity,
  request: { params: ruleParams, body: { required: true, content: { 'application/json': { schema: alarmRulePatchSchema } } } },
  responses: { 200: { description: 'The changed rule', content: ruleContent }, ...errorResponses(400, 401, 403, 404) },
});

const deleteRuleRoute = createRoute({
  method: 'delete',
  path: '/api/sites/{siteId}/alarm-rules/{ruleId}',
  tags: ['alarms'],
  summary: 'Delete an alarm rule',
  description: `${WHO} The history of the rule's alarm stays.`,
  security: bearerSecurity,
  request: { params: ruleParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
});

/** Registers the alarm rule routes. */
export function registerAlarmRuleRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(listRulesRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const rules = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const site = await requireSite(tx, caller, siteId, 'site.manage');
      return listRules(tx, site.id);
    });
    return c.json({ rules }, 200);
  });

  app.openapi(createRuleRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const body = c.req.valid('json');
    const rule = await runChange(deps, c, async ({ tx, audit }) => {
      const site = await requireSite(tx, caller, siteId, 'site.manage');
      const fields = await resolveRuleFields(tx, site.id, body);
      const created = await insertRule(tx, site, fields);
      await audit({
        action: 'alarm_rule.create',
        targetType: 'alarm_rule',
        targetId: created.id,
        organizationId: site.organizationId,
        siteId: site.id,
        after: ruleAuditState(fields),
      });
      return created;
    });
    return c.json(rule, 201);
  });

  app.openapi(updateRuleRoute, async (c) => {
    const { caller } = c.var;
    const { siteId, ruleId } = c.req.valid('param');
    const patch = c.req.valid('json');
    const rule = await runChange(deps, c, async ({ tx, audit }) => {
      const site = await requireSite(tx, caller, siteId, 'site.manage');
      const existing = await findRuleForUpdate(tx, site.id, ruleId);
      if (existing === undefined) throw notFound('alarm rule', ruleId);
      const merged = {
        name: patch.name ?? existing.name,
        severity: patch.severity ?? existing.severity,
        enabled: patch.enabled ?? existing.enabled,
        point: patch.point === undefined ? existing.point : patch.point,
        condition: patch.condition ?? existing.condition,
      };
      const fields = await resolveRuleFields(tx, site.id, merged);
      const updated = await updateRule(tx, site.id, ruleId, fields);
      await audit({
        action: 'alarm_rule.update',
        targetType: 'alarm_rule',
        targetId: ruleId,
        organizationId: site.organizationId,
        siteId: site.id,
        before: ruleAuditState(existing),
        after: ruleAuditState(fields),
      });
      return updated;
    });
    return c.json(rule, 200);
  });

  app.openapi(deleteRuleRoute, async (c) => {
    const { caller } = c.var;
    const { siteId, ruleId } = c.req.valid('param');
    await runChange(deps, c, async ({ tx, audit }) => {
      const site = await requireSite(tx, caller, siteId, 'site.manage');
      const existing = await findRuleForUpdate(tx, site.id, ruleId);
      if (existing === undefined) throw notFound('alarm rule', ruleId);
      await deleteRule(tx, site.id, ruleId);
      await audit({
        action: 'alarm_rule.delete',
        targetType: 'alarm_rule',
        targetId: ruleId,
        organizationId: site.organizationId,
        siteId: site.id,
        before: ruleAuditState(existing),
      });
    });
    return c.body(null, 204);
  });
}
