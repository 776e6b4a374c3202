import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { siteWatchersKey, watchersChangedChannel } from './redis-keys';

export interface WatcherRegistryOptions {
  /** How long an instance's entry lives without a heartbeat, so the entries of a dead instance expire. */
  entryTtlMs?: number;
  /** How often the entries of this instance are refreshed; well below `entryTtlMs`. */
  heartbeatMs?: number;
}

/**
 * Adds or refreshes one instance in a site's watcher set, scored by its expiry, and lets the whole key
 * expire with its newest entry. KEYS: watcher set. ARGV: instance id, expiry (epoch ms), TTL (ms).
 */
const ADD_WATCHER = `
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/** Drops expired entries and counts the rest. KEYS: watcher set. ARGV: now (epoch ms). */
const COUNT_WATCHERS = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
return redis.call('ZCARD', KEYS[1])`;

/**
 * Records in Redis which hub instances have a browser watching each site, so the instance with a site's
 * uplink can tell the edge whether to send. Each site has a sorted set of instance ids scored by the
 * time their entry expires. An instance refreshes its entries on every heartbeat, so the entries of an
 * instance that died expire after `entryTtlMs`. Every change is announced on one channel with the
 * site id, and `onChange` listeners of every instance hear it.
 *
 * NOTE: expiry scores come from each instance's own clock, so clock skew between instances lengthens
 * or shortens a dead instance's entries by that skew.
 */
export class WatcherRegistry {
  private readonly watched = new Set<string>();
  private readonly listeners = new Set<(siteId: string) => void>();
  private readonly entryTtlMs: number;
  private readonly heartbeatMs: number;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly onMessage = (channel: string, siteId: string) => {
    if (channel !== watchersChangedChannel(this.prefix)) return;
    for (const listener of this.listeners) listener(siteId);
  };
  private readonly onReady = () => {
    // A restarted Redis has lost the entries: put them back at once instead of at the next heartbeat.
    void this.refreshAll(true);
  };

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
    readonly instanceId: string,
    private readonly logger: Logger,
    options: WatcherRegistryOptions = {},
  ) {
    this.entryTtlMs = options.entryTtlMs ?? 30_000;
    this.heartbeatMs = options.heartbeatMs ?? 10_000;
  }

  /** Subscribes to change announcements and starts the heartbeat. */
  async start(): Promise<void> {
    this.subscriber.on('message', this.onMessage);
    this.redis.on('ready', this.onReady);
    await this.subscriber.subscribe(watchersChangedChannel(this.prefix));
    this.heartbeat = setInterval(() => void this.refreshAll(false), this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Stops the heartbeat and removes this instance from every site it watched. */
  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    this.subscriber.off('message', this.onMessage);
    this.redis.off('ready', this.onReady);
    await this.subscriber.unsubscribe(watchersChangedChannel(this.prefix)).catch((error: unknown) => this.logger.warn({ err: error }, 'unsubscribing from watcher changes failed'));
    await Promise.all([...this.watched].map((siteId) => this.unwatch(siteId)));
  }

  /** Registers `listener` for the id of every site whose watcher set changed on any instance; returns its removal. */
  onChange(listener: (siteId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Records that a browser on this instance watches `siteId` and announces it. */
  async watch(siteId: string): Promise<void> {
    this.watched.add(siteId);
    await this.add(siteId);
    await this.redis.publish(watchersChangedChannel(this.prefix), siteId);
  }

  /** Records that no browser on this instance watches `siteId` any more and announces it. */
  async unwatch(siteId: string): Promise<void> {
    this.watched.delete(siteId);
    await this.redis.zrem(siteWatchersKey(this.prefix, siteId), this.instanceId);
    await this.redis.publish(watchersChangedChannel(this.prefix), siteId);
  }

  /** Checks whether a browser on any live instance watches `siteId`. */
  async isWatched(siteId: string): Promise<boolean> {
    const count = await this.redis.eval(COUNT_WATCHERS, 1, siteWatchersKey(this.prefix, siteId), Date.now());
    return Number(count) > 0;
  }

  private add(siteId: string): Promise<unknown> {
    return this.redis.eval(ADD_WATCHER, 1, siteWatchersKey(this.prefix, siteId), this.instanceId, Date.now() + this.entryTtlMs, this.entryTtlMs);
  }

  private async refreshAll(announce: boolean): Promise<void> {
    for (const siteId of this.watched) {
      try {
        await this.add(siteId);
        if (announce) await this.redis.publish(watchersChangedChannel(this.prefix), siteId);
      } catch (error) {
        this.logger.warn({ err: error, siteId, instanceId: this.instanceId }, 'refreshing a site watcher entry in Redis failed; retrying at the next heartbeat');
      }
    }
  }
}
