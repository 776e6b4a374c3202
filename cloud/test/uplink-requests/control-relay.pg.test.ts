import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { uplinkPresenceKey } from '../../src/live/redis-keys';
import { auditEntries } from '../support/audit-entries';
import { call, type CloudFixture } from '../support/cloud-fixture';
import type { ServedHub } from '../support/served-hub';
import { asOwner, type Role, type SiteRoles } from '../support/site-roles';
import { serveRelayHub, waitForPresence, type RelayApp, type RelayHub } from './relay-support';
import { acceptCommand, StubEdge } from './stub-edge';

/*
 * The hub's control API against a stand-in edge on a served hub. The hub checks the right first.
 * Then the command travels over Redis to the instance with the uplink and down the socket, and the
 * edge's result comes back with its HTTP status. Every command is a hub audit entry.
 */

const TIMEOUT_MS = 800;

let fixture: CloudFixture;
let ctx: SiteRoles;
let hub: ServedHub;
let relay: RelayApp;
let dataDir: string;
let served: RelayHub | undefined;
let edge: StubEdge | undefined;

beforeAll(async () => {
  served = await serveRelayHub('control_relay', TIMEOUT_MS);
  ({ fixture, ctx, hub, relay, dataDir } = served);
}, 60_000);

afterAll(async () => {
  await edge?.close();
  await served?.close();
});

afterEach(async () => {
  await setOperatorControl(false);
});

async function connectEdge(): Promise<StubEdge> {
  await edge?.close();
  edge = await StubEdge.connect(hub.port, dataDir);
  await waitForPresence(fixture, ctx.siteId);
  return edge;
}

async function disconnectEdge(): Promise<void> {
  await edge?.close();
  edge = undefined;
  await waitForPresence(fixture, ctx.siteId, false);
}

function write(role: Role | 'outsider', point: string, body: unknown, siteId = ctx.siteId) {
  const token = role === 'outsider' ? ctx.outsiderToken : ctx.tokens[role];
  return call(relay.app, token, 'POST', `/api/sites/${siteId}/points/${point}/control`, body);
}

async function setOperatorControl(enabled: boolean): Promise<void> {
  await asOwner(fixture, (tx) => tx`UPDATE sites SET operator_control = ${enabled} WHERE id = ${ctx.siteId}`);
}

describe('control relay', () => {
  it('returns the result of the edge', async () => {
    const stub = await connectEdge();

    const response = await write('site_manager', 'inverter.WMaxLimPct', { value: 40, leaseS: 30 });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ok: true, point: 'inverter.WMaxLimPct', command: 'write', value: 40, readBack: 40 });
    const command = stub.all('control-command').at(-1)!;
    expect(command.point).toBe('inverter.WMaxLimPct');
    expect(command.command).toEqual({ kind: 'write', value: 40, leaseS: 30 });
    expect(command.user).toEqual({ id: expect.any(String), email: 'site_manager@acme.test', name: 'site_manager' });
  });

  it('audits an accepted write', async () => {
    await connectEdge();

    await write('site_manager', 'inverter.audited', { value: 55 });

    const [entry] = await auditEntries(fixture, 'point.control', 'inverter.audited');
    expect(entry).toMatchObject({ organization_id: ctx.organizationId, target_type: 'point', before: { value: 0 } });
    expect(entry!.actor_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(entry!.after).toMatchObject({ requested: 55, result: 'ok', value: 55, readBack: 55, leaseExpiresAt: 60_001, message: 'the edge wrote 55, read back 55' });
  });

  it('passes on a refusal of the edge', async () => {
    const stub = await connectEdge();
    stub.answerControl = (command) => ({
      ok: false,
      point: command.point,
      code: 'out_of_limits',
      message: 'value 150 is above the maximum 100 of inverter.WMaxLimPct',
      limit: { name: 'max', value: 100 },
    });

    const response = await write('site_manager', 'inverter.limited', { value: 150 });

    expect(response.status).toBe(422);
    expect(response.body).toEqual({ ok: false, point: 'inverter.limited', code: 'out_of_limits', message: 'value 150 is above the maximum 100 of inverter.WMaxLimPct', limit: { name: 'max', value: 100 } });
    const [entry] = await auditEntries(fixture, 'point.control', 'inverter.limited');
    expect(entry!.before).toBeNull();
    expect(entry!.after).toMatchObject({ requested: 150, result: 'out_of_limits', limit: { name: 'max', value: 100 } });
  });

  it('relays a confirmation token', async () => {
    const stub = await connectEdge();
    stub.answerControl = (command) =>
      command.command.kind === 'write' && command.command.confirmationToken === 'token-1'
        ? acceptCommand(command)
        : { ok: false, point: command.point, code: 'confirmation_required', message: 'confirm the write', confirmationToken: 'token-1', confirmationExpiresAt: 99 };

    const first = await write('site_manager', 'breaker.close', { value: true });
    const second = await write('site_manager', 'breaker.close', { value: true, confirmationToken: first.body.confirmationToken });

    expect(first.status).toBe(428);
    expect(first.body).toMatchObject({ code: 'confirmation_required', confirmationToken: 'token-1' });
    expect(second.status).toBe(200);
    expect(stub.all('control-command').at(-1)!.command).toEqual({ kind: 'write', value: true, confirmationToken: 'token-1' });
  });

  it('relays a release', async () => {
    const stub = await connectEdge();

    const response = await call(relay.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/points/inverter.released/release`);

    expect(response.status).toBe(200);
    expect(stub.all('control-command').at(-1)!.command).toEqual({ kind: 'release' });
    const [entry] = await auditEntries(fixture, 'point.release', 'inverter.released');
    expect(entry!.after).toMatchObject({ result: 'ok' });
    expect(entry!.after.requested).toBeUndefined();
  });

  it('answers edge_offline without an uplink', async () => {
    await disconnectEdge();

    const started = Date.now();
    const response = await write('site_manager', 'inverter.offline', { value: 10 });

    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ ok: false, code: 'edge_offline', point: 'inverter.offline' });
    expect(response.body.message).toContain('never queued');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
    const [entry] = await auditEntries(fixture, 'point.control', 'inverter.offline');
    expect(entry!.after).toMatchObject({ requested: 10, result: 'edge_offline' });
  });

  it('answers edge_offline when the holder is gone', async () => {
    await disconnectEdge();
    // A presence key naming an instance that no longer listens, as after a hub crash.
    await fixture.redis.set(uplinkPresenceKey(fixture.redisPrefix, ctx.siteId), randomUUID(), 'EX', 30);

    const response = await write('site_manager', 'inverter.gone', { value: 10 });
    await fixture.redis.del(uplinkPresenceKey(fixture.redisPrefix, ctx.siteId));

    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ code: 'edge_offline' });
    expect(response.body.message).toContain('gone');
  });

  it('answers edge_timeout without a result', async () => {
    const stub = await connectEdge();
    stub.answerControl = () => undefined;

    const response = await write('site_manager', 'inverter.silent', { value: 20 });

    expect(response.status).toBe(504);
    expect(response.body).toMatchObject({ ok: false, code: 'edge_timeout', point: 'inverter.silent' });
    expect(response.body.message).toContain('the outcome is unknown');
    expect(stub.all('control-command').filter((command) => command.point === 'inverter.silent')).toHaveLength(1);
    const [entry] = await auditEntries(fixture, 'point.control', 'inverter.silent');
    expect(entry!.after).toMatchObject({ result: 'edge_timeout' });
  });

  it('answers edge_timeout when the uplink closes first', async () => {
    const stub = await connectEdge();
    stub.answerControl = () => {
      stub.socket.close();
      return undefined;
    };

    const response = await write('site_manager', 'inverter.cut', { value: 20 });

    expect(response.status).toBe(504);
    expect(response.body.message).toContain('closed before the edge returned a result');
  });

  it('sends a command once only', async () => {
    const stub = await connectEdge();
    stub.answerControl = () => undefined;
    await write('site_manager', 'inverter.once', { value: 1 });

    // The edge reconnects after the timeout: nothing is resent.
    const again = await connectEdge();
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(stub.all('control-command').filter((command) => command.point === 'inverter.once')).toHaveLength(1);
    expect(again.all('control-command')).toEqual([]);
  });

  it('ignores a result for another command', async () => {
    const stub = await connectEdge();
    stub.answerControl = (command) => {
      stub.send({ type: 'control-result', requestId: randomUUID(), result: acceptCommand(command)! });
      return undefined;
    };

    const response = await write('site_manager', 'inverter.forged', { value: 5 });

    expect(response.status).toBe(504);
  });

  it('rejects a point id without a device', async () => {
    const response = await write('site_manager', 'nodot', { value: 1 });

    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('device.point');
  });

  it('rejects an invalid body', async () => {
    const response = await write('site_manager', 'inverter.W', { value: 1, leaseS: 1 });

    expect(response.status).toBe(400);
    expect(response.body.error.parameter).toBe('leaseS');
  });
});

describe('control rights on the hub', () => {
  const cases: { role: Role | 'outsider'; operatorControl: boolean; status: number }[] = [
    { role: 'viewer', operatorControl: true, status: 403 },
    { role: 'operator', operatorControl: false, status: 403 },
    { role: 'operator', operatorControl: true, status: 200 },
    { role: 'site_manager', operatorControl: false, status: 200 },
    { role: 'org_admin', operatorControl: false, status: 200 },
    // The edge checks commands against the members of the site's organization, and a platform admin
    // without a role there is not among them, so the hub refuses at once.
    { role: 'platform_admin', operatorControl: false, status: 403 },
    { role: 'member', operatorControl: true, status: 404 },
    { role: 'outsider', operatorControl: true, status: 404 },
  ];

  it.each(cases)('$role with operator control $operatorControl gets $status', async ({ role, operatorControl, status }) => {
    const stub = await connectEdge();
    await setOperatorControl(operatorControl);
    const point = `rights.${role}_${operatorControl}`;

    const response = await write(role, point, { value: 1 });

    expect(response.status).toBe(status);
    const forwarded = stub.all('control-command').filter((command) => command.point === point);
    expect(forwarded).toHaveLength(status === 200 ? 1 : 0);
    const audited = await auditEntries(fixture, 'point.control', point);
    expect(audited).toHaveLength(status === 404 ? 0 : 1);
    if (status === 403) {
      expect(response.body).toMatchObject({ ok: false, code: 'not_permitted', point });
      expect(audited[0]!.after).toMatchObject({ result: 'not_permitted' });
    }
    if (role === 'platform_admin') expect(response.body.message).toContain('give your account a membership in the organization');
    if (status === 404) expect(response.body.error.code).toBe('not_found');
  });

  it('hides a site of another organization', async () => {
    const response = await write('site_manager', 'inverter.W', { value: 1 }, ctx.foreignSiteId);

    expect(response.status).toBe(404);
  });

  it('requires authentication', async () => {
    const response = await call(relay.app, null, 'POST', `/api/sites/${ctx.siteId}/points/inverter.W/control`, { value: 1 });

    expect(response.status).toBe(401);
  });
});
