import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';

let fixture: CloudFixture;
let seed: Seed;
let organizationId: string;
let otherOrganizationId: string;
let siteId: string;
let hiddenSiteId: string;
let foreignSiteId: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  fixture = await createCloudFixture('sites');
  seed = new Seed(fixture);
  organizationId = await seed.organization('Acme');
  otherOrganizationId = await seed.organization('Other');
  siteId = await seed.site(organizationId, 'Plant A');
  hiddenSiteId = await seed.site(organizationId, 'Plant B');
  foreignSiteId = await seed.site(otherOrganizationId, 'Foreign');

  const admin = await seed.user('admin@acme.test');
  await seed.membership(admin, organizationId, 'org_admin');
  const manager = await seed.user('manager@acme.test');
  await seed.membership(manager, organizationId);
  await seed.siteAccess(manager, siteId, 'site_manager');
  const viewer = await seed.user('viewer@acme.test');
  await seed.membership(viewer, organizationId);
  await seed.siteAccess(viewer, siteId, 'viewer');
  await seed.user('root@platform.test', { platformAdmin: true });

  for (const email of ['admin@acme.test', 'manager@acme.test', 'viewer@acme.test', 'root@platform.test']) {
    tokens[email] = await login(fixture.app, email);
  }
});

afterAll(async () => {
  await fixture?.close();
});

describe('sites API', () => {
  it('lists only the sites a viewer was granted', async () => {
    const { status, body } = await call(fixture.app, tokens['viewer@acme.test']!, 'GET', '/api/sites');
    expect(status).toBe(200);
    expect(body.sites.map((site: { id: string }) => site.id)).toEqual([siteId]);
    expect(body.sites[0].role).toBe('viewer');
  });

  it('lists every site of the organization for its admin', async () => {
    const { body } = await call(fixture.app, tokens['admin@acme.test']!, 'GET', '/api/sites');
    expect(body.sites.map((site: { id: string }) => site.id).sort()).toEqual([siteId, hiddenSiteId].sort());
  });

  it('answers 404 for a site without access and one of another organization', async () => {
    expect((await call(fixture.app, tokens['viewer@acme.test']!, 'GET', `/api/sites/${hiddenSiteId}`)).status).toBe(404);
    expect((await call(fixture.app, tokens['admin@acme.test']!, 'GET', `/api/sites/${foreignSiteId}`)).status).toBe(404);
  });

  it('answers 403 when a viewer changes a site it can read', async () => {
    const { status, body } = await call(fixture.app, tokens['viewer@acme.test']!, 'PATCH', `/api/sites/${siteId}`, { name: 'Renamed' });
    expect(status).toBe(403);
    expect(body.error.code).toBe('forbidden');
  });

  it('lets a site manager rename the site and audits it', async () => {
    const { status, body } = await call(fixture.app, tokens['manager@acme.test']!, 'PATCH', `/api/sites/${siteId}`, { name: 'Plant A1' });
    expect(status).toBe(200);
    expect(body.name).toBe('Plant A1');
    const rows = await fixture.db.owner.begin(async (tx) => {
      await tx`SELECT set_config('app.all_organizations', 'on', true)`;
      return tx`SELECT action, before, after, request_id FROM audit_log WHERE target_id = ${siteId}`;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.action).toBe('site.update');
    expect(rows[0]!.before.name).toBe('Plant A');
    expect(rows[0]!.after.name).toBe('Plant A1');
    expect(rows[0]!.request_id).toEqual(expect.any(String));
  });

  it('rejects unknown fields with the field path', async () => {
    const { status, body } = await call(fixture.app, tokens['admin@acme.test']!, 'PATCH', `/api/sites/${siteId}`, { colour: 'red' });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toContain('colour');
  });

  it('creates a site for an org admin and not for a site manager', async () => {
    const created = await call(fixture.app, tokens['admin@acme.test']!, 'POST', `/api/organizations/${organizationId}/sites`, { name: 'New', timeZone: 'UTC' });
    expect(created.status).toBe(201);
    expect(created.body.role).toBe('org_admin');
    const denied = await call(fixture.app, tokens['manager@acme.test']!, 'POST', `/api/organizations/${organizationId}/sites`, { name: 'New', timeZone: 'UTC' });
    expect(denied.status).toBe(403);
  });

  it('lets a platform admin read a site of any organization', async () => {
    const { status, body } = await call(fixture.app, tokens['root@platform.test']!, 'GET', `/api/sites/${foreignSiteId}`);
    expect(status).toBe(200);
    expect(body.role).toBe('platform_admin');
  });
});
