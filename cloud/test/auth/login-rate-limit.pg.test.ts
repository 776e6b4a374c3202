import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { LoginRateLimiter } from '../../src/auth/login-rate-limit';
import { createCloudFixture, Seed, TEST_PASSWORD, type CloudFixture } from '../support/cloud-fixture';

/** An error or token response, read loosely because each test checks the fields it needs. */
type ApiBody = { error: { code: string; message: string }; refreshToken: string };

const WINDOW_MS = 60_000;
// The per-IP limit sits above the account-and-IP one, so a test can push one address past the latter alone.
const limits = { accountIpAttempts: 3, accountAttempts: 8, ipAttempts: 12, windowMs: WINDOW_MS };

let fixture: CloudFixture;
let seed: Seed;
let nextIp = 1;

beforeAll(async () => {
  fixture = await createCloudFixture('login_rate_limit', { rateLimits: limits });
  seed = new Seed(fixture);
});

afterAll(async () => {
  await fixture?.close();
});

/** Returns a client address no other test uses, so its per-IP counter starts at zero. */
function freshIp(): string {
  nextIp += 1;
  return `198.18.${Math.floor(nextIp / 256)}.${nextIp % 256}`;
}

async function logIn(email: string, password: string, forwardedFor = freshIp()) {
  const response = await fixture.app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': forwardedFor },
    body: JSON.stringify({ email, password }),
  });
  return { status: response.status, body: (await response.json()) as ApiBody, headers: response.headers };
}

const WRONG = 'not the password at all';

/** Checks a 429 response: its error code, a whole-second Retry-After within the window, and the message. */
function expectTooManyAttempts(response: Awaited<ReturnType<typeof logIn>>): void {
  expect(response.status).toBe(429);
  expect(response.body.error.code).toBe('too_many_attempts');
  const retryAfterS = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfterS)).toBe(true);
  expect(retryAfterS).toBeGreaterThan(0);
  expect(retryAfterS).toBeLessThanOrEqual(WINDOW_MS / 1000);
  expect(response.body.error.message).toBe(`too many login attempts; try again in ${retryAfterS} s`);
}

describe('per account and IP limit', () => {
  it('blocks the address after its failures', async () => {
    await seed.user('blocked@acme.test');
    const ip = freshIp();
    for (let attempt = 0; attempt < limits.accountIpAttempts; attempt += 1) {
      expect((await logIn('blocked@acme.test', WRONG, ip)).status).toBe(401);
    }
    expectTooManyAttempts(await logIn('blocked@acme.test', TEST_PASSWORD, ip));
  });

  it('leaves the account open to other addresses', async () => {
    await seed.user('victim@acme.test');
    const attackerIp = freshIp();
    // More attempts than the account-wide limit, all from one address.
    for (let attempt = 0; attempt < limits.accountAttempts + 2; attempt += 1) await logIn('victim@acme.test', WRONG, attackerIp);
    expect((await logIn('victim@acme.test', TEST_PASSWORD, attackerIp)).status).toBe(429);

    expect((await logIn('victim@acme.test', TEST_PASSWORD, freshIp())).status).toBe(200);
  });

  it('counts the email in any case', async () => {
    await seed.user('mixed@acme.test');
    const ip = freshIp();
    for (const email of ['mixed@acme.test', 'MIXED@acme.test', 'Mixed@Acme.Test']) await logIn(email, WRONG, ip);
    expect((await logIn('mixed@acme.test', TEST_PASSWORD, ip)).status).toBe(429);
  });

  it('counts unknown emails too', async () => {
    const ip = freshIp();
    for (let attempt = 0; attempt < limits.accountIpAttempts; attempt += 1) await logIn('ghost@acme.test', WRONG, ip);
    expect((await logIn('ghost@acme.test', WRONG, ip)).status).toBe(429);
  });

  it('is cleared by a successful login', async () => {
    await seed.user('forgetful@acme.test');
    const ip = freshIp();
    for (let attempt = 0; attempt < limits.accountIpAttempts - 1; attempt += 1) await logIn('forgetful@acme.test', WRONG, ip);
    expect((await logIn('forgetful@acme.test', TEST_PASSWORD, ip)).status).toBe(200);

    for (let attempt = 0; attempt < limits.accountIpAttempts - 1; attempt += 1) {
      expect((await logIn('forgetful@acme.test', WRONG, ip)).status).toBe(401);
    }
    expect((await logIn('forgetful@acme.test', TEST_PASSWORD, ip)).status).toBe(200);
  });

  it('holds against parallel guesses', async () => {
    await seed.user('parallel@acme.test');
    const ip = freshIp();
    const results = await Promise.all(Array.from({ length: 10 }, () => logIn('parallel@acme.test', WRONG, ip)));
    const rejectedPasswords = results.filter((result) => result.status === 401);
    const limited = results.filter((result) => result.status === 429);
    expect(rejectedPasswords).toHaveLength(limits.accountIpAttempts);
    expect(limited).toHaveLength(10 - limits.accountIpAttempts);
  });
});

describe('per-account limit', () => {
  it('blocks the account after failures from many addresses', async () => {
    await seed.user('distributed@acme.test');
    for (let attempt = 0; attempt < limits.accountAttempts; attempt += 1) {
      expect((await logIn('distributed@acme.test', WRONG, freshIp())).status).toBe(401);
    }
    expectTooManyAttempts(await logIn('distributed@acme.test', TEST_PASSWORD, freshIp()));
  });

  it('holds against parallel guesses from many addresses', async () => {
    await seed.user('swarm@acme.test');
    const results = await Promise.all(Array.from({ length: 12 }, () => logIn('swarm@acme.test', WRONG, freshIp())));
    const rejectedPasswords = results.filter((result) => result.status === 401);
    const limited = results.filter((result) => result.status === 429);
    expect(rejectedPasswords).toHaveLength(limits.accountAttempts);
    expect(limited).toHaveLength(12 - limits.accountAttempts);
  });

  it('does not count successful logins', async () => {
    await seed.user('popular@acme.test');
    for (let attempt = 0; attempt < limits.accountAttempts + 2; attempt += 1) {
      expect((await logIn('popular@acme.test', TEST_PASSWORD, freshIp())).status).toBe(200);
    }
    expect((await logIn('popular@acme.test', WRONG, freshIp())).status).toBe(401);
  });
});

describe('per-IP limit', () => {
  it('blocks the address after its attempts', async () => {
    const ip = freshIp();
    for (let attempt = 0; attempt < limits.ipAttempts; attempt += 1) {
      expect((await logIn(`nobody${attempt}@acme.test`, WRONG, ip)).status).toBe(401);
    }
    expectTooManyAttempts(await logIn('someone-else@acme.test', WRONG, ip));
  });

  it('does not count successful logins', async () => {
    const emails = ['nat-a@acme.test', 'nat-b@acme.test', 'nat-c@acme.test'];
    for (const email of emails) await seed.user(email);
    const ip = freshIp();
    for (let attempt = 0; attempt < limits.ipAttempts + 3; attempt += 1) {
      expect((await logIn(emails[attempt % emails.length]!, TEST_PASSWORD, ip)).status).toBe(200);
    }

    // The whole budget is still there for failures.
    for (let attempt = 0; attempt < limits.ipAttempts; attempt += 1) {
      expect((await logIn(`typo${attempt}@acme.test`, WRONG, ip)).status).toBe(401);
    }
    expect((await logIn('typo-last@acme.test', WRONG, ip)).status).toBe(429);
  });

  it('leaves other addresses alone', async () => {
    await seed.user('neighbour@acme.test');
    const ip = freshIp();
    for (let attempt = 0; attempt <= limits.ipAttempts; attempt += 1) await logIn(`scan${attempt}@acme.test`, WRONG, ip);
    expect((await logIn('neighbour@acme.test', TEST_PASSWORD)).status).toBe(200);
  });

  it('uses the proxy-appended forwarded address', async () => {
    const proxySeen = freshIp();
    for (let attempt = 0; attempt < limits.ipAttempts; attempt += 1) {
      await logIn(`spoof${attempt}@acme.test`, WRONG, `203.0.113.${attempt + 1}, ${proxySeen}`);
    }
    const { status } = await logIn('spoof-last@acme.test', WRONG, `203.0.113.99, ${proxySeen}`);
    expect(status).toBe(429);
  });
});

describe('rate limiter without Redis', () => {
  it('returns 503', async () => {
    // Port 1 on loopback has no listener, so every command fails at once.
    const deadRedis = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    deadRedis.on('error', () => undefined);
    const app = createApp({ ...fixture.deps, loginRateLimiter: new LoginRateLimiter(deadRedis, fixture.redisPrefix, limits) });
    try {
      const response = await app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'anyone@acme.test', password: WRONG }),
      });
      expect(response.status).toBe(503);
      const body = (await response.json()) as ApiBody;
      expect(body.error.code).toBe('rate_limiter_unavailable');
    } finally {
      deadRedis.disconnect();
    }
  });
});
