import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeModbusClient, connectModbusClient } from '../../../edge-node/test/simulate/modbus-test-client';
import { startPymodbus, type PymodbusServer } from '../../../edge-node/test/drivers/modbus/pymodbus-process';
import { until } from '../live/live-support';
import { auditEntries } from '../support/audit-entries';
import { call, createCloudFixture, TEST_PASSWORD, type CloudFixture } from '../support/cloud-fixture';
import { serveHub, type ServedHub } from '../support/served-hub';
import { asOwner, seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { FaultProxy } from '../sync-faults/fault-proxy';
import { pairEdge, startEdge, stopProcess, type EdgeProcess } from '../sync-faults/edge-process';
import { createRelayApp, waitForPresence, type RelayApp } from '../uplink-requests/relay-support';
import { ALARM_RULE_ID, edgeUrl, POWER_ADDRESS, queryEdge, SAFE_VALUE, SETPOINT_ADDRESS, writeControlSite } from './edge-site';

/*
 * A real `edge-node start` process, paired with an in-process hub through a fault proxy, controls a
 * pymodbus device. Commands go through the hub's control API, and alarm actions through the hub's
 * alarm API; the proxy cuts the link or plays an unreachable hub.
 */

let modbus: PymodbusServer;
let registers: Awaited<ReturnType<typeof connectModbusClient>>;
let fixture: CloudFixture;
let ctx: SiteRoles;
let hub: ServedHub;
let proxy: FaultProxy;
let relay: RelayApp;
let dataDir: string;
let edge: EdgeProcess | undefined;
let edgeApi: string;
/** Access token of the operator on the edge's own API, from an offline login with the synced hub user. */
let edgeToken: string;
/** While true, the proxy resets every request, as an unreachable hub would. */
let hubDown = false;

beforeAll(async () => {
  modbus = await startPymodbus({ transport: 'tcp' }, { 1: { hr: { [SETPOINT_ADDRESS]: SAFE_VALUE, [POWER_ADDRESS]: 0 } } });
  registers = await connectModbusClient(modbus.port!, 1);
  fixture = await createCloudFixture('remote_control');
  ctx = await seedSiteRoles(fixture);
  hub = await serveHub(fixture);
  proxy = await FaultProxy.start({ targetPort: hub.port, onRequest: () => (hubDown ? { action: 'reset' } : { action: 'pass' }) });
  relay = createRelayApp(fixture);
  dataDir = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId, proxy.url);
  writeControlSite(dataDir, modbus.port!);
  edge = startEdge(dataDir);
  edgeApi = await edgeUrl(edge);
  // The edge checks hub users against its synced users, so the roles must have arrived.
  await until(async () => (await queryEdge<{ n: number }>(dataDir, "SELECT count(*) AS n FROM cloud_site_users WHERE email IN ('site_manager@acme.test', 'operator@acme.test')").catch(() => [{ n: 0 }]))[0]!.n === 2, 60_000);
  await waitForPresence(fixture, ctx.siteId);
  const login = await fetch(`${edgeApi}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'operator@acme.test', password: TEST_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`logging in on the edge failed with ${login.status}: ${await login.text()}`);
  edgeToken = ((await login.json()) as { accessToken: string }).accessToken;
}, 120_000);

afterAll(async () => {
  await stopProcess(edge?.child);
  await proxy?.close();
  relay?.edgeRequests.close();
  await hub?.close();
  await fixture?.close();
  if (registers) await closeModbusClient(registers);
  await modbus?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function setpoint(): Promise<number> {
  return (await registers.readHoldingRegisters(SETPOINT_ADDRESS, 1)).data[0]!;
}

function control(value: number, leaseS?: number) {
  return call(relay.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/points/plc.setpoint/control`, leaseS === undefined ? { value } : { value, leaseS });
}

interface HubAlarm {
  state: string;
  occurrence: string | null;
  acknowledged_by: { id: string; origin: string } | null;
}

async function hubAlarm(): Promise<HubAlarm | undefined> {
  const [row] = await asOwner(fixture, (tx) => tx<HubAlarm[]>`
    SELECT state, occurrence::text, acknowledged_by FROM alarms WHERE site_id = ${ctx.siteId} AND rule_id = ${ALARM_RULE_ID}`);
  return row;
}

interface EdgeAlarm {
  state: string;
  occurrence: string | null;
  acknowledged_by: string | null;
}

async function edgeAlarm(): Promise<EdgeAlarm | undefined> {
  return (await queryEdge<EdgeAlarm>(dataDir, 'SELECT state, occurrence, acknowledged_by FROM alarm_state WHERE rule_id = ?', ALARM_RULE_ID))[0];
}

/** Raises a new occurrence of the alarm on the device and waits until the hub has it; returns the occurrence. */
async function raiseAlarm(): Promise<string> {
  await registers.writeRegister(POWER_ADDRESS, 0);
  // A rule whose alarm never left normal may have no row yet.
  await until(async () => ['normal', 'cleared_unack', undefined].includes((await edgeAlarm())?.state), 10_000);
  const cleared = await edgeAlarm();
  if (cleared?.state === 'cleared_unack') {
    await edgeAcknowledge(cleared.occurrence!);
    await until(async () => (await edgeAlarm())?.state === 'normal', 10_000);
  }
  await registers.writeRegister(POWER_ADDRESS, 150);
  await until(async () => (await edgeAlarm())?.state === 'active_unack', 10_000);
  const { occurrence } = (await edgeAlarm())!;
  await until(async () => (await hubAlarm())?.occurrence === occurrence, 20_000);
  return occurrence!;
}

function hubAcknowledge(occurrence: string, token = ctx.tokens.operator) {
  return call(relay.app, token, 'POST', `/api/sites/${ctx.siteId}/alarms/${ALARM_RULE_ID}/acknowledge`, { occurrence });
}

function edgeAcknowledge(occurrence: string) {
  return fetch(`${edgeApi}/api/alarms/${ALARM_RULE_ID}/acknowledge`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${edgeToken}` },
    body: JSON.stringify({ occurrence }),
  });
}

describe('remote control through the hub', () => {
  it('writes and returns the verified result', async () => {
    const response = await control(42);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ok: true, point: 'plc.setpoint', command: 'write', previousValue: SAFE_VALUE, value: 42, readBack: 42 });
    expect(response.body.lease).toMatchObject({ source: 'remote', userName: 'site_manager' });
    expect(await setpoint()).toBe(42);
    const [entry] = await auditEntries(fixture, 'point.control', 'plc.setpoint');
    expect(entry!.after).toMatchObject({ result: 'ok', requested: 42, readBack: 42 });
  });

  it('passes on the edge refusal with its limit', async () => {
    const response = await control(150);

    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ ok: false, code: 'out_of_limits', limit: { name: 'max', value: 100 } });
    expect(await setpoint()).toBe(42);
  });

  it('refuses an operator where the site does not allow it', async () => {
    const response = await call(relay.app, ctx.tokens.operator, 'POST', `/api/sites/${ctx.siteId}/points/plc.setpoint/control`, { value: 10 });

    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'not_permitted' });
    expect(await setpoint()).toBe(42);
  });

  it('restores the safe value when the lease ends', async () => {
    const response = await control(30, 5);
    expect(response.status).toBe(200);
    expect(await setpoint()).toBe(30);

    await until(async () => (await setpoint()) === SAFE_VALUE, 15_000);
  }, 20_000);

  it('releases when the uplink is cut', async () => {
    const response = await control(60, 600);
    expect(response.status).toBe(200);
    expect(await setpoint()).toBe(60);

    proxy.resetAll();

    await until(async () => (await setpoint()) === SAFE_VALUE, 10_000);
    const released = await queryEdge<{ n: number }>(dataDir, "SELECT count(*) AS n FROM audit_log WHERE action = 'control.link_lost_release'");
    expect(released[0]!.n).toBeGreaterThanOrEqual(1);
    await waitForPresence(fixture, ctx.siteId);
  }, 30_000);
});

describe('hub alarm actions on a real edge', () => {
  it('delivers a hub acknowledgement to the edge', async () => {
    const occurrence = await raiseAlarm();

    const response = await hubAcknowledge(occurrence);
    expect(response.status).toBe(202);

    await until(async () => (await edgeAlarm())?.state === 'active_ack', 10_000);
    const acknowledgedBy = JSON.parse((await edgeAlarm())!.acknowledged_by!) as { id: string; origin: string };
    expect(acknowledgedBy.origin).toBe('cloud');
    const requestId = response.body.requestId as string;
    await until(async () => {
      const [row] = await asOwner(fixture, (tx) => tx<{ delivered: boolean }[]>`SELECT delivered_at IS NOT NULL AS delivered FROM alarm_action_requests WHERE id = ${requestId}`);
      return row!.delivered;
    }, 10_000);
    const [stored] = await asOwner(fixture, (tx) => tx<{ result: any }[]>`SELECT result FROM alarm_action_requests WHERE id = ${requestId}`);
    expect(stored!.result).toMatchObject({ ok: true, duplicate: false, transition: { action: 'acknowledge', requestId } });
  }, 60_000);

  it('uploads an edge acknowledgement made during a hub outage', async () => {
    const occurrence = await raiseAlarm();
    hubDown = true;
    proxy.resetAll();
    await waitForPresence(fixture, ctx.siteId, false);

    const response = await edgeAcknowledge(occurrence);
    expect(response.status).toBe(200);
    expect((await edgeAlarm())!.state).toBe('active_ack');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await hubAlarm())!.state).toBe('active_unack');

    hubDown = false;
    await until(async () => (await hubAlarm())?.state === 'active_ack', 30_000);
    expect((await hubAlarm())!.acknowledged_by).toMatchObject({ origin: 'edge' });
    await waitForPresence(fixture, ctx.siteId);
  }, 90_000);

  it('acknowledges once when both sides do at once', async () => {
    const occurrence = await raiseAlarm();

    const [hubResponse, edgeResponse] = await Promise.all([hubAcknowledge(occurrence), edgeAcknowledge(occurrence)]);
    expect(hubResponse.status).toBe(202);
    expect(edgeResponse.status).toBe(200);

    // The hub recorded its own user's acknowledgement at once; the edge's arrives with the next upload.
    await until(async () => {
      const rows = await asOwner(fixture, (tx) => tx`SELECT id FROM alarm_transitions WHERE occurrence = ${occurrence} AND action = 'acknowledge'`);
      return rows.length === 2;
    }, 30_000);
    const hubRows = await asOwner(fixture, (tx) => tx<{ from_state: string; to_state: string; user: { origin: string } }[]>`
      SELECT from_state, to_state, "user" FROM alarm_transitions WHERE occurrence = ${occurrence} AND action = 'acknowledge' ORDER BY seq`);
    expect(hubRows.map((row) => [row.from_state, row.to_state])).toEqual([
      ['active_unack', 'active_ack'],
      ['active_ack', 'active_ack'],
    ]);
    expect(hubRows.map((row) => row.user.origin).sort()).toEqual(['cloud', 'edge']);
    const alarm = await hubAlarm();
    expect(alarm!.state).toBe('active_ack');
    expect(alarm!.acknowledged_by).toMatchObject({ origin: 'cloud' });
    const edgeRows = await queryEdge<{ from_state: string; to_state: string }>(
      dataDir,
      "SELECT from_state, to_state FROM alarm_transitions WHERE occurrence = ? AND action = 'acknowledge' ORDER BY seq",
      occurrence,
    );
    expect(edgeRows).toHaveLength(2);
    expect((await edgeAlarm())!.state).toBe('active_ack');
  }, 90_000);
});

describe('edge offline', () => {
  it('answers edge_offline at once and audits it', async () => {
    await stopProcess(edge?.child);
    edge = undefined;
    await waitForPresence(fixture, ctx.siteId, false);

    const started = Date.now();
    const response = await control(20);

    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ ok: false, code: 'edge_offline' });
    expect(Date.now() - started).toBeLessThan(2_000);
    const entries = await auditEntries(fixture, 'point.control', 'plc.setpoint');
    expect(entries.at(-1)!.after).toMatchObject({ result: 'edge_offline', requested: 20 });
  }, 30_000);
});
