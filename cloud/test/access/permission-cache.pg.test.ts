import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionCache, permissionChangedChannel, subscribePermissionChanges } from '../../src/access/permission-cache';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { createSilentLogger } from '../../src/logger';
import { createCloudFixture, REDIS_URL, Seed, type CloudFixture } from '../support/cloud-fixture';

const logger = createSilentLogger();

let fixture: CloudFixture;
let seed: Seed;
let organizationId: string;
const connections: Redis[] = [];
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  fixture = await createCloudFixture('permission_cache');
  seed = new Seed(fixture);
  organizationId = await seed.organization('Acme');
});

afterAll(async () => {
  for (const stop of stops) await stop();
  for (const connection of connections) connection.disconnect();
  await fixture?.close();
});

function connectRedis(): Redis {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  connections.push(connection);
  return connection;
}

/** Creates the cache of another service instance, with its own Redis connections, subscriber and clock. */
async function otherInstance(now: () => number = Date.now): Promise<{ cache: PermissionCache; subscriber: Redis }> {
  const cache = new PermissionCache(fixture.sql, connectRedis(), fixture.redisPrefix, logger, now);
  const subscriber = connectRedis();
  stops.push(await subscribePermissionChanges(subscriber, fixture.redisPrefix, cache, logger));
  return { cache, subscriber };
}

/** Resolves when `subscriber` receives the next permission-changed message for `userId`. */
function nextMessage(subscriber: Redis, userId: string, prefix = fixture.redisPrefix): Promise<void> {
  const channel = permissionChangedChannel(prefix, userId);
  return new Promise((resolve) => {
    const listener = (_pattern: string, received: string) => {
      if (received !== channel) return;
      subscriber.off('pmessage', listener);
      resolve();
    };
    subscriber.on('pmessage', listener);
  });
}

async function newMember(email: string): Promise<string> {
  const userId = await seed.user(email);
  await seed.membership(userId, organizationId);
  return userId;
}

async function setStatus(userId: string, status: 'active' | 'disabled'): Promise<void> {
  await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx`UPDATE users SET status = ${status} WHERE id = ${userId}`);
}

describe('PermissionCache', () => {
  it('returns null for an unknown user', async () => {
    expect(await fixture.deps.permissions.get('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('loads memberships and grants', async () => {
    const userId = await newMember('loaded@acme.test');
    const siteId = await seed.site(organizationId, 'Loaded');
    await seed.siteAccess(userId, siteId, 'operator');
    const permissions = await fixture.deps.permissions.get(userId);
    expect(permissions!.organizations).toEqual([{ id: organizationId, role: 'member' }]);
    expect(permissions!.sites).toEqual([{ id: siteId, organizationId, role: 'operator' }]);
  });

  it('serves a warm entry without Postgres', async () => {
    const userId = await newMember('warm@acme.test');
    await fixture.deps.permissions.get(userId);
    await setStatus(userId, 'disabled');
    expect((await fixture.deps.permissions.get(userId))!.status).toBe('active');
  });

  it('shares entries through Redis', async () => {
    const userId = await newMember('shared@acme.test');
    await fixture.deps.permissions.get(userId);
    await setStatus(userId, 'disabled');
    const { cache } = await otherInstance();
    expect((await cache.get(userId))!.status).toBe('active');
  });

  it('reloads an entry below the requested version', async () => {
    const userId = await newMember('versioned@acme.test');
    await fixture.deps.permissions.get(userId);
    await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx`UPDATE users SET permissions_version = 5, status = 'disabled' WHERE id = ${userId}`);
    const permissions = await fixture.deps.permissions.get(userId, 5);
    expect(permissions!.permissionsVersion).toBe(5);
    expect(permissions!.status).toBe('disabled');
  });

  it('reloads a local entry after 30 s', async () => {
    let nowMs = 1_000_000;
    const { cache } = await otherInstance(() => nowMs);
    const userId = await newMember('aging@acme.test');
    await cache.get(userId);
    await setStatus(userId, 'disabled');
    await fixture.redis.del(`${fixture.redisPrefix}permissions:${userId}`);

    nowMs += 29_000;
    expect((await cache.get(userId))!.status).toBe('active');
    nowMs += 1_000;
    expect((await cache.get(userId))!.status).toBe('disabled');
  });

  it('reloads a Redis entry of an outdated shape', async () => {
    const userId = await newMember('reshaped@acme.test');
    await fixture.redis.set(`${fixture.redisPrefix}permissions:${userId}`, JSON.stringify({ userId, roles: [] }));
    const permissions = await fixture.deps.permissions.get(userId);
    expect(permissions!.email).toBe('reshaped@acme.test');
  });
});

describe('invalidation across instances', () => {
  it('evicts the copy of a second instance', async () => {
    const { cache, subscriber } = await otherInstance();
    const userId = await newMember('evicted@acme.test');
    expect((await cache.get(userId))!.status).toBe('active');

    await setStatus(userId, 'disabled');
    const received = nextMessage(subscriber, userId);
    await fixture.deps.permissions.invalidate(userId);
    await received;

    expect((await cache.get(userId))!.status).toBe('disabled');
  });

  it('evicts on a directly published message', async () => {
    const { cache, subscriber } = await otherInstance();
    const userId = await newMember('published@acme.test');
    await cache.get(userId);

    await setStatus(userId, 'disabled');
    await fixture.redis.del(`${fixture.redisPrefix}permissions:${userId}`);
    const received = nextMessage(subscriber, userId);
    await fixture.redis.publish(`${fixture.redisPrefix}user:${userId}:permission_changed`, JSON.stringify({ userId }));
    await received;

    expect((await cache.get(userId))!.status).toBe('disabled');
  });

  it('ignores messages of another prefix', async () => {
    const { cache } = await otherInstance();
    const userId = await newMember('isolated@acme.test');
    await cache.get(userId);

    await setStatus(userId, 'disabled');
    await fixture.redis.del(`${fixture.redisPrefix}permissions:${userId}`);
    const listener = connectRedis();
    const received = new Promise<void>((resolve) => {
      listener.on('message', () => resolve());
    });
    await listener.subscribe(`other-prefix:user:${userId}:permission_changed`);
    await fixture.redis.publish(`other-prefix:user:${userId}:permission_changed`, JSON.stringify({ userId }));
    await received;

    expect((await cache.get(userId))!.status).toBe('active');
  });

  it('matches a prefix with glob characters literally', async () => {
    const globPrefix = `${fixture.redisPrefix}glob*:`;
    const cache = new PermissionCache(fixture.sql, connectRedis(), globPrefix, logger);
    const subscriber = connectRedis();
    stops.push(await subscribePermissionChanges(subscriber, globPrefix, cache, logger));
    const userId = await newMember('glob@acme.test');
    await cache.get(userId);
    await setStatus(userId, 'disabled');
    await fixture.redis.del(`${globPrefix}permissions:${userId}`);

    const watcher = connectRedis();
    const lookalike = `${fixture.redisPrefix}globX:user:${userId}:permission_changed`;
    const delivered = new Promise<void>((resolve) => {
      watcher.on('message', () => resolve());
    });
    await watcher.subscribe(lookalike);
    await fixture.redis.publish(lookalike, JSON.stringify({ userId }));
    await delivered;
    expect((await cache.get(userId))!.status).toBe('active');

    const received = nextMessage(subscriber, userId, globPrefix);
    await fixture.redis.publish(permissionChangedChannel(globPrefix, userId), JSON.stringify({ userId }));
    await received;
    expect((await cache.get(userId))!.status).toBe('disabled');
  });

  it('stops evicting after unsubscribing', async () => {
    const cache = new PermissionCache(fixture.sql, connectRedis(), fixture.redisPrefix, logger);
    const subscriber = connectRedis();
    const stop = await subscribePermissionChanges(subscriber, fixture.redisPrefix, cache, logger);
    await stop();
    const userId = await newMember('unsubscribed@acme.test');
    await cache.get(userId);

    await setStatus(userId, 'disabled');
    const watcher = connectRedis();
    const received = nextMessage(watcher, userId);
    await watcher.psubscribe(permissionChangedChannel(fixture.redisPrefix, '*'));
    await fixture.deps.permissions.invalidate(userId);
    await received;

    expect((await cache.get(userId))!.status).toBe('active');
  });
});

describe('a load that races an invalidation', () => {
  it('stores nothing that outlives the change', async () => {
    const { cache: racing, subscriber } = await otherInstance();
    const userId = await newMember('racing@acme.test');

    // Hold the memberships table so the load has read the user row (still active) and then waits.
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const locked = new Promise<void>((resolveLocked) => {
      void fixture.db.owner.begin(async (tx) => {
        await tx`LOCK TABLE memberships IN ACCESS EXCLUSIVE MODE`;
        resolveLocked();
        await released;
      });
    });
    await locked;
    const load = racing.get(userId);
    await expect
      .poll(async () => (await fixture.db.owner<{ waiting: number }[]>`
        SELECT count(*)::int AS waiting FROM pg_locks WHERE NOT granted AND relation = 'memberships'::regclass`)[0]!.waiting)
      .toBe(1);

    await setStatus(userId, 'disabled');
    const received = nextMessage(subscriber, userId);
    await fixture.deps.permissions.invalidate(userId);
    await received;
    release();

    expect((await load)!.status).toBe('active');
    expect((await racing.get(userId))!.status).toBe('disabled');
    const { cache: fresh } = await otherInstance();
    expect((await fresh.get(userId))!.status).toBe('disabled');
  });

  it('stores a completed load in Redis', async () => {
    const { cache } = await otherInstance();
    const userId = await newMember('settled@acme.test');
    await cache.get(userId);
    expect(await fixture.redis.get(`${fixture.redisPrefix}permissions:${userId}`)).not.toBeNull();
  });
});
