import { createHmac, randomUUID } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueAccessToken } from '../../src/auth/access-tokens';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { call, createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';

let fixture: CloudFixture;
let seed: Seed;
let userId: string;

beforeAll(async () => {
  fixture = await createCloudFixture('jwt_attacks');
  seed = new Seed(fixture);
  const organizationId = await seed.organization('Acme');
  userId = await seed.user('ana@acme.test');
  await seed.membership(userId, organizationId);
});

afterAll(async () => {
  await fixture?.close();
});

const nowS = () => Math.floor(Date.now() / 1000);

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** Claims the service would put in a token for `userId`, for the forgeries to start from. */
function validClaims(overrides: JWTPayload = {}): JWTPayload {
  const now = nowS();
  return {
    iss: fixture.deps.tokens.issuer,
    aud: fixture.deps.tokens.audience,
    sub: userId,
    iat: now,
    nbf: now,
    exp: now + 600,
    jti: randomUUID(),
    pv: 1,
    ...overrides,
  };
}

function currentKey() {
  return fixture.deps.keys().current;
}

/** Signs `claims` with ES256 and `key` (the real current key unless given), with the header as given. */
async function signEs256(claims: JWTPayload, header: Record<string, unknown>, key: CryptoKey = currentKey().privateKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', ...header }).sign(key);
}

function realHeader() {
  return { kid: currentKey().kid, typ: 'at+jwt' };
}

/** Builds an HS256 token by hand, with `secret` as the HMAC key, as a key-confusion attack does. */
function signHs256(claims: JWTPayload, secret: string | Buffer): string {
  const signingInput = `${base64url(JSON.stringify({ alg: 'HS256', kid: currentKey().kid, typ: 'at+jwt' }))}.${base64url(JSON.stringify(claims))}`;
  const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

async function validateWith(token: string) {
  return call(fixture.app, token, 'GET', '/api/validate-token');
}

async function validateWithHeader(authorization: string) {
  const response = await fixture.app.request('/api/validate-token', { headers: { Authorization: authorization } });
  return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } }, headers: response.headers };
}

describe('forged and invalid access tokens', () => {
  it('accepts the genuine token', async () => {
    const token = await login(fixture.app, 'ana@acme.test');
    const { status } = await validateWith(token);
    expect(status).toBe(200);
  });

  it('accepts a helper-signed valid token', async () => {
    const { status } = await validateWith(await signEs256(validClaims(), realHeader()));
    expect(status).toBe(200);
  });

  const cases: { name: string; token: () => Promise<string> | string; code: string; message: RegExp }[] = [
    {
      name: 'alg none',
      token: () => `${base64url(JSON.stringify({ alg: 'none', kid: currentKey().kid, typ: 'at+jwt' }))}.${base64url(JSON.stringify(validClaims()))}.`,
      code: 'invalid_token',
      message: /alg/i,
    },
    {
      name: 'HS256 keyed with the public JWK',
      token: () => signHs256(validClaims(), JSON.stringify(currentKey().publicJwk)),
      code: 'invalid_token',
      message: /alg/i,
    },
    {
      name: 'HS256 keyed with the public PEM',
      token: async () => signHs256(validClaims(), await exportSPKI(currentKey().publicKey)),
      code: 'invalid_token',
      message: /alg/i,
    },
    {
      name: 'expired',
      token: async () => (await issueAccessToken(fixture.deps.keys(), fixture.deps.tokens, { userId, permissionsVersion: 1 }, nowS() - 3600)).token,
      code: 'token_expired',
      message: /expired/,
    },
    {
      name: 'not yet valid',
      token: async () => (await issueAccessToken(fixture.deps.keys(), fixture.deps.tokens, { userId, permissionsVersion: 1 }, nowS() + 120)).token,
      code: 'invalid_token',
      message: /nbf/,
    },
    {
      name: 'issued in the future',
      token: () => signEs256(validClaims({ iat: nowS() + 120 }), realHeader()),
      code: 'invalid_token',
      message: /iat/,
    },
    {
      name: 'wrong audience',
      token: () => signEs256(validClaims({ aud: 'another-service' }), realHeader()),
      code: 'invalid_token',
      message: /aud/,
    },
    {
      name: 'wrong issuer',
      token: () => signEs256(validClaims({ iss: 'https://attacker.test' }), realHeader()),
      code: 'invalid_token',
      message: /iss/,
    },
    {
      name: 'tampered subject',
      token: async () => {
        const [header, , signature] = (await signEs256(validClaims(), realHeader())).split('.');
        return `${header}.${base64url(JSON.stringify(validClaims({ sub: randomUUID() })))}.${signature}`;
      },
      code: 'invalid_token',
      message: /signature/,
    },
    {
      name: 'unknown kid',
      token: () => signEs256(validClaims(), { kid: 'not-a-known-key', typ: 'at+jwt' }),
      code: 'invalid_token',
      message: /signing key id "not-a-known-key" is unknown/,
    },
    {
      name: 'missing kid',
      token: () => signEs256(validClaims(), { typ: 'at+jwt' }),
      code: 'invalid_token',
      message: /"kid" is missing/,
    },
    {
      name: 'missing exp',
      token: () => {
        const { exp: _exp, ...claims } = validClaims();
        return signEs256(claims, realHeader());
      },
      code: 'invalid_token',
      message: /exp/,
    },
    {
      name: 'missing pv',
      token: () => {
        const { pv: _pv, ...claims } = validClaims();
        return signEs256(claims, realHeader());
      },
      code: 'invalid_token',
      message: /pv/,
    },
    {
      name: 'pv of zero',
      token: () => signEs256(validClaims({ pv: 0 }), realHeader()),
      code: 'invalid_token',
      message: /pv/,
    },
    {
      name: 'subject that is not a UUID',
      token: () => signEs256(validClaims({ sub: 'admin' }), realHeader()),
      code: 'invalid_token',
      message: /sub/,
    },
    {
      name: 'wrong typ',
      token: () => signEs256(validClaims(), { kid: currentKey().kid, typ: 'JWT' }),
      code: 'invalid_token',
      message: /typ/,
    },
    {
      name: 'another ES256 key with the same kid',
      token: async () => {
        const other = await generateKeyPair('ES256');
        return signEs256(validClaims(), realHeader(), other.privateKey);
      },
      code: 'invalid_token',
      message: /signature/,
    },
  ];

  it.each(cases.map((testCase) => [testCase.name, testCase] as const))('rejects %s', async (_name, { token, code, message }) => {
    const { status, body, headers } = await validateWith(await token());
    expect(status).toBe(401);
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(message);
    expect(headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
  });

  it('rejects HS256 keyed with another JWK', async () => {
    const attacker = await generateKeyPair('ES256', { extractable: true });
    const token = signHs256(validClaims(), JSON.stringify(await exportJWK(attacker.publicKey)));
    const { status } = await validateWith(token);
    expect(status).toBe(401);
  });
});

describe('users whose token is still valid', () => {
  it('rejects a disabled user', async () => {
    const disabledId = await seed.user('disabled@acme.test');
    const token = await login(fixture.app, 'disabled@acme.test');
    expect((await validateWith(token)).status).toBe(200);

    await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx`UPDATE users SET status = 'disabled' WHERE id = ${disabledId}`);
    await fixture.deps.permissions.invalidate(disabledId);

    const { status, body } = await validateWith(token);
    expect(status).toBe(401);
    expect(body.error.code).toBe('user_disabled');
  });

  it('rejects a disabled user after a published eviction', async () => {
    const disabledId = await seed.user('disabled-elsewhere@acme.test');
    const token = await login(fixture.app, 'disabled-elsewhere@acme.test');
    expect((await validateWith(token)).status).toBe(200);

    await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx`UPDATE users SET status = 'disabled' WHERE id = ${disabledId}`);
    // Another instance drops the shared copy and publishes; this app only hears the message.
    await fixture.redis.del(`${fixture.redisPrefix}permissions:${disabledId}`);
    await fixture.redis.publish(`${fixture.redisPrefix}user:${disabledId}:permission_changed`, JSON.stringify({ userId: disabledId }));

    await expect.poll(async () => (await validateWith(token)).status).toBe(401);
  });

  it('rejects a deleted user', async () => {
    const deletedId = await seed.user('deleted@acme.test');
    const token = await login(fixture.app, 'deleted@acme.test');
    expect((await validateWith(token)).status).toBe(200);

    await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx`DELETE FROM users WHERE id = ${deletedId}`);
    await fixture.deps.permissions.invalidate(deletedId);

    const { status, body } = await validateWith(token);
    expect(status).toBe(401);
    expect(body.error.code).toBe('user_disabled');
  });

  it('rejects a token older than the revocation version', async () => {
    const revokedId = await seed.user('revoked@acme.test');
    const token = await login(fixture.app, 'revoked@acme.test');
    expect((await validateWith(token)).status).toBe(200);

    // What a disable or password reset leaves behind: a raised version that older tokens fall below.
    await fixture.db.owner`UPDATE users SET permissions_version = 2, tokens_valid_from_version = 2 WHERE id = ${revokedId}`;
    await fixture.deps.permissions.invalidate(revokedId);

    const { status, body } = await validateWith(token);
    expect(status).toBe(401);
    expect(body.error.code).toBe('token_revoked');
    const fresh = await login(fixture.app, 'revoked@acme.test');
    expect((await validateWith(fresh)).status).toBe(200);
  });

  it('rejects a user that never existed', async () => {
    const { status, body } = await validateWith(await signEs256(validClaims({ sub: randomUUID() }), realHeader()));
    expect(status).toBe(401);
    expect(body.error.code).toBe('user_disabled');
  });
});

describe('Authorization header', () => {
  it('requires one', async () => {
    const { status, body } = await call(fixture.app, null, 'GET', '/api/validate-token');
    expect(status).toBe(401);
    expect(body.error.code).toBe('unauthenticated');
    expect(body.error.message).toMatch(/missing Authorization header/);
  });

  it.each([
    ['an empty', ''],
    ['a scheme-only', 'Bearer'],
    ['a scheme-and-space', 'Bearer '],
    ['a Basic', 'Basic YWRtaW46YWRtaW4='],
    ['a two-token', 'Bearer a.b.c d.e.f'],
    ['a binary garbage', 'Bearer \u00ff\u00fe\u00fd'],
  ])('rejects %s header as malformed', async (_name, header) => {
    const { status, body } = await validateWithHeader(header);
    expect(status).toBe(401);
    expect(body.error.code).toBe('unauthenticated');
    expect(body.error.message).toMatch(/Authorization header/);
  });

  it('rejects a token that is not a JWT', async () => {
    const { status, body } = await validateWithHeader('Bearer not-a-jwt');
    expect(status).toBe(401);
    expect(body.error.code).toBe('invalid_token');
  });

  it('rejects three segments of garbage', async () => {
    const { status, body } = await validateWithHeader('Bearer aaaa.bbbb.cccc');
    expect(status).toBe(401);
    expect(body.error.code).toBe('invalid_token');
  });

  it('rejects a huge header without parsing it', async () => {
    const segment = 'a'.repeat(400_000);
    const { status, body } = await validateWithHeader(`Bearer ${segment}.${segment}.${segment}`);
    expect(status).toBe(401);
    expect(body.error.code).toBe('unauthenticated');
    expect(body.error.message).toMatch(/too long/);
  });

  it('accepts the scheme in any case', async () => {
    const token = await login(fixture.app, 'ana@acme.test');
    const { status } = await validateWithHeader(`bearer ${token}`);
    expect(status).toBe(200);
  });

  it('protects a percent-encoded path', async () => {
    const response = await fixture.app.request('/%61pi/validate-token');
    expect(response.status).toBe(401);
  });
});
