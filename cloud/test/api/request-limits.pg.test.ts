import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/api/app';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { call, createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';

let fixture: CloudFixture;
let token: string;
let organizationId: string;

beforeAll(async () => {
  fixture = await createCloudFixture('request-limits');
  const seed = new Seed(fixture);
  organizationId = await seed.organization('Acme');
  await seed.membership(await seed.user('admin@acme.test'), organizationId, 'org_admin');
  token = await login(fixture.app, 'admin@acme.test');
});

afterAll(async () => {
  await fixture?.close();
});

function postSite(body: string, contentType = 'application/json') {
  return fixture.app.request(`/api/organizations/${organizationId}/sites`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
    body,
  });
}

describe('request limits and malformed bodies', () => {
  it('rejects a body over the limit with 413', async () => {
    const response = await postSite(JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES), timeZone: 'UTC' }));
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('body_too_large');
    expect(body.error.message).toContain(String(MAX_BODY_BYTES));
  });

  it('rejects invalid JSON with 400', async () => {
    const response = await postSite('{"name": "A", ');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe('invalid_request');
  });

  it('rejects a body without the JSON content type', async () => {
    const response = await postSite('name=A', 'application/x-www-form-urlencoded');
    expect(response.status).toBe(415);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).not.toBe('');
  });

  it('names every invalid field with its path', async () => {
    const { status, body } = await call(fixture.app, token, 'POST', `/api/organizations/${organizationId}/sites`, { name: '', timeZone: 'Mars/Olympus', latitude: 91 });
    expect(status).toBe(400);
    const paths = body.error.issues.map((issue: { path: string }) => issue.path).sort();
    expect(paths).toEqual(['latitude', 'name', 'timeZone']);
  });

  it('creates nothing when a request is rejected', async () => {
    const rows = await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx`SELECT id FROM sites`);
    expect(rows).toEqual([]);
  });
});
