import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashOpaqueToken } from '../../src/auth/opaque-token';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { auditCount, auditEntries } from '../support/audit-entries';
import { call, createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';
import { setHomeOrganization } from './home-organization';

let fixture: CloudFixture;
let seed: Seed;
let acmeId: string;
let otherId: string;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};

beforeAll(async () => {
  fixture = await createCloudFixture('users');
  seed = new Seed(fixture);
  acmeId = await seed.organization('Acme');
  otherId = await seed.organization('Other');

  ids['admin@acme.test'] = await seed.user('admin@acme.test', { name: 'Ada Admin' });
  await seed.membership(ids['admin@acme.test']!, acmeId, 'org_admin');
  ids['member@acme.test'] = await seed.user('member@acme.test', { name: 'Max Member' });
  await seed.membership(ids['member@acme.test']!, acmeId, 'member');
  ids['shared@both.test'] = await seed.user('shared@both.test', { name: 'Sam Shared' });
  await seed.membership(ids['shared@both.test']!, acmeId, 'member');
  await seed.membership(ids['shared@both.test']!, otherId, 'member');
  ids['padmin@acme.test'] = await seed.user('padmin@acme.test', { name: 'Pat Platform', platformAdmin: true });
  await seed.membership(ids['padmin@acme.test']!, acmeId, 'member');
  ids['admin@other.test'] = await seed.user('admin@other.test', { name: 'Otto Other' });
  await seed.membership(ids['admin@other.test']!, otherId, 'org_admin');
  ids['root@platform.test'] = await seed.user('root@platform.test', { name: 'Root', platformAdmin: true });
  ids['loner@example.test'] = await seed.user('loner@example.test', { name: 'Lou Loner' });
  for (const email of ['admin@acme.test', 'member@acme.test', 'shared@both.test', 'padmin@acme.test']) {
    await setHomeOrganization(fixture, ids[email]!, acmeId);
  }
  await setHomeOrganization(fixture, ids['admin@other.test']!, otherId);

  for (const email of Object.keys(ids)) tokens[email] = await login(fixture.app, email);
});

afterAll(async () => {
  await fixture?.close();
});

function as(email: string, method: string, path: string, body?: unknown) {
  return call(fixture.app, tokens[email]!, method, path, body);
}

async function homeOrganizationOf(userId: string): Promise<string | null> {
  const [row] = await fixture.db.owner<{ home_organization_id: string | null }[]>`SELECT home_organization_id FROM users WHERE id = ${userId}`;
  return row!.home_organization_id;
}

async function permissionsVersionOf(userId: string): Promise<number> {
  const [row] = await fixture.db.owner<{ permissions_version: number }[]>`SELECT permissions_version FROM users WHERE id = ${userId}`;
  return row!.permissions_version;
}

function emailsOf(body: { users: { email: string }[] }): string[] {
  return body.users.map((user) => user.email).sort();
}

describe('GET /api/users', () => {
  it('lists every user for a platform admin', async () => {
    const { status, body } = await as('root@platform.test', 'GET', '/api/users');
    expect(status).toBe(200);
    expect(emailsOf(body)).toEqual(Object.keys(ids).sort());
  });

  it('filters by organization and by search text for a platform admin', async () => {
    const byOrganization = await as('root@platform.test', 'GET', `/api/users?organizationId=${otherId}`);
    expect(emailsOf(byOrganization.body)).toEqual(['admin@other.test', 'shared@both.test']);
    const byName = await as('root@platform.test', 'GET', '/api/users?q=max');
    expect(emailsOf(byName.body)).toEqual(['member@acme.test']);
    const byEmail = await as('root@platform.test', 'GET', '/api/users?q=OTHER.TEST');
    expect(emailsOf(byEmail.body)).toEqual(['admin@other.test']);
  });

  it('matches wildcard characters in the search text literally', async () => {
    const { body } = await as('root@platform.test', 'GET', `/api/users?q=${encodeURIComponent('%')}`);
    expect(body.users).toEqual([]);
  });

  it('lists an org admin only the members of their organizations', async () => {
    const { status, body } = await as('admin@acme.test', 'GET', '/api/users');
    expect(status).toBe(200);
    expect(emailsOf(body)).toEqual(['admin@acme.test', 'member@acme.test', 'padmin@acme.test', 'shared@both.test']);
  });

  it('hides memberships in other organizations', async () => {
    const { body } = await as('admin@acme.test', 'GET', '/api/users?q=shared');
    expect(body.users).toHaveLength(1);
    expect(body.users[0].memberships).toEqual([{ organizationId: acmeId, organizationName: 'Acme', role: 'member' }]);
  });

  it('answers 404 to an org admin filtering by another organization', async () => {
    expect((await as('admin@acme.test', 'GET', `/api/users?organizationId=${otherId}`)).status).toBe(404);
  });

  it('answers 403 to a member and to a user in no organization', async () => {
    expect((await as('member@acme.test', 'GET', '/api/users')).status).toBe(403);
    expect((await as('loner@example.test', 'GET', '/api/users')).status).toBe(403);
  });

  it('never returns a password hash', async () => {
    const response = await fixture.app.request('/api/users', { headers: { Authorization: `Bearer ${tokens['root@platform.test']}` } });
    const text = await response.text();
    expect(text).not.toContain('argon2');
    expect(text).not.toContain('password_hash');
    expect(text).not.toContain('passwordHash');
  });
});

describe('GET /api/users/{userId}', () => {
  it('returns the caller themselves with all their memberships', async () => {
    const { status, body } = await as('shared@both.test', 'GET', `/api/users/${ids['shared@both.test']}`);
    expect(status).toBe(200);
    expect(body.email).toBe('shared@both.test');
    expect(body.passwordSet).toBe(true);
    expect(body.memberships.map((membership: { organizationId: string }) => membership.organizationId).sort()).toEqual([acmeId, otherId].sort());
  });

  it('returns a member of their organization to an org admin', async () => {
    const { status, body } = await as('admin@acme.test', 'GET', `/api/users/${ids['member@acme.test']}`);
    expect(status).toBe(200);
    expect(body.name).toBe('Max Member');
  });

  it('returns any user to a platform admin', async () => {
    expect((await as('root@platform.test', 'GET', `/api/users/${ids['loner@example.test']}`)).status).toBe(200);
  });

  it('answers 404 for users outside the caller reach', async () => {
    expect((await as('admin@acme.test', 'GET', `/api/users/${ids['admin@other.test']}`)).status).toBe(404);
    expect((await as('member@acme.test', 'GET', `/api/users/${ids['admin@acme.test']}`)).status).toBe(404);
    expect((await as('admin@acme.test', 'GET', '/api/users/not-a-uuid')).status).toBe(404);
  });
});

describe('POST /api/users', () => {
  it('invites into an organization for its org admin', async () => {
    const { status, body, headers } = await as('admin@acme.test', 'POST', '/api/users', {
      email: 'New.Hire@acme.test',
      name: 'Nia New',
      organizationId: acmeId,
      organizationRole: 'org_admin',
    });
    expect(status).toBe(201);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body.user.email).toBe('New.Hire@acme.test');
    expect(body.user.passwordSet).toBe(false);
    expect(body.user.status).toBe('active');
    expect(body.user.memberships).toEqual([{ organizationId: acmeId, organizationName: 'Acme', role: 'org_admin' }]);

    const match = /^https:\/\/ems\.test\/set-password#token=([A-Za-z0-9_-]{43})$/.exec(body.setPasswordUrl);
    expect(match).not.toBeNull();
    const expiresInMs = Date.parse(body.expiresAt) - Date.now();
    expect(expiresInMs).toBeGreaterThan(7 * 24 * 3600 * 1000 - 60_000);
    expect(expiresInMs).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);

    const [stored] = await inTenantScope(fixture.db.owner, allOrganizations, (tx) =>
      tx<{ token_hash: Buffer; purpose: string; used_at: Date | null }[]>`
        SELECT token_hash, purpose, used_at FROM password_tokens WHERE user_id = ${body.user.id}`);
    expect(stored!.purpose).toBe('invite');
    expect(stored!.used_at).toBeNull();
    expect(stored!.token_hash.equals(hashOpaqueToken(match![1]!))).toBe(true);

    const entries = await auditEntries(fixture, 'user.invite', body.user.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.organization_id).toBe(acmeId);
    expect(entries[0]!.after.email).toBe('New.Hire@acme.test');
    expect(entries[0]!.after.organizationRole).toBe('org_admin');
    expect(JSON.stringify(entries[0]!.after)).not.toContain(match![1]!);
    expect(await homeOrganizationOf(body.user.id)).toBe(acmeId);
  });

  it('answers 409 for an email taken in another letter case', async () => {
    const { status, body } = await as('admin@acme.test', 'POST', '/api/users', { email: 'ADMIN@other.test', name: 'Dup', organizationId: acmeId });
    expect(status).toBe(409);
    expect(body.error.code).toBe('email_taken');
  });

  it('answers 404 for another organization and 403 to a member', async () => {
    const entriesBefore = await auditCount(fixture);
    expect((await as('admin@acme.test', 'POST', '/api/users', { email: 'x1@example.test', name: 'X', organizationId: otherId })).status).toBe(404);
    expect((await as('member@acme.test', 'POST', '/api/users', { email: 'x2@example.test', name: 'X', organizationId: acmeId })).status).toBe(403);
    expect(await auditCount(fixture)).toBe(entriesBefore);
  });

  it('answers 403 to an org admin who omits the organization', async () => {
    const { status } = await as('admin@acme.test', 'POST', '/api/users', { email: 'x3@example.test', name: 'X' });
    expect(status).toBe(403);
  });

  it('invites outside any organization for a platform admin', async () => {
    const { status, body } = await as('root@platform.test', 'POST', '/api/users', { email: 'solo@example.test', name: 'Solo' });
    expect(status).toBe(201);
    expect(body.user.memberships).toEqual([]);
    const entries = await auditEntries(fixture, 'user.invite', body.user.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.organization_id).toBeNull();
    expect(await homeOrganizationOf(body.user.id)).toBeNull();
  });

  it('rejects a role without an organization', async () => {
    const { status, body } = await as('root@platform.test', 'POST', '/api/users', { email: 'x4@example.test', name: 'X', organizationRole: 'member' });
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('organizationRole');
  });
});

describe('PATCH /api/users/{userId}', () => {
  it('renames a member for their org admin and audits it', async () => {
    const userId = ids['member@acme.test']!;
    const { status, body } = await as('admin@acme.test', 'PATCH', `/api/users/${userId}`, { name: 'Max Mustermann' });
    expect(status).toBe(200);
    expect(body.name).toBe('Max Mustermann');
    const entries = await auditEntries(fixture, 'user.update', userId);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.organization_id).toBe(acmeId);
    expect(entries[0]!.before.name).toBe('Max Member');
    expect(entries[0]!.after.name).toBe('Max Mustermann');
  });

  it('answers 403 for a user shared with another organization', async () => {
    const { status } = await as('admin@acme.test', 'PATCH', `/api/users/${ids['shared@both.test']}`, { status: 'disabled' });
    expect(status).toBe(403);
  });

  it('answers 403 to an org admin for a platform admin member', async () => {
    const { status } = await as('admin@acme.test', 'PATCH', `/api/users/${ids['padmin@acme.test']}`, { name: 'Renamed' });
    expect(status).toBe(403);
  });

  it('answers 403 to an org admin who changes a flag', async () => {
    const { status } = await as('admin@acme.test', 'PATCH', `/api/users/${ids['member@acme.test']}`, { developer: true });
    expect(status).toBe(403);
  });

  it('answers 404 to an org admin of another organization', async () => {
    const { status } = await as('admin@other.test', 'PATCH', `/api/users/${ids['member@acme.test']}`, { name: 'Renamed' });
    expect(status).toBe(404);
  });

  it('lets a platform admin set a flag', async () => {
    const userId = ids['member@acme.test']!;
    const { status, body } = await as('root@platform.test', 'PATCH', `/api/users/${userId}`, { developer: true });
    expect(status).toBe(200);
    expect(body.developer).toBe(true);
    const entries = await auditEntries(fixture, 'user.update', userId);
    expect(entries.at(-1)!.before.developer).toBe(false);
    expect(entries.at(-1)!.after.developer).toBe(true);
    // The flag reaches the member's existing token: developers may read the API documentation.
    const docs = await as('member@acme.test', 'GET', '/api/openapi.json');
    expect(docs.status).toBe(200);
    expect(docs.body.paths['/api/users/{userId}/reset-password']).toBeDefined();
    expect(docs.body.components.schemas.UserInvitation).toBeDefined();
  });

  it('lets a user rename themselves but not change their own status', async () => {
    const userId = ids['loner@example.test']!;
    expect((await as('loner@example.test', 'PATCH', `/api/users/${userId}`, { name: 'Lou' })).status).toBe(200);
    const entries = await auditEntries(fixture, 'user.update', userId);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.organization_id).toBeNull();
    expect((await as('loner@example.test', 'PATCH', `/api/users/${userId}`, { status: 'active' })).status).toBe(403);
  });

  it('answers 409 to anyone disabling themselves', async () => {
    const own = await as('member@acme.test', 'PATCH', `/api/users/${ids['member@acme.test']}`, { status: 'disabled' });
    expect(own.status).toBe(409);
    expect(own.body.error.code).toBe('cannot_disable_self');
    const root = await as('root@platform.test', 'PATCH', `/api/users/${ids['root@platform.test']}`, { status: 'disabled' });
    expect(root.status).toBe(409);
  });

  it('keeps the last active platform admin', async () => {
    const demoted = await as('root@platform.test', 'PATCH', `/api/users/${ids['padmin@acme.test']}`, { platformAdmin: false });
    expect(demoted.status).toBe(200);
    expect(demoted.body.platformAdmin).toBe(false);
    const self = await as('root@platform.test', 'PATCH', `/api/users/${ids['root@platform.test']}`, { platformAdmin: false });
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('last_platform_admin');
  });

  it('writes nothing for a no-op', async () => {
    const userId = ids['loner@example.test']!;
    const versionBefore = await permissionsVersionOf(userId);
    const entriesBefore = await auditCount(fixture);

    const empty = await as('root@platform.test', 'PATCH', `/api/users/${userId}`, {});
    expect(empty.status).toBe(200);
    expect(empty.body.id).toBe(userId);
    const same = await as('root@platform.test', 'PATCH', `/api/users/${userId}`, { name: empty.body.name, status: 'active', developer: false });
    expect(same.status).toBe(200);
    expect(same.body.updatedAt).toBe(empty.body.updatedAt);

    expect(await auditCount(fixture)).toBe(entriesBefore);
    expect(await permissionsVersionOf(userId)).toBe(versionBefore);
  });

  it('answers 409 disabling the last org admin', async () => {
    const { status, body } = await as('root@platform.test', 'PATCH', `/api/users/${ids['admin@other.test']}`, { status: 'disabled' });
    expect(status).toBe(409);
    expect(body.error.code).toBe('last_org_admin');
  });

  it('rejects an unknown status', async () => {
    expect((await as('root@platform.test', 'PATCH', `/api/users/${ids['member@acme.test']}`, { status: 'banned' })).status).toBe(400);
  });
});

describe('POST /api/users/{userId}/reset-password', () => {
  it('returns a 24 h link and revokes refresh tokens for an org admin', async () => {
    // A fresh member, because an earlier test made member@acme.test a developer.
    const userId = await seed.user('reset@acme.test');
    await seed.membership(userId, acmeId, 'member');
    await setHomeOrganization(fixture, userId, acmeId);
    const { status, body } = await as('admin@acme.test', 'POST', `/api/users/${userId}/reset-password`);
    expect(status).toBe(200);
    expect(body.setPasswordUrl).toMatch(/^https:\/\/ems\.test\/set-password#token=/);
    const expiresInMs = Date.parse(body.expiresAt) - Date.now();
    expect(expiresInMs).toBeGreaterThan(24 * 3600 * 1000 - 60_000);
    expect(expiresInMs).toBeLessThanOrEqual(24 * 3600 * 1000);

    const state = await inTenantScope(fixture.db.owner, allOrganizations, async (tx) => ({
      live: (await tx`SELECT 1 FROM refresh_tokens WHERE user_id = ${userId} AND revoked_at IS NULL`).length,
      purposes: (await tx<{ purpose: string }[]>`SELECT purpose FROM password_tokens WHERE user_id = ${userId}`).map((row) => row.purpose),
    }));
    expect(state.live).toBe(0);
    expect(state.purposes).toEqual(['reset']);

    const entries = await auditEntries(fixture, 'user.password_reset', userId);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.organization_id).toBe(acmeId);
  });

  it('answers 403 and 404 where a status change would', async () => {
    expect((await as('admin@acme.test', 'POST', `/api/users/${ids['shared@both.test']}/reset-password`)).status).toBe(403);
    expect((await as('member@acme.test', 'POST', `/api/users/${ids['admin@acme.test']}/reset-password`)).status).toBe(404);
    expect((await as('member@acme.test', 'POST', `/api/users/${ids['member@acme.test']}/reset-password`)).status).toBe(403);
  });
});

describe('authority over users added by email', () => {
  const membersOfAcme = () => `/api/organizations/${acmeId}/members`;

  it('denies authority over an added developer', async () => {
    const developerId = await seed.user('dev@example.test', { developer: true });
    const added = await as('admin@acme.test', 'POST', membersOfAcme(), { email: 'dev@example.test', role: 'member' });
    expect(added.status).toBe(201);

    const reset = await as('admin@acme.test', 'POST', `/api/users/${developerId}/reset-password`);
    expect(reset.status).toBe(403);
    expect(reset.body.setPasswordUrl).toBeUndefined();
    const disabled = await as('admin@acme.test', 'PATCH', `/api/users/${developerId}`, { status: 'disabled' });
    expect(disabled.status).toBe(403);
    const renamed = await as('admin@acme.test', 'PATCH', `/api/users/${developerId}`, { name: 'Taken over' });
    expect(renamed.status).toBe(403);

    const [row] = await fixture.db.owner`
      SELECT status, password_hash IS NOT NULL AS password_set, (SELECT count(*)::int FROM password_tokens WHERE user_id = u.id) AS links
      FROM users u WHERE id = ${developerId}`;
    expect(row!.status).toBe('active');
    expect(row!.password_set).toBe(true);
    expect(row!.links).toBe(0);
  });

  it('denies authority over an added org-less user', async () => {
    const userId = await seed.user('free@example.test');
    expect((await as('admin@acme.test', 'POST', membersOfAcme(), { email: 'free@example.test', role: 'member' })).status).toBe(201);
    expect((await as('admin@acme.test', 'POST', `/api/users/${userId}/reset-password`)).status).toBe(403);
    expect((await as('admin@acme.test', 'PATCH', `/api/users/${userId}`, { status: 'disabled' })).status).toBe(403);
  });

  it('keeps the home organization when adding', async () => {
    const invited = await as('admin@other.test', 'POST', '/api/users', { email: 'olga@other.test', name: 'Olga', organizationId: otherId });
    expect(invited.status).toBe(201);
    const userId = invited.body.user.id as string;
    expect((await as('admin@acme.test', 'POST', membersOfAcme(), { email: 'olga@other.test', role: 'member' })).status).toBe(201);

    expect(await homeOrganizationOf(userId)).toBe(otherId);
    expect((await as('admin@acme.test', 'POST', `/api/users/${userId}/reset-password`)).status).toBe(403);
    // The home organization's admin lost authority too, because the user now also belongs to Acme.
    expect((await as('admin@other.test', 'POST', `/api/users/${userId}/reset-password`)).status).toBe(403);
    expect((await as('root@platform.test', 'POST', `/api/users/${userId}/reset-password`)).status).toBe(200);
  });

  it('denies authority over an invited developer', async () => {
    const invited = await as('admin@acme.test', 'POST', '/api/users', { email: 'devon@acme.test', name: 'Devon', organizationId: acmeId });
    const userId = invited.body.user.id as string;
    expect((await as('root@platform.test', 'PATCH', `/api/users/${userId}`, { developer: true })).status).toBe(200);
    const disabled = await as('admin@acme.test', 'PATCH', `/api/users/${userId}`, { status: 'disabled' });
    expect(disabled.status).toBe(403);
    expect(disabled.body.error.message).toContain('developer');
  });
});

describe('DELETE /api/users/{userId}', () => {
  it('answers 403 to an org admin and 404 to an outsider', async () => {
    expect((await as('admin@acme.test', 'DELETE', `/api/users/${ids['member@acme.test']}`)).status).toBe(403);
    expect((await as('admin@other.test', 'DELETE', `/api/users/${ids['member@acme.test']}`)).status).toBe(404);
  });

  it('answers 409 to a platform admin deleting themselves', async () => {
    const { status, body } = await as('root@platform.test', 'DELETE', `/api/users/${ids['root@platform.test']}`);
    expect(status).toBe(409);
    expect(body.error.code).toBe('cannot_delete_self');
  });

  it('answers 409 for the last org admin of an organization', async () => {
    const { status, body } = await as('root@platform.test', 'DELETE', `/api/users/${ids['admin@other.test']}`);
    expect(status).toBe(409);
    expect(body.error.code).toBe('last_org_admin');
  });

  it('deletes for a platform admin, audits it and ends the sessions', async () => {
    const userId = ids['shared@both.test']!;
    const { status } = await as('root@platform.test', 'DELETE', `/api/users/${userId}`);
    expect(status).toBe(204);

    const entries = await auditEntries(fixture, 'user.delete', userId);
    expect(entries).toHaveLength(1);
    expect([acmeId, otherId]).toContain(entries[0]!.organization_id);
    expect(entries[0]!.before.email).toBe('shared@both.test');
    expect(entries[0]!.before.organizationRole).toBe('member');
    expect(entries[0]!.before.organizationCount).toBe(2);
    expect(entries[0]!.after).toBeNull();

    const remaining = await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx`SELECT 1 FROM memberships WHERE user_id = ${userId}`);
    expect(remaining).toHaveLength(0);
    const own = await as('shared@both.test', 'GET', `/api/users/${userId}`);
    expect(own.status).toBe(401);
    expect((await as('root@platform.test', 'GET', `/api/users/${userId}`)).status).toBe(404);
  });
});
