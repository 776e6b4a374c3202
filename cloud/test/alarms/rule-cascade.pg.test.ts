import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { auditEntries, seedSiteRoles, type SiteRoles } from '../support/site-roles';

/*
 * Deleting a device or a point removes the alarm rules on it. Before, the point's foreign key removed
 * them silently, and a device offline rule stayed behind naming a device that no longer existed.
 */

let fixture: CloudFixture;
let ctx: SiteRoles;

beforeAll(async () => {
  fixture = await createCloudFixture('rule_cascade');
  ctx = await seedSiteRoles(fixture);
});

afterAll(async () => {
  await fixture?.close();
});

const point = (key: string, address: number) => ({ key, address, dataType: 'float32', unit: 'W' });

async function addDevice(key: string, points: unknown[]): Promise<string> {
  const response = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/devices`, {
    device: { key, driver: 'modbus-tcp', connection: { host: '192.0.2.10', unitId: 1 }, points },
  });
  expect(response.status).toBe(201);
  return response.body.id as string;
}

async function addRule(body: Record<string, unknown>): Promise<string> {
  const response = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/alarm-rules`, { severity: 'warning', ...body });
  expect(response.status).toBe(201);
  return response.body.id as string;
}

async function ruleIds(): Promise<string[]> {
  const response = await call(fixture.app, ctx.tokens.site_manager, 'GET', `/api/sites/${ctx.siteId}/alarm-rules`);
  return (response.body.rules as { id: string }[]).map((rule) => rule.id);
}

describe('rules of deleted devices and points', () => {
  it('deletes and audits the rules of a deleted point', async () => {
    const deviceId = await addDevice('pump', [point('W', 0), point('A', 2)]);
    const onW = await addRule({ name: 'Pump power high', point: 'pump.W', condition: { type: 'high', limit: 10 } });
    const onA = await addRule({ name: 'Pump current high', point: 'pump.A', condition: { type: 'high', limit: 10 } });

    const deleted = await call(fixture.app, ctx.tokens.site_manager, 'DELETE', `/api/devices/${deviceId}/points/W`);

    expect(deleted.status).toBe(204);
    expect(await ruleIds()).not.toContain(onW);
    expect(await ruleIds()).toContain(onA);
    const audit = await auditEntries(fixture, onW);
    expect(audit.map((entry) => entry.action)).toEqual(['alarm_rule.create', 'alarm_rule.delete']);
    expect(audit[1]!.after).toEqual({ reason: 'point pump.W deleted' });
  });

  it('deletes the device offline rules of a deleted device', async () => {
    const deviceId = await addDevice('fan', [point('W', 0)]);
    const offline = await addRule({ name: 'Fan offline', point: null, condition: { type: 'device_offline', device: 'fan' } });
    const onW = await addRule({ name: 'Fan power high', point: 'fan.W', condition: { type: 'high', limit: 10 } });

    expect((await call(fixture.app, ctx.tokens.site_manager, 'DELETE', `/api/devices/${deviceId}`)).status).toBe(204);

    expect(await ruleIds()).not.toContain(offline);
    expect(await ruleIds()).not.toContain(onW);
    const audit = await auditEntries(fixture, offline);
    expect(audit.at(-1)).toMatchObject({ action: 'alarm_rule.delete', after: { reason: 'device fan deleted' } });
  });

  it('deletes the rules of a point a device update drops', async () => {
    const deviceId = await addDevice('boiler', [point('W', 0), point('T', 2)]);
    const onT = await addRule({ name: 'Boiler hot', point: 'boiler.T', condition: { type: 'high', limit: 90 } });

    const updated = await call(fixture.app, ctx.tokens.site_manager, 'PUT', `/api/devices/${deviceId}`, {
      device: { key: 'boiler', driver: 'modbus-tcp', connection: { host: '192.0.2.10', unitId: 1 }, points: [point('W', 0)] },
    });

    expect(updated.status).toBe(200);
    expect(await ruleIds()).not.toContain(onT);
    expect((await auditEntries(fixture, onT)).at(-1)).toMatchObject({ action: 'alarm_rule.delete', after: { reason: 'point boiler.T removed from its device' } });
  });
});
