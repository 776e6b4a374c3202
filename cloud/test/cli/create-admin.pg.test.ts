import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { call, createCloudFixture, login, REDIS_URL, Seed, type CloudFixture } from '../support/cloud-fixture';
import { runCli } from './run-cli';

const PASSWORD = 'a long admin password';
let fixture: CloudFixture;
let seed: Seed;
let env: Record<string, string>;

/** Reads the CLI's audit entries about one user, oldest first. */
async function cliEntries(userId: string) {
  return inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx`
    SELECT action, before, after FROM audit_log
    WHERE actor_type = 'system' AND actor_id = 'cli' AND target_type = 'user' AND target_id = ${userId}
    ORDER BY id`);
}

async function userByEmail(email: string) {
  const [user] = await fixture.db.owner`SELECT id, name, status, platform_admin, permissions_version FROM users WHERE lower(email) = ${email}`;
  return user;
}

/** Takes the token out of the set-password link the CLI printed. */
function linkToken(stdout: string): string {
  const match = /^https:\/\/ems\.test\/set-password#token=([A-Za-z0-9_-]+)$/m.exec(stdout);
  if (!match) throw new Error(`no set-password link in: ${stdout}`);
  return match[1]!;
}

beforeAll(async () => {
  fixture = await createCloudFixture('cli_create_admin');
  seed = new Seed(fixture);
  env = { DATABASE_URL: fixture.db.runtimeUrl, PUBLIC_URL: 'https://ems.test' };
});

afterAll(async () => {
  await fixture?.close();
});

describe('cloud create-admin', () => {
  it('creates an admin who logs in with the piped password', async () => {
    const { code, stdout, stderr } = await runCli(['create-admin', '--email', 'Root@Example.test', '--name', 'Root', '--password-stdin'], { env, stdin: `${PASSWORD}\n` });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^created platform admin Root@Example\.test \(/m);
    expect(stdout).not.toContain('set-password');

    const token = await login(fixture.app, 'root@example.test', PASSWORD);
    const validated = await call(fixture.app, token, 'GET', '/api/validate-token');
    expect(validated.body.user.platformAdmin).toBe(true);
    expect(validated.body.user.name).toBe('Root');
    const entries = await cliEntries(validated.body.user.id);
    expect(entries.map((entry) => entry.action)).toEqual(['user.create']);
    expect(entries[0]!.after).toMatchObject({ platformAdmin: true, status: 'active', passwordSetup: 'password_set' });
  });

  it('prints a set-password link that works once', async () => {
    const { code, stdout } = await runCli(['create-admin', '--email', 'linked@example.test'], { env });
    expect(code).toBe(0);
    expect(stdout).toContain('usable once within 24 h');
    const token = linkToken(stdout);

    const set = await call(fixture.app, null, 'POST', '/api/auth/set-password', { token, password: PASSWORD });
    expect(set.status).toBe(204);
    await expect(login(fixture.app, 'linked@example.test', PASSWORD)).resolves.toEqual(expect.any(String));
    const again = await call(fixture.app, null, 'POST', '/api/auth/set-password', { token, password: PASSWORD });
    expect(again.status).toBe(400);

    const user = await userByEmail('linked@example.test');
    expect(user!.name).toBe('linked');
    const [row] = await fixture.db.owner`
      SELECT purpose, extract(epoch FROM expires_at - created_at)::int AS valid_s FROM password_tokens WHERE user_id = ${user!.id}`;
    expect(row!.purpose).toBe('invite');
    expect(Math.abs(row!.valid_s - 24 * 3600)).toBeLessThan(60);
  });

  it('voids the earlier link', async () => {
    const first = linkToken((await runCli(['create-admin', '--email', 'twice@example.test'], { env })).stdout);
    const second = linkToken((await runCli(['create-admin', '--email', 'twice@example.test'], { env })).stdout);

    const stale = await call(fixture.app, null, 'POST', '/api/auth/set-password', { token: first, password: PASSWORD });
    expect(stale.status).toBe(400);
    const current = await call(fixture.app, null, 'POST', '/api/auth/set-password', { token: second, password: PASSWORD });
    expect(current.status).toBe(204);
  });

  it('voids links when setting a password', async () => {
    const link = linkToken((await runCli(['create-admin', '--email', 'piped@example.test'], { env })).stdout);
    const { code } = await runCli(['create-admin', '--email', 'piped@example.test', '--password-stdin'], { env, stdin: PASSWORD });
    expect(code).toBe(0);

    const stale = await call(fixture.app, null, 'POST', '/api/auth/set-password', { token: link, password: 'a password of an intruder' });
    expect(stale.status).toBe(400);
    await expect(login(fixture.app, 'piped@example.test', PASSWORD)).resolves.toEqual(expect.any(String));
  });

  it('rejects a short password and creates nobody', async () => {
    const { code, stderr } = await runCli(['create-admin', '--email', 'short@example.test', '--password-stdin'], { env, stdin: 'too short\n' });
    expect(code).toBe(1);
    expect(stderr).toContain('the password from standard input is invalid: it must have at least 12 characters');
    expect(await userByEmail('short@example.test')).toBeUndefined();
  });

  it('promotes an existing user after saying so', async () => {
    const userId = await seed.user('member@example.test', { name: 'Member' });
    const before = await userByEmail('member@example.test');

    const { code, stdout } = await runCli(['create-admin', '--email', 'member@example.test', '--name', 'Ignored'], { env });
    expect(code).toBe(0);
    expect(stdout).toContain(`user member@example.test (${userId}) already exists; promoting it to platform admin`);
    expect(stdout).toContain('promoted member@example.test to platform admin');
    expect(linkToken(stdout)).not.toBe('');

    const after = await userByEmail('member@example.test');
    expect(after!.platform_admin).toBe(true);
    expect(after!.name).toBe('Member');
    expect(after!.permissions_version).toBe(before!.permissions_version + 1);
    const entries = await cliEntries(userId);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.action).toBe('user.update');
    expect(entries[0]!.before).toEqual({ status: 'active', platformAdmin: false });
  });

  it('reactivates a disabled user', async () => {
    await seed.user('disabled@example.test', { status: 'disabled' });
    const { code, stdout } = await runCli(['create-admin', '--email', 'disabled@example.test', '--password-stdin'], { env, stdin: PASSWORD });
    expect(code).toBe(0);
    expect(stdout).toContain('and is disabled; reactivating it and promoting it to platform admin');
    expect((await userByEmail('disabled@example.test'))!.status).toBe('active');
    await expect(login(fixture.app, 'disabled@example.test', PASSWORD)).resolves.toEqual(expect.any(String));
  });

  it('drops cached permissions through Redis when REDIS_URL is set', async () => {
    await seed.user('cached@example.test');
    const token = await login(fixture.app, 'cached@example.test');
    expect((await call(fixture.app, token, 'GET', '/api/audit')).status).toBe(403);

    const redisEnv = { ...env, REDIS_URL, REDIS_PREFIX: fixture.redisPrefix };
    const { code } = await runCli(['create-admin', '--email', 'cached@example.test'], { env: redisEnv });
    expect(code).toBe(0);

    // The same token now resolves to the new permissions, because the cached copy was dropped.
    let status = 0;
    for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
      status = (await call(fixture.app, token, 'GET', '/api/audit')).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
  });

  it('revokes the sessions of an existing admin whose password it sets', async () => {
    await seed.user('existing-admin@example.test', { platformAdmin: true });
    const response = await fixture.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '10.9.9.9' },
      body: JSON.stringify({ email: 'existing-admin@example.test', password: 'correct horse battery staple' }),
    });
    const { refreshToken, accessToken } = (await response.json()) as { refreshToken: string; accessToken: string };
    expect((await call(fixture.app, accessToken, 'GET', '/api/validate-token')).status).toBe(200);

    const redisEnv = { ...env, REDIS_URL, REDIS_PREFIX: fixture.redisPrefix };
    const { code, stdout } = await runCli(['create-admin', '--email', 'existing-admin@example.test', '--password-stdin'], { env: redisEnv, stdin: PASSWORD });
    expect(code).toBe(0);
    expect(stdout).toContain('as an active platform admin; setting its password');
    const refresh = await call(fixture.app, null, 'POST', '/api/auth/refresh', { refreshToken });
    expect(refresh.status).toBe(401);
    // The cached permissions are dropped through Redis, so the revocation reaches the access token once
    // this process hears the published message.
    await expect.poll(async () => (await call(fixture.app, accessToken, 'GET', '/api/validate-token')).body.error?.code).toBe('token_revoked');
  });
});
