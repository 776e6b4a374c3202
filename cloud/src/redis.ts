import { Redis } from 'ioredis';
import type { Logger } from './logger';

/**
 * Opens a Redis connection. Commands queue while it reconnects; errors are logged once per
 * disconnection instead of on every retry.
 */
export function connectRedis(url: string, logger: Logger, name: string): Redis {
  const redis = new Redis(url, { connectionName: name, maxRetriesPerRequest: 3, lazyConnect: false });
  let reported = false;
  redis.on('error', (error) => {
    if (reported) return;
    reported = true;
    logger.error({ err: error, connection: name }, 'Redis connection failed; retrying');
  });
  redis.on('ready', () => {
    if (reported) logger.info({ connection: name }, 'Redis connection restored');
    reported = false;
  });
  return redis;
}
