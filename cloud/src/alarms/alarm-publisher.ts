import type { Redis } from 'ioredis';
import { alertsChannel, type AlarmEnvelope } from '../live/redis-keys';
import type { Logger } from '../logger';

/** Publishes committed alarm changes on their sites' alerts channels. */
export type AlarmChangePublisher = (changes: readonly AlarmEnvelope[]) => Promise<void>;

/**
 * Creates the publisher of alarm changes, in the order given. A failed publish is logged and not
 * raised: the change is committed already, and a browser that missed it gets the alarm's state when it
 * reads the alarms again.
 */
export function createAlarmChangePublisher(redis: Redis, prefix: string, logger: Logger): AlarmChangePublisher {
  return async (changes) => {
    if (changes.length === 0) return;
    const pipeline = redis.pipeline();
    for (const envelope of changes) pipeline.publish(alertsChannel(prefix, envelope.siteId), JSON.stringify(envelope));
    try {
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error !== null);
      if (failed) throw failed[0];
    } catch (error) {
      const siteIds = [...new Set(changes.map((envelope) => envelope.siteId))];
      logger.error({ err: error, siteIds, changes: changes.length }, 'publishing alarm changes on Redis failed; live browsers miss them until they reload the alarms');
    }
  };
}
