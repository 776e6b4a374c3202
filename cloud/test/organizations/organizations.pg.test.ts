import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { call, createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';
import { auditCount, auditEntries } from '../support/audit-entries';

let fixture: CloudFixture;
let seed: Seed;
let acmeId: string;
let otherId: string;
let memberId: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  fixture = await createCloudFixture('organizations');
  seed = new Seed(fixture);
  acmeId = await seed.organization('Acme');
  otherId = await seed.organization('Other');

  const admin = await seed.user('admin@acme.test');
  await seed.membership(admin, acmeId, 'org_admin');
  memberId = await seed.user('member@acme.test');
  await seed.membership(memberId, acmeId, 'member');
  const outsider = await seed.user('admin@other.test');
  await seed.membership(outsider, otherId, 'org_admin');
  await seed.user('root@platform.test', { platformAdmin: true });

  for (const email of ['admin@acme.test', 'member@acme.test', 'admin@other.test', 'root@platform.test']) {
    tokens[email] = await login(fixture.app, email);
  }
});

afterAll(async () => {
  await fixture?.close();
});

function as(email: string, method: string, path: string, body?: unknown) {
  return call(fixture.app, tokens[email]!, method, path, body);
}

describe('GET /api/organizations', () => {
  it('lists a member their organizations with their role', async () => {
    const { status, body } = await as('member@acme.test', 'GET', '/api/organizations');
    expect(status).toBe(200);
    expect(body.organizations).toHaveLength(1);
    expect(body.organizations[0].id).toBe(acmeId);
    expect(body.organizations[0].role).toBe('member');
  });

  it('lists every organization for a platform admin', async () => {
    const { status, body } = await as('root@platform.test', 'GET', '/api/organizations');
    expect(status).toBe(200);
    const ids = body.organizations.map((organization: { id: string }) => organization.id);
    expect(ids).toContain(acmeId);
    expect(ids).toContain(otherId);
    expect(body.organizations[0].role).toBeNull();
  });

  it('requires a token', async () => {
    expect((await call(fixture.app, null, 'GET', '/api/organizations')).status).toBe(401);
  });
});

describe('POST /api/organizations', () => {
  it('creates an organization for a platform admin and audits it', async () => {
    const { status, body } = await as('root@platform.test', 'POST', '/api/organizations', { name: '  Globex  ' });
    expect(status).toBe(201);
    expect(body.name).toBe('Globex');
    expect(body.role).toBeNull();
    const entries = await auditEntries(fixture, 'organization.create', body.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.organization_id).toBe(body.id);
    expect(entries[0]!.before).toBeNull();
    expect(entries[0]!.after).toEqual({ name: 'Globex', currency: 'EUR' });
  });

  it('rejects an org admin with 403 and writes no audit entry', async () => {
    const entriesBefore = await auditCount(fixture);
    const { status, body } = await as('admin@acme.test', 'POST', '/api/organizations', { name: 'Mine' });
    expect(status).toBe(403);
    expect(body.error.code).toBe('forbidden');
    expect(await auditCount(fixture)).toBe(entriesBefore);
  });

  it('rejects an empty name and unknown fields', async () => {
    expect((await as('root@platform.test', 'POST', '/api/organizations', { name: '' })).status).toBe(400);
    const unknownField = await as('root@platform.test', 'POST', '/api/organizations', { name: 'X', plan: 'gold' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.message).toContain('plan');
  });
});

describe('GET /api/organizations/{organizationId}', () => {
  it('returns the organization to a member', async () => {
    const { status, body } = await as('member@acme.test', 'GET', `/api/organizations/${acmeId}`);
    expect(status).toBe(200);
    expect(body.name).toBe('Acme');
    expect(body.role).toBe('member');
  });

  it('answers 404 to a non-member', async () => {
    const { status, body } = await as('admin@other.test', 'GET', `/api/organizations/${acmeId}`);
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });

  it('answers 404 for a malformed and an unknown id', async () => {
    expect((await as('root@platform.test', 'GET', '/api/organizations/not-a-uuid')).status).toBe(404);
    expect((await as('root@platform.test', 'GET', '/api/organizations/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('returns any organization to a platform admin', async () => {
    const { status, body } = await as('root@platform.test', 'GET', `/api/organizations/${otherId}`);
    expect(status).toBe(200);
    expect(body.name).toBe('Other');
  });
});

describe('PATCH /api/organizations/{organizationId}', () => {
  it('renames for an org admin and audits before and after', async () => {
    const { status, body } = await as('admin@acme.test', 'PATCH', `/api/organizations/${acmeId}`, { name: 'Acme Corp' });
    expect(status).toBe(200);
    expect(body.name).toBe('Acme Corp');
    expect(body.role).toBe('org_admin');
    const entries = await auditEntries(fixture, 'organization.update', acmeId);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.organization_id).toBe(acmeId);
    expect(entries[0]!.before).toEqual({ name: 'Acme', currency: 'EUR' });
    expect(entries[0]!.after).toEqual({ name: 'Acme Corp', currency: 'EUR' });
  });

  it('answers 403 to a member', async () => {
    const { status } = await as('member@acme.test', 'PATCH', `/api/organizations/${acmeId}`, { name: 'Hijacked' });
    expect(status).toBe(403);
  });

  it("answers 404 to another organization's admin", async () => {
    const { status } = await as('admin@other.test', 'PATCH', `/api/organizations/${acmeId}`, { name: 'Hijacked' });
    expect(status).toBe(404);
  });

  it('lets a platform admin rename any organization', async () => {
    const { status, body } = await as('root@platform.test', 'PATCH', `/api/organizations/${otherId}`, { name: 'Other Ltd' });
    expect(status).toBe(200);
    expect(body.name).toBe('Other Ltd');
  });

  it('writes nothing for a no-op', async () => {
    const updatedAt = async () =>
      (await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx<{ updated_at: Date }[]>`SELECT updated_at FROM organizations WHERE id = ${otherId}`))[0]!.updated_at;
    const before = await updatedAt();
    const entriesBefore = await auditCount(fixture);

    const empty = await as('root@platform.test', 'PATCH', `/api/organizations/${otherId}`, {});
    expect(empty.status).toBe(200);
    expect(empty.body.name).toBe('Other Ltd');
    const same = await as('admin@other.test', 'PATCH', `/api/organizations/${otherId}`, { name: 'Other Ltd' });
    expect(same.status).toBe(200);
    expect(same.body.name).toBe('Other Ltd');
    expect(same.body.updatedAt).toBe(before.toISOString());

    expect(await auditCount(fixture)).toBe(entriesBefore);
    expect((await updatedAt()).getTime()).toBe(before.getTime());
  });
});

describe('organization currency', () => {
  it('starts as EUR', async () => {
    const { body } = await as('member@acme.test', 'GET', `/api/organizations/${acmeId}`);
    expect(body.currency).toBe('EUR');
  });

  it('changes for an org admin and audits it', async () => {
    const { status, body } = await as('admin@other.test', 'PATCH', `/api/organizations/${otherId}`, { currency: 'USD' });
    expect(status).toBe(200);
    expect(body.currency).toBe('USD');
    expect(body.name).toBe('Other Ltd');
    const entries = await auditEntries(fixture, 'organization.update', otherId);
    expect(entries.at(-1)!.before).toEqual({ name: 'Other Ltd', currency: 'EUR' });
    expect(entries.at(-1)!.after).toEqual({ name: 'Other Ltd', currency: 'USD' });
  });

  it('rejects codes that are not ISO 4217', async () => {
    const entriesBefore = await auditCount(fixture);
    for (const currency of ['usd', 'EURO', 'XYZ', '']) {
      const { status, body } = await as('admin@other.test', 'PATCH', `/api/organizations/${otherId}`, { currency });
      expect(status, currency).toBe(400);
      expect(body.error.parameter, currency).toBe('currency');
    }
    const unknown = await as('admin@other.test', 'PATCH', `/api/organizations/${otherId}`, { currency: 'XYZ' });
    expect(unknown.body.error.message).toContain('unknown currency "XYZ"');
    expect(await auditCount(fixture)).toBe(entriesBefore);
  });

  it('answers 403 to a member', async () => {
    const { status } = await as('member@acme.test', 'PATCH', `/api/organizations/${acmeId}`, { currency: 'GBP' });
    expect(status).toBe(403);
  });
});

describe('DELETE /api/organizations/{organizationId}', () => {
  it('answers 403 to an org admin and a member', async () => {
    expect((await as('admin@acme.test', 'DELETE', `/api/organizations/${acmeId}`)).status).toBe(403);
    expect((await as('member@acme.test', 'DELETE', `/api/organizations/${acmeId}`)).status).toBe(403);
  });

  it('answers 404 to a non-member', async () => {
    expect((await as('admin@other.test', 'DELETE', `/api/organizations/${acmeId}`)).status).toBe(404);
  });

  it('deletes for a platform admin, audits it and drops members at once', async () => {
    const siteId = await seed.site(acmeId, 'Plant');
    await seed.siteAccess(memberId, siteId, 'viewer');
    expect((await as('member@acme.test', 'GET', `/api/organizations/${acmeId}`)).status).toBe(200);

    const { status } = await as('root@platform.test', 'DELETE', `/api/organizations/${acmeId}`);
    expect(status).toBe(204);

    const entries = await auditEntries(fixture, 'organization.delete', acmeId);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.organization_id).toBe(acmeId);
    expect(entries[0]!.before).toEqual({ name: 'Acme Corp', currency: 'EUR', memberCount: 2 });
    expect(entries[0]!.after).toBeNull();

    const remaining = await inTenantScope(fixture.db.owner, allOrganizations, async (tx) => ({
      memberships: (await tx`SELECT 1 FROM memberships WHERE organization_id = ${acmeId}`).length,
      sites: (await tx`SELECT 1 FROM sites WHERE organization_id = ${acmeId}`).length,
    }));
    expect(remaining.memberships).toBe(0);
    expect(remaining.sites).toBe(0);

    // The member's token predates the delete; the permission change must reach it without a new login.
    expect((await as('member@acme.test', 'GET', `/api/organizations/${acmeId}`)).status).toBe(404);
    const list = await as('member@acme.test', 'GET', '/api/organizations');
    expect(list.body.organizations).toEqual([]);
  });
});
