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

/**
 * Resolves once `redis` is ready for commands. Rejects after `timeoutMs` with the last connection
 * error, in a message that names the `variable` the URL came from, so a wrong or unreachable URL
 * stops startup instead of leaving commands queued.
 */
export function waitForRedisReady(redis: Redis, variable: string, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    let lastError: Error | undefined;
    const onError = (error: Error) => {
      lastError = error;
    };
    const cleanUp = () => {
      clearTimeout(timer);
      redis.off('error', onError);
      redis.off('ready', onReady);
    };
    const onReady = () => {
      cleanUp();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanUp();
      // An AggregateError from a dual-stack connect has an empty message but a code such as ECONNREFUSED.
      const reason = lastError === undefined ? 'no reply' : lastError.message || ((lastError as NodeJS.ErrnoException).code ?? lastError.name);
      reject(new Error(`cannot connect to ${variable} within ${timeoutMs / 1000} s: ${reason}`, { cause: lastError }));
    }, timeoutMs);
    redis.on('error', onError);
    redis.once('ready', onReady);
  });
}
