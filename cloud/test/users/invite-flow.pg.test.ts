import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudApp } from '../../src/api/app';
import { auditEntries } from '../support/audit-entries';
import { call, createCloudFixture, login, Seed, TEST_PASSWORD, type CloudFixture } from '../support/cloud-fixture';
import { setHomeOrganization } from './home-organization';

let fixture: CloudFixture;
let acmeId: string;
let adminToken: string;

beforeAll(async () => {
  fixture = await createCloudFixture('invite_flow');
  const seed = new Seed(fixture);
  acmeId = await seed.organization('Acme');
  const admin = await seed.user('admin@acme.test');
  await seed.membership(admin, acmeId, 'org_admin');
  adminToken = await login(fixture.app, 'admin@acme.test');
});

afterAll(async () => {
  await fixture?.close();
});

/** Logs in over HTTP and returns the status with both tokens, or null tokens on failure. */
async function tryLogin(app: CloudApp, email: string, password: string) {
  const { status, body } = await call(app, null, 'POST', '/api/auth/login', { email, password });
  return { status, accessToken: status === 200 ? (body.accessToken as string) : null, refreshToken: status === 200 ? (body.refreshToken as string) : null };
}

function tokenOf(setPasswordUrl: string): string {
  return new URL(setPasswordUrl).hash.replace(/^#token=/, '');
}

describe('invitation', () => {
  const email = 'nia@acme.test';
  const password = 'a long enough passphrase';
  let userId: string;
  let token: string;

  it('creates a user who cannot log in yet', async () => {
    const invited = await call(fixture.app, adminToken, 'POST', '/api/users', { email, name: 'Nia', organizationId: acmeId });
    expect(invited.status).toBe(201);
    userId = invited.body.user.id;
    token = tokenOf(invited.body.setPasswordUrl);
    expect((await tryLogin(fixture.app, email, password)).status).toBe(401);
  });

  it('sets the password through the link and logs in', async () => {
    const set = await call(fixture.app, null, 'POST', '/api/auth/set-password', { token, password });
    expect(set.status).toBe(204);

    const loggedIn = await tryLogin(fixture.app, email, password);
    expect(loggedIn.status).toBe(200);
    const organizations = await call(fixture.app, loggedIn.accessToken, 'GET', '/api/organizations');
    expect(organizations.body.organizations.map((organization: { id: string }) => organization.id)).toEqual([acmeId]);
    const self = await call(fixture.app, loggedIn.accessToken, 'GET', `/api/users/${userId}`);
    expect(self.body.passwordSet).toBe(true);
  });

  it('rejects the same link a second time', async () => {
    const again = await call(fixture.app, null, 'POST', '/api/auth/set-password', { token, password: 'another long passphrase' });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('invalid_password_token');
  });
});

describe('password reset', () => {
  it('replaces the invitation link, revokes sessions and sets a new password', async () => {
    const email = 'rex@acme.test';
    const invited = await call(fixture.app, adminToken, 'POST', '/api/users', { email, name: 'Rex', organizationId: acmeId });
    const userId = invited.body.user.id as string;
    const inviteToken = tokenOf(invited.body.setPasswordUrl);
    expect((await call(fixture.app, null, 'POST', '/api/auth/set-password', { token: inviteToken, password: 'first passphrase here' })).status).toBe(204);
    const session = await tryLogin(fixture.app, email, 'first passphrase here');
    expect(session.status).toBe(200);

    const reset = await call(fixture.app, adminToken, 'POST', `/api/users/${userId}/reset-password`);
    expect(reset.status).toBe(200);
    const refreshed = await call(fixture.app, null, 'POST', '/api/auth/refresh', { refreshToken: session.refreshToken });
    expect(refreshed.status).toBe(401);

    const set = await call(fixture.app, null, 'POST', '/api/auth/set-password', { token: tokenOf(reset.body.setPasswordUrl), password: 'second passphrase here' });
    expect(set.status).toBe(204);
    expect((await tryLogin(fixture.app, email, 'first passphrase here')).status).toBe(401);
    expect((await tryLogin(fixture.app, email, 'second passphrase here')).status).toBe(200);
  });

  it('stops the old password and token at once', async () => {
    const seed = new Seed(fixture);
    const userId = await seed.user('rita@acme.test');
    await seed.membership(userId, acmeId, 'member');
    await setHomeOrganization(fixture, userId, acmeId);
    const session = await tryLogin(fixture.app, 'rita@acme.test', TEST_PASSWORD);
    expect((await call(fixture.app, session.accessToken, 'GET', `/api/users/${userId}`)).status).toBe(200);

    const reset = await call(fixture.app, adminToken, 'POST', `/api/users/${userId}/reset-password`);
    expect(reset.status).toBe(200);
    expect((await tryLogin(fixture.app, 'rita@acme.test', TEST_PASSWORD)).status).toBe(401);
    const withAccessToken = await call(fixture.app, session.accessToken, 'GET', `/api/users/${userId}`);
    expect(withAccessToken.status).toBe(401);
    expect(withAccessToken.body.error.code).toBe('token_revoked');
    const user = await call(fixture.app, adminToken, 'GET', `/api/users/${userId}`);
    expect(user.body.passwordSet).toBe(false);

    const set = await call(fixture.app, null, 'POST', '/api/auth/set-password', { token: tokenOf(reset.body.setPasswordUrl), password: 'a brand new passphrase' });
    expect(set.status).toBe(204);
    const fresh = await tryLogin(fixture.app, 'rita@acme.test', 'a brand new passphrase');
    expect((await call(fixture.app, fresh.accessToken, 'GET', `/api/users/${userId}`)).status).toBe(200);
  });

  it('voids an unused earlier link', async () => {
    const invited = await call(fixture.app, adminToken, 'POST', '/api/users', { email: 'una@acme.test', name: 'Una', organizationId: acmeId });
    const reset = await call(fixture.app, adminToken, 'POST', `/api/users/${invited.body.user.id}/reset-password`);
    expect(reset.status).toBe(200);
    const stale = await call(fixture.app, null, 'POST', '/api/auth/set-password', { token: tokenOf(invited.body.setPasswordUrl), password: 'some passphrase here' });
    expect(stale.status).toBe(400);
  });
});

describe('disabling a user', () => {
  it('blocks login, the refresh token and the access token', async () => {
    const seed = new Seed(fixture);
    const userId = await seed.user('dora@acme.test');
    await seed.membership(userId, acmeId, 'member');
    await setHomeOrganization(fixture, userId, acmeId);
    const session = await tryLogin(fixture.app, 'dora@acme.test', 'correct horse battery staple');
    expect(session.status).toBe(200);
    expect((await call(fixture.app, session.accessToken, 'GET', `/api/organizations/${acmeId}`)).status).toBe(200);

    const disabled = await call(fixture.app, adminToken, 'PATCH', `/api/users/${userId}`, { status: 'disabled' });
    expect(disabled.status).toBe(200);
    expect(disabled.body.status).toBe('disabled');
    const entries = await auditEntries(fixture, 'user.update', userId);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.before.status).toBe('active');
    expect(entries[0]!.after.status).toBe('disabled');

    expect((await tryLogin(fixture.app, 'dora@acme.test', 'correct horse battery staple')).status).toBe(401);
    const refreshed = await call(fixture.app, null, 'POST', '/api/auth/refresh', { refreshToken: session.refreshToken });
    expect(refreshed.status).toBe(401);
    const withAccessToken = await call(fixture.app, session.accessToken, 'GET', `/api/organizations/${acmeId}`);
    expect(withAccessToken.status).toBe(401);
    expect(withAccessToken.body.error.code).toBe('user_disabled');
  });

  it('keeps old tokens revoked after enabling', async () => {
    const seed = new Seed(fixture);
    const userId = await seed.user('ivo@acme.test');
    await seed.membership(userId, acmeId, 'member');
    await setHomeOrganization(fixture, userId, acmeId);
    const before = await tryLogin(fixture.app, 'ivo@acme.test', TEST_PASSWORD);
    expect((await call(fixture.app, before.accessToken, 'GET', `/api/organizations/${acmeId}`)).status).toBe(200);

    expect((await call(fixture.app, adminToken, 'PATCH', `/api/users/${userId}`, { status: 'disabled' })).status).toBe(200);
    expect((await call(fixture.app, adminToken, 'PATCH', `/api/users/${userId}`, { status: 'active' })).status).toBe(200);

    const stale = await call(fixture.app, before.accessToken, 'GET', `/api/organizations/${acmeId}`);
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('token_revoked');
    expect(stale.body.error.message).toContain('log in again');
    const after = await tryLogin(fixture.app, 'ivo@acme.test', TEST_PASSWORD);
    expect(after.status).toBe(200);
    expect((await call(fixture.app, after.accessToken, 'GET', `/api/organizations/${acmeId}`)).status).toBe(200);
  });

  it('voids a pending invitation link', async () => {
    const invited = await call(fixture.app, adminToken, 'POST', '/api/users', { email: 'pia@acme.test', name: 'Pia', organizationId: acmeId });
    const userId = invited.body.user.id as string;
    expect((await call(fixture.app, adminToken, 'PATCH', `/api/users/${userId}`, { status: 'disabled' })).status).toBe(200);

    const links = await fixture.db.owner`SELECT 1 FROM password_tokens WHERE user_id = ${userId}`;
    expect(links).toHaveLength(0);
    const set = await call(fixture.app, null, 'POST', '/api/auth/set-password', { token: tokenOf(invited.body.setPasswordUrl), password: 'a passphrase of pia' });
    expect(set.status).toBe(400);
  });

  it('lets an org admin enable the user again', async () => {
    const seed = new Seed(fixture);
    const userId = await seed.user('eve@acme.test', { status: 'disabled' });
    await seed.membership(userId, acmeId, 'member');
    await setHomeOrganization(fixture, userId, acmeId);
    const enabled = await call(fixture.app, adminToken, 'PATCH', `/api/users/${userId}`, { status: 'active' });
    expect(enabled.status).toBe(200);
    expect((await tryLogin(fixture.app, 'eve@acme.test', 'correct horse battery staple')).status).toBe(200);
  });
});
