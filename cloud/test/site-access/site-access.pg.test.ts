import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { call, createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';

let fixture: CloudFixture;
let seed: Seed;
let organizationId: string;
let siteId: string;
let hiddenSiteId: string;
let foreignSiteId: string;
const users: Record<string, string> = {};
const tokens: Record<string, string> = {};
let memberCount = 0;

/** Seeds a fresh member of Acme without any site access, as the target of one test. */
async function newMember(): Promise<string> {
  memberCount += 1;
  const userId = await seed.user(`member${memberCount}@acme.test`, { name: `Member ${memberCount}` });
  await seed.membership(userId, organizationId);
  return userId;
}

async function auditEntries(userId: string) {
  return inTenantScope(
    fixture.db.owner,
    allOrganizations,
    (tx) => tx`
      SELECT action, organization_id, site_id, actor_id, target_type, before, after FROM audit_log
      WHERE target_id = ${userId} AND action LIKE 'site_access.%' ORDER BY id`,
  );
}

async function grantRole(userId: string): Promise<string | null> {
  const rows = await inTenantScope(
    fixture.db.owner,
    allOrganizations,
    (tx) => tx<{ role: string }[]>`SELECT role FROM site_access WHERE user_id = ${userId} AND site_id = ${siteId}`,
  );
  return rows[0]?.role ?? null;
}

async function permissionsVersion(userId: string): Promise<number> {
  const [row] = await fixture.db.owner<{ permissions_version: number }[]>`SELECT permissions_version FROM users WHERE id = ${userId}`;
  return row!.permissions_version;
}

beforeAll(async () => {
  fixture = await createCloudFixture('site_access');
  seed = new Seed(fixture);
  organizationId = await seed.organization('Acme');
  const otherOrganizationId = await seed.organization('Other');
  siteId = await seed.site(organizationId, 'Plant A');
  hiddenSiteId = await seed.site(organizationId, 'Plant B');
  foreignSiteId = await seed.site(otherOrganizationId, 'Foreign');

  for (const role of ['viewer', 'operator', 'site_manager'] as const) {
    users[role] = await seed.user(`${role}@acme.test`);
    await seed.membership(users[role]!, organizationId);
    await seed.siteAccess(users[role]!, siteId, role);
  }
  users.second_manager = await seed.user('second_manager@acme.test');
  await seed.membership(users.second_manager, organizationId);
  await seed.siteAccess(users.second_manager, siteId, 'site_manager');
  users.org_admin = await seed.user('org_admin@acme.test');
  await seed.membership(users.org_admin, organizationId, 'org_admin');
  users.no_access = await seed.user('no_access@acme.test');
  await seed.membership(users.no_access, organizationId);
  users.platform_admin = await seed.user('platform_admin@platform.test', { platformAdmin: true });
  users.foreigner = await seed.user('foreigner@other.test');
  await seed.membership(users.foreigner, otherOrganizationId);

  for (const role of ['viewer', 'operator', 'site_manager', 'org_admin', 'no_access', 'platform_admin']) {
    tokens[role] = await login(fixture.app, role === 'platform_admin' ? 'platform_admin@platform.test' : `${role}@acme.test`);
  }
});

afterAll(async () => {
  await fixture?.close();
});

describe('site access permissions', () => {
  // Each row: role, then the expected status of list, grant of viewer, and revoke.
  const matrix: [string, number, number, number][] = [
    ['viewer', 403, 403, 403],
    ['operator', 403, 403, 403],
    ['site_manager', 200, 200, 204],
    ['org_admin', 200, 200, 204],
    ['platform_admin', 200, 200, 204],
    ['no_access', 404, 404, 404],
  ];

  it.each(matrix)('%s: list %i, grant %i, revoke %i', async (role, listStatus, grantStatus, revokeStatus) => {
    const token = tokens[role]!;
    const granted = await newMember();
    const revoked = await newMember();
    await seed.siteAccess(revoked, siteId, 'operator');

    expect((await call(fixture.app, token, 'GET', `/api/sites/${siteId}/access`)).status).toBe(listStatus);
    expect((await call(fixture.app, token, 'PUT', `/api/sites/${siteId}/access/${granted}`, { role: 'viewer' })).status).toBe(grantStatus);
    expect(await grantRole(granted)).toBe(grantStatus === 200 ? 'viewer' : null);
    expect((await call(fixture.app, token, 'DELETE', `/api/sites/${siteId}/access/${revoked}`)).status).toBe(revokeStatus);
    expect(await grantRole(revoked)).toBe(revokeStatus === 204 ? null : 'operator');
  });

  it('list shows email, name and role', async () => {
    const { status, body } = await call(fixture.app, tokens.site_manager!, 'GET', `/api/sites/${siteId}/access`);
    expect(status).toBe(200);
    const viewer = body.grants.find((grant: { userId: string }) => grant.userId === users.viewer);
    expect(viewer.email).toBe('viewer@acme.test');
    expect(viewer.name).toBe('viewer');
    expect(viewer.role).toBe('viewer');
    expect(body.grants.some((grant: { userId: string }) => grant.userId === users.org_admin)).toBe(false);
  });
});

describe('site access visibility', () => {
  it('other organization site is not found', async () => {
    expect((await call(fixture.app, tokens.org_admin!, 'GET', `/api/sites/${foreignSiteId}/access`)).status).toBe(404);
    const put = await call(fixture.app, tokens.org_admin!, 'PUT', `/api/sites/${foreignSiteId}/access/${users.foreigner}`, { role: 'viewer' });
    expect(put.status).toBe(404);
  });

  it('site without access is not found', async () => {
    const target = await newMember();
    expect((await call(fixture.app, tokens.site_manager!, 'GET', `/api/sites/${hiddenSiteId}/access`)).status).toBe(404);
    const put = await call(fixture.app, tokens.site_manager!, 'PUT', `/api/sites/${hiddenSiteId}/access/${target}`, { role: 'viewer' });
    expect(put.status).toBe(404);
    expect(put.body.error.message).toBe(`site ${hiddenSiteId} not found`);
  });

  it('user of another organization is not found', async () => {
    const { status, body } = await call(fixture.app, tokens.org_admin!, 'PUT', `/api/sites/${siteId}/access/${users.foreigner}`, { role: 'viewer' });
    expect(status).toBe(404);
    expect(body.error.message).toBe(`user ${users.foreigner} not found`);
  });

  it('user without membership is not found', async () => {
    const loner = await seed.user('loner@nowhere.test');
    expect((await call(fixture.app, tokens.platform_admin!, 'PUT', `/api/sites/${siteId}/access/${loner}`, { role: 'viewer' })).status).toBe(404);
  });

  it('malformed user id is not found', async () => {
    expect((await call(fixture.app, tokens.org_admin!, 'PUT', `/api/sites/${siteId}/access/not-a-uuid`, { role: 'viewer' })).status).toBe(404);
  });

  it('revoke without grant is not found', async () => {
    const target = await newMember();
    const { status, body } = await call(fixture.app, tokens.org_admin!, 'DELETE', `/api/sites/${siteId}/access/${target}`);
    expect(status).toBe(404);
    expect(body.error.message).toContain('has no access grant');
  });

  it('foreign key requires a membership', async () => {
    const insert = inTenantScope(
      fixture.db.owner,
      allOrganizations,
      (tx) => tx`INSERT INTO site_access (user_id, site_id, organization_id, role) VALUES (${users.foreigner!}, ${siteId}, ${organizationId}, 'viewer')`,
    );
    await expect(insert).rejects.toMatchObject({ code: '23503' });
  });

  it('rejects unknown roles', async () => {
    const target = await newMember();
    const { status, body } = await call(fixture.app, tokens.org_admin!, 'PUT', `/api/sites/${siteId}/access/${target}`, { role: 'org_admin' });
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('role');
  });
});

describe('site manager grant limits', () => {
  it('may not grant site manager', async () => {
    const target = await newMember();
    const { status, body } = await call(fixture.app, tokens.site_manager!, 'PUT', `/api/sites/${siteId}/access/${target}`, { role: 'site_manager' });
    expect(status).toBe(403);
    expect(body.error.message).toContain('may grant only viewer, operator');
    expect(await grantRole(target)).toBeNull();
  });

  it('grants operator', async () => {
    const target = await newMember();
    const { status, body } = await call(fixture.app, tokens.site_manager!, 'PUT', `/api/sites/${siteId}/access/${target}`, { role: 'operator' });
    expect(status).toBe(200);
    expect(body.role).toBe('operator');
    expect(body.grantedBy).toBe(users.site_manager);
  });

  it('may not change another site manager', async () => {
    const { status, body } = await call(fixture.app, tokens.site_manager!, 'PUT', `/api/sites/${siteId}/access/${users.second_manager}`, { role: 'viewer' });
    expect(status).toBe(403);
    expect(body.error.message).toContain('only an org admin may change or remove');
    expect(await grantRole(users.second_manager!)).toBe('site_manager');
  });

  it('may not revoke another site manager', async () => {
    const { status } = await call(fixture.app, tokens.site_manager!, 'DELETE', `/api/sites/${siteId}/access/${users.second_manager}`);
    expect(status).toBe(403);
    expect(await grantRole(users.second_manager!)).toBe('site_manager');
  });

  it('may not change own grant', async () => {
    const { status, body } = await call(fixture.app, tokens.site_manager!, 'PUT', `/api/sites/${siteId}/access/${users.site_manager}`, { role: 'viewer' });
    expect(status).toBe(403);
    expect(body.error.message).toContain('your own access');
  });

  it('may not revoke own grant', async () => {
    const { status } = await call(fixture.app, tokens.site_manager!, 'DELETE', `/api/sites/${siteId}/access/${users.site_manager}`);
    expect(status).toBe(403);
    expect(await grantRole(users.site_manager!)).toBe('site_manager');
  });

  it('org admin changes a site manager grant', async () => {
    const target = await newMember();
    await seed.siteAccess(target, siteId, 'site_manager');
    const { status, body } = await call(fixture.app, tokens.org_admin!, 'PUT', `/api/sites/${siteId}/access/${target}`, { role: 'operator' });
    expect(status).toBe(200);
    expect(body.role).toBe('operator');
    expect((await call(fixture.app, tokens.org_admin!, 'DELETE', `/api/sites/${siteId}/access/${target}`)).status).toBe(204);
  });
});

describe('site access changes', () => {
  it('grant, update and revoke are audited', async () => {
    const target = await newMember();
    const versionBefore = await permissionsVersion(target);
    await call(fixture.app, tokens.org_admin!, 'PUT', `/api/sites/${siteId}/access/${target}`, { role: 'viewer' });
    await call(fixture.app, tokens.org_admin!, 'PUT', `/api/sites/${siteId}/access/${target}`, { role: 'site_manager' });
    await call(fixture.app, tokens.org_admin!, 'DELETE', `/api/sites/${siteId}/access/${target}`);

    const entries = await auditEntries(target);
    expect(entries.map((entry) => entry.action)).toEqual(['site_access.grant', 'site_access.update', 'site_access.revoke']);
    expect(entries.map((entry) => entry.before)).toEqual([null, { role: 'viewer' }, { role: 'site_manager' }]);
    expect(entries.map((entry) => entry.after)).toEqual([{ role: 'viewer' }, { role: 'site_manager' }, null]);
    for (const entry of entries) {
      expect(entry.organization_id).toBe(organizationId);
      expect(entry.site_id).toBe(siteId);
      expect(entry.actor_id).toBe(users.org_admin);
    }
    expect(await permissionsVersion(target)).toBe(versionBefore + 3);
  });

  it('same role again changes nothing', async () => {
    const target = await newMember();
    await call(fixture.app, tokens.org_admin!, 'PUT', `/api/sites/${siteId}/access/${target}`, { role: 'operator' });
    const version = await permissionsVersion(target);
    const { status, body } = await call(fixture.app, tokens.org_admin!, 'PUT', `/api/sites/${siteId}/access/${target}`, { role: 'operator' });
    expect(status).toBe(200);
    expect(body.role).toBe('operator');
    expect(body.email).toBe(`member${memberCount}@acme.test`);
    expect(await auditEntries(target)).toHaveLength(1);
    expect(await permissionsVersion(target)).toBe(version);
  });

  it('grantee sees the site at once', async () => {
    const target = await newMember();
    const token = await login(fixture.app, `member${memberCount}@acme.test`);
    const before = await call(fixture.app, token, 'GET', '/api/sites');
    expect(before.body.sites).toEqual([]);

    await call(fixture.app, tokens.site_manager!, 'PUT', `/api/sites/${siteId}/access/${target}`, { role: 'viewer' });
    const after = await call(fixture.app, token, 'GET', '/api/sites');
    expect(after.body.sites.map((site: { id: string }) => site.id)).toEqual([siteId]);
    expect(after.body.sites[0].role).toBe('viewer');

    await call(fixture.app, tokens.site_manager!, 'DELETE', `/api/sites/${siteId}/access/${target}`);
    expect((await call(fixture.app, token, 'GET', `/api/sites/${siteId}`)).status).toBe(404);
  });
});
