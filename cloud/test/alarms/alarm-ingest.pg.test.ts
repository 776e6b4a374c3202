import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlarmChangePublisher } from '../../src/alarms/alarm-publisher';
import { alarmEnvelopeSchema, alertsChannel, type AlarmEnvelope } from '../../src/live/redis-keys';
import { createSilentLogger } from '../../src/logger';
import { ingestBatch } from '../../src/uploads/ingest-batch';
import { createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { asOwner, seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { batchOf, pairEdge, upload, type PairedEdge } from '../uploads/paired-edge';
import { alarmEvent, storedAlarm, T0, transition, uploadTransitions } from './alarm-fixture';

let fixture: CloudFixture;
let ctx: SiteRoles;
let edge: PairedEdge;

beforeAll(async () => {
  fixture = await createCloudFixture('alarm_ingest');
  ctx = await seedSiteRoles(fixture);
  edge = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId);
});

afterAll(async () => {
  await fixture?.close();
});

async function storedTransitionIds(ruleId: string): Promise<string[]> {
  const rows = await asOwner(fixture, (tx) => tx<{ id: string }[]>`SELECT id FROM alarm_transitions WHERE rule_id = ${ruleId} ORDER BY seq`);
  return rows.map((row) => row.id);
}

describe('alarm events in uploads', () => {
  it('stores each transition once across resends', async () => {
    const raise = transition('dedupe-rule', { seq: 1 });
    const acknowledge = transition('dedupe-rule', {
      seq: 2,
      action: 'acknowledge',
      from: 'active_unack',
      to: 'active_ack',
      occurrence: raise.occurrence,
      user: { id: 'local-1', name: 'Olga', origin: 'edge' },
      at: T0 + 1_000,
    });
    const batch = batchOf({ events: [raise, acknowledge].map(alarmEvent) });

    expect((await upload(fixture, edge, batch)).body).toMatchObject({ eventsStored: 2, eventsDuplicate: 0 });
    const resent = await upload(fixture, edge, { ...batch, batchId: randomUUID() });
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ eventsStored: 0, eventsDuplicate: 2 });

    expect(await storedTransitionIds('dedupe-rule')).toEqual([raise.id, acknowledge.id]);
    const alarm = await storedAlarm(fixture, ctx.siteId, 'dedupe-rule');
    expect(alarm).toMatchObject({ state: 'active_ack', occurrence: raise.occurrence, last_seq: '2' });
    expect(alarm!.acknowledged_by).toEqual({ id: 'local-1', name: 'Olga', origin: 'edge' });
    expect(alarm!.acknowledged_at).toEqual(new Date(T0 + 1_000));
  });

  it('applies out-of-order batches by seq', async () => {
    const raise = transition('order-rule', { seq: 10, at: T0 });
    const clear = transition('order-rule', { seq: 11, action: 'clear', from: 'active_unack', to: 'cleared_unack', occurrence: raise.occurrence, at: T0 + 60_000 });
    const acknowledge = transition('order-rule', {
      seq: 12,
      action: 'acknowledge',
      from: 'cleared_unack',
      to: 'normal',
      occurrence: raise.occurrence,
      user: { id: 'local-1', name: 'Olga', origin: 'edge' },
      at: T0 + 120_000,
    });

    await uploadTransitions(fixture, edge, [acknowledge]);
    expect(await storedAlarm(fixture, ctx.siteId, 'order-rule')).toMatchObject({ state: 'normal', last_seq: '12' });
    await uploadTransitions(fixture, edge, [clear, raise]);

    const alarm = await storedAlarm(fixture, ctx.siteId, 'order-rule');
    expect(alarm).toMatchObject({ state: 'normal', last_seq: '12', condition_active: false });
    expect(alarm!.acknowledged_by?.name).toBe('Olga');
    expect(alarm!.active_since).toEqual(new Date(T0));
    expect(await storedTransitionIds('order-rule')).toEqual([raise.id, clear.id, acknowledge.id]);
  });

  it('applies one batch in seq order', async () => {
    const raise = transition('batch-order-rule', { seq: 20 });
    const clear = transition('batch-order-rule', { seq: 21, action: 'clear', from: 'active_unack', to: 'cleared_unack', occurrence: raise.occurrence });
    await uploadTransitions(fixture, edge, [clear, raise]);
    expect(await storedAlarm(fixture, ctx.siteId, 'batch-order-rule')).toMatchObject({ state: 'cleared_unack', last_seq: '21' });
  });

  it('keeps an invalid alarm event in edge_events only', async () => {
    const good = transition('invalid-rule', { seq: 1 });
    const badId = randomUUID();
    const mismatched = transition('invalid-rule', { seq: 2, action: 'clear', from: 'active_unack', to: 'cleared_unack', occurrence: good.occurrence });
    const batch = batchOf({
      events: [
        alarmEvent(good),
        { id: badId, kind: 'alarm', at: T0, payload: { ruleId: 'invalid-rule', action: 'explode' } },
        { ...alarmEvent(mismatched), id: randomUUID() },
      ],
    });

    const response = await upload(fixture, edge, batch);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ eventsStored: 3 });
    expect(await storedTransitionIds('invalid-rule')).toEqual([good.id]);
    const [kept] = await asOwner(fixture, (tx) => tx<{ kind: string }[]>`SELECT kind FROM edge_events WHERE id = ${badId}`);
    expect(kept?.kind).toBe('alarm');
    expect(await storedAlarm(fixture, ctx.siteId, 'invalid-rule')).toMatchObject({ state: 'active_unack' });
  });

  it('names the alarm after the hub rule', async () => {
    const [rule] = await asOwner(fixture, (tx) => tx<{ id: string }[]>`
      INSERT INTO alarm_rules (organization_id, site_id, name, severity, condition)
      VALUES (${ctx.organizationId}, ${ctx.siteId}, 'Grid power high', 'warning', '{"type":"device_offline","device":"meter"}')
      RETURNING id`);
    await uploadTransitions(fixture, edge, [transition(rule!.id, { seq: 1 })]);
    expect((await storedAlarm(fixture, ctx.siteId, rule!.id))?.name).toBe('Grid power high');
  });

  it('publishes each new transition after commit', async () => {
    const channel = alertsChannel(fixture.redisPrefix, ctx.siteId);
    const received: AlarmEnvelope[] = [];
    const listener = fixture.subscriber.duplicate();
    await listener.subscribe(channel);
    listener.on('message', (_channel, text: string) => received.push(alarmEnvelopeSchema.parse(JSON.parse(text))));
    try {
      const raise = transition('publish-rule', { seq: 1 });
      const clear = transition('publish-rule', { seq: 2, action: 'clear', from: 'active_unack', to: 'cleared_unack', occurrence: raise.occurrence });
      const logger = createSilentLogger();
      const context = {
        edge: { edgeNodeId: edge.id, organizationId: ctx.organizationId, siteId: ctx.siteId },
        uploadAt: Date.now(),
        clockSkewThresholdMs: 30_000,
        now: Date.now,
        alarms: { logger, publish: createAlarmChangePublisher(fixture.redis, fixture.redisPrefix, logger) },
      };
      const batch = batchOf({ events: [clear, raise].map(alarmEvent) });
      await ingestBatch(fixture.sql, batch, context);
      await ingestBatch(fixture.sql, { ...batch, batchId: randomUUID() }, context);

      const deadline = Date.now() + 5_000;
      while (received.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received.map((envelope) => envelope.change.transition.id)).toEqual([raise.id, clear.id]);
      expect(received.map((envelope) => envelope.change.alarm.state)).toEqual(['active_unack', 'cleared_unack']);
      expect(received.every((envelope) => envelope.siteId === ctx.siteId)).toBe(true);
    } finally {
      listener.disconnect();
    }
  });
});
