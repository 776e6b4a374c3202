import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/logger';
import { siteWatchersKey } from '../../src/live/redis-keys';
import { WatcherRegistry } from '../../src/live/watcher-registry';
import { REDIS_URL } from '../support/cloud-fixture';
import { until } from './live-support';

const prefix = `test:watchers:${randomBytes(4).toString('hex')}:`;
const opened: { registry: WatcherRegistry; redis: Redis; subscriber: Redis }[] = [];

/** Starts one instance's registry on its own two connections, with short lifetimes. */
async function startInstance(name: string) {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const subscriber = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const registry = new WatcherRegistry(redis, subscriber, prefix, name, createSilentLogger(), { entryTtlMs: 400, heartbeatMs: 100 });
  await registry.start();
  opened.push({ registry, redis, subscriber });
  return { registry, redis, subscriber };
}

afterEach(async () => {
  for (const { registry, redis, subscriber } of opened.splice(0)) {
    if (redis.status === 'ready') await registry.stop();
    redis.disconnect();
    subscriber.disconnect();
  }
});

describe('WatcherRegistry', () => {
  it('announces watch and unwatch', async () => {
    const a = await startInstance('instance-a');
    const b = await startInstance('instance-b');
    const heard: string[] = [];
    b.registry.onChange((siteId) => heard.push(siteId));

    await a.registry.watch('site-1');
    await until(() => heard.length === 1);
    expect(await b.registry.isWatched('site-1')).toBe(true);
    expect(await b.registry.isWatched('site-2')).toBe(false);

    await a.registry.unwatch('site-1');
    await until(() => heard.length === 2);
    expect(heard).toEqual(['site-1', 'site-1']);
    expect(await b.registry.isWatched('site-1')).toBe(false);
  });

  it('counts every instance', async () => {
    const a = await startInstance('instance-a');
    const b = await startInstance('instance-b');

    await a.registry.watch('site-1');
    await b.registry.watch('site-1');
    await a.registry.unwatch('site-1');

    expect(await a.registry.isWatched('site-1')).toBe(true);
    expect(await a.redis.zrange(siteWatchersKey(prefix, 'site-1'), 0, -1)).toEqual(['instance-b']);
  });

  it('keeps live entries past the TTL', async () => {
    const a = await startInstance('instance-a');
    await a.registry.watch('site-1');

    await new Promise((resolve) => setTimeout(resolve, 1_000));

    expect(await a.registry.isWatched('site-1')).toBe(true);
  });

  it('expires a dead instance', async () => {
    const a = await startInstance('instance-a');
    const b = await startInstance('instance-b');
    await a.registry.watch('site-1');
    expect(await b.registry.isWatched('site-1')).toBe(true);

    // The instance's connection is gone, so its heartbeats fail as they would after a crash.
    a.redis.disconnect();

    await until(async () => !(await b.registry.isWatched('site-1')));
  });
});
