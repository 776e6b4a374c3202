import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { modbusTcpMeter } from './sample-devices';
import { auditEntries, roles, seedSiteRoles, type Role, type SiteRoles } from '../support/site-roles';

let fixture: CloudFixture;
let ctx: SiteRoles;

beforeAll(async () => {
  fixture = await createCloudFixture('device-access');
  ctx = await seedSiteRoles(fixture);
});

afterAll(async () => {
  await fixture?.close();
});

async function createDevice(siteId: string, key: string, token = ctx.tokens.org_admin): Promise<string> {
  const { status, body } = await call(fixture.app, token, 'POST', `/api/sites/${siteId}/devices`, { device: modbusTcpMeter(key) });
  if (status !== 201) throw new Error(`creating device ${key} failed with ${status}: ${JSON.stringify(body)}`);
  return body.id;
}

/** Builds a device key unique to one route and role, so each case works on its own device. */
function keyFor(route: string, role: Role): string {
  return `${route}-${role}`.replace(/[^a-z0-9-]/g, '-');
}

type Request = [method: string, path: string, body?: unknown];

const readable: Record<Role, number> = { viewer: 200, operator: 200, site_manager: 200, org_admin: 200, platform_admin: 200, member: 404 };

function changeable(status: number): Record<Role, number> {
  return { viewer: 403, operator: 403, site_manager: status, org_admin: status, platform_admin: status, member: 404 };
}

const routeCases: { route: string; expected: Record<Role, number>; request: (role: Role) => Promise<Request> }[] = [
  { route: 'list devices', expected: readable, request: async () => ['GET', `/api/sites/${ctx.siteId}/devices`] },
  {
    route: 'create device',
    expected: changeable(201),
    request: async (role) => ['POST', `/api/sites/${ctx.siteId}/devices`, { device: modbusTcpMeter(keyFor('create', role)) }],
  },
  { route: 'read device', expected: readable, request: async (role) => ['GET', `/api/devices/${await createDevice(ctx.siteId, keyFor('read', role))}`] },
  {
    route: 'replace device',
    expected: changeable(200),
    request: async (role) => {
      const key = keyFor('replace', role);
      return ['PUT', `/api/devices/${await createDevice(ctx.siteId, key)}`, { device: { ...modbusTcpMeter(key), name: 'Renamed' } }];
    },
  },
  { route: 'delete device', expected: changeable(204), request: async (role) => ['DELETE', `/api/devices/${await createDevice(ctx.siteId, keyFor('delete', role))}`] },
  { route: 'list points', expected: readable, request: async (role) => ['GET', `/api/devices/${await createDevice(ctx.siteId, keyFor('points', role))}/points`] },
  {
    route: 'put point',
    expected: changeable(201),
    request: async (role) => ['PUT', `/api/devices/${await createDevice(ctx.siteId, keyFor('put-point', role))}/points/V`, { address: 0, unit: 'V' }],
  },
  {
    route: 'delete point',
    expected: changeable(204),
    request: async (role) => ['DELETE', `/api/devices/${await createDevice(ctx.siteId, keyFor('delete-point', role))}/points/W`],
  },
];

const matrix = routeCases.flatMap(({ route, expected, request }) => roles.map((role) => ({ route, role, status: expected[role], request })));

describe('device routes by role', () => {
  it.each(matrix)('$route as $role returns $status', async ({ role, status, request }) => {
    const [method, path, body] = await request(role);
    const response = await call(fixture.app, ctx.tokens[role], method, path, body);
    expect(response.status).toBe(status);
  });
});

describe('device routes across organizations', () => {
  it('returns 404 for every route on a foreign device', async () => {
    const foreignId = await createDevice(ctx.foreignSiteId, 'foreign-meter', ctx.tokens.platform_admin);
    const requests: Request[] = [
      ['GET', `/api/devices/${foreignId}`],
      ['PUT', `/api/devices/${foreignId}`, { device: modbusTcpMeter('foreign-meter') }],
      ['DELETE', `/api/devices/${foreignId}`],
      ['GET', `/api/devices/${foreignId}/points`],
      ['PUT', `/api/devices/${foreignId}/points/W`, { address: 1 }],
      ['DELETE', `/api/devices/${foreignId}/points/W`],
    ];
    for (const [method, path, body] of requests) {
      const response = await call(fixture.app, ctx.tokens.org_admin, method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.error.code, `${method} ${path}`).toBe('not_found');
    }
  });

  it('returns 404 for a foreign site', async () => {
    const list = await call(fixture.app, ctx.tokens.org_admin, 'GET', `/api/sites/${ctx.foreignSiteId}/devices`);
    expect(list.status).toBe(404);
    const create = await call(fixture.app, ctx.tokens.org_admin, 'POST', `/api/sites/${ctx.foreignSiteId}/devices`, { device: modbusTcpMeter('x') });
    expect(create.status).toBe(404);
  });

  it('returns 404 to an outsider for a device and its points', async () => {
    const deviceId = await createDevice(ctx.siteId, 'outsider-target');
    expect((await call(fixture.app, ctx.outsiderToken, 'GET', `/api/devices/${deviceId}`)).status).toBe(404);
    expect((await call(fixture.app, ctx.outsiderToken, 'GET', `/api/devices/${deviceId}/points`)).status).toBe(404);
    expect((await call(fixture.app, ctx.outsiderToken, 'DELETE', `/api/devices/${deviceId}/points/W`)).status).toBe(404);
  });

  it('names the device, not its site, when hiding it', async () => {
    const hiddenId = await createDevice(ctx.otherSiteId, 'hidden-meter');
    const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'GET', `/api/devices/${hiddenId}`);
    expect(status).toBe(404);
    expect(body.error.message).toContain(hiddenId);
    expect(body.error.message).not.toContain(ctx.otherSiteId);
  });

  it('returns 404 for an id that is not a UUID', async () => {
    const { status } = await call(fixture.app, ctx.tokens.platform_admin, 'GET', '/api/devices/main-meter');
    expect(status).toBe(404);
  });

  it('lets a platform admin read a foreign device', async () => {
    const foreignId = await createDevice(ctx.foreignSiteId, 'foreign-readable', ctx.tokens.platform_admin);
    const { status, body } = await call(fixture.app, ctx.tokens.platform_admin, 'GET', `/api/devices/${foreignId}`);
    expect(status).toBe(200);
    expect(body.siteId).toBe(ctx.foreignSiteId);
  });
});

describe('denied device changes', () => {
  it('leave the device and the audit log unchanged', async () => {
    const deviceId = await createDevice(ctx.siteId, 'guarded-meter');
    const put = await call(fixture.app, ctx.tokens.operator, 'PUT', `/api/devices/${deviceId}`, { device: { ...modbusTcpMeter('guarded-meter'), name: 'Changed' } });
    expect(put.status).toBe(403);
    expect(put.body.error.code).toBe('forbidden');
    const point = await call(fixture.app, ctx.tokens.viewer, 'DELETE', `/api/devices/${deviceId}/points/W`);
    expect(point.status).toBe(403);

    const { body } = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/devices/${deviceId}`);
    expect(body.device.name).toBe('Main meter');
    expect(body.device.points).toHaveLength(4);
    const entries = await auditEntries(fixture, deviceId);
    expect(entries.map((entry) => entry.action)).toEqual(['device.create']);
  });
});
