import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDueDeliveries, recordAttempt } from '../../src/notifications/delivery-queue';
import { scanEscalations } from '../../src/notifications/escalation-scan';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { createWebhookSecret } from '../../src/notifications/webhook-signature';
import { raiseAlarm } from '../alarms/alarm-fixture';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { asOwner, seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { pairEdge, type PairedEdge } from '../uploads/paired-edge';

/* Faults found by trying to break the hub's notifications as an org admin and an operator would, each kept as a test. */

let fixture: CloudFixture;
let ctx: SiteRoles;
let edge: PairedEdge;

beforeAll(async () => {
  fixture = await createCloudFixture('notification_regressions');
  ctx = await seedSiteRoles(fixture);
  edge = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId);
  const [site] = await asOwner(fixture, (tx) => tx<{ organization_id: string }[]>`SELECT organization_id FROM sites WHERE id = ${ctx.siteId}`);
  // The receiver is never called: the test reads the queue only.
  await asOwner(fixture, (tx) => tx`
    INSERT INTO webhooks (organization_id, name, url, secret, events, min_severity, escalation_minutes)
    VALUES (${site!.organization_id}, 'Pager', 'http://127.0.0.1:9/hook', ${createWebhookSecret()}, ${tx.array(['alarm.raised', 'alarm.escalated'])}, 'info', 1)`);
});

afterAll(async () => {
  await fixture?.close();
});

describe('escalation of an alarm acknowledged on the hub', () => {
  // The hub sets its acknowledgement at once but keeps the edge's state (active_unack) until the edge
  // uploads its own transition. With the edge offline the scan escalated the acknowledged alarm.
  it('queues no escalation while the edge has not yet applied the acknowledgement', async () => {
    const raise = await raiseAlarm(fixture, edge);
    const acknowledged = await call(fixture.app, ctx.tokens.operator, 'POST', `/api/sites/${ctx.siteId}/alarms/${raise.ruleId}/acknowledge`, { occurrence: raise.occurrence });
    expect(acknowledged.status).toBe(202);
    expect(acknowledged.body.alarm.state).toBe('active_unack');

    expect(await scanEscalations(fixture.sql, new Date(), 100)).toBe(0);
  });

  it('still escalates an alarm nobody acknowledged', async () => {
    await raiseAlarm(fixture, edge);
    expect(await scanEscalations(fixture.sql, new Date(), 100)).toBe(1);
  });
});

describe('disabling a webhook', () => {
  // The route documents that disabling gives up what is queued, but the worker gave up only deliveries already
  // due. A retry scheduled for later survived, and enabling the webhook again sent the stale alarm.
  it('gives up retries scheduled later', async () => {
    const path = `/api/organizations/${ctx.organizationId}/webhooks`;
    const created = await call(fixture.app, ctx.tokens.org_admin, 'POST', path, { name: 'Ops', url: 'https://alerts.example.com/ems' });
    expect(created.status).toBe(201);
    const webhookId: string = created.body.webhook.id;
    await asOwner(fixture, (tx) => tx`
      INSERT INTO webhook_deliveries (webhook_id, organization_id, event, event_key, payload, attempts, next_attempt_at, last_status)
      VALUES (${webhookId}, ${ctx.organizationId}, 'alarm.raised', 'transition:retry-later', ${tx.json({ type: 'alarm.raised' })}, 1,
              now() + interval '10 minutes', 500)`);

    expect((await call(fixture.app, ctx.tokens.org_admin, 'PATCH', `${path}/${webhookId}`, { enabled: false })).status).toBe(200);
    expect((await call(fixture.app, ctx.tokens.org_admin, 'PATCH', `${path}/${webhookId}`, { enabled: true })).status).toBe(200);

    const deliveries = await call(fixture.app, ctx.tokens.org_admin, 'GET', `${path}/${webhookId}/deliveries`);
    expect(deliveries.body.deliveries).toHaveLength(1);
    expect(deliveries.body.deliveries[0]).toMatchObject({ status: 'failed', lastError: 'the webhook was disabled before the delivery was sent' });
  });

  it('gives up an attempt in flight when it fails after the disable', async () => {
    const path = `/api/organizations/${ctx.organizationId}/webhooks`;
    const created = await call(fixture.app, ctx.tokens.org_admin, 'POST', path, { name: 'In flight', url: 'https://flight.example.com/ems' });
    const webhookId: string = created.body.webhook.id;
    await asOwner(fixture, (tx) => tx`
      INSERT INTO webhook_deliveries (webhook_id, organization_id, event, event_key, payload, next_attempt_at)
      VALUES (${webhookId}, ${ctx.organizationId}, 'alarm.raised', 'transition:in-flight', ${tx.json({ type: 'alarm.raised' })}, now() - interval '1 second')`);
    const now = new Date();
    const claimed = (await claimDueDeliveries(fixture.sql, now, new Date(now.getTime() + 60_000), 100)).filter((delivery) => delivery.webhookId === webhookId);
    expect(claimed).toHaveLength(1);

    expect((await call(fixture.app, ctx.tokens.org_admin, 'PATCH', `${path}/${webhookId}`, { enabled: false })).status).toBe(200);
    const retryAt = new Date(now.getTime() + 600_000);
    await inTenantScope(fixture.sql, allOrganizations, (tx) => recordAttempt(tx, claimed[0]!.id, claimed[0]!.attempt, { delivered: false, status: 500, error: 'HTTP 500', retryAt }, new Date()));
    expect((await call(fixture.app, ctx.tokens.org_admin, 'PATCH', `${path}/${webhookId}`, { enabled: true })).status).toBe(200);

    const deliveries = await call(fixture.app, ctx.tokens.org_admin, 'GET', `${path}/${webhookId}/deliveries`);
    expect(deliveries.body.deliveries).toHaveLength(1);
    expect(deliveries.body.deliveries[0]).toMatchObject({ status: 'failed', lastError: 'HTTP 500' });
  });
});
