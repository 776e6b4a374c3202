import { afterEach, describe, expect, it } from 'vitest';
import { actions } from '@simtestlab/sync';
import { listAuditEntries } from '../../src/audit/audit-log';
import { createApiFixture, type ApiFixture } from '../api/api-fixture';
import { bearer, loginToken, TEST_ADMIN } from './auth-support';
import { addHubKey, addSiteUser, signHubToken } from './hub-support';

let fixture: ApiFixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

interface MeBody {
  id: string;
  source: string;
  name: string;
  role: string;
  developer: boolean;
  actions: string[];
  operatorControl: boolean;
}

interface ErrorBody {
  error: { code: string; message: string; parameter?: string };
}

const NEW_PASSWORD = 'a new long installer password';

async function me(token: string) {
  const response = await fixture!.app.request('/api/me', bearer(token));
  return { status: response.status, body: (await response.json()) as MeBody };
}

function changePassword(token: string, body: unknown, contentType = 'application/json') {
  return fixture!.app.request('/api/me/password', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function allowOperatorControl(): void {
  fixture!.runtime.db
    .prepare("INSERT INTO cloud_site (id, organization_id, name, time_zone, operator_control) VALUES ('site-1', 'org-1', 'Site', 'UTC', 1)")
    .run();
}

describe('GET /api/me', () => {
  it('describes a local admin', async () => {
    fixture = await createApiFixture();

    const { status, body } = await me(fixture.token);

    expect(status).toBe(200);
    expect(body).toMatchObject({ source: 'local', name: TEST_ADMIN.username, role: 'site_manager', developer: false, operatorControl: false });
    expect(body.actions).toEqual(['dashboard.view', 'report.export', 'alarm.acknowledge', 'device.control', 'site.manage', 'site_user.manage']);
  });

  it('describes a cloud viewer', async () => {
    fixture = await createApiFixture();
    const userId = await addSiteUser(fixture.runtime.db, { email: 'watcher@example.com', role: 'viewer', password: 'cloud user password 1' });
    const token = await loginToken(fixture.auth, 'watcher@example.com', 'cloud user password 1');

    const { status, body } = await me(token);

    expect(status).toBe(200);
    expect(body).toEqual({ id: userId, source: 'cloud-user', name: 'watcher', role: 'viewer', developer: false, actions: ['dashboard.view'], operatorControl: false });
  });

  it('lists device.control for an operator where the site allows it', async () => {
    fixture = await createApiFixture();
    await addSiteUser(fixture.runtime.db, { email: 'ops@example.com', role: 'operator', password: 'cloud user password 1' });
    const token = await loginToken(fixture.auth, 'ops@example.com', 'cloud user password 1');

    const before = await me(token);
    allowOperatorControl();
    const after = await me(token);

    expect(before.body.actions).not.toContain('device.control');
    expect(after.body.operatorControl).toBe(true);
    expect(after.body.actions).toContain('device.control');
  });

  it('describes a caller with a hub token', async () => {
    fixture = await createApiFixture();
    const userId = await addSiteUser(fixture.runtime.db, { email: 'dev@example.com', role: 'platform_admin', developer: true });
    const token = await signHubToken(await addHubKey(fixture.runtime.db), userId);

    const { status, body } = await me(token);

    expect(status).toBe(200);
    expect(body).toMatchObject({ id: userId, source: 'hub-token', name: 'dev', role: 'platform_admin', developer: true });
    expect(body.actions).toEqual([...actions]);
  });

  it('rejects a request without a token', async () => {
    fixture = await createApiFixture();

    const response = await fixture.app.request('/api/me');

    expect(response.status).toBe(401);
  });
});

describe('POST /api/me/password', () => {
  it('changes the password of a local account', async () => {
    fixture = await createApiFixture();

    const response = await changePassword(fixture.token, { currentPassword: TEST_ADMIN.password, newPassword: NEW_PASSWORD });
    const oldLogin = await fixture.auth.login(TEST_ADMIN.username, TEST_ADMIN.password, '127.0.0.1');
    const newLogin = await fixture.auth.login(TEST_ADMIN.username, NEW_PASSWORD, '127.0.0.1');

    expect(response.status).toBe(204);
    expect(oldLogin.ok).toBe(false);
    expect(newLogin.ok).toBe(true);
    expect(listAuditEntries(fixture.runtime.db, { action: 'local_account.password_changed' })).toMatchObject([
      { actorType: 'user', targetType: 'local_account', details: { username: TEST_ADMIN.username } },
    ]);
  });

  it('rejects a wrong current password', async () => {
    fixture = await createApiFixture();

    const response = await changePassword(fixture.token, { currentPassword: 'not the password at all', newPassword: NEW_PASSWORD });
    const body = (await response.json()) as ErrorBody;
    const login = await fixture.auth.login(TEST_ADMIN.username, TEST_ADMIN.password, '127.0.0.1');

    expect(response.status).toBe(403);
    expect(body.error).toMatchObject({ code: 'wrong_password', message: expect.stringContaining('current password is wrong') });
    expect(login.ok).toBe(true);
    expect(listAuditEntries(fixture.runtime.db, { action: 'local_account.password_change_failed' })).toHaveLength(1);
  });

  it('rate-limits wrong current passwords', async () => {
    fixture = await createApiFixture();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      statuses.push((await changePassword(fixture.token, { currentPassword: `wrong password ${attempt}`, newPassword: NEW_PASSWORD })).status);
    }

    const limited = await changePassword(fixture.token, { currentPassword: TEST_ADMIN.password, newPassword: NEW_PASSWORD });
    const body = (await limited.json()) as ErrorBody;
    const login = await fixture.auth.login(TEST_ADMIN.username, TEST_ADMIN.password, '127.0.0.1');

    expect(statuses).toEqual([403, 403, 403, 403, 403]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(body.error.code).toBe('too_many_attempts');
    expect(login).toMatchObject({ ok: false, reason: 'rate_limited' });
  });

  it('sends cloud users to the cloud', async () => {
    fixture = await createApiFixture();
    await addSiteUser(fixture.runtime.db, { email: 'ops@example.com', role: 'viewer', password: 'cloud user password 1' });
    const token = await loginToken(fixture.auth, 'ops@example.com', 'cloud user password 1');

    const response = await changePassword(token, { currentPassword: 'cloud user password 1', newPassword: NEW_PASSWORD });
    const body = (await response.json()) as ErrorBody;

    expect(response.status).toBe(409);
    expect(body.error.message).toContain('change its password in the cloud');
  });

  it('rejects a short new password', async () => {
    fixture = await createApiFixture();

    const response = await changePassword(fixture.token, { currentPassword: TEST_ADMIN.password, newPassword: 'short' });
    const body = (await response.json()) as ErrorBody;

    expect(response.status).toBe(400);
    expect(body.error).toEqual({ code: 'invalid_body', message: 'newPassword: the password must have at least 12 characters', parameter: 'newPassword' });
  });

  it('rejects a body that is not JSON', async () => {
    fixture = await createApiFixture();

    const malformed = await changePassword(fixture.token, '{"currentPassword":');
    const plainText = await changePassword(fixture.token, JSON.stringify({ currentPassword: TEST_ADMIN.password, newPassword: NEW_PASSWORD }), 'text/plain');

    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as ErrorBody).error.code).toBe('invalid_body');
    expect(plainText.status).toBe(415);
    expect(((await plainText.json()) as ErrorBody).error.code).toBe('unsupported_media_type');
  });
});
