import type { EffectiveRole } from '@simtestlab/sync';
import type ModbusRTU from 'modbus-serial';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listAuditEntries } from '../../src/audit/audit-log';
import { createApiFixture, testSiteConfig, type ApiFixture } from '../api/api-fixture';
import { bearer, loginToken } from '../auth/auth-support';
import { addSiteUser } from '../auth/hub-support';
import { startPymodbus, type PymodbusServer } from '../drivers/modbus/pymodbus-process';
import { closeModbusClient, connectModbusClient } from '../simulate/modbus-test-client';
import { waitUntil } from './control-support';

// The edge's REST API for device control, on a runtime whose poller drives a real Modbus server.

let server: PymodbusServer;
let reader: ModbusRTU;
let fixture: ApiFixture;
const tokens = new Map<string, string>();
const PASSWORD = 'correct horse battery staple';

const roles: EffectiveRole[] = ['viewer', 'operator', 'site_manager', 'org_admin', 'platform_admin'];

beforeAll(async () => {
  server = await startPymodbus({ transport: 'tcp' }, { 1: { hr: { 0: 20, 1: 0 } } });
  reader = await connectModbusClient(server.port!, 1);
  const config = testSiteConfig({
    devices: [
      {
        key: 'plc',
        driver: 'modbus-tcp',
        pollIntervalMs: 60_000,
        connection: { host: '127.0.0.1', port: server.port!, timeoutMs: 300 },
        points: [
          { key: 'setpoint', address: 0, dataType: 'int16', writable: true, min: 0, max: 50, control: { safeValue: 10, minIntervalMs: 0 } },
          { key: 'measured', address: 1, dataType: 'int16' },
        ],
      },
    ],
  });
  fixture = await createApiFixture(config, { startPollers: true });
  for (const role of roles) {
    await addSiteUser(fixture.runtime.db, { email: `${role}@example.com`, role, password: PASSWORD });
    tokens.set(role, await loginToken(fixture.auth, `${role}@example.com`, PASSWORD));
  }
  await waitUntil(() => fixture.runtime.pollers.get('plc')?.startedDriver() !== undefined, 5000, 'the Modbus driver to start');
});

afterAll(async () => {
  await fixture?.close();
  await closeModbusClient(reader);
  await server?.stop();
});

beforeEach(() => {
  fixture.runtime.db.prepare('DELETE FROM cloud_site').run();
});

function allowOperatorControl(): void {
  fixture.runtime.db
    .prepare("INSERT INTO cloud_site (id, organization_id, name, time_zone, operator_control) VALUES ('site-1', 'org-1', 'Site', 'UTC', 1)")
    .run();
}

function post(path: string, token: string, body?: unknown): Promise<Response> {
  const init = { method: 'POST', headers: { ...bearer(token).headers, 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
  return Promise.resolve(fixture.app.request(path, init));
}

async function setpoint(): Promise<number> {
  return (await reader.readHoldingRegisters(0, 1)).data[0]!;
}

describe('control REST roles', () => {
  const cases: { role: EffectiveRole; operatorControl: boolean; allowed: boolean }[] = [
    { role: 'viewer', operatorControl: true, allowed: false },
    { role: 'operator', operatorControl: false, allowed: false },
    { role: 'operator', operatorControl: true, allowed: true },
    { role: 'site_manager', operatorControl: false, allowed: true },
    { role: 'org_admin', operatorControl: false, allowed: true },
    { role: 'platform_admin', operatorControl: false, allowed: true },
  ];
  let value = 20;

  for (const { role, operatorControl, allowed } of cases) {
    it(`${allowed ? 'lets' : 'stops'} ${role}${operatorControl ? ' where operators may control' : ''}`, async () => {
      if (operatorControl) allowOperatorControl();
      value += 1;
      const response = await post('/api/points/plc.setpoint/control', tokens.get(role)!, { value });
      const body = (await response.json()) as Record<string, unknown>;
      if (allowed) {
        expect(response.status).toBe(200);
        expect(body).toMatchObject({ ok: true, value, readBack: value, lease: { source: 'local', userName: role, expiresAt: null } });
        expect(await setpoint()).toBe(value);
      } else {
        expect(response.status).toBe(403);
        expect(body).toMatchObject({ ok: false, code: 'not_permitted', message: expect.stringContaining(`the role ${role} may not control devices`) });
        expect(await setpoint()).not.toBe(value);
      }
      const release = await post('/api/points/plc.setpoint/release', tokens.get(role)!);
      expect(release.status).toBe(allowed ? 200 : 403);
    });
  }

  it('lets the local installer account control', async () => {
    const response = await post('/api/points/plc.setpoint/control', fixture.token, { value: 30, leaseS: 120 });
    expect(response.status).toBe(200);
    expect(await setpoint()).toBe(30);
  });

  it('requires a token', async () => {
    const response = await fixture.app.request('/api/points/plc.setpoint/control', { method: 'POST', body: JSON.stringify({ value: 1 }) });
    expect(response.status).toBe(401);
  });
});

describe('control REST', () => {
  it('answers refusals with their status and the limit', async () => {
    const high = await post('/api/points/plc.setpoint/control', fixture.token, { value: 51 });
    expect(high.status).toBe(422);
    expect(await high.json()).toMatchObject({ ok: false, code: 'out_of_limits', limit: { name: 'max', value: 50 }, message: expect.stringContaining('maximum 50') });

    const text = await post('/api/points/plc.setpoint/control', fixture.token, { value: 'high' });
    expect(text.status).toBe(422);
    expect(await text.json()).toMatchObject({ code: 'wrong_type', message: expect.stringContaining('is int16') });

    expect((await post('/api/points/plc.measured/control', fixture.token, { value: 1 })).status).toBe(409);
    expect((await post('/api/points/plc.nothing/control', fixture.token, { value: 1 })).status).toBe(404);
  });

  it('rejects a malformed body', async () => {
    const response = await post('/api/points/plc.setpoint/control', fixture.token, { value: 1, leaseS: 2 });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_body', parameter: 'leaseS' } });
  });

  it('lists the leases in force', async () => {
    await post('/api/points/plc.setpoint/control', fixture.token, { value: 33, leaseS: 300 });
    const response = await fixture.app.request('/api/control/leases', bearer(tokens.get('viewer')!));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { leases: Record<string, unknown>[] };
    expect(body.leases).toMatchObject([{ point: 'plc.setpoint', source: 'local', value: 33 }]);

    await post('/api/points/plc.setpoint/release', fixture.token);
    expect(((await (await fixture.app.request('/api/control/leases', bearer(fixture.token))).json()) as { leases: unknown[] }).leases).toEqual([]);
    expect(await setpoint()).toBe(10);
  });

  it('audits every command through the API', async () => {
    const before = listAuditEntries(fixture.runtime.db, { action: 'control.write', limit: -1 }).length;
    await post('/api/points/plc.setpoint/control', tokens.get('viewer')!, { value: 12 });
    await post('/api/points/plc.setpoint/control', tokens.get('site_manager')!, { value: 12 });
    const entries = listAuditEntries(fixture.runtime.db, { action: 'control.write', limit: -1 }).slice(before);
    expect(entries.map((entry) => entry.details.result)).toEqual(['not_permitted', 'ok']);
    expect(entries[1]!.details).toMatchObject({ user: { name: 'site_manager' }, source: 'local', newValue: 12 });
  });
});
