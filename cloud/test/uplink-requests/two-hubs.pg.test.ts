import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uplinkPresenceKey } from '../../src/live/redis-keys';
import { startHubProcess, until, type HubProcess } from '../live/live-support';
import { createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { asOwner, seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { pairEdge, stopProcess } from '../sync-faults/edge-process';
import { createRelayApp, waitForPresence, type RelayApp } from './relay-support';
import { StubEdge } from './stub-edge';

/*
 * Two `cloud start` processes share one database and one Redis. The edge's uplink is open on hub A,
 * and commands sent to hub B must reach it through Redis and come back with the edge's result.
 */

let fixture: CloudFixture;
let ctx: SiteRoles;
let hubA: HubProcess;
let hubB: HubProcess;
let relay: RelayApp;
let dataDir: string;
let edge: StubEdge | undefined;

beforeAll(async () => {
  fixture = await createCloudFixture('control_two_hubs');
  ctx = await seedSiteRoles(fixture);
  [hubA, hubB] = await Promise.all([startHubProcess(fixture), startHubProcess(fixture)]);
  relay = createRelayApp(fixture);
  dataDir = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId, `http://127.0.0.1:${hubA.port}`);
  edge = await StubEdge.connect(hubA.port, dataDir);
  await waitForPresence(fixture, ctx.siteId);
}, 90_000);

afterAll(async () => {
  await edge?.close();
  relay?.edgeRequests.close();
  await Promise.all([stopProcess(hubA?.child), stopProcess(hubB?.child)]);
  await fixture?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function control(port: number, point: string, value: number): Promise<{ status: number; body: any }> {
  const response = await fetch(`http://127.0.0.1:${port}/api/sites/${ctx.siteId}/points/${point}/control`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ctx.tokens.site_manager}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ value }),
  });
  return { status: response.status, body: await response.json() };
}

describe('requests across two hubs', () => {
  it('reaches the uplink on the other hub', async () => {
    const response = await control(hubB.port, 'inverter.viaB', 42);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ok: true, point: 'inverter.viaB', readBack: 42 });
    expect(edge!.all('control-command').map((command) => command.point)).toContain('inverter.viaB');
  });

  it('reaches the uplink on the same hub', async () => {
    const response = await control(hubA.port, 'inverter.viaA', 7);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ok: true, readBack: 7 });
  });

  it('delivers an alarm action from another instance', async () => {
    edge!.answerAlarm = () => ({ ok: false, code: 'unknown_alarm', message: 'no such rule' });
    const id = randomUUID();
    await asOwner(fixture, (tx) => tx`
      INSERT INTO alarm_action_requests (id, organization_id, site_id, rule_id, action, body, "user")
      SELECT ${id}, organization_id, id, 'rule-1', 'acknowledge', ${tx.json({})}, ${tx.json({ id: 'u', email: 'u@acme.test', name: 'U', role: 'operator' })}
      FROM sites WHERE id = ${ctx.siteId}`);

    relay.alarmDelivery.deliver(ctx.siteId);

    await edge!.next('alarm-action', (message) => message.requestId === id);
    await until(async () => {
      const [row] = await asOwner(fixture, (tx) => tx<{ delivered: boolean }[]>`SELECT delivered_at IS NOT NULL AS delivered FROM alarm_action_requests WHERE id = ${id}`);
      return row!.delivered;
    });
  });

  it('answers edge_offline once the holder died', async () => {
    await stopProcess(hubA.child, 'SIGKILL');
    // The presence key outlives the killed hub until its TTL ends; the request must not wait for that.
    expect(await fixture.redis.exists(uplinkPresenceKey(fixture.redisPrefix, ctx.siteId))).toBe(1);

    const started = Date.now();
    const response = await control(hubB.port, 'inverter.afterKill', 1);

    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ ok: false, code: 'edge_offline' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
