import type { Redis } from 'ioredis';
import type { Sql } from '../db/connect';
import type { Logger } from '../logger';
import { loadUserPermissions, userPermissionsSchema, type UserPermissions } from './user-permissions';

/** How long Redis keeps a user's permissions when nothing changes them. */
const REDIS_TTL_S = 5 * 60;

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
 * Stores a user's permissions in Redis only if no invalidation happened since the load began, that is
 * while the generation key still contains the value read before Postgres was queried.
 * KEYS: entry, generation. ARGV: JSON, generation read before the load ('' for none), TTL in seconds.
 */
const STORE_IF_CURRENT = `
local generation = redis.call('GET', KEYS[2])
if generation == false then generation = '' end
if generation ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1`;

/**
 * Caches each user's permissions in this process and in Redis. Lookups on a warm entry touch neither
 * Redis nor Postgres; an entry older than the permissions version a token carries is reloaded.
 *
 * A load that read Postgres before a change committed must not store its result after the change's
 * invalidation, or the old permissions (an account that was just disabled, say) would live on until the
 * entry expires. Invalidations therefore raise a per-user generation in Redis and a counter in each
 * process, and a load stores its result only where neither moved while it ran.
 */
export class PermissionCache {
  private readonly local = new Map<string, { permissions: UserPermissions; loadedAtMs: number }>();
  /** Local evictions so far, of any user. */
  private evictions = 0;
  private readonly changeListeners = new Set<(userId: string) => void>();

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

  private generationKey(userId: string): string {
    return `${this.prefix}permissions-generation:${userId}`;
  }

  /** Returns the permissions of `userId`, at least at `minimumVersion`, or null for an unknown user. */
  async get(userId: string, minimumVersion = 0): Promise<UserPermissions | null> {
    const cached = this.local.get(userId);
    if (cached && this.now() - cached.loadedAtMs < LOCAL_TTL_MS && cached.permissions.permissionsVersion >= minimumVersion) {
      return cached.permissions;
    }

    const evictionsBefore = this.evictions;
    const shared = await this.readShared(userId);
    if (shared && shared.permissionsVersion >= minimumVersion) {
      this.storeLocal(userId, shared, evictionsBefore);
      return shared;
    }

    const generation = (await this.redis.get(this.generationKey(userId))) ?? '';
    const loaded = await loadUserPermissions(this.sql, userId);
    if (!loaded) return null;
    const stored = await this.redis.eval(STORE_IF_CURRENT, 2, this.key(userId), this.generationKey(userId), JSON.stringify(loaded), generation, REDIS_TTL_S);
    // A load overtaken by an invalidation is still returned for this request, which began before the change
    // was announced, but is cached nowhere.
    if (stored === 1) this.storeLocal(userId, loaded, evictionsBefore);
    return loaded;
  }

  private storeLocal(userId: string, permissions: UserPermissions, evictionsBefore: number): void {
    if (this.evictions !== evictionsBefore) return;
    this.local.set(userId, { permissions, loadedAtMs: this.now() });
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
    this.evictions += 1;
    this.local.delete(userId);
  }

  /**
   * Registers `listener` for every permission change announced on the permission-changed channel, after
   * the local copy is evicted, so the listener's next `get` reads the new permissions. Returns its removal.
   */
  onChange(listener: (userId: string) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Evicts the local copy of `userId` and calls the change listeners, as the permission-changed subscriber does. */
  applyAnnouncedChange(userId: string): void {
    this.evictLocal(userId);
    for (const listener of this.changeListeners) {
      try {
        listener(userId);
      } catch (error) {
        this.logger.error({ err: error, userId }, 'a permission change listener failed; the other listeners still ran');
      }
    }
  }

  /** Drops both copies and announces the change to every instance. Call after the change commits. */
  async invalidate(userId: string): Promise<void> {
    this.evictLocal(userId);
    const generationKey = this.generationKey(userId);
    const results = await this.redis.multi().incr(generationKey).expire(generationKey, REDIS_TTL_S).del(this.key(userId)).exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (!results || failed) throw new Error(`invalidating the cached permissions of user ${userId} failed in Redis`, { cause: failed });
    await this.redis.publish(permissionChangedChannel(this.prefix, userId), JSON.stringify({ userId }));
  }
}

/** Subscribes to every user's permission-changed channel, evicts the local copies and calls the change listeners. Returns a stop function. */
export async function subscribePermissionChanges(subscriber: Redis, prefix: string, cache: PermissionCache, logger: Logger): Promise<() => Promise<void>> {
  // The prefix is matched literally, so a prefix with glob characters cannot catch another prefix's channels.
  const pattern = permissionChangedChannel(prefix.replace(/[*?[\]\\]/g, '\\$&'), '*');
  const onMessage = (matched: string, channel: string) => {
    // The subscriber connection may carry other subscriptions.
    if (matched !== pattern) return;
    const userId = channel.slice(`${prefix}user:`.length, -':permission_changed'.length);
    cache.applyAnnouncedChange(userId);
    logger.debug({ userId }, 'permissions changed; local copy evicted');
  };
  subscriber.on('pmessage', onMessage);
  await subscriber.psubscribe(pattern);
  return async () => {
    subscriber.off('pmessage', onMessage);
    await subscriber.punsubscribe(pattern);
  };
}
