import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { listAuditEntries } from '../../src/audit/audit-log';
import { verifyEdgeToken } from '../../src/auth/edge-tokens';
import { loadEdgeTokenKey } from '../../src/auth/edge-token-key';
import { LoginRateLimiter } from '../../src/auth/login-rate-limit';
import { createSilentLogger } from '../../src/logger';
import { createApiFixture, type ApiFixture } from '../api/api-fixture';
import { createTestAuth, TEST_ADMIN } from './auth-support';
import { addSiteUser } from './hub-support';

let fixture: ApiFixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

function login(body: unknown, app = fixture!.app) {
  return app.request('/api/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

interface LoginBody {
  accessToken: string;
  tokenType: string;
  expiresAt: string;
  user: { id: string; source: string; role: string };
}

describe('POST /api/auth/login', () => {
  it('logs in a local admin', async () => {
    fixture = await createApiFixture();

    const response = await login(TEST_ADMIN);
    const body = (await response.json()) as LoginBody;
    const claims = await verifyEdgeToken(body.accessToken, loadEdgeTokenKey(fixture.dataDir));

    expect(response.status).toBe(200);
    expect(body.tokenType).toBe('Bearer');
    expect(body.user).toMatchObject({ source: 'local', role: 'site_manager' });
    expect(claims).toMatchObject({ subject: body.user.id, role: 'site_manager', source: 'local' });
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
  });

  it('logs in a synced cloud user by email', async () => {
    fixture = await createApiFixture();
    const userId = await addSiteUser(fixture.runtime.db, { email: 'Ops@Example.com', role: 'operator', password: 'cloud user password 1' });

    const response = await login({ username: 'ops@example.com', password: 'cloud user password 1' });
    const body = (await response.json()) as LoginBody;
    const devices = await fixture.app.request('/api/devices', { headers: { Authorization: `Bearer ${body.accessToken}` } });

    expect(response.status).toBe(200);
    expect(body.user).toEqual({ id: userId, source: 'cloud-user', role: 'operator' });
    expect(devices.status).toBe(200);
  });

  it('rejects a disabled cloud user', async () => {
    fixture = await createApiFixture();
    await addSiteUser(fixture.runtime.db, { email: 'gone@example.com', role: 'site_manager', status: 'disabled', password: 'cloud user password 1' });

    const response = await login({ username: 'gone@example.com', password: 'cloud user password 1' });

    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_credentials');
  });

  it('rejects a cloud user without a password', async () => {
    fixture = await createApiFixture();
    await addSiteUser(fixture.runtime.db, { email: 'new@example.com', role: 'viewer' });

    const response = await login({ username: 'new@example.com', password: 'any password 123' });

    expect(response.status).toBe(401);
  });

  it('answers unknown user and wrong password alike', async () => {
    fixture = await createApiFixture();

    const unknown = await login({ username: 'nobody', password: TEST_ADMIN.password });
    const wrong = await login({ username: TEST_ADMIN.username, password: 'wrong password 123' });

    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
  });

  it('rejects a malformed body', async () => {
    fixture = await createApiFixture();

    const extra = await login({ ...TEST_ADMIN, role: 'platform_admin' });
    const missing = await login({ username: TEST_ADMIN.username });

    expect(extra.status).toBe(400);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { parameter: string } }).error.parameter).toBe('password');
  });

  it('audits success and failure', async () => {
    fixture = await createApiFixture();
    const before = listAuditEntries(fixture.runtime.db).length;

    await login(TEST_ADMIN);
    await login({ username: TEST_ADMIN.username, password: 'wrong password 123' });
    await login({ username: 'ghost@example.com', password: 'wrong password 123' });
    const entries = listAuditEntries(fixture.runtime.db).slice(before);

    expect(entries.map((entry) => entry.action)).toEqual(['auth.login_succeeded', 'auth.login_failed', 'auth.login_failed']);
    expect(entries[0]).toMatchObject({ actorType: 'user', details: { identifier: 'installer', source: 'local', role: 'site_manager' } });
    expect(entries[1]!.actorId).toBe(entries[0]!.actorId);
    expect(entries[1]!.details).toMatchObject({ identifier: 'installer', reason: 'wrong password' });
    expect(entries[2]).toMatchObject({ actorId: null, details: { identifier: 'ghost@example.com', reason: 'unknown account' } });
    expect(JSON.stringify(entries)).not.toContain('wrong password 123');
  });

  it('limits failed attempts per account with 429', async () => {
    fixture = await createApiFixture();
    let nowMs = 1_000_000;
    const rateLimiter = new LoginRateLimiter(
      { perAddress: { maxAttempts: 100, windowMs: 60_000 }, perAccount: { maxAttempts: 3, windowMs: 900_000 } },
      () => nowMs,
    );
    const app = createApp(fixture.runtime, createSilentLogger(), { auth: createTestAuth(fixture.runtime.db, fixture.dataDir, { rateLimiter }) });
    const wrong = { username: TEST_ADMIN.username, password: 'wrong password 123' };

    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt++) statuses.push((await login(wrong, app)).status);
    const limited = await login(TEST_ADMIN, app);
    nowMs += 900_000;
    const afterWindow = await login(TEST_ADMIN, app);
    const audited = listAuditEntries(fixture.runtime.db, { action: 'auth.login_failed' }).at(-1);

    expect(statuses).toEqual([401, 401, 401]);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('900');
    expect(afterWindow.status).toBe(200);
    expect(audited?.details).toMatchObject({ reason: 'rate_limited', retryAfterS: 900 });
  });
});
