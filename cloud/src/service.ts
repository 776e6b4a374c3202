import { serve, type ServerType } from '@hono/node-server';
import type { Redis } from 'ioredis';
import { PermissionCache, subscribePermissionChanges } from './access/permission-cache';
import { createApp, type CloudApp } from './api/app';
import type { AppDeps } from './api/env';
import { ACCESS_TOKEN_TTL_S, CLOCK_TOLERANCE_S } from './auth/access-tokens';
import { LoginRateLimiter } from './auth/login-rate-limit';
import { loadKeySet, type KeySet } from './auth/signing-keys';
import type { ServiceConfig } from './config/config';
import { connectDatabase, type Sql } from './db/connect';
import type { Logger } from './logger';
import { connectRedis } from './redis';

/** How often the keys folder is read again, so a rotation needs no restart. */
const KEY_RELOAD_INTERVAL_MS = 60_000;

/**
 * How long a replaced key keeps verifying: the access-token lifetime, plus the reload interval (an
 * instance may sign with the old key that long after the new one appears), plus the clock tolerance.
 */
export const KEY_RETAIN_MS = ACCESS_TOKEN_TTL_S * 1000 + KEY_RELOAD_INTERVAL_MS + CLOCK_TOLERANCE_S * 1000;

/** The running hub's parts; `stop` closes them in order. */
export interface CloudService {
  app: CloudApp;
  deps: AppDeps;
  /** Set once `listen` has bound the HTTP port. */
  server?: ServerType;
  listen(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

/** Connects to Postgres and Redis, loads the signing keys and builds the app; `listen` starts HTTP. */
export async function createCloudService(config: ServiceConfig, logger: Logger): Promise<CloudService> {
  let keySet: KeySet = await loadKeySet(config.JWT_KEYS_DIR, KEY_RETAIN_MS);
  logger.info({ kid: keySet.current.kid, verifying: keySet.verifying.length }, 'signing keys loaded');

  const sql: Sql = connectDatabase(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE });
  await sql`SELECT 1`.catch((error: unknown) => {
    throw new Error(`cannot connect to DATABASE_URL: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  });
  const redis: Redis = connectRedis(config.REDIS_URL, logger, 'cloud');
  const subscriber: Redis = connectRedis(config.REDIS_URL, logger, 'cloud-subscriber');
  const permissions = new PermissionCache(sql, redis, config.REDIS_PREFIX, logger);
  const unsubscribe = await subscribePermissionChanges(subscriber, config.REDIS_PREFIX, permissions, logger);

  const reloadTimer = setInterval(() => {
    loadKeySet(config.JWT_KEYS_DIR, KEY_RETAIN_MS)
      .then((next) => {
        if (next.current.kid !== keySet.current.kid) logger.info({ kid: next.current.kid }, 'signing key rotated');
        keySet = next;
      })
      .catch((error: unknown) => logger.error({ err: error }, 'reloading the signing keys failed; keeping the loaded ones'));
  }, KEY_RELOAD_INTERVAL_MS);
  reloadTimer.unref();

  const deps: AppDeps = {
    sql,
    redis,
    redisPrefix: config.REDIS_PREFIX,
    keys: () => keySet,
    tokens: { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
    permissions,
    loginRateLimiter: new LoginRateLimiter(redis, config.REDIS_PREFIX),
    logger,
    publicUrl: config.PUBLIC_URL,
    corsOrigins: config.CORS_ORIGINS,
    trustProxy: config.TRUST_PROXY,
    cookieSecure: config.COOKIE_SECURE,
    apiDocsAccess: config.API_DOCS_ACCESS,
  };
  const app = createApp(deps);

  const service: CloudService = {
    app,
    deps,
    listen: () =>
      new Promise((resolve, reject) => {
        const server = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT }, (info) => {
          logger.info({ host: config.HOST, port: info.port }, 'cloud hub listening');
          resolve({ port: info.port });
        });
        server.once('error', reject);
        service.server = server;
      }),
    stop: async () => {
      clearInterval(reloadTimer);
      if (service.server) await new Promise<void>((resolve) => service.server!.close(() => resolve()));
      await unsubscribe().catch((error: unknown) => logger.warn({ err: error }, 'unsubscribing from permission changes failed'));
      subscriber.disconnect();
      redis.disconnect();
      await sql.end({ timeout: 5 });
      logger.info('cloud hub stopped');
    },
  };
  return service;
}
