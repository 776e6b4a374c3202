import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Sql } from '../../src/db/connect';
import type { Logger } from '../../src/logger';
import { claimDueDeliveries } from '../../src/notifications/delivery-queue';
import { NotificationWorker } from '../../src/notifications/notification-worker';
import { scanTransitions } from '../../src/notifications/transition-scan';
import type { NotificationWorkerSettings } from '../../src/notifications/notification-settings';
import { webhookPayloadSchema, type WebhookEventType } from '../../src/notifications/webhook-event';
import type { DeliveryRow } from '../../src/notifications/webhook-rows';
import { createWebhookSecret, verifyWebhookSignature, WEBHOOK_HEADERS } from '../../src/notifications/webhook-signature';
import { createCloudFixture, Seed, type CloudFixture } from '../support/cloud-fixture';
import { asOwner } from '../support/site-roles';
import { putAlarm, recordTransition } from './alarm-seed';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from './webhook-receiver';

const SETTINGS: NotificationWorkerSettings = {
  allowPrivate: true,
  timeoutMs: 2_000,
  maxAttempts: 3,
  backoffBaseMs: 1_000,
  maxBackoffMs: 60_000,
  pollIntervalMs: 50,
};

let fixture: CloudFixture;
let seed: Seed;
let receiver: WebhookReceiver;

beforeAll(async () => {
  fixture = await createCloudFixture('notify');
  seed = new Seed(fixture);
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await receiver?.close();
  await fixture?.close();
});

afterEach(async () => {
  // Deleting the webhooks deletes their deliveries, so no retry of one test reaches the next.
  await asOwner(fixture, (tx) => tx`DELETE FROM webhooks`);
  receiver.requests.length = 0;
  receiver.respond([]);
});

/** Creates a worker on a fake clock that starts at the real time and moves only when the test moves it. */
function createWorker(options: { sql?: Sql; logger?: Logger; settings?: Partial<NotificationWorkerSettings> } = {}) {
  const clock = { nowMs: Date.now() };
  const worker = new NotificationWorker({
    sql: options.sql ?? fixture.sql,
    logger: options.logger ?? pino({ level: 'silent' }),
    settings: { ...SETTINGS, ...options.settings },
    now: () => clock.nowMs,
  });
  return { worker, clock };
}

/** Seeds an organization with a site, and returns their ids. */
async function seedSite(name: string): Promise<{ organizationId: string; siteId: string }> {
  const organizationId = await seed.organization(name);
  return { organizationId, siteId: await seed.site(organizationId, `${name} plant`) };
}

async function addWebhook(
  organizationId: string,
  options: { events?: WebhookEventType[]; minSeverity?: string; escalationMinutes?: number | null; url?: string } = {},
): Promise<{ id: string; secret: string }> {
  const secret = createWebhookSecret();
  const [row] = await asOwner(fixture, (tx) => tx<{ id: string }[]>`
    INSERT INTO webhooks (organization_id, name, url, secret, events, min_severity, escalation_minutes)
    VALUES (${organizationId}, 'Pager', ${options.url ?? receiver.url}, ${secret}, ${tx.array(options.events ?? ['alarm.raised'])},
            ${options.minSeverity ?? 'info'}, ${options.escalationMinutes ?? null})
    RETURNING id`);
  return { id: row!.id, secret };
}

function deliveriesOf(webhookId: string): Promise<DeliveryRow[]> {
  return asOwner(fixture, async (tx) => [...(await tx<DeliveryRow[]>`SELECT * FROM webhook_deliveries WHERE webhook_id = ${webhookId} ORDER BY created_at, id`)]);
}

function signatureProblem(request: ReceivedRequest, secret: string, nowMs: number) {
  return verifyWebhookSignature({
    secret,
    body: request.body,
    timestamp: String(request.headers[WEBHOOK_HEADERS.timestamp.toLowerCase()]),
    signature: String(request.headers[WEBHOOK_HEADERS.signature.toLowerCase()]),
    nowS: Math.floor(nowMs / 1000),
  });
}

describe('alarm webhooks', () => {
  it('raised alarm sends one signed delivery', async () => {
    const { organizationId, siteId } = await seedSite('Raise');
    const webhook = await addWebhook(organizationId, { minSeverity: 'warning' });
    const { worker, clock } = createWorker();
    const raiseId = await recordTransition(fixture, { organizationId, siteId, severity: 'critical' });
    await recordTransition(fixture, { organizationId, siteId, ruleId: 'pump-info', severity: 'info' });
    await recordTransition(fixture, { organizationId, siteId, action: 'comment', from: 'active_unack', to: 'active_unack', severity: 'critical' });

    await worker.runOnce();
    await worker.runOnce();

    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request!.headers[WEBHOOK_HEADERS.event.toLowerCase()]).toBe('alarm.raised');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(signatureProblem(request!, webhook.secret, clock.nowMs)).toBeNull();
    expect(signatureProblem(request!, createWebhookSecret(), clock.nowMs)).toBe('mismatch');
    const payload = webhookPayloadSchema.parse(JSON.parse(request!.body));
    expect(payload.type).toBe('alarm.raised');
    expect(payload.eventKey).toBe(`transition:${raiseId}`);
    expect(payload.organizationId).toBe(organizationId);
    expect(payload.transition?.id).toBe(raiseId);
    expect(payload.alarm?.siteName).toBe('Raise plant');
    expect(payload.alarm?.severity).toBe('critical');

    const [delivery, ...others] = await deliveriesOf(webhook.id);
    expect(others).toHaveLength(0);
    expect(request!.headers[WEBHOOK_HEADERS.delivery.toLowerCase()]).toBe(delivery!.id);
    expect(delivery!.attempts).toBe(1);
    expect(delivery!.last_status).toBe(204);
    expect(delivery!.delivered_at).not.toBeNull();
  });

  it('cleared alarm reaches its subscribers', async () => {
    const { organizationId, siteId } = await seedSite('Clear');
    const raisedOnly = await addWebhook(organizationId);
    const clearedToo = await addWebhook(organizationId, { events: ['alarm.raised', 'alarm.cleared'] });
    const { worker } = createWorker();
    await recordTransition(fixture, { organizationId, siteId, action: 'clear', from: 'active_ack', to: 'normal' });

    await worker.runOnce();

    expect(await deliveriesOf(raisedOnly.id)).toHaveLength(0);
    const cleared = await deliveriesOf(clearedToo.id);
    expect(cleared.map((delivery) => delivery.event)).toEqual(['alarm.cleared']);
    expect(receiver.requests).toHaveLength(1);
  });

  it('failing receiver is retried with growing delays', async () => {
    const { organizationId, siteId } = await seedSite('Retry');
    const webhook = await addWebhook(organizationId);
    const { worker, clock } = createWorker();
    receiver.respond([500, 503]);
    await recordTransition(fixture, { organizationId, siteId });

    await worker.runOnce();
    const [first] = await deliveriesOf(webhook.id);
    expect(first!.attempts).toBe(1);
    expect(first!.last_status).toBe(500);
    expect(first!.last_error).toContain('receiver responded 500');
    const firstDelayMs = first!.next_attempt_at.getTime() - clock.nowMs;
    expect(firstDelayMs).toBeGreaterThanOrEqual(SETTINGS.backoffBaseMs / 2);
    expect(firstDelayMs).toBeLessThanOrEqual(SETTINGS.backoffBaseMs);

    clock.nowMs = first!.next_attempt_at.getTime() - 1;
    await worker.runOnce();
    expect(receiver.requests).toHaveLength(1);

    clock.nowMs = first!.next_attempt_at.getTime();
    await worker.runOnce();
    const [second] = await deliveriesOf(webhook.id);
    expect(second!.attempts).toBe(2);
    expect(second!.last_status).toBe(503);
    const secondDelayMs = second!.next_attempt_at.getTime() - clock.nowMs;
    expect(secondDelayMs).toBeGreaterThanOrEqual(SETTINGS.backoffBaseMs);
    expect(secondDelayMs).toBeLessThanOrEqual(SETTINGS.backoffBaseMs * 2);
    expect(secondDelayMs).toBeGreaterThanOrEqual(firstDelayMs);

    clock.nowMs = second!.next_attempt_at.getTime();
    await worker.runOnce();
    const [third] = await deliveriesOf(webhook.id);
    expect(third!.attempts).toBe(3);
    expect(third!.delivered_at).not.toBeNull();
    expect(third!.last_error).toBeNull();

    expect(receiver.requests.map((request) => request.status)).toEqual([500, 503, 204]);
    const deliveryIds = new Set(receiver.requests.map((request) => request.headers[WEBHOOK_HEADERS.delivery.toLowerCase()]));
    expect([...deliveryIds]).toEqual([third!.id]);
    for (const request of receiver.requests) expect(signatureProblem(request, webhook.secret, clock.nowMs)).toBeNull();
  });

  it('gives up after the maximum attempts', async () => {
    const { organizationId, siteId } = await seedSite('Give up');
    const webhook = await addWebhook(organizationId);
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => { lines.push(JSON.parse(String(chunk))); done(); } }));
    const { worker, clock } = createWorker({ logger });
    receiver.respond([], 502);
    await recordTransition(fixture, { organizationId, siteId });

    for (let round = 0; round < 5; round++) {
      await worker.runOnce();
      const [delivery] = await deliveriesOf(webhook.id);
      clock.nowMs = Math.max(clock.nowMs, delivery!.next_attempt_at.getTime());
    }

    expect(receiver.requests).toHaveLength(SETTINGS.maxAttempts);
    const [delivery] = await deliveriesOf(webhook.id);
    expect(delivery!.attempts).toBe(SETTINGS.maxAttempts);
    expect(delivery!.given_up_at).not.toBeNull();
    expect(delivery!.delivered_at).toBeNull();
    expect(delivery!.last_status).toBe(502);
    const givenUp = lines.filter((line) => line.msg === 'webhook delivery given up');
    expect(givenUp).toHaveLength(1);
    expect(givenUp[0]!.webhookId).toBe(webhook.id);
    expect(givenUp[0]!.deliveryId).toBe(delivery!.id);
    expect(givenUp[0]!.lastError).toContain('receiver responded 502');
    expect(givenUp[0]!.level).toBe(50);
  });

  it('unreachable receiver is retried', async () => {
    const { organizationId, siteId } = await seedSite('Unreachable');
    const closed = await startWebhookReceiver();
    await closed.close();
    const webhook = await addWebhook(organizationId, { url: closed.url });
    const { worker } = createWorker();
    await recordTransition(fixture, { organizationId, siteId });

    await worker.runOnce();

    const [delivery] = await deliveriesOf(webhook.id);
    expect(delivery!.attempts).toBe(1);
    expect(delivery!.last_status).toBeNull();
    expect(delivery!.last_error).toContain('ECONNREFUSED');
    expect(delivery!.given_up_at).toBeNull();
  });

  it('forbidden private URL is given up', async () => {
    const { organizationId, siteId } = await seedSite('Private');
    const webhook = await addWebhook(organizationId);
    const { worker } = createWorker({ settings: { allowPrivate: false } });
    await recordTransition(fixture, { organizationId, siteId });

    await worker.runOnce();

    expect(receiver.requests).toHaveLength(0);
    const [delivery] = await deliveriesOf(webhook.id);
    expect(delivery!.given_up_at).not.toBeNull();
    expect(delivery!.last_error).toContain('WEBHOOK_ALLOW_PRIVATE=true');
  });

  it('escalation sent once per activation', async () => {
    const { organizationId, siteId } = await seedSite('Escalate');
    const webhook = await addWebhook(organizationId, { events: ['alarm.escalated'], escalationMinutes: 5 });
    const { worker, clock } = createWorker();
    const minutesAgo = (minutes: number) => new Date(clock.nowMs - minutes * 60_000);
    const overdue = await putAlarm(fixture, { organizationId, siteId, ruleId: 'overdue', state: 'active_unack', activeSince: minutesAgo(10) });
    await putAlarm(fixture, { organizationId, siteId, ruleId: 'recent', state: 'active_unack', activeSince: minutesAgo(2) });
    await putAlarm(fixture, { organizationId, siteId, ruleId: 'acknowledged', state: 'active_ack', activeSince: minutesAgo(10) });
    await putAlarm(fixture, { organizationId, siteId, ruleId: 'cleared', state: 'cleared_unack', activeSince: minutesAgo(10) });
    await putAlarm(fixture, { organizationId, siteId, ruleId: 'shelved', state: 'shelved', activeSince: minutesAgo(10) });

    await worker.runOnce();
    await worker.runOnce();

    const escalatedRules = () => receiver.requests.map((request) => webhookPayloadSchema.parse(JSON.parse(request.body)).alarm?.ruleId);
    expect(escalatedRules().sort()).toEqual(['cleared', 'overdue']);
    const payload = webhookPayloadSchema.parse(JSON.parse(receiver.requests[0]!.body));
    expect(payload.type).toBe('alarm.escalated');
    expect(payload.escalationMinutes).toBe(5);
    expect(payload.eventKey).toMatch(/^escalation:/);
    const escalatedAt = await asOwner(fixture, async (tx) => [
      ...(await tx<{ rule_id: string; escalated_at: Date | null }[]>`SELECT rule_id, escalated_at FROM alarms WHERE site_id = ${siteId} ORDER BY rule_id`),
    ]);
    expect(escalatedAt.filter((row) => row.escalated_at !== null).map((row) => row.rule_id)).toEqual(['cleared', 'overdue']);

    clock.nowMs += 4 * 60_000;
    await worker.runOnce();
    expect(escalatedRules().sort()).toEqual(['cleared', 'overdue', 'recent']);

    await putAlarm(fixture, { organizationId, siteId, ruleId: 'overdue', state: 'active_unack', activeSince: minutesAgo(6) });
    await worker.runOnce();
    await worker.runOnce();
    expect(escalatedRules().sort()).toEqual(['cleared', 'overdue', 'overdue', 'recent']);
    const keys = (await asOwner(fixture, (tx) => tx<{ event_key: string }[]>`SELECT event_key FROM webhook_deliveries WHERE webhook_id = ${webhook.id}`)).map((row) => row.event_key);
    expect(keys).toContain(`escalation:${overdue}`);
    expect(new Set(keys).size).toBe(4);
  });

  it('two workers send each delivery once', async () => {
    const { organizationId, siteId } = await seedSite('Two workers');
    const webhook = await addWebhook(organizationId);
    const secondPool = connectDatabase(fixture.db.runtimeUrl, { max: 4 });
    try {
      const first = createWorker();
      const second = createWorker({ sql: secondPool });
      for (let index = 0; index < 30; index++) await recordTransition(fixture, { organizationId, siteId, ruleId: `rule-${index}` });
      // Queued before the workers run, so both find the same due deliveries at once.
      await scanTransitions(fixture.sql, new Date(first.clock.nowMs), 100);

      let sent = 0;
      for (let round = 0; round < 6 && sent < 30; round++) {
        const summaries = await Promise.all([first.worker.runOnce(), second.worker.runOnce()]);
        sent += summaries[0].sent + summaries[1].sent;
      }

      expect(sent).toBe(30);
      expect(receiver.requests).toHaveLength(30);
      const perDelivery = new Map<string, number>();
      for (const request of receiver.requests) {
        const id = String(request.headers[WEBHOOK_HEADERS.delivery.toLowerCase()]);
        perDelivery.set(id, (perDelivery.get(id) ?? 0) + 1);
      }
      expect(perDelivery.size).toBe(30);
      expect([...perDelivery.values()].every((count) => count === 1)).toBe(true);
      const deliveries = await deliveriesOf(webhook.id);
      expect(deliveries).toHaveLength(30);
      expect(deliveries.every((delivery) => delivery.attempts === 1 && delivery.delivered_at !== null)).toBe(true);
    } finally {
      await secondPool.end({ timeout: 5 });
    }
  });

  it('concurrent claims never share a delivery', async () => {
    const { organizationId, siteId } = await seedSite('Claims');
    await addWebhook(organizationId);
    const secondPool = connectDatabase(fixture.db.runtimeUrl, { max: 4 });
    try {
      for (let index = 0; index < 200; index++) await recordTransition(fixture, { organizationId, siteId, ruleId: `claimed-${index}` });
      const now = new Date();
      await scanTransitions(fixture.sql, now, 500);

      const leaseUntil = new Date(now.getTime() + 60_000);
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, index) => claimDueDeliveries(index % 2 === 0 ? fixture.sql : secondPool, now, leaseUntil, 40)),
      );

      const ids = claims.flat().map((delivery) => delivery.id);
      expect(ids).toHaveLength(200);
      expect(new Set(ids).size).toBe(200);
    } finally {
      await secondPool.end({ timeout: 5 });
    }
  });

  it('disabled webhook drops its queued deliveries', async () => {
    const { organizationId, siteId } = await seedSite('Disabled');
    const webhook = await addWebhook(organizationId);
    const { worker, clock } = createWorker();
    receiver.respond([500]);
    await recordTransition(fixture, { organizationId, siteId });
    await worker.runOnce();
    await asOwner(fixture, (tx) => tx`UPDATE webhooks SET enabled = false WHERE id = ${webhook.id}`);

    const [pending] = await deliveriesOf(webhook.id);
    clock.nowMs = pending!.next_attempt_at.getTime();
    await worker.runOnce();

    expect(receiver.requests).toHaveLength(1);
    const [dropped] = await deliveriesOf(webhook.id);
    expect(dropped!.given_up_at).not.toBeNull();
    expect(dropped!.last_error).toContain('disabled');
  });

  it('old finished deliveries are deleted', async () => {
    const { organizationId, siteId } = await seedSite('Retention');
    const webhook = await addWebhook(organizationId);
    receiver.respond([500]);
    await recordTransition(fixture, { organizationId, siteId, ruleId: 'failing' });
    await recordTransition(fixture, { organizationId, siteId, ruleId: 'delivered' });
    const { worker, clock } = createWorker();
    await worker.runOnce();
    await asOwner(fixture, (tx) => tx`UPDATE webhook_deliveries SET created_at = now() - interval '31 days' WHERE webhook_id = ${webhook.id}`);

    const { worker: later } = createWorker();
    await later.runOnce();

    const remaining = await deliveriesOf(webhook.id);
    expect(remaining).toHaveLength(1);
    expect(remaining[0]!.delivered_at).toBeNull();
    expect(remaining[0]!.attempts).toBe(1);
    expect(clock.nowMs).toBeLessThan(remaining[0]!.next_attempt_at.getTime());
  });

  it('started worker delivers without being driven', async () => {
    const { organizationId, siteId } = await seedSite('Loop');
    await addWebhook(organizationId);
    const worker = new NotificationWorker({ sql: fixture.sql, logger: pino({ level: 'silent' }), settings: SETTINGS });
    worker.start();
    try {
      await recordTransition(fixture, { organizationId, siteId });
      await expect.poll(() => receiver.requests.length, { timeout: 10_000, interval: 50 }).toBe(1);
    } finally {
      await worker.stop();
    }
  });
});
