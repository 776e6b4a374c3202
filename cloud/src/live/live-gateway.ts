import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { UPLINK_PATH } from '@simtestlab/sync';
import type { Redis } from 'ioredis';
import type { AppDeps } from '../api/env';
import { createBrowserGateway } from './browser-gateway';
import { SiteFeed } from './site-feed';
import { rejectUpgrade } from './upgrade';
import { createUplinkGateway } from './uplink-gateway';
import { WatcherRegistry } from './watcher-registry';

/** Path of the browsers' live stream on the hub. */
export const BROWSER_PATH = '/ws';

/** How often open sockets are pinged; a socket without a pong by the next ping is terminated. */
const KEEP_ALIVE_MS = 30_000;
/** How often a lagging browser socket is checked again. */
const SLOW_RETRY_MS = 50;
/** How long a peer has to return the hub's close frame at shutdown before its socket is terminated. */
export const CLOSE_GRACE_MS = 2_000;

export interface LiveGatewaySettings {
  /** Bytes queued in a browser socket above which live samples are only coalesced. */
  highWaterBytes: number;
  /** How long a browser socket may stay above the high-water mark before it is closed. */
  slowClientTimeoutMs: number;
}

/** The hub's live relay: edge uplinks in, browser streams out, with Redis between the instances. */
export interface LiveGateway {
  instanceId: string;
  /** Routes an HTTP upgrade request to the uplink or browser gateway; other paths get 404, and every path 503 once `close` began. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every live socket with 1001, terminating those whose peer sends no close frame within CLOSE_GRACE_MS. */
  close(): Promise<void>;
}

/**
 * Starts the live relay of one hub instance. `subscriber` is a Redis connection in subscriber mode that
 * the relay shares with other subscriptions; it only adds listeners for its own channels.
 */
export async function startLiveGateway(deps: AppDeps, subscriber: Redis, settings: LiveGatewaySettings): Promise<LiveGateway> {
  const instanceId = randomUUID();
  const logger = deps.logger.child({ component: 'live', instanceId });
  const registry = new WatcherRegistry(deps.redis, subscriber, deps.redisPrefix, instanceId, logger);
  await registry.start();
  const feed = new SiteFeed(subscriber, deps.redisPrefix, registry, logger);
  const uplinks = createUplinkGateway({ deps, registry, keepAliveMs: KEEP_ALIVE_MS });
  const browsers = createBrowserGateway({
    deps,
    feed,
    outbox: { highWaterBytes: settings.highWaterBytes, slowClientTimeoutMs: settings.slowClientTimeoutMs, retryMs: SLOW_RETRY_MS },
    keepAliveMs: KEEP_ALIVE_MS,
  });

  let closing = false;
  return {
    instanceId,
    handleUpgrade(request, socket, head) {
      // Rejected before authentication, which would query Postgres while the service closes it.
      if (closing) return rejectUpgrade(socket, 503, 'shutting_down', 'this hub instance is shutting down; connect again', { 'Retry-After': '1' });
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (path === UPLINK_PATH) return uplinks.handleUpgrade(request, socket, head);
      if (path === BROWSER_PATH) return browsers.handleUpgrade(request, socket, head);
      rejectUpgrade(socket, 404, 'not_found', `no WebSocket endpoint at ${path}: use ${BROWSER_PATH} or ${UPLINK_PATH}`);
    },
    close: async () => {
      closing = true;
      const socketsClosed = Promise.all([uplinks.close(CLOSE_GRACE_MS), browsers.close(CLOSE_GRACE_MS)]);
      feed.close();
      await registry.stop();
      await socketsClosed;
    },
  };
}
