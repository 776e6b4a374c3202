import type { Redis } from 'ioredis';
import type { Sql } from '../db/connect';
import type { Logger } from '../logger';
import { loadUserPermissions, userPermissionsSchema, type UserPermissions } from './user-permissions';

/** How long Redis keeps a user's permissions when nothing changes them. */
const REDIS_TTL_S = 10 * 60;

/**
 * How long this process trusts its own copy. Changes evict it at once through the permission-changed
 * channel; the limit only bounds the damage of a missed message while Redis was unreachable.
 */
const LOCAL_TTL_MS = 30_000;

/** Channel published after a transaction changes a user's memberships, site access, status or flags. */
export function permissionChangedChannel(prefix: string, userId: string): string {
  return `${prefix}user:${userId}:permission_changed`;
}

/**
 * Caches each user's permissions in this process and in Redis. Lookups on a warm entry touch neither
 * Redis nor Postgres; an entry older than the permissions version a token carries is reloaded.
 */
export class PermissionCache {
  private readonly local = new Map<string, { permissions: UserPermissions; loadedAtMs: number }>();

  constructor(
    private readonly sql: Sql,
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  private key(userId: string): string {
    return `${this.prefix}permissions:${userId}`;
  }

  /** Returns the permissions of `userId`, at least at `minimumVersion`, or null for an unknown user. */
  async get(userId: string, minimumVersion = 0): Promise<UserPermissions | null> {
    const cached = this.local.get(userId);
    if (cached && this.now() - cached.loadedAtMs < LOCAL_TTL_MS && cached.permissions.permissionsVersion >= minimumVersion) {
      return cached.permissions;
    }

    const shared = await this.readShared(userId);
    if (shared && shared.permissionsVersion >= minimumVersion) {
      this.local.set(userId, { permissions: shared, loadedAtMs: this.now() });
      return shared;
    }

    const loaded = await loadUserPermissions(this.sql, userId);
    if (!loaded) return null;
    this.local.set(userId, { permissions: loaded, loadedAtMs: this.now() });
    await this.redis.set(this.key(userId), JSON.stringify(loaded), 'EX', REDIS_TTL_S);
    return loaded;
  }

  private async readShared(userId: string): Promise<UserPermissions | null> {
    const raw = await this.redis.get(this.key(userId));
    if (raw === null) return null;
    const parsed = userPermissionsSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
    this.logger.warn({ userId, issues: parsed.error.issues.length }, 'cached permissions have an outdated shape; reloading from Postgres');
    return null;
  }

  /** Drops this process's copy, as the permission-changed subscriber does. */
  evictLocal(userId: string): void {
    this.local.delete(userId);
  }

  /** Drops both copies and announces the change to every instance. Call after the change commits. */
  async invalidate(userId: string): Promise<void> {
    this.local.delete(userId);
    await this.redis.del(this.key(userId));
    await this.redis.publish(permissionChangedChannel(this.prefix, userId), JSON.stringify({ userId }));
  }
}

/** Subscribes to every user's permission-changed channel and evicts the local copies. Returns a stop function. */
export async function subscribePermissionChanges(subscriber: Redis, prefix: string, cache: PermissionCache, logger: Logger): Promise<() => Promise<void>> {
  const pattern = permissionChangedChannel(prefix, '*');
  const onMessage = (_pattern: string, channel: string) => {
    const userId = channel.slice(`${prefix}user:`.length, -':permission_changed'.length);
    cache.evictLocal(userId);
    logger.debug({ userId }, 'permissions changed; local copy evicted');
  };
  subscriber.on('pmessage', onMessage);
  await subscriber.psubscribe(pattern);
  return async () => {
    subscriber.off('pmessage', onMessage);
    await subscriber.punsubscribe(pattern);
  };
}
