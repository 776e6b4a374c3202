import type { Server, ServerResponse } from 'node:http';
import { serve, type Http2Bindings, type HttpBindings } from '@hono/node-server';
import type { Redis } from 'ioredis';
import { PermissionCache, subscribePermissionChanges } from './access/permission-cache';
import { createAlarmActionDelivery } from './alarms/alarm-delivery';
import { createApp, type CloudApp } from './api/app';
import type { AppDeps } from './api/env';
import { ACCESS_TOKEN_TTL_S, CLOCK_TOLERANCE_S } from './auth/access-tokens';
import { LoginRateLimiter } from './auth/login-rate-limit';
import { loadKeySet, type KeySet } from './auth/signing-keys';
import type { ServiceConfig } from './config/config';
import { connectDatabase, type Sql } from './db/connect';
import { EdgeRequestClient } from './live/edge-request-client';
import { startLiveGateway, type LiveGateway } from './live/live-gateway';
import type { Logger } from './logger';
import type { NotificationWorkerSettings } from './notifications/notification-settings';
import { NotificationWorker } from './notifications/notification-worker';
import { connectRedis, waitForRedisReady } from './redis';
import { syncJwksKeys } from './shapes/jwks-sync';
import type { UploadSettings } from './uploads/routes';

/** How often the keys folder is read again, so a rotation needs no restart. */
const KEY_RELOAD_INTERVAL_MS = 60_000;

/**
 * How long a replaced key keeps verifying: the access-token lifetime, plus the reload interval (an
 * instance may sign with the old key that long after the new one appears), plus the clock tolerance.
 */
export const KEY_RETAIN_MS = ACCESS_TOKEN_TTL_S * 1000 + KEY_RELOAD_INTERVAL_MS + CLOCK_TOLERANCE_S * 1000;

/**
 * How long `stop` lets requests in progress finish, downloads included, before it closes their
 * connections. Closing Postgres may take 5 s more, so a process manager's stop timeout should be
 * above 15 s. `docker stop` waits 10 s by default and systemd 90 s.
 */
export const DRAIN_TIMEOUT_MS = 10_000;

/**
 * How long `stop` waits, after the drain, for request handlers whose connection was closed to return.
 * A handler keeps running after its client is gone, such as a held shape request for one more read. A
 * query it starts while the Postgres pool ends can leave a connection open that keeps the process alive.
 */
export const HANDLER_SETTLE_TIMEOUT_MS = 5_000;

/** How long startup waits for Redis to accept commands before it fails. */
export const REDIS_READY_TIMEOUT_MS = 5_000;

/** The running hub's parts; `stop` closes them in order. */
export interface CloudService {
  app: CloudApp;
  deps: AppDeps;
  live: LiveGateway;
  /** Sends alarm webhooks; started with the service. */
  notifications: NotificationWorker;
  /** Set once `listen` has been called. */
  server?: Server;
  listen(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

/** The connections the service opens at startup. */
interface Backends {
  sql: Sql;
  redis: Redis;
  subscriber: Redis;
  permissions: PermissionCache;
  unsubscribe: () => Promise<void>;
}

/**
 * Opens the Postgres pool and two Redis connections, and subscribes to permission changes. When a
 * step fails, it closes what the earlier steps opened, so a failed start leaves no connection or
 * reconnect loop behind that would keep the process alive.
 */
async function connectBackends(config: ServiceConfig, logger: Logger): Promise<Backends> {
  const opened: (() => unknown)[] = [];
  try {
    const sql = connectDatabase(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE });
    opened.push(() => sql.end({ timeout: 5 }));
    await sql`SELECT 1`.catch((error: unknown) => {
      throw new Error(`cannot connect to DATABASE_URL: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });

    const redis = connectRedis(config.REDIS_URL, logger, 'cloud');
    const subscriber = connectRedis(config.REDIS_URL, logger, 'cloud-subscriber');
    opened.push(() => {
      redis.disconnect();
      subscriber.disconnect();
    });
    await Promise.all([redis, subscriber].map((connection) => waitForRedisReady(connection, 'REDIS_URL', REDIS_READY_TIMEOUT_MS)));

    const permissions = new PermissionCache(sql, redis, config.REDIS_PREFIX, logger);
    const unsubscribe = await subscribePermissionChanges(subscriber, config.REDIS_PREFIX, permissions, logger);
    return { sql, redis, subscriber, permissions, unsubscribe };
  } catch (error) {
    for (const close of opened.reverse()) {
      await Promise.resolve()
        .then(close)
        .catch((closeError: unknown) => logger.warn({ err: closeError }, 'closing a connection failed while cleaning up after the failed startup'));
    }
    throw error;
  }
}

/** Connects to Postgres and Redis, loads the signing keys and builds the app; `listen` starts HTTP. */
export async function createCloudService(config: ServiceConfig, logger: Logger): Promise<CloudService> {
  let keySet: KeySet = await loadKeySet(config.JWT_KEYS_DIR, KEY_RETAIN_MS);
  logger.info({ kid: keySet.current.kid, verifying: keySet.verifying.length }, 'signing keys loaded');
  const { sql, redis, subscriber, permissions, unsubscribe } = await connectBackends(config, logger);
  const publishJwks = (keys: KeySet) =>
    syncJwksKeys(sql, keys).catch((error: unknown) => logger.error({ err: error }, 'writing the public keys to jwks_keys failed; edges keep the previous ones until the next reload'));
  await publishJwks(keySet);

  const reloadTimer = setInterval(() => {
    loadKeySet(config.JWT_KEYS_DIR, KEY_RETAIN_MS)
      .then((next) => {
        if (next.current.kid !== keySet.current.kid) logger.info({ kid: next.current.kid }, 'signing key rotated');
        keySet = next;
        return publishJwks(next);
      })
      .catch((error: unknown) => logger.error({ err: error }, 'reloading the signing keys failed; keeping the loaded ones'));
  }, KEY_RELOAD_INTERVAL_MS);
  reloadTimer.unref();

  const deps: AppDeps & UploadSettings = {
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
    ingestConcurrency: config.INGEST_CONCURRENCY,
    clockSkewThresholdMs: config.CLOCK_SKEW_THRESHOLD_MS,
    ...(config.ELECTRIC_URL === undefined ? {} : { electric: { url: config.ELECTRIC_URL, secret: config.ELECTRIC_SECRET } }),
  };
  const edgeRequests = new EdgeRequestClient({ redis, subscriber, prefix: config.REDIS_PREFIX, logger: logger.child({ component: 'edge-requests' }) });
  const alarmDelivery = createAlarmActionDelivery({ redis, prefix: config.REDIS_PREFIX, logger: logger.child({ component: 'alarm-delivery' }) });
  const notificationSettings: NotificationWorkerSettings = {
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    backoffBaseMs: config.WEBHOOK_BACKOFF_BASE_MS,
    maxBackoffMs: config.WEBHOOK_MAX_BACKOFF_MS,
    pollIntervalMs: config.NOTIFICATION_POLL_INTERVAL_MS,
  };
  // Set when `stop` begins, so /readyz fails on connections that are still open during the drain.
  let draining = false;
  const app = createApp({
    ...deps,
    isDraining: () => draining,
    edgeRequests,
    alarmDelivery,
    webhooks: notificationSettings,
    ...(config.RELEASES_DIR === undefined ? {} : { releasesDir: config.RELEASES_DIR }),
  });
  const http = trackResponses(app);
  const live = await startLiveGateway(deps, subscriber, {
    highWaterBytes: config.LIVE_HIGH_WATER_BYTES,
    slowClientTimeoutMs: config.LIVE_SLOW_CLIENT_TIMEOUT_MS,
  });
  const notifications = new NotificationWorker({ sql, logger: logger.child({ component: 'notifications' }), settings: notificationSettings });
  notifications.start();

  const service: CloudService = {
    app,
    deps,
    live,
    notifications,
    listen: () =>
      new Promise((resolve, reject) => {
        // serve() creates a plain node:http server unless it is given another createServer.
        const server = serve({ fetch: http.fetch, hostname: config.HOST, port: config.PORT }, (info) => {
          logger.info({ host: config.HOST, port: info.port }, 'cloud hub listening');
          resolve({ port: info.port });
        }) as Server;
        server.once('error', reject);
        server.on('upgrade', live.handleUpgrade);
        service.server = server;
      }),
    stop: async () => {
      draining = true;
      clearInterval(reloadTimer);
      // Runs beside the drain: a round in progress may wait up to WEBHOOK_TIMEOUT_MS for a receiver.
      const notificationsStopped = notifications.stop();
      await live.close().catch((error: unknown) => logger.warn({ err: error }, 'closing the live relay failed'));
      if (service.server) await http.drain(service.server, logger);
      await http.settleHandlers(logger);
      edgeRequests.close();
      await unsubscribe().catch((error: unknown) => logger.warn({ err: error }, 'unsubscribing from permission changes failed'));
      subscriber.disconnect();
      redis.disconnect();
      await notificationsStopped;
      await sql.end({ timeout: 5 });
      logger.info('cloud hub stopped');
    },
  };
  return service;
}

/**
 * Wraps the app's fetch to track the responses and handlers in progress. Returns `drain`, which stops
 * the server without cutting the responses off, and `settleHandlers`, which waits for the handlers.
 * During the drain the server stops accepting, idle keep-alive connections close at once, and every
 * response whose headers are still to be sent gets `Connection: close`, so busy keep-alive clients go
 * away after their current request. A connection whose response had sent its
 * headers already becomes idle when that response ends, and Node closes it after keepAliveTimeout
 * (5 s by default). Connections still open after DRAIN_TIMEOUT_MS are closed, which cancels the
 * streams writing to them, audit exports included.
 */
function trackResponses(app: CloudApp) {
  const inProgress = new Set<ServerResponse>();
  /** Handlers that have not returned yet, which may outlive their connection. */
  const handlers = new Set<Promise<unknown>>();
  let draining = false;

  const fetch = (request: Request, env: HttpBindings | Http2Bindings) => {
    const response = env.outgoing as ServerResponse;
    if (draining) response.setHeader('Connection', 'close');
    inProgress.add(response);
    response.once('close', () => inProgress.delete(response));
    const handled = Promise.resolve(app.fetch(request, env));
    const tracked = handled.then(
      () => undefined,
      () => undefined,
    );
    handlers.add(tracked);
    void tracked.finally(() => handlers.delete(tracked));
    return handled;
  };

  /** Resolves once every handler returned, or after HANDLER_SETTLE_TIMEOUT_MS with a warning. */
  const settleHandlers = async (logger: Logger): Promise<void> => {
    if (handlers.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), HANDLER_SETTLE_TIMEOUT_MS);
    });
    const outcome = await Promise.race([Promise.all(handlers), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') logger.warn({ handlers: handlers.size, settleTimeoutMs: HANDLER_SETTLE_TIMEOUT_MS }, 'request handlers still running after the drain; closing Postgres and Redis under them');
  };

  const drain = async (server: Server, logger: Logger): Promise<void> => {
    draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    for (const response of inProgress) {
      if (!response.headersSent) response.setHeader('Connection', 'close');
    }
    const deadline = setTimeout(() => {
      logger.warn({ responses: inProgress.size, drainTimeoutMs: DRAIN_TIMEOUT_MS }, 'requests still running at the drain deadline; closing their connections');
      server.closeAllConnections();
    }, DRAIN_TIMEOUT_MS);
    await closed;
    clearTimeout(deadline);
  };

  return { fetch, drain, settleHandlers };
}
