import { afterEach, describe, expect, it } from 'vitest';
import { listAuditEntries } from '../../src/audit/audit-log';
import { EDGE_SESSION_MAX_S, issueEdgeToken, verifyEdgeToken } from '../../src/auth/edge-tokens';
import { loadEdgeTokenKey } from '../../src/auth/edge-token-key';
import { createApiFixture, type ApiFixture } from '../api/api-fixture';
import { loginToken, TEST_ADMIN } from './auth-support';
import { addHubKey, addSiteUser, signHubToken } from './hub-support';

let fixture: ApiFixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

interface TokenBody {
  accessToken: string;
  tokenType: string;
  expiresAt: string;
  user: { id: string; source: string; role: string };
}

interface ErrorBody {
  error: { code: string; message: string };
}

function refresh(token?: string) {
  return fixture!.app.request('/api/auth/refresh', { method: 'POST', headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } });
}

describe('POST /api/auth/refresh', () => {
  it('issues a new token for a local admin', async () => {
    fixture = await createApiFixture();
    const key = loadEdgeTokenKey(fixture.dataDir);
    const old = await verifyEdgeToken(fixture.token, key);

    const response = await refresh(fixture.token);
    const body = (await response.json()) as TokenBody;
    const claims = await verifyEdgeToken(body.accessToken, key);
    const devices = await fixture.app.request('/api/devices', { headers: { Authorization: `Bearer ${body.accessToken}` } });

    expect(response.status).toBe(200);
    expect(body.tokenType).toBe('Bearer');
    expect(body.user).toEqual({ id: old.subject, source: 'local', role: 'site_manager' });
    expect(claims.subject).toBe(old.subject);
    expect(claims.tokenId).not.toBe(old.tokenId);
    expect(Date.parse(body.expiresAt)).toBe(claims.expiresAtS * 1000);
    expect(devices.status).toBe(200);
    expect(listAuditEntries(fixture.runtime.db, { action: 'auth.token_refreshed' })).toMatchObject([{ actorId: old.subject, details: { source: 'local' } }]);
  });

  it('gives the expiry a fresh start', async () => {
    fixture = await createApiFixture();
    const key = loadEdgeTokenKey(fixture.dataDir);
    const tenMinutesAgoS = Math.floor(Date.now() / 1000) - 600;
    const account = await verifyEdgeToken(fixture.token, key);
    const { token: agedToken, expiresAtS: agedExpiryS } = await issueEdgeToken(key, { id: account.subject, role: 'site_manager', source: 'local' }, tenMinutesAgoS);

    const response = await refresh(agedToken);
    const body = (await response.json()) as TokenBody;

    expect(response.status).toBe(200);
    expect(Date.parse(body.expiresAt) - agedExpiryS * 1000).toBeGreaterThanOrEqual(600_000);
  });

  it('keeps the login time and ends the session after its maximum', async () => {
    fixture = await createApiFixture();
    const key = loadEdgeTokenKey(fixture.dataDir);
    const account = await verifyEdgeToken(fixture.token, key);
    const nowS = Math.floor(Date.now() / 1000);
    const loginS = nowS - EDGE_SESSION_MAX_S + 60;
    const { token: recent } = await issueEdgeToken(key, { id: account.subject, role: 'site_manager', source: 'local' }, nowS - 60, loginS);
    const { token: tooOld } = await issueEdgeToken(key, { id: account.subject, role: 'site_manager', source: 'local' }, nowS - 60, nowS - EDGE_SESSION_MAX_S - 60);

    const renewed = await refresh(recent);
    const renewedClaims = await verifyEdgeToken(((await renewed.json()) as TokenBody).accessToken, key);
    const refused = await refresh(tooOld);

    expect(renewed.status).toBe(200);
    expect(renewedClaims.authTimeS).toBe(loginS);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as ErrorBody).error.message).toContain('log in again');
  });

  it('refuses a token from before a password change', async () => {
    fixture = await createApiFixture();
    const before = fixture.token;
    const change = await fixture.app.request('/api/me/password', {
      method: 'POST',
      headers: { Authorization: `Bearer ${before}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ currentPassword: TEST_ADMIN.password, newPassword: 'a brand new password 42' }),
    });

    const response = await refresh(before);

    expect(change.status).toBe(204);
    expect(response.status).toBe(401);
    expect(((await response.json()) as ErrorBody).error.message).toContain('password of this account changed');
  });

  it('carries the current role of a cloud user', async () => {
    fixture = await createApiFixture();
    const userId = await addSiteUser(fixture.runtime.db, { email: 'ops@example.com', role: 'viewer', password: 'cloud user password 1' });
    const token = await loginToken(fixture.auth, 'ops@example.com', 'cloud user password 1');
    fixture.runtime.db.prepare("UPDATE cloud_site_users SET role = 'operator' WHERE user_id = ?").run(userId);

    const response = await refresh(token);
    const body = (await response.json()) as TokenBody;

    expect(response.status).toBe(200);
    expect(body.user).toEqual({ id: userId, source: 'cloud-user', role: 'operator' });
  });

  it('rejects a removed local account', async () => {
    fixture = await createApiFixture();
    fixture.runtime.db.prepare('DELETE FROM local_accounts').run();

    const response = await refresh(fixture.token);
    const body = (await response.json()) as ErrorBody;

    expect(response.status).toBe(401);
    expect(body.error.message).toContain('local account of this token was removed');
    expect(listAuditEntries(fixture.runtime.db, { action: 'auth.refresh_failed' })).toHaveLength(1);
  });

  it('rejects a cloud user disabled since login', async () => {
    fixture = await createApiFixture();
    const userId = await addSiteUser(fixture.runtime.db, { email: 'ops@example.com', role: 'operator', password: 'cloud user password 1' });
    const token = await loginToken(fixture.auth, 'ops@example.com', 'cloud user password 1');
    fixture.runtime.db.prepare("UPDATE cloud_site_users SET status = 'disabled' WHERE user_id = ?").run(userId);

    const response = await refresh(token);
    const body = (await response.json()) as ErrorBody;

    expect(response.status).toBe(401);
    expect(body.error.message).toContain('disabled');
  });

  it('rejects a cloud user removed since login', async () => {
    fixture = await createApiFixture();
    const userId = await addSiteUser(fixture.runtime.db, { email: 'ops@example.com', role: 'operator', password: 'cloud user password 1' });
    const token = await loginToken(fixture.auth, 'ops@example.com', 'cloud user password 1');
    fixture.runtime.db.prepare('DELETE FROM cloud_site_users WHERE user_id = ?').run(userId);

    const response = await refresh(token);
    const body = (await response.json()) as ErrorBody;

    expect(response.status).toBe(401);
    expect(body.error.message).toContain('no longer has access to this site');
  });

  it('rejects a hub token', async () => {
    fixture = await createApiFixture();
    const userId = await addSiteUser(fixture.runtime.db, { email: 'ops@example.com', role: 'operator' });
    const hubToken = await signHubToken(await addHubKey(fixture.runtime.db), userId);

    const response = await refresh(hubToken);
    const body = (await response.json()) as ErrorBody;
    const devices = await fixture.app.request('/api/devices', { headers: { Authorization: `Bearer ${hubToken}` } });

    expect(devices.status).toBe(200);
    expect(response.status).toBe(401);
    expect(body.error.message).toContain('refresh it at the cloud hub');
  });

  it('rejects an expired edge token', async () => {
    fixture = await createApiFixture();
    const key = loadEdgeTokenKey(fixture.dataDir);
    const account = await verifyEdgeToken(fixture.token, key);
    const { token } = await issueEdgeToken(key, { id: account.subject, role: 'site_manager', source: 'local' }, Math.floor(Date.now() / 1000) - 3600);

    const response = await refresh(token);
    const body = (await response.json()) as ErrorBody;

    expect(response.status).toBe(401);
    expect(body.error.message).toBe('access token expired; log in again');
  });

  it('rejects a request without a token', async () => {
    fixture = await createApiFixture();

    const response = await refresh();
    const body = (await response.json()) as ErrorBody;

    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toContain('Bearer');
    expect(body.error.code).toBe('unauthorized');
  });
});
