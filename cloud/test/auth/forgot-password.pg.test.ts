import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, auditEntries } from '../support/audit-entries';
import { call, createCloudFixture, login, Seed, TEST_PASSWORD, type CloudFixture } from '../support/cloud-fixture';
import { setHomeOrganization } from '../users/home-organization';

let fixture: CloudFixture;
let seed: Seed;
let acmeId: string;
let otherId: string;
let acmeAdminToken: string;
let otherAdminToken: string;
let platformAdminToken: string;
let requestNumber = 0;

beforeAll(async () => {
  fixture = await createCloudFixture('forgot_password');
  seed = new Seed(fixture);
  acmeId = await seed.organization('Acme');
  otherId = await seed.organization('Other');
  await seed.membership(await seed.user('admin@acme.test'), acmeId, 'org_admin');
  await seed.membership(await seed.user('admin@other.test'), otherId, 'org_admin');
  await seed.user('root@platform.test', { platformAdmin: true });
  acmeAdminToken = await login(fixture.app, 'admin@acme.test');
  otherAdminToken = await login(fixture.app, 'admin@other.test');
  platformAdminToken = await login(fixture.app, 'root@platform.test');
});

afterAll(async () => {
  await fixture?.close();
});

/** Requests a reset link, each time from a new client IP unless one is given. */
async function forgot(email: string, ip = `10.20.${Math.floor(requestNumber / 250)}.${(requestNumber++ % 250) + 1}`) {
  const response = await fixture.app.request('/api/auth/forgot-password', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip },
    body: JSON.stringify({ email }),
  });
  return { status: response.status, body: (await response.json()) as any, headers: response.headers };
}

/** Seeds an active user invited by `organizationId` and member of it only. */
async function homeUser(email: string, organizationId: string): Promise<string> {
  const userId = await seed.user(email);
  await seed.membership(userId, organizationId);
  await setHomeOrganization(fixture, userId, organizationId);
  return userId;
}

function tokenOf(setPasswordUrl: string): string {
  return new URL(setPasswordUrl).hash.replace(/^#token=/, '');
}

/** Lists the reset requests an admin reads in the audit log, as target ids. */
async function visibleResetRequests(token: string): Promise<string[]> {
  const { status, body } = await call(fixture.app, token, 'GET', '/api/audit?action=auth.password_reset_requested');
  expect(status).toBe(200);
  return body.entries.map((entry: { targetId: string }) => entry.targetId);
}

describe('POST /api/auth/forgot-password', () => {
  it('answers the same for known and unknown addresses', async () => {
    await homeUser('known@acme.test', acmeId);
    const before = await auditCount(fixture);
    const unknown = await forgot('nobody@acme.test');
    expect(await auditCount(fixture)).toBe(before);
    const known = await forgot('Known@Acme.test');
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    expect(known.headers.get('cache-control')).toBe('no-store');
    expect(await auditCount(fixture)).toBe(before + 1);
  });

  it('audits a working link, password kept', async () => {
    const userId = await homeUser('lost@acme.test', acmeId);
    const session = await login(fixture.app, 'lost@acme.test');
    expect((await forgot('lost@acme.test')).status).toBe(202);

    const [entry] = await auditEntries(fixture, 'auth.password_reset_requested', userId);
    expect(entry).toMatchObject({ organization_id: acmeId, actor_id: null, target_type: 'user' });
    expect(entry!.after.setPasswordUrl).toMatch(/^https:\/\/ems\.test\/set-password#token=[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(entry!.after.expiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    // Requesting a link changes nothing until the link is used.
    expect((await call(fixture.app, session, 'GET', '/api/me')).status).toBe(200);
    await login(fixture.app, 'lost@acme.test', TEST_PASSWORD);

    const newPassword = 'a recovered passphrase';
    expect((await call(fixture.app, null, 'POST', '/api/auth/set-password', { token: tokenOf(entry!.after.setPasswordUrl), password: newPassword })).status).toBe(204);
    await login(fixture.app, 'lost@acme.test', newPassword);
    expect((await call(fixture.app, session, 'GET', '/api/me')).status).toBe(401);
  });

  it('voids the previous link when a new one is requested', async () => {
    const userId = await homeUser('twice@acme.test', acmeId);
    await forgot('twice@acme.test');
    await forgot('twice@acme.test');
    const [first, second] = await auditEntries(fixture, 'auth.password_reset_requested', userId);
    const reused = await call(fixture.app, null, 'POST', '/api/auth/set-password', { token: tokenOf(first!.after.setPasswordUrl), password: 'some long passphrase' });
    expect(reused.status).toBe(400);
    const used = await call(fixture.app, null, 'POST', '/api/auth/set-password', { token: tokenOf(second!.after.setPasswordUrl), password: 'some long passphrase' });
    expect(used.status).toBe(204);
  });

  it('issues nothing for a disabled user', async () => {
    const userId = await seed.user('gone@acme.test', { status: 'disabled' });
    const response = await forgot('gone@acme.test');
    expect(response.status).toBe(202);
    expect(await auditEntries(fixture, 'auth.password_reset_requested', userId)).toEqual([]);
  });

  it('shows the link to the admins who may reset the user', async () => {
    const homeOnly = await homeUser('home@acme.test', acmeId);
    const twoOrganizations = await homeUser('both@acme.test', acmeId);
    await seed.membership(twoOrganizations, otherId);
    const admin = await seed.user('platform-user@acme.test', { platformAdmin: true });
    await seed.membership(admin, acmeId);
    await setHomeOrganization(fixture, admin, acmeId);
    for (const email of ['home@acme.test', 'both@acme.test', 'platform-user@acme.test']) expect((await forgot(email)).status).toBe(202);

    const acmeSees = await visibleResetRequests(acmeAdminToken);
    expect(acmeSees).toContain(homeOnly);
    expect(acmeSees).not.toContain(twoOrganizations);
    expect(acmeSees).not.toContain(admin);
    expect(await visibleResetRequests(otherAdminToken)).toEqual([]);
    const platformSees = await visibleResetRequests(platformAdminToken);
    expect(platformSees).toEqual(expect.arrayContaining([homeOnly, twoOrganizations, admin]));
  });

  it('limits requests per email address', async () => {
    const userId = await homeUser('spammed@acme.test', acmeId);
    for (let attempt = 1; attempt <= 3; attempt++) expect((await forgot('spammed@acme.test')).status).toBe(202);
    const limited = await forgot('SPAMMED@acme.test');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await auditEntries(fixture, 'auth.password_reset_requested', userId)).toHaveLength(3);
    // An unknown address is limited the same way.
    for (let attempt = 1; attempt <= 3; attempt++) expect((await forgot('ghost@acme.test')).status).toBe(202);
    expect((await forgot('ghost@acme.test')).status).toBe(429);
  });

  it('limits requests per client IP', async () => {
    for (let index = 1; index <= 20; index++) expect((await forgot(`probe${index}@acme.test`, '10.99.0.1')).status).toBe(202);
    const limited = await forgot('probe21@acme.test', '10.99.0.1');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('too_many_attempts');
    expect((await forgot('probe21@acme.test', '10.99.0.2')).status).toBe(202);
  });

  it('rejects a body without a valid email', async () => {
    const response = await forgot('not an email');
    expect(response.status).toBe(400);
    expect(response.body.error.parameter).toBe('email');
  });
});
