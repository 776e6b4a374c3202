import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { mqttHeatPump } from './sample-devices';
import { auditEntries, seedSiteRoles, type Role, type SiteRoles } from '../support/site-roles';

const SECRET_URL = 'mqtt://heatpump:secretpw@192.0.2.30:1883';

let fixture: CloudFixture;
let ctx: SiteRoles;

beforeAll(async () => {
  fixture = await createCloudFixture('connection-secrets');
  ctx = await seedSiteRoles(fixture);
});

afterAll(async () => {
  await fixture?.close();
});

/** Builds an MQTT device whose broker URL contains a user name and password. */
function securedHeatPump(key: string, url = SECRET_URL) {
  const device = mqttHeatPump(key);
  return { ...device, connection: { ...device.connection, url } };
}

async function createDevice(device: unknown): Promise<string> {
  const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/devices`, { device });
  if (status !== 201) throw new Error(`creating a device failed with ${status}: ${JSON.stringify(body)}`);
  return body.id;
}

describe('device connection password in responses', () => {
  it.each<[Role, string]>([
    ['viewer', 'mqtt://heatpump:***@192.0.2.30:1883'],
    ['operator', 'mqtt://heatpump:***@192.0.2.30:1883'],
    ['site_manager', SECRET_URL],
    ['org_admin', SECRET_URL],
    ['platform_admin', SECRET_URL],
  ])('%s reads the broker URL as %s', async (role, expectedUrl) => {
    const deviceId = await createDevice(securedHeatPump(`read-${role.replace('_', '-')}`));
    const { status, body } = await call(fixture.app, ctx.tokens[role], 'GET', `/api/devices/${deviceId}`);
    expect(status).toBe(200);
    expect(body.device.connection.url).toBe(expectedUrl);
    expect(body.device.connection.staleAfterS).toBe(60);
  });

  it('leaves a URL without password alone', async () => {
    const deviceId = await createDevice(securedHeatPump('no-password', 'mqtt://heatpump@192.0.2.30:1883'));
    const { body } = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/devices/${deviceId}`);
    expect(body.device.connection.url).toBe('mqtt://heatpump@192.0.2.30:1883');
  });

  it('keeps the stored password', async () => {
    const deviceId = await createDevice(securedHeatPump('stored-password'));
    await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/devices/${deviceId}`);
    const { body } = await call(fixture.app, ctx.tokens.site_manager, 'GET', `/api/devices/${deviceId}`);
    expect(body.device.connection.url).toBe(SECRET_URL);
  });
});

describe('device connection password in audit entries', () => {
  it('is redacted in before and after', async () => {
    const deviceId = await createDevice(securedHeatPump('audited-secret'));
    const replacement = securedHeatPump('audited-secret', 'mqtts://heatpump:newsecret@192.0.2.31:8883');
    expect((await call(fixture.app, ctx.tokens.site_manager, 'PUT', `/api/devices/${deviceId}`, { device: replacement })).status).toBe(200);
    expect((await call(fixture.app, ctx.tokens.site_manager, 'DELETE', `/api/devices/${deviceId}`)).status).toBe(204);

    const [create, update, remove] = await auditEntries(fixture, deviceId);
    expect(create!.after.device.connection.url).toBe('mqtt://heatpump:[redacted]@192.0.2.30:1883');
    expect(update!.before.device.connection.url).toBe('mqtt://heatpump:[redacted]@192.0.2.30:1883');
    expect(update!.after.device.connection.url).toBe('mqtts://heatpump:[redacted]@192.0.2.31:8883');
    expect(remove!.before.device.connection.url).toBe('mqtts://heatpump:[redacted]@192.0.2.31:8883');
  });

  it('is absent from the audit search of a site manager', async () => {
    const deviceId = await createDevice(securedHeatPump('searched-secret'));
    const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'GET', `/api/audit?siteId=${ctx.siteId}&targetId=${deviceId}`);
    expect(status).toBe(200);
    expect(body.entries).toHaveLength(1);
    expect(JSON.stringify(body)).not.toContain('secretpw');
  });
});
