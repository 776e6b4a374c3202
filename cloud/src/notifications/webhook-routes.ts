import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { organizationFilter, requireOrganization } from '../access/guards';
import { runChange } from '../api/change';
import type { AppEnv } from '../api/env';
import { errorResponses } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import { idParam } from '../sites/schemas';
import { giveUpDeliveriesOf } from './delivery-queue';
import { checkEscalation, checkWebhookUrl, DEFAULT_WEBHOOK_SETTINGS, requireWebhook, WEBHOOK_ACTION, type WebhookRouteDeps } from './webhook-access';
import { WEBHOOK_COLUMNS, toWebhook, webhookAuditState, type WebhookRow } from './webhook-rows';
import { createWebhookBodySchema, updateWebhookBodySchema, webhookListSchema, webhookSchema, webhookWithSecretSchema } from './webhook-schemas';
import { createWebhookSecret } from './webhook-signature';

const organizationParams = z.object({ organizationId: idParam('organizationId') });
const webhookParams = z.object({ organizationId: idParam('organizationId'), webhookId: idParam('webhookId') });
const webhookContent = { 'application/json': { schema: webhookSchema } };
const withSecretContent = { 'application/json': { schema: webhookWithSecretSchema } };

const listWebhooksRoute = createRoute({
  method: 'get',
  path: '/api/organizations/{organizationId}/webhooks',
  tags: ['notifications'],
  summary: "List an organization's alarm webhooks (org admins and up)",
  security: bearerSecurity,
  request: { params: organizationParams },
  responses: { 200: { description: 'Webhooks, without their secrets', content: { 'application/json': { schema: webhookListSchema } } }, ...errorResponses(401, 403, 404) },
});

const createWebhookRoute = createRoute({
  method: 'post',
  path: '/api/organizations/{organizationId}/webhooks',
  tags: ['notifications'],
  summary: 'Add an alarm webhook and create its signing secret (org admins and up)',
  description: 'The secret is in this response only. The URL must be https and public unless the hub sets WEBHOOK_ALLOW_PRIVATE=true.',
  security: bearerSecurity,
  request: { params: organizationParams, body: { required: true, content: { 'application/json': { schema: createWebhookBodySchema } } } },
  responses: { 201: { description: 'The new webhook and its secret', content: withSecretContent }, ...errorResponses(400, 401, 403, 404) },
});

const getWebhookRoute = createRoute({
  method: 'get',
  path: '/api/organizations/{organizationId}/webhooks/{webhookId}',
  tags: ['notifications'],
  summary: 'Read an alarm webhook (org admins and up)',
  security: bearerSecurity,
  request: { params: webhookParams },
  responses: { 200: { description: 'The webhook, without its secret', content: webhookContent }, ...errorResponses(401, 403, 404) },
});

const updateWebhookRoute = createRoute({
  method: 'patch',
  path: '/api/organizations/{organizationId}/webhooks/{webhookId}',
  tags: ['notifications'],
  summary: 'Change an alarm webhook (org admins and up)',
  description: 'Disabling a webhook gives up the deliveries still queued for it.',
  security: bearerSecurity,
  request: { params: webhookParams, body: { required: true, content: { 'application/json': { schema: updateWebhookBodySchema } } } },
  responses: { 200: { description: 'The updated webhook', content: webhookContent }, ...errorResponses(400, 401, 403, 404) },
});

const rotateSecretRoute = createRoute({
  method: 'post',
  path: '/api/organizations/{organizationId}/webhooks/{webhookId}/rotate-secret',
  tags: ['notifications'],
  summary: "Replace a webhook's signing secret (org admins and up)",
  description: 'The new secret signs every request from the commit on, retries of older deliveries included; it is in this response only.',
  security: bearerSecurity,
  request: { params: webhookParams },
  responses: { 200: { description: 'The webhook and its new secret', content: withSecretContent }, ...errorResponses(401, 403, 404) },
});

const deleteWebhookRoute = createRoute({
  method: 'delete',
  path: '/api/organizations/{organizationId}/webhooks/{webhookId}',
  tags: ['notifications'],
  summary: 'Delete an alarm webhook and its delivery history (org admins and up)',
  security: bearerSecurity,
  request: { params: webhookParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
});

/** Registers the routes that manage an organization's alarm webhooks. */
export function registerWebhookRoutes(app: OpenAPIHono<AppEnv>, deps: WebhookRouteDeps): void {
  const settings = deps.webhooks ?? DEFAULT_WEBHOOK_SETTINGS;

  app.openapi(listWebhooksRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId } = c.req.valid('param');
    requireOrganization(caller, organizationId, WEBHOOK_ACTION);
    const rows = await inTenantScope(deps.sql, caller.scope, (tx) => tx<WebhookRow[]>`
      SELECT ${tx(WEBHOOK_COLUMNS)} FROM webhooks
      WHERE organization_id = ${organizationId} ${organizationFilter(tx, caller, 'organization_id')}
      ORDER BY name, id`);
    return c.json({ webhooks: rows.map(toWebhook) }, 200);
  });

  app.openapi(createWebhookRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId } = c.req.valid('param');
    const body = c.req.valid('json');
    requireOrganization(caller, organizationId, WEBHOOK_ACTION);
    checkWebhookUrl(body.url, settings);
    const escalationMinutes = body.escalationMinutes ?? null;
    const events = body.events ?? (escalationMinutes === null ? ['alarm.raised'] : ['alarm.raised', 'alarm.escalated']);
    checkEscalation(events, escalationMinutes);
    const secret = createWebhookSecret();
    const row = await runChange(deps, c, async ({ tx, audit }) => {
      const [created] = await tx<WebhookRow[]>`
        INSERT INTO webhooks (organization_id, name, url, secret, enabled, events, min_severity, escalation_minutes)
        VALUES (${organizationId}, ${body.name}, ${body.url}, ${secret}, ${body.enabled ?? true}, ${tx.array(events)},
                ${body.minSeverity ?? 'info'}, ${escalationMinutes})
        RETURNING ${tx(WEBHOOK_COLUMNS)}`;
      await audit({ action: 'webhook.create', targetType: 'webhook', targetId: created!.id, organizationId, after: webhookAuditState(created!) });
      return created!;
    });
    c.var.logger.info({ organizationId, webhookId: row.id, host: new URL(row.url).host }, 'webhook created');
    c.header('Cache-Control', 'no-store');
    return c.json({ webhook: toWebhook(row), secret }, 201);
  });

  app.openapi(getWebhookRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId, webhookId } = c.req.valid('param');
    const row = await inTenantScope(deps.sql, caller.scope, (tx) => requireWebhook(tx, caller, organizationId, webhookId));
    return c.json(toWebhook(row), 200);
  });

  app.openapi(updateWebhookRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId, webhookId } = c.req.valid('param');
    const body = c.req.valid('json');
    if (body.url !== undefined) checkWebhookUrl(body.url, settings);
    const row = await runChange(deps, c, async ({ tx, audit }) => {
      const before = await requireWebhook(tx, caller, organizationId, webhookId, { lock: true });
      const events = body.events ?? before.events;
      const escalationMinutes = body.escalationMinutes === undefined ? before.escalation_minutes : body.escalationMinutes;
      checkEscalation(events, escalationMinutes);
      const [after] = await tx<WebhookRow[]>`
        UPDATE webhooks SET
          name = ${body.name ?? before.name},
          url = ${body.url ?? before.url},
          enabled = ${body.enabled ?? before.enabled},
          events = ${tx.array(events)},
          min_severity = ${body.minSeverity ?? before.min_severity},
          escalation_minutes = ${escalationMinutes},
          updated_at = now()
        WHERE id = ${before.id} AND organization_id = ${organizationId}
        RETURNING ${tx(WEBHOOK_COLUMNS)}`;
      if (before.enabled && !after!.enabled) await giveUpDeliveriesOf(tx, before.id, new Date());
      await audit({ action: 'webhook.update', targetType: 'webhook', targetId: before.id, organizationId, before: webhookAuditState(before), after: webhookAuditState(after!) });
      return after!;
    });
    return c.json(toWebhook(row), 200);
  });

  app.openapi(rotateSecretRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId, webhookId } = c.req.valid('param');
    const secret = createWebhookSecret();
    const row = await runChange(deps, c, async ({ tx, audit }) => {
      const before = await requireWebhook(tx, caller, organizationId, webhookId, { lock: true });
      const [after] = await tx<WebhookRow[]>`
        UPDATE webhooks SET secret = ${secret}, updated_at = now()
        WHERE id = ${before.id} AND organization_id = ${organizationId}
        RETURNING ${tx(WEBHOOK_COLUMNS)}`;
      // The secret itself is never audited; the entry records that it changed.
      await audit({ action: 'webhook.secret_rotate', targetType: 'webhook', targetId: before.id, organizationId, after: webhookAuditState(after!) });
      return after!;
    });
    c.var.logger.info({ organizationId, webhookId: row.id }, 'webhook secret rotated');
    c.header('Cache-Control', 'no-store');
    return c.json({ webhook: toWebhook(row), secret }, 200);
  });

  app.openapi(deleteWebhookRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId, webhookId } = c.req.valid('param');
    await runChange(deps, c, async ({ tx, audit }) => {
      const row = await requireWebhook(tx, caller, organizationId, webhookId, { lock: true });
      await tx`DELETE FROM webhooks WHERE id = ${row.id} AND organization_id = ${organizationId}`;
      await audit({ action: 'webhook.delete', targetType: 'webhook', targetId: row.id, organizationId, before: webhookAuditState(row) });
    });
    c.var.logger.info({ organizationId, webhookId }, 'webhook deleted');
    return c.body(null, 204);
  });
}
