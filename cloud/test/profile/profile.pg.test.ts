import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedActions } from '@simtestlab/sync';
import { auditCount, auditEntries } from '../support/audit-entries';
import { call, createCloudFixture, login, Seed, TEST_PASSWORD, type CloudFixture } from '../support/cloud-fixture';
import { asOwner } from '../support/site-roles';

let fixture: CloudFixture;
let seed: Seed;
let acmeId: string;
let otherId: string;
let plantA: string;
let plantB: string;
let foreignSite: string;

beforeAll(async () => {
  fixture = await createCloudFixture('profile', { rateLimits: { accountIpAttempts: 3, accountAttempts: 100, ipAttempts: 100, windowMs: 60_000 } });
  seed = new Seed(fixture);
  acmeId = await seed.organization('Acme');
  otherId = await seed.organization('Other');
  plantA = await seed.site(acmeId, 'Plant A');
  plantB = await seed.site(acmeId, 'Plant B', { operatorControl: true });
  foreignSite = await seed.site(otherId, 'Foreign');
});

afterAll(async () => {
  await fixture?.close();
});

/** Logs in with the given client IP and returns both tokens. */
async function loginFrom(email: string, password: string, ip: string) {
  const response = await fixture.app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as any;
  return { status: response.status, accessToken: body.accessToken as string, refreshToken: body.refreshToken as string };
}

/** Sends POST /api/me/password from a client IP. */
async function changePassword(token: string, body: unknown, ip = '10.9.9.9') {
  const response = await fixture.app.request('/api/me/password', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Forwarded-For': ip },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any, headers: response.headers };
}

describe('GET /api/me', () => {
  it('lists memberships and granted sites with their actions', async () => {
    const userId = await seed.user('operator@acme.test', { name: 'Olga' });
    await seed.membership(userId, acmeId);
    await seed.siteAccess(userId, plantA, 'operator');
    await seed.siteAccess(userId, plantB, 'operator');
    const token = await login(fixture.app, 'operator@acme.test');

    const { status, body } = await call(fixture.app, token, 'GET', '/api/me');
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: userId, email: 'operator@acme.test', name: 'Olga', platformAdmin: false, developer: false, allSites: false });
    expect(body.memberships).toEqual([{ organizationId: acmeId, organizationName: 'Acme', role: 'member' }]);
    expect(body.globalActions).toEqual([]);
    const byName = Object.fromEntries(body.sites.map((site: any) => [site.name, site]));
    expect(Object.keys(byName).sort()).toEqual(['Plant A', 'Plant B']);
    expect(byName['Plant A'].role).toBe('operator');
    expect(byName['Plant A'].actions).toEqual(['dashboard.view', 'report.export', 'alarm.acknowledge']);
    // Plant B lets operators control devices.
    expect(byName['Plant B'].actions).toContain('device.control');
  });

  it('gives org admins every site of their organization only', async () => {
    const userId = await seed.user('boss@acme.test');
    await seed.membership(userId, acmeId, 'org_admin');
    const token = await login(fixture.app, 'boss@acme.test');

    const { body } = await call(fixture.app, token, 'GET', '/api/me');
    expect(body.sites.map((site: any) => site.id).sort()).toEqual([plantA, plantB].sort());
    expect(body.sites.map((site: any) => site.id)).not.toContain(foreignSite);
    for (const site of body.sites) {
      expect(site.role).toBe('org_admin');
      expect(site.actions).toEqual(allowedActions({ role: 'org_admin', developer: false }));
    }
  });

  it('flags platform admins and developers', async () => {
    await seed.user('root@platform.test', { platformAdmin: true });
    await seed.user('dev@dev.test', { developer: true });
    const admin = await call(fixture.app, await login(fixture.app, 'root@platform.test'), 'GET', '/api/me');
    expect(admin.body.platformAdmin).toBe(true);
    expect(admin.body.allSites).toBe(true);
    expect(admin.body.globalActions).toEqual(['organization.cross_access', 'admin_pages.view', 'api_docs.view', 'test_data.manage']);

    const developer = await call(fixture.app, await login(fixture.app, 'dev@dev.test'), 'GET', '/api/me');
    expect(developer.body.developer).toBe(true);
    expect(developer.body.sites).toEqual([]);
    expect(developer.body.globalActions).toEqual(['api_docs.view', 'test_data.manage']);
  });

  it('requires a token', async () => {
    expect((await call(fixture.app, null, 'GET', '/api/me')).status).toBe(401);
  });
});

describe('PATCH /api/me', () => {
  it('renames the caller, audits it and syncs it to edges', async () => {
    const userId = await seed.user('viewer@acme.test', { name: 'Vera' });
    await seed.membership(userId, acmeId);
    await seed.siteAccess(userId, plantA, 'viewer');
    const token = await login(fixture.app, 'viewer@acme.test');

    const { status, body } = await call(fixture.app, token, 'PATCH', '/api/me', { name: '  Vera Lynn ' });
    expect(status).toBe(200);
    expect(body.name).toBe('Vera Lynn');
    expect(body.sites.map((site: any) => site.id)).toEqual([plantA]);

    const [entry] = await auditEntries(fixture, 'user.update', userId);
    expect(entry).toMatchObject({ actor_id: userId, organization_id: acmeId });
    expect(entry!.before.name).toBe('Vera');
    expect(entry!.after.name).toBe('Vera Lynn');

    const shapeChanges = await asOwner(fixture, (tx) => tx<{ operation: string; name: string; site_id: string }[]>`
      SELECT operation, value->>'name' AS name, site_id::text FROM change_log
      WHERE shape = 'site_users' AND row_key = ${userId} ORDER BY id`);
    expect(shapeChanges.at(-1)).toEqual({ operation: 'update', name: 'Vera Lynn', site_id: plantA });

    // The same token keeps working, and validate-token reports the new name.
    const validated = await call(fixture.app, token, 'GET', '/api/validate-token');
    expect(validated.status).toBe(200);
    expect(validated.body.user.name).toBe('Vera Lynn');
  });

  it('writes no audit entry for an unchanged name', async () => {
    const userId = await seed.user('same@acme.test', { name: 'Sam' });
    await seed.membership(userId, acmeId);
    const token = await login(fixture.app, 'same@acme.test');
    const before = await auditCount(fixture);
    const { status } = await call(fixture.app, token, 'PATCH', '/api/me', { name: 'Sam' });
    expect(status).toBe(200);
    expect(await auditCount(fixture)).toBe(before);
  });

  it('rejects an invisible name and other fields', async () => {
    await seed.user('blank@acme.test');
    const token = await login(fixture.app, 'blank@acme.test');
    const blank = await call(fixture.app, token, 'PATCH', '/api/me', { name: '\u200b' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.parameter).toBe('name');
    const elevated = await call(fixture.app, token, 'PATCH', '/api/me', { name: 'Eve', platformAdmin: true });
    expect(elevated.status).toBe(400);
  });
});

describe('POST /api/me/password', () => {
  const newPassword = 'a brand new passphrase';

  it('changes the password, ends other sessions and keeps this one', async () => {
    const userId = await seed.user('changer@acme.test');
    await seed.membership(userId, acmeId);
    const current = await loginFrom('changer@acme.test', TEST_PASSWORD, '10.1.0.1');
    const other = await loginFrom('changer@acme.test', TEST_PASSWORD, '10.1.0.2');

    const changed = await changePassword(current.accessToken, { currentPassword: TEST_PASSWORD, newPassword });
    expect(changed.status).toBe(200);
    expect(changed.body.tokenType).toBe('Bearer');
    expect(changed.headers.get('set-cookie')).toContain('ems_refresh=');

    // Both old access tokens and both old refresh tokens are revoked.
    expect((await call(fixture.app, other.accessToken, 'GET', '/api/me')).status).toBe(401);
    expect((await call(fixture.app, current.accessToken, 'GET', '/api/me')).status).toBe(401);
    expect((await call(fixture.app, null, 'POST', '/api/auth/refresh', { refreshToken: other.refreshToken })).status).toBe(401);
    // The tokens of the response continue the session.
    expect((await call(fixture.app, changed.body.accessToken, 'GET', '/api/me')).status).toBe(200);
    expect((await call(fixture.app, null, 'POST', '/api/auth/refresh', { refreshToken: changed.body.refreshToken })).status).toBe(200);

    expect((await loginFrom('changer@acme.test', TEST_PASSWORD, '10.1.0.3')).status).toBe(401);
    expect((await loginFrom('changer@acme.test', newPassword, '10.1.0.3')).status).toBe(200);
    const [entry] = await auditEntries(fixture, 'user.password_change', userId);
    expect(entry).toMatchObject({ actor_id: userId, organization_id: acmeId, target_type: 'user' });
    expect(JSON.stringify(entry)).not.toContain(newPassword);
  });

  it('voids a pending reset link', async () => {
    const userId = await seed.user('linked@acme.test');
    await seed.membership(userId, acmeId);
    const admin = await seed.user('linkadmin@acme.test');
    await seed.membership(admin, acmeId, 'org_admin');
    const requested = await call(fixture.app, null, 'POST', '/api/auth/forgot-password', { email: 'linked@acme.test' });
    expect(requested.status).toBe(202);
    const [issued] = await auditEntries(fixture, 'auth.password_reset_requested', userId);
    const resetToken = new URL(issued!.after.setPasswordUrl).hash.replace(/^#token=/, '');

    const session = await loginFrom('linked@acme.test', TEST_PASSWORD, '10.2.0.1');
    expect((await changePassword(session.accessToken, { currentPassword: TEST_PASSWORD, newPassword })).status).toBe(200);
    const used = await call(fixture.app, null, 'POST', '/api/auth/set-password', { token: resetToken, password: 'an attacker passphrase' });
    expect(used.status).toBe(400);
  });

  it('wrong current password counts as failed login', async () => {
    await seed.user('guess@acme.test');
    const session = await loginFrom('guess@acme.test', TEST_PASSWORD, '10.3.0.1');
    const before = await auditCount(fixture);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const wrong = await changePassword(session.accessToken, { currentPassword: `wrong guess ${attempt}`, newPassword }, '10.3.0.1');
      expect(wrong.status).toBe(403);
      expect(wrong.body.error.code).toBe('invalid_current_password');
      expect(wrong.body.error.message).toContain('current password is incorrect');
    }
    const limited = await changePassword(session.accessToken, { currentPassword: TEST_PASSWORD, newPassword }, '10.3.0.1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).not.toBeNull();
    // The same counter stops logins from that address.
    expect((await loginFrom('guess@acme.test', TEST_PASSWORD, '10.3.0.1')).status).toBe(429);
    expect(await auditCount(fixture)).toBe(before);
    expect((await loginFrom('guess@acme.test', TEST_PASSWORD, '10.3.0.2')).status).toBe(200);
  });

  it('applies the set-password rules to the new password', async () => {
    await seed.user('rules@acme.test');
    const session = await loginFrom('rules@acme.test', TEST_PASSWORD, '10.4.0.1');
    const short = await changePassword(session.accessToken, { currentPassword: TEST_PASSWORD, newPassword: 'too short' });
    expect(short.status).toBe(400);
    expect(short.body.error.parameter).toBe('newPassword');
    const same = await changePassword(session.accessToken, { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD });
    expect(same.status).toBe(400);
    expect(same.body.error.code).toBe('password_unchanged');
    expect((await loginFrom('rules@acme.test', TEST_PASSWORD, '10.4.0.2')).status).toBe(200);
  });
});
