import { randomUUID } from 'node:crypto';
import type { AlarmActionResult, UplinkAlarmAction } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../live/live-support';
import type { CloudFixture } from '../support/cloud-fixture';
import type { ServedHub } from '../support/served-hub';
import { asOwner, type SiteRoles } from '../support/site-roles';
import { serveRelayHub, waitForPresence, type RelayApp, type RelayHub } from './relay-support';
import { StubEdge } from './stub-edge';

/*
 * Alarm actions taken on the hub reach the edge over its uplink: every undelivered row of
 * alarm_action_requests is sent when the uplink connects and when `deliver` is called, in the order
 * requested, until the edge's result is stored.
 */

let fixture: CloudFixture;
let ctx: SiteRoles;
let hub: ServedHub;
let relay: RelayApp;
let dataDir: string;
let served: RelayHub | undefined;
let edge: StubEdge | undefined;

beforeAll(async () => {
  served = await serveRelayHub('alarm_delivery');
  ({ fixture, ctx, hub, relay, dataDir } = served);
}, 60_000);

afterAll(async () => {
  await edge?.close();
  await served?.close();
});

async function connectEdge(answer: StubEdge['answerAlarm']): Promise<StubEdge> {
  await edge?.close();
  await waitForPresence(fixture, ctx.siteId, false);
  edge = await StubEdge.connect(hub.port, dataDir);
  edge.answerAlarm = answer;
  await waitForPresence(fixture, ctx.siteId);
  return edge;
}

/** Inserts an alarm action request as the alarm routes do, `secondsAgo` before now, and returns its id. */
async function request(ruleId: string, secondsAgo: number, siteId = ctx.siteId): Promise<string> {
  const id = randomUUID();
  const user = { id: randomUUID(), email: 'operator@acme.test', name: 'Olga', role: 'operator' };
  await asOwner(fixture, (tx) => tx`
    INSERT INTO alarm_action_requests (id, organization_id, site_id, rule_id, action, body, "user", requested_at)
    SELECT ${id}, organization_id, id, ${ruleId}, 'comment', ${tx.json({ comment: `note on ${ruleId}` })}, ${tx.json(user)},
           now() - make_interval(secs => ${secondsAgo})
    FROM sites WHERE id = ${siteId}`);
  return id;
}

async function stored(id: string): Promise<{ delivered_at: Date | null; result: AlarmActionResult | null }> {
  const [row] = await asOwner(fixture, (tx) => tx<{ delivered_at: Date | null; result: AlarmActionResult | null }[]>`
    SELECT delivered_at, result FROM alarm_action_requests WHERE id = ${id}`);
  return row!;
}

const rejected = (action: UplinkAlarmAction): AlarmActionResult => ({ ok: false, code: 'unknown_alarm', message: `no alarm rule "${action.ruleId}"` });

describe('alarm action delivery', () => {
  it('sends undelivered actions on connect in order', async () => {
    const later = await request('rule-b', 10);
    const earlier = await request('rule-a', 20);

    const stub = await connectEdge(() => undefined);
    await stub.next('alarm-action', (message) => message.requestId === later);

    const actions = stub.all('alarm-action');
    expect(actions.map((action) => action.requestId)).toEqual([earlier, later]);
    expect(actions[0]).toMatchObject({ ruleId: 'rule-a', action: 'comment', body: { comment: 'note on rule-a' }, user: { email: 'operator@acme.test', name: 'Olga' } });
    expect(Object.keys(actions[0]!.user).sort()).toEqual(['email', 'id', 'name']);
    expect(actions[0]!.at).toBeLessThan(actions[1]!.at);
  });

  it('stores the result of the edge', async () => {
    const id = await request('rule-c', 5);

    await connectEdge(rejected);
    await until(async () => (await stored(id)).delivered_at !== null);

    expect((await stored(id)).result).toEqual({ ok: false, code: 'unknown_alarm', message: 'no alarm rule "rule-c"' });
  });

  it('resends an unanswered action after a reconnect', async () => {
    const id = await request('rule-d', 1);
    const first = await connectEdge(() => undefined);
    await first.next('alarm-action', (message) => message.requestId === id);
    expect((await stored(id)).delivered_at).toBeNull();

    const second = await connectEdge(rejected);
    await second.next('alarm-action', (message) => message.requestId === id);
    await until(async () => (await stored(id)).delivered_at !== null);
  });

  it('delivers a new action to an open uplink', async () => {
    const stub = await connectEdge(rejected);
    const id = await request('rule-e', 0);

    relay.alarmDelivery.deliver(ctx.siteId);
    await stub.next('alarm-action', (message) => message.requestId === id);

    await until(async () => (await stored(id)).delivered_at !== null);
  });

  it('keeps a delivered result', async () => {
    const id = await request('rule-f', 0);
    const stub = await connectEdge(rejected);
    await until(async () => (await stored(id)).delivered_at !== null);
    const first = await stored(id);

    stub.send({ type: 'alarm-action-result', requestId: id, result: { ok: false, code: 'invalid_state', message: 'changed' } });
    relay.alarmDelivery.deliver(ctx.siteId);
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(await stored(id)).toEqual(first);
  });

  it('ignores results for another site', async () => {
    const foreign = await request('rule-g', 0, ctx.foreignSiteId);
    const stub = await connectEdge(rejected);

    stub.send({ type: 'alarm-action-result', requestId: foreign, result: { ok: false, code: 'invalid_state', message: 'not yours' } });
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(stub.all('alarm-action').map((action) => action.requestId)).not.toContain(foreign);
    expect((await stored(foreign)).delivered_at).toBeNull();
  });

  it('waits without an uplink', async () => {
    await edge?.close();
    edge = undefined;
    await waitForPresence(fixture, ctx.siteId, false);
    const id = await request('rule-h', 0);

    relay.alarmDelivery.deliver(ctx.siteId);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await stored(id)).delivered_at).toBeNull();

    const stub = await connectEdge(rejected);
    await stub.next('alarm-action', (message) => message.requestId === id);
    await until(async () => (await stored(id)).delivered_at !== null);
  });
});
