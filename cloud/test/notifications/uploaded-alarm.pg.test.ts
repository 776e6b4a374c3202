import { randomUUID } from 'node:crypto';
import type { AlarmTransition } from '@simtestlab/sync';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationWorker } from '../../src/notifications/notification-worker';
import { webhookPayloadSchema } from '../../src/notifications/webhook-event';
import { createApp } from '../../src/api/app';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { asOwner, seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { batchOf, pairEdge, upload, type PairedEdge } from '../uploads/paired-edge';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

let fixture: CloudFixture;
let roles: SiteRoles;
let edge: PairedEdge;
let receiver: WebhookReceiver;
let worker: NotificationWorker;
const clock = { nowMs: Date.now() };

beforeAll(async () => {
  fixture = await createCloudFixture('uploaded_alarm');
  roles = await seedSiteRoles(fixture);
  edge = await pairEdge(fixture.app, roles.tokens.site_manager, roles.siteId);
  receiver = await startWebhookReceiver();
  worker = new NotificationWorker({
    sql: fixture.sql,
    logger: pino({ level: 'silent' }),
    settings: { allowPrivate: true, timeoutMs: 2_000, maxAttempts: 3, backoffBaseMs: 1_000, maxBackoffMs: 60_000, pollIntervalMs: 50 },
    now: () => clock.nowMs,
  });
});

afterAll(async () => {
  await receiver?.close();
  await fixture?.close();
});

let seq = 0;

/** Builds a transition of the boiler rule as the edge uploads it. */
function transition(parts: Pick<AlarmTransition, 'action' | 'from' | 'to' | 'occurrence'> & Partial<AlarmTransition>): AlarmTransition {
  seq += 1;
  return {
    id: randomUUID(),
    seq,
    ruleId: 'boiler-temp-high',
    at: Date.now(),
    value: 92.5,
    severity: 'critical',
    message: 'Boiler temperature 92.5 °C above 90 °C',
    point: 'boiler.temp',
    device: 'boiler',
    user: null,
    comment: null,
    shelvedUntil: null,
    requestId: null,
    ...parts,
  };
}

async function uploadTransition(item: AlarmTransition): Promise<void> {
  const response = await upload(fixture, edge, batchOf({ events: [{ id: item.id, kind: 'alarm', at: item.at, payload: item }] }));
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

describe('uploaded alarms', () => {
  it('reach a webhook created through the API', async () => {
    const labApp = createApp({ ...fixture.deps, webhooks: { allowPrivate: true, timeoutMs: 2_000 } });
    const created = await call(labApp, roles.tokens.org_admin, 'POST', `/api/organizations/${roles.organizationId}/webhooks`, {
      name: 'Control room',
      url: receiver.url,
      events: ['alarm.raised', 'alarm.acknowledged', 'alarm.escalated'],
      minSeverity: 'warning',
      escalationMinutes: 10,
    });
    expect(created.status).toBe(201);

    const occurrence = randomUUID();
    const raise = transition({ action: 'raise', from: 'normal', to: 'active_unack', occurrence });
    await uploadTransition(raise);
    await uploadTransition(raise);
    await worker.runOnce();

    expect(receiver.requests).toHaveLength(1);
    const raised = webhookPayloadSchema.parse(JSON.parse(receiver.requests[0]!.body));
    expect(raised.type).toBe('alarm.raised');
    expect(raised.transition?.id).toBe(raise.id);
    expect(raised.alarm).toMatchObject({ siteId: roles.siteId, ruleId: 'boiler-temp-high', occurrence, severity: 'critical', value: 92.5 });

    await asOwner(fixture, (tx) => tx`UPDATE alarms SET active_since = now() - interval '11 minutes' WHERE site_id = ${roles.siteId}`);
    await worker.runOnce();
    await worker.runOnce();
    expect(receiver.requests).toHaveLength(2);
    const escalated = webhookPayloadSchema.parse(JSON.parse(receiver.requests[1]!.body));
    expect(escalated.type).toBe('alarm.escalated');
    expect(escalated.alarm?.occurrence).toBe(occurrence);

    const acknowledge = transition({
      action: 'acknowledge',
      from: 'active_unack',
      to: 'active_ack',
      occurrence,
      user: { id: 'operator-1', name: 'Operator', origin: 'edge' },
      comment: 'checking the burner',
    });
    await uploadTransition(acknowledge);
    await worker.runOnce();
    expect(receiver.requests).toHaveLength(3);
    const acknowledged = webhookPayloadSchema.parse(JSON.parse(receiver.requests[2]!.body));
    expect(acknowledged.type).toBe('alarm.acknowledged');
    expect(acknowledged.transition?.user?.name).toBe('Operator');
    expect(acknowledged.transition?.comment).toBe('checking the burner');
  });
});
