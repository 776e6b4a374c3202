import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount } from '../support/audit-entries';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { modbusTcpMeter } from '../devices/sample-devices';

// Postgres text and jsonb cannot store NUL (U+0000), so a NUL in a body, a path or a query must be a
// 400 that names the character, never a 500 from the database.

const NUL_MESSAGE = 'a value contains a NUL character (\\u0000), which cannot be stored; remove it';

let fixture: CloudFixture;
let ctx: SiteRoles;
let deviceId: string;

beforeAll(async () => {
  fixture = await createCloudFixture('nul-characters');
  ctx = await seedSiteRoles(fixture);
  const created = await call(fixture.app, ctx.tokens.platform_admin, 'POST', `/api/sites/${ctx.siteId}/devices`, { device: modbusTcpMeter() });
  if (created.status !== 201) throw new Error(`creating the device failed with ${created.status}: ${JSON.stringify(created.body)}`);
  deviceId = created.body.id;
});

afterAll(async () => {
  await fixture?.close();
});

function send(method: string, path: string, body?: unknown) {
  return call(fixture.app, ctx.tokens.platform_admin, method, path, body);
}

describe('NUL in a JSON body', () => {
  it('rejects an organization name', async () => {
    const { status } = await send('POST', '/api/organizations', { name: 'Acme\u0000' });
    expect(status).toBe(400);
  });

  it('rejects a site name', async () => {
    const { status } = await send('POST', `/api/organizations/${ctx.organizationId}/sites`, { name: 'Plant\u0000', timeZone: 'UTC' });
    expect(status).toBe(400);
  });

  it('rejects a site address', async () => {
    const before = await auditCount(fixture);
    const { status, body } = await send('POST', `/api/organizations/${ctx.organizationId}/sites`, { name: 'Plant C', timeZone: 'UTC', address: 'Main St\u00001' });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toBe(NUL_MESSAGE);
    expect(await auditCount(fixture)).toBe(before);
  });

  it('rejects a device name', async () => {
    const { status, body } = await send('POST', `/api/sites/${ctx.siteId}/devices`, { device: { ...modbusTcpMeter('nul-name'), name: 'Meter\u0000' } });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toBe(NUL_MESSAGE);
  });

  it('rejects a string stored as jsonb', async () => {
    const { status, body } = await send('PUT', `/api/devices/${deviceId}/points/V`, { address: 0, unit: 'V', dataType: 'uint16', name: 'Voltage\u0000' });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toBe(NUL_MESSAGE);
  });
});

describe('NUL in a URL', () => {
  const cases: [string, string, string][] = [
    ['a point key in the path', 'PUT', '/api/devices/{device}/points/V%00'],
    ['a point key to delete', 'DELETE', '/api/devices/{device}/points/V%00'],
    ['a user search', 'GET', '/api/users?q=a%00'],
    ['an audit search filter', 'GET', '/api/audit?actorId=a%00'],
    ['an audit action prefix', 'GET', '/api/audit?action=site%00*'],
    ['an audit export filter', 'GET', '/api/audit/export.csv?targetType=site%00'],
  ];

  it.each(cases)('rejects %s', async (_name, method, template) => {
    const path = template.replace('{device}', deviceId);
    const { status, body } = await send(method, path, method === 'PUT' ? { address: 0, unit: 'V', dataType: 'uint16' } : undefined);
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toBe(NUL_MESSAGE);
  });

  it('rejects before authentication', async () => {
    const { status, body } = await call(fixture.app, null, 'GET', '/api/users?q=%00');
    expect(status).toBe(400);
    expect(body.error.message).toBe(NUL_MESSAGE);
  });

  it('accepts an encoded percent sign followed by 00', async () => {
    const { status } = await send('GET', '/api/users?q=a%2500');
    expect(status).toBe(200);
  });
});
