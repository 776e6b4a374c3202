import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { SiteRole } from '@simtestlab/sync';
import { PermissionCache, subscribePermissionChanges } from '../../src/access/permission-cache';
import { createApp, type CloudApp } from '../../src/api/app';
import type { AppDeps } from '../../src/api/env';
import { LoginRateLimiter, type LoginRateLimits } from '../../src/auth/login-rate-limit';
import { hashPassword } from '../../src/auth/passwords';
import { createSigningKey, loadKeySet, type KeySet } from '../../src/auth/signing-keys';
import { connectDatabase, type Sql } from '../../src/db/connect';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { createSilentLogger } from '../../src/logger';
import { KEY_RETAIN_MS } from '../../src/service';
import { createTestDatabase, type TestDatabase } from './test-database';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The password every seeded user gets. */
export const TEST_PASSWORD = 'correct horse battery staple';

/** One hash shared by all seeded users, because argon2id takes tens of milliseconds per hash. */
let sharedHash: Promise<string> | undefined;

export interface CloudFixture {
  db: TestDatabase;
  /** The runtime role's pool, as the service uses. */
  sql: Sql;
  redis: Redis;
  subscriber: Redis;
  redisPrefix: string;
  keysDir: string;
  deps: AppDeps;
  app: CloudApp;
  /** Replaces the key set the app signs and verifies with, as a rotation does. */
  setKeys(keys: KeySet): void;
  close(): Promise<void>;
}

export interface FixtureOptions {
  rateLimits?: LoginRateLimits;
  corsOrigins?: string[];
  apiDocsAccess?: 'developers' | 'public';
}

/** Creates a private database and Redis prefix, a signing key and the app; `close` removes them all. */
export async function createCloudFixture(label: string, options: FixtureOptions = {}): Promise<CloudFixture> {
  const db = await createTestDatabase(label);
  const sql = connectDatabase(db.runtimeUrl, { max: 8 });
  const redisPrefix = `test:${label}:${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const subscriber = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis is not reachable at ${REDIS_URL}; start it or set TEST_REDIS_URL`, { cause: error });
  }
  const logger = createSilentLogger();
  const keysDir = mkdtempSync(join(tmpdir(), 'cloud-keys-'));
  await createSigningKey(keysDir);
  let keySet = await loadKeySet(keysDir, KEY_RETAIN_MS);
  const permissions = new PermissionCache(sql, redis, redisPrefix, logger);
  const unsubscribe = await subscribePermissionChanges(subscriber, redisPrefix, permissions, logger);
  const deps: AppDeps = {
    sql,
    redis,
    redisPrefix,
    keys: () => keySet,
    tokens: { issuer: 'test-issuer', audience: 'test-audience' },
    permissions,
    loginRateLimiter: new LoginRateLimiter(redis, redisPrefix, options.rateLimits),
    logger,
    publicUrl: 'https://ems.test',
    corsOrigins: options.corsOrigins ?? ['https://ems.test'],
    trustProxy: true,
    cookieSecure: true,
    apiDocsAccess: options.apiDocsAccess ?? 'developers',
  };
  return {
    db,
    sql,
    redis,
    subscriber,
    redisPrefix,
    keysDir,
    deps,
    app: createApp(deps),
    setKeys: (keys) => {
      keySet = keys;
    },
    close: async () => {
      await unsubscribe();
      const keys = await redis.keys(`${redisPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      subscriber.disconnect();
      redis.disconnect();
      await sql.end({ timeout: 5 });
      rmSync(keysDir, { recursive: true, force: true });
      await db.drop();
    },
  };
}

/** Seeds rows directly as the owner role, in the all-organizations scope. */
export class Seed {
  constructor(private readonly fixture: CloudFixture) {}

  private run<T>(work: Parameters<typeof inTenantScope<T>>[2]): Promise<T> {
    return inTenantScope(this.fixture.db.owner, allOrganizations, work);
  }

  async organization(name = 'Org'): Promise<string> {
    return this.run(async (tx) => (await tx<{ id: string }[]>`INSERT INTO organizations (name) VALUES (${name}) RETURNING id`)[0]!.id);
  }

  async user(email: string, flags: { platformAdmin?: boolean; developer?: boolean; status?: 'active' | 'disabled'; name?: string } = {}): Promise<string> {
    sharedHash ??= hashPassword(TEST_PASSWORD);
    const hash = await sharedHash;
    return this.run(
      async (tx) =>
        (
          await tx<{ id: string }[]>`
            INSERT INTO users (email, name, password_hash, platform_admin, developer, status)
            VALUES (${email}, ${flags.name ?? email.split('@')[0]!}, ${hash}, ${flags.platformAdmin ?? false}, ${flags.developer ?? false}, ${flags.status ?? 'active'})
            RETURNING id`
        )[0]!.id,
    );
  }

  async membership(userId: string, organizationId: string, role: 'org_admin' | 'member' = 'member'): Promise<void> {
    await this.run((tx) => tx`INSERT INTO memberships (user_id, organization_id, role) VALUES (${userId}, ${organizationId}, ${role})`);
  }

  async site(organizationId: string, name = 'Site', options: { operatorControl?: boolean } = {}): Promise<string> {
    return this.run(
      async (tx) =>
        (
          await tx<{ id: string }[]>`
            INSERT INTO sites (organization_id, name, time_zone, operator_control)
            VALUES (${organizationId}, ${name}, 'Europe/Paris', ${options.operatorControl ?? false}) RETURNING id`
        )[0]!.id,
    );
  }

  async siteAccess(userId: string, siteId: string, role: SiteRole): Promise<void> {
    await this.run(
      (tx) => tx`
        INSERT INTO site_access (user_id, site_id, organization_id, role)
        SELECT ${userId}, id, organization_id, ${role} FROM sites WHERE id = ${siteId}`,
    );
  }
}

/** Logs in over HTTP and returns the access token. */
export async function login(app: CloudApp, email: string, password = TEST_PASSWORD): Promise<string> {
  const response = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `10.${Math.floor(Math.random() * 250)}.0.1` },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login of ${email} failed with ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { accessToken: string };
  return body.accessToken;
}

/** Sends a JSON request with a bearer token and returns the status and parsed body. */
export async function call(app: CloudApp, token: string | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await app.request(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON (an HTML page or a CSV export): the text itself is the body.
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
