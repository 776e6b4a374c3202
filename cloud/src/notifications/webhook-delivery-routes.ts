import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { runChange } from '../api/change';
import type { AppEnv } from '../api/env';
import { errorResponses, notFound } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import { idParam } from '../sites/schemas';
import { enqueueDeliveries, recordAttempt } from './delivery-queue';
import { DEFAULT_WEBHOOK_SETTINGS, requireWebhook, type WebhookRouteDeps } from './webhook-access';
import { TEST_EVENT, testPayload } from './webhook-event';
import { toDelivery, type DeliveryRow } from './webhook-rows';
import { deliveryQuerySchema, webhookDeliveryListSchema, webhookDeliverySchema } from './webhook-schemas';
import { sendWebhook } from './webhook-sender';

const webhookParams = z.object({ organizationId: idParam('organizationId'), webhookId: idParam('webhookId') });

/** Time a test delivery stays out of the worker's reach beyond the send timeout, while the route sends it. */
const TEST_LEASE_MARGIN_MS = 30_000;

const testWebhookRoute = createRoute({
  method: 'post',
  path: '/api/organizations/{organizationId}/webhooks/{webhookId}/test',
  tags: ['notifications'],
  summary: 'Send a signed `webhook.test` event to a webhook now, once, and return the outcome (org admins and up)',
  description: 'Works on a disabled webhook too. The attempt is stored in the delivery history; a failed test is not retried.',
  security: bearerSecurity,
  request: { params: webhookParams },
  responses: { 200: { description: 'The test delivery, delivered or failed', content: { 'application/json': { schema: webhookDeliverySchema } } }, ...errorResponses(401, 403, 404) },
});

const listDeliveriesRoute = createRoute({
  method: 'get',
  path: '/api/organizations/{organizationId}/webhooks/{webhookId}/deliveries',
  tags: ['notifications'],
  summary: "List a webhook's deliveries, newest first (org admins and up)",
  security: bearerSecurity,
  request: { params: webhookParams, query: deliveryQuerySchema },
  responses: { 200: { description: 'Deliveries', content: { 'application/json': { schema: webhookDeliveryListSchema } } }, ...errorResponses(400, 401, 403, 404) },
});

const statusFilters = {
  pending: 'AND delivered_at IS NULL AND given_up_at IS NULL',
  delivered: 'AND delivered_at IS NOT NULL',
  failed: 'AND given_up_at IS NOT NULL',
} as const;

/** Registers the routes that test a webhook and list its deliveries. */
export function registerWebhookDeliveryRoutes(app: OpenAPIHono<AppEnv>, deps: WebhookRouteDeps): void {
  const settings = deps.webhooks ?? DEFAULT_WEBHOOK_SETTINGS;

  app.openapi(testWebhookRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId, webhookId } = c.req.valid('param');
    const startedAt = Date.now();
    const payload = testPayload(organizationId, startedAt);
    const { webhook, deliveryId } = await runChange(deps, c, async ({ tx, audit }) => {
      const row = await requireWebhook(tx, caller, organizationId, webhookId, { withSecret: true });
      const leaseUntil = new Date(startedAt + settings.timeoutMs + TEST_LEASE_MARGIN_MS);
      await enqueueDeliveries(tx, [{ webhookId: row.id, organizationId, event: TEST_EVENT, eventKey: payload.eventKey, payload }], leaseUntil);
      const [queued] = await tx<{ id: string }[]>`
        UPDATE webhook_deliveries SET attempts = 1 WHERE webhook_id = ${row.id} AND event_key = ${payload.eventKey} RETURNING id`;
      await audit({ action: 'webhook.test', targetType: 'webhook', targetId: row.id, organizationId, after: { deliveryId: queued!.id } });
      return { webhook: row, deliveryId: queued!.id };
    });

    const result = await sendWebhook({ url: webhook.url, secret: webhook.secret!, event: TEST_EVENT, deliveryId, body: JSON.stringify(payload) }, settings, Date.now());
    const outcome = result.ok
      ? { delivered: true, status: result.status, error: null, retryAt: null }
      : { delivered: false, status: result.status, error: result.error, retryAt: null };
    const row = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      await recordAttempt(tx, deliveryId, 1, outcome, new Date());
      const [stored] = await tx<DeliveryRow[]>`SELECT * FROM webhook_deliveries WHERE id = ${deliveryId} AND organization_id = ${organizationId}`;
      // Deleting the webhook while the test was in flight deleted the delivery with it.
      if (!stored) throw notFound('webhook', webhookId);
      return stored;
    });
    c.var.logger.info({ organizationId, webhookId, deliveryId, status: result.status, delivered: result.ok }, 'webhook test sent');
    return c.json(toDelivery(row), 200);
  });

  app.openapi(listDeliveriesRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId, webhookId } = c.req.valid('param');
    const { status, limit } = c.req.valid('query');
    const rows = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const webhook = await requireWebhook(tx, caller, organizationId, webhookId);
      return tx<DeliveryRow[]>`
        SELECT * FROM webhook_deliveries
        WHERE webhook_id = ${webhook.id} AND organization_id = ${organizationId} ${tx.unsafe(status === undefined ? '' : statusFilters[status])}
        ORDER BY created_at DESC, id DESC
        LIMIT ${limit}`;
    });
    return c.json({ deliveries: rows.map(toDelivery) }, 200);
  });
}
