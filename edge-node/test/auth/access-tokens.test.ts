import { generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { issueEdgeToken } from '../../src/auth/edge-tokens';
import { loadEdgeTokenKey } from '../../src/auth/edge-token-key';
import { createApiFixture, type ApiFixture } from '../api/api-fixture';
import { bearer } from './auth-support';
import { addHubKey, addSiteUser, signHubToken, type HubKey } from './hub-support';

let fixture: ApiFixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function statusWith(token: string | undefined, path = '/api/devices', method = 'GET'): Promise<number> {
  const init = token === undefined ? { method } : { method, ...bearer(token) };
  return (await fixture!.app.request(path, init)).status;
}

async function setUpHub(): Promise<{ key: HubKey; viewerId: string }> {
  fixture = await createApiFixture();
  const key = await addHubKey(fixture.runtime.db);
  const viewerId = await addSiteUser(fixture.runtime.db, { email: 'viewer@example.com', role: 'viewer' });
  return { key, viewerId };
}

describe('hub access tokens', () => {
  it('verifies offline with the synced key', async () => {
    const { key, viewerId } = await setUpHub();

    const token = await signHubToken(key, viewerId);

    expect(await statusWith(token)).toBe(200);
    expect(await statusWith(token, '/api/points')).toBe(200);
    expect(await statusWith(token, '/api/devices/meter/events')).toBe(200);
  });

  it('rejects a viewer write with 403', async () => {
    const { key, viewerId } = await setUpHub();

    const response = await fixture!.app.request('/api/devices', { method: 'POST', ...bearer(await signHubToken(key, viewerId)) });

    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  });

  it('takes the role from the synced user', async () => {
    const { key } = await setUpHub();
    const managerId = await addSiteUser(fixture!.runtime.db, { email: 'manager@example.com', role: 'site_manager' });

    // A site manager passes the write guard, so the unknown route returns 404.
    expect(await statusWith(await signHubToken(key, managerId), '/api/devices', 'POST')).toBe(404);
  });

  it('rejects a disabled or missing user', async () => {
    const { key } = await setUpHub();
    const disabledId = await addSiteUser(fixture!.runtime.db, { email: 'off@example.com', role: 'org_admin', status: 'disabled' });

    expect(await statusWith(await signHubToken(key, disabledId))).toBe(401);
    expect(await statusWith(await signHubToken(key, crypto.randomUUID()))).toBe(401);
  });

  const nowS = Math.floor(Date.now() / 1000);
  const rejected: Array<[string, { header?: Record<string, unknown>; claims?: Record<string, unknown>; nowS?: number }]> = [
    ['an unknown kid', { header: { kid: 'retired-key' } }],
    ['no kid', { header: { kid: undefined } }],
    ['no typ', { header: { typ: undefined } }],
    ['typ JWT', { header: { typ: 'JWT' } }],
    ['an expired token', { nowS: nowS - 3600 }],
    ['a token from the future', { nowS: nowS + 3600 }],
    ['another issuer', { claims: { iss: 'https://evil.example' } }],
    ['another audience', { claims: { aud: 'other-service' } }],
    ['no pv claim', { claims: { pv: undefined } }],
    ['no jti claim', { claims: { jti: undefined } }],
    ['no exp claim', { claims: { exp: undefined } }],
    // jose checks the age from iat, so a far exp does not stretch the 15 min lifetime.
    ['an iat over 15 min ago', { claims: { iat: nowS - 20 * 60, nbf: nowS - 20 * 60, exp: nowS + 24 * 3600 } }],
  ];
  for (const [name, overrides] of rejected) {
    it(`rejects ${name}`, async () => {
      const { key, viewerId } = await setUpHub();

      const token = await signHubToken(key, viewerId, { ...overrides, header: { ...overrides.header } });

      expect(await statusWith(token)).toBe(401);
    });
  }

  it('rejects another algorithm', async () => {
    const { key, viewerId } = await setUpHub();
    const { privateKey } = await generateKeyPair('RS256');
    const rsaToken = await new SignJWT({ pv: 1, jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'at+jwt' })
      .setIssuer('simtestlab-ems-cloud')
      .setAudience('simtestlab-ems')
      .setSubject(viewerId)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime('15m')
      .sign(privateKey);
    const payload = (await signHubToken(key, viewerId)).split('.')[1];
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', kid: key.kid, typ: 'at+jwt' })).toString('base64url')}.${payload}.`;

    expect(await statusWith(rsaToken)).toBe(401);
    expect(await statusWith(unsigned)).toBe(401);
  });

  it('rejects a token signed by another key with a known kid', async () => {
    const { key, viewerId } = await setUpHub();
    const { privateKey } = await generateKeyPair('ES256');

    expect(await statusWith(await signHubToken({ kid: key.kid, privateKey }, viewerId))).toBe(401);
  });
});

describe('edge access tokens', () => {
  it('require a token for every API read', async () => {
    fixture = await createApiFixture();

    for (const path of ['/api/site', '/api/devices', '/api/devices/meter', '/api/points', '/api/points/pv.acPowerW/history', '/metrics']) {
      const response = await fixture.app.request(path);
      expect(response.status, path).toBe(401);
      expect(response.headers.get('www-authenticate'), path).toContain('Bearer');
    }
  });

  it('keep /api/health public', async () => {
    fixture = await createApiFixture();

    expect(await statusWith(undefined, '/api/health')).toBe(200);
  });

  it('reject a changed role claim', async () => {
    fixture = await createApiFixture();
    const [header, payload, signature] = fixture.token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'platform_admin' })).toString('base64url')}.${signature}`;

    expect(await statusWith(fixture.token)).toBe(200);
    expect(await statusWith(forged)).toBe(401);
  });

  it('reject an expired token', async () => {
    fixture = await createApiFixture();
    const key = loadEdgeTokenKey(fixture.dataDir);
    const { token } = await issueEdgeToken(key, { id: 'installer-id', role: 'site_manager', source: 'local' }, Math.floor(Date.now() / 1000) - 3600);

    const response = await fixture.app.request('/api/devices', bearer(token));

    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('expired');
  });

  it('reject a token signed with another key', async () => {
    fixture = await createApiFixture();
    const { token } = await issueEdgeToken(new Uint8Array(32).fill(7), { id: 'installer-id', role: 'site_manager', source: 'local' });

    expect(await statusWith(token)).toBe(401);
  });

  it('reject a garbage token', async () => {
    fixture = await createApiFixture();

    expect(await statusWith('not-a-jwt')).toBe(401);
  });

  it('re-check a cloud user on every request', async () => {
    fixture = await createApiFixture();
    const userId = await addSiteUser(fixture.runtime.db, { email: 'viewer@example.com', role: 'viewer' });
    const { token } = await issueEdgeToken(loadEdgeTokenKey(fixture.dataDir), { id: userId, role: 'viewer', source: 'cloud-user' });

    const before = await statusWith(token);
    fixture.runtime.db.prepare("UPDATE cloud_site_users SET status = 'disabled' WHERE user_id = ?").run(userId);
    const after = await statusWith(token);

    expect(before).toBe(200);
    expect(after).toBe(401);
  });
});
