import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_TOKEN_TTL_MS, SESSION_MAX_AGE_MS } from '../../src/auth/refresh-tokens';
import { createCloudFixture, Seed, TEST_PASSWORD, type CloudFixture } from '../support/cloud-fixture';

let fixture: CloudFixture;

beforeAll(async () => {
  fixture = await createCloudFixture('session-age');
  const seed = new Seed(fixture);
  await seed.user('ana@example.test');
});

afterAll(async () => {
  await fixture?.close();
});

async function loginForRefreshToken(): Promise<string> {
  const response = await fixture.app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'ana@example.test', password: TEST_PASSWORD }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { refreshToken: string }).refreshToken;
}

async function refresh(token: string) {
  return fixture.app.request('/api/auth/refresh', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refreshToken: token }),
  });
}

describe('refresh session maximum age', () => {
  it('caps a rotated token at the login time plus the maximum age', async () => {
    const token = await loginForRefreshToken();
    const startedAt = new Date(Date.now() - SESSION_MAX_AGE_MS + 3_600_000);
    await fixture.sql`UPDATE refresh_tokens SET family_started_at = ${startedAt}`;

    const response = await refresh(token);
    expect(response.status).toBe(200);
    const [newest] = await fixture.sql<{ expires_at: Date; family_started_at: Date }[]>`
      SELECT expires_at, family_started_at FROM refresh_tokens WHERE used_at IS NULL AND revoked_at IS NULL`;
    expect(newest!.family_started_at.getTime()).toBe(startedAt.getTime());
    expect(newest!.expires_at.getTime()).toBe(startedAt.getTime() + SESSION_MAX_AGE_MS);
    expect(newest!.expires_at.getTime()).toBeLessThan(Date.now() + REFRESH_TOKEN_TTL_MS);
  });

  it('rejects a refresh once the session is older than the maximum age', async () => {
    const token = await loginForRefreshToken();
    await fixture.sql`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE used_at IS NULL AND revoked_at IS NULL`;
    const response = await refresh(token);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_refresh_token');
    expect(body.error.message).toContain('expired');
  });
});
