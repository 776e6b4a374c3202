import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashOpaqueToken } from '../../src/auth/opaque-token';
import { REFRESH_REUSE_GRACE_MS } from '../../src/auth/refresh-tokens';
import { call, createCloudFixture, Seed, TEST_PASSWORD, type CloudFixture } from '../support/cloud-fixture';

/** An error or token response, read loosely because each test checks the fields it needs. */
type ApiBody = { error: { code: string; message: string }; refreshToken: string };

let fixture: CloudFixture;
let seed: Seed;

beforeAll(async () => {
  fixture = await createCloudFixture('login_refresh');
  seed = new Seed(fixture);
  const organizationId = await seed.organization('Acme');
  const ana = await seed.user('ana@acme.test');
  await seed.membership(ana, organizationId);
  await seed.user('off@acme.test', { status: 'disabled' });
});

afterAll(async () => {
  await fixture?.close();
});

interface TokenBody {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
  user: { id: string; email: string };
}

async function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fixture.app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text), headers: response.headers };
}

async function logIn(email = 'ana@acme.test', password = TEST_PASSWORD) {
  return postJson('/api/auth/login', { email, password });
}

async function tokensOf(email = 'ana@acme.test'): Promise<TokenBody> {
  const response = await logIn(email);
  expect(response.status).toBe(200);
  return response.body as TokenBody;
}

async function refreshWithBody(refreshToken: string) {
  return postJson('/api/auth/refresh', { refreshToken });
}

async function refreshWithCookie(refreshToken: string, origin?: string) {
  const headers: Record<string, string> = { Cookie: `ems_refresh=${refreshToken}` };
  if (origin !== undefined) headers.Origin = origin;
  const response = await fixture.app.request('/api/auth/refresh', { method: 'POST', headers });
  return { status: response.status, body: (await response.json()) as ApiBody, headers: response.headers };
}

/** Moves the time a token was spent back past the reuse grace window, as if the refresh happened earlier. */
async function ageSpentToken(refreshToken: string): Promise<void> {
  const agedMs = REFRESH_REUSE_GRACE_MS + 1000;
  await fixture.db.owner`
    UPDATE refresh_tokens SET used_at = used_at - make_interval(secs => ${agedMs / 1000})
    WHERE token_hash = ${hashOpaqueToken(refreshToken)}`;
}

/** Counts the revoked tokens in the family of a token. */
async function revokedInFamily(refreshToken: string): Promise<number> {
  const [row] = await fixture.db.owner<{ count: number }[]>`
    SELECT count(*)::int AS count FROM refresh_tokens
    WHERE revoked_at IS NOT NULL
      AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = ${hashOpaqueToken(refreshToken)})`;
  return row!.count;
}

/** Splits a Set-Cookie header into its attributes, keyed in lower case. */
function cookieAttributes(header: string | null): Map<string, string> {
  const parts = (header ?? '').split(';').map((part) => part.trim());
  return new Map(
    parts.slice(1).map((part) => {
      const [name, ...value] = part.split('=');
      return [name!.toLowerCase(), value.join('=')];
    }),
  );
}

describe('login', () => {
  it('returns both tokens', async () => {
    const { status, body } = await logIn();
    expect(status).toBe(200);
    expect(body.tokenType).toBe('Bearer');
    expect(body.expiresIn).toBe(900);
    expect(body.accessToken.split('.')).toHaveLength(3);
    expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.user.email).toBe('ana@acme.test');
  });

  it('sets the refresh cookie for the auth routes only', async () => {
    const { body, headers } = await logIn();
    const setCookie = headers.get('set-cookie');
    expect(setCookie).toMatch(new RegExp(`^ems_refresh=${body.refreshToken};`));
    const attributes = cookieAttributes(setCookie);
    expect(attributes.has('httponly')).toBe(true);
    expect(attributes.has('secure')).toBe(true);
    expect(attributes.get('samesite')).toBe('Strict');
    expect(attributes.get('path')).toBe('/api/auth');
    expect(attributes.get('max-age')).toBe(String(30 * 24 * 3600));
  });

  it('forbids caching the tokens', async () => {
    const { headers } = await logIn();
    expect(headers.get('cache-control')).toBe('no-store');
  });

  it('accepts the email in another case', async () => {
    const { status } = await logIn('ANA@Acme.Test');
    expect(status).toBe(200);
  });

  it('rejects unknown email like wrong password', async () => {
    const unknown = await logIn('nobody@acme.test');
    const wrong = await logIn('ana@acme.test', 'not the password at all');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });

  it('rejects a disabled user with the same answer', async () => {
    const disabled = await logIn('off@acme.test');
    const wrong = await logIn('ana@acme.test', 'not the password at all');
    expect(disabled.status).toBe(401);
    expect(disabled.body).toEqual(wrong.body);
  });

  it('sets no cookie on failure', async () => {
    const { headers } = await logIn('ana@acme.test', 'not the password at all');
    expect(headers.get('set-cookie')).toBeNull();
  });

  it('rejects unknown body fields', async () => {
    const { status, body } = await postJson('/api/auth/login', { email: 'ana@acme.test', password: TEST_PASSWORD, admin: true });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
  });
});

describe('refresh', () => {
  it('rotates the refresh token', async () => {
    const first = await tokensOf();
    const { status, body } = await refreshWithBody(first.refreshToken);
    expect(status).toBe(200);
    expect(body.refreshToken).not.toBe(first.refreshToken);
    expect((await call(fixture.app, body.accessToken, 'GET', '/api/validate-token')).status).toBe(200);
  });

  it('rejects the spent token after the grace window', async () => {
    const first = await tokensOf();
    await refreshWithBody(first.refreshToken);
    await ageSpentToken(first.refreshToken);
    const { status, body } = await refreshWithBody(first.refreshToken);
    expect(status).toBe(401);
    expect(body.error.code).toBe('invalid_refresh_token');
    expect(body.error.message).toMatch(/already used/);
  });

  it('revokes the family on reuse after the grace window', async () => {
    const first = await tokensOf();
    const second = (await refreshWithBody(first.refreshToken)).body as TokenBody;
    const third = (await refreshWithBody(second.refreshToken)).body as TokenBody;
    await ageSpentToken(first.refreshToken);

    expect((await refreshWithBody(first.refreshToken)).status).toBe(401);

    const { status, body } = await refreshWithBody(third.refreshToken);
    expect(status).toBe(401);
    expect(body.error.code).toBe('invalid_refresh_token');
  });

  it('keeps other logins of the user on reuse', async () => {
    const stolen = await tokensOf();
    const otherDevice = await tokensOf();
    await refreshWithBody(stolen.refreshToken);
    await ageSpentToken(stolen.refreshToken);
    await refreshWithBody(stolen.refreshToken);

    const { status } = await refreshWithBody(otherDevice.refreshToken);
    expect(status).toBe(200);
  });

  it('lets two racing refreshes both succeed', async () => {
    const first = await tokensOf();
    const results = await Promise.all([refreshWithBody(first.refreshToken), refreshWithBody(first.refreshToken)]);
    expect(results[0]!.status).toBe(200);
    expect(results[1]!.status).toBe(200);
    const [one, other] = results.map((result) => result.body as TokenBody);
    expect(one!.refreshToken).not.toBe(other!.refreshToken);
    expect(await revokedInFamily(first.refreshToken)).toBe(0);

    expect((await refreshWithBody(one!.refreshToken)).status).toBe(200);
    expect((await refreshWithBody(other!.refreshToken)).status).toBe(200);
    expect((await call(fixture.app, other!.accessToken, 'GET', '/api/validate-token')).status).toBe(200);
  });

  it('accepts a token spent moments ago', async () => {
    const first = await tokensOf();
    expect((await refreshWithBody(first.refreshToken)).status).toBe(200);
    const { status, body } = await refreshWithBody(first.refreshToken);
    expect(status).toBe(200);
    expect((await refreshWithBody(body.refreshToken)).status).toBe(200);
  });

  it('rejects a token spent moments ago after logout', async () => {
    const first = await tokensOf();
    const second = (await refreshWithBody(first.refreshToken)).body as TokenBody;
    await postJson('/api/auth/logout', { refreshToken: second.refreshToken });
    const { status, body } = await refreshWithBody(first.refreshToken);
    expect(status).toBe(401);
    expect(body.error.code).toBe('invalid_refresh_token');
  });

  it('rejects an unknown token', async () => {
    const { status, body } = await refreshWithBody('A'.repeat(43));
    expect(status).toBe(401);
    expect(body.error.message).toMatch(/not valid/);
  });

  it('rejects an expired token', async () => {
    const { refreshToken } = await tokensOf();
    await fixture.db.owner`UPDATE refresh_tokens SET expires_at = now() - interval '1 minute' WHERE token_hash = ${hashOpaqueToken(refreshToken)}`;
    const { status, body } = await refreshWithBody(refreshToken);
    expect(status).toBe(401);
    expect(body.error.code).toBe('invalid_refresh_token');
    expect(body.error.message).toMatch(/expired/);
  });

  it("rejects a disabled user's token", async () => {
    const userId = await seed.user('soon-off@acme.test');
    const { refreshToken } = await tokensOf('soon-off@acme.test');
    await fixture.db.owner`UPDATE users SET status = 'disabled' WHERE id = ${userId}`;
    const { status, body } = await refreshWithBody(refreshToken);
    expect(status).toBe(401);
    expect(body.error.code).toBe('user_disabled');
  });

  it('requires a token', async () => {
    const response = await fixture.app.request('/api/auth/refresh', { method: 'POST' });
    expect(response.status).toBe(401);
  });
});

describe('refresh with the cookie', () => {
  it('rejects a request without Origin', async () => {
    const { refreshToken } = await tokensOf();
    const { status, body } = await refreshWithCookie(refreshToken);
    expect(status).toBe(403);
    expect(body.error.code).toBe('origin_not_allowed');
  });

  it('rejects another origin', async () => {
    const { refreshToken } = await tokensOf();
    const { status } = await refreshWithCookie(refreshToken, 'https://ems.test.attacker.example');
    expect(status).toBe(403);
  });

  it('does not spend the token on a rejected origin', async () => {
    const { refreshToken } = await tokensOf();
    await refreshWithCookie(refreshToken, 'https://attacker.example');
    const { status } = await refreshWithCookie(refreshToken, 'https://ems.test');
    expect(status).toBe(200);
  });

  it('rotates with an allowed origin', async () => {
    const { refreshToken } = await tokensOf();
    const { status, body, headers } = await refreshWithCookie(refreshToken, 'https://ems.test');
    expect(status).toBe(200);
    expect(headers.get('set-cookie')).toMatch(new RegExp(`^ems_refresh=${body.refreshToken};`));
  });

  it('clears the cookie on rejection', async () => {
    const { refreshToken } = await tokensOf();
    await refreshWithCookie(refreshToken, 'https://ems.test');
    await ageSpentToken(refreshToken);
    const { status, headers } = await refreshWithCookie(refreshToken, 'https://ems.test');
    expect(status).toBe(401);
    expect(cookieAttributes(headers.get('set-cookie')).get('max-age')).toBe('0');
  });
});

describe('logout', () => {
  it('revokes the family', async () => {
    const first = await tokensOf();
    const second = (await refreshWithBody(first.refreshToken)).body as TokenBody;
    const { status } = await postJson('/api/auth/logout', { refreshToken: second.refreshToken });
    expect(status).toBe(204);
    expect((await refreshWithBody(second.refreshToken)).status).toBe(401);
  });

  it('revokes the family from a spent token too', async () => {
    const first = await tokensOf();
    const second = (await refreshWithBody(first.refreshToken)).body as TokenBody;
    await postJson('/api/auth/logout', { refreshToken: first.refreshToken });
    expect((await refreshWithBody(second.refreshToken)).status).toBe(401);
  });

  it('clears the cookie', async () => {
    const { refreshToken } = await tokensOf();
    const response = await fixture.app.request('/api/auth/logout', {
      method: 'POST',
      headers: { Cookie: `ems_refresh=${refreshToken}`, Origin: 'https://ems.test' },
    });
    expect(response.status).toBe(204);
    const attributes = cookieAttributes(response.headers.get('set-cookie'));
    expect(attributes.get('max-age')).toBe('0');
    expect(attributes.get('path')).toBe('/api/auth');
    expect((await refreshWithBody(refreshToken)).status).toBe(401);
  });

  it('rejects the cookie without an allowed Origin', async () => {
    const { refreshToken } = await tokensOf();
    const response = await fixture.app.request('/api/auth/logout', { method: 'POST', headers: { Cookie: `ems_refresh=${refreshToken}` } });
    expect(response.status).toBe(403);
  });
});
