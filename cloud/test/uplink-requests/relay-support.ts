import { rmSync } from 'node:fs';
import { createAlarmActionDelivery, type AlarmActionDelivery } from '../../src/alarms/alarm-delivery';
import { createApp, type CloudApp } from '../../src/api/app';
import { EdgeRequestClient } from '../../src/live/edge-request-client';
import { uplinkPresenceKey } from '../../src/live/redis-keys';
import { createSilentLogger } from '../../src/logger';
import { until } from '../live/live-support';
import { createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { serveHub, type ServedHub } from '../support/served-hub';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { pairEdge } from '../sync-faults/edge-process';

/** The fixture's app with the control routes and alarm delivery, as `cloud start` builds it. */
export interface RelayApp {
  app: CloudApp;
  edgeRequests: EdgeRequestClient;
  alarmDelivery: AlarmActionDelivery;
}

/** Builds the app of `fixture` with an edge request client whose commands wait `timeoutMs` for a result. */
export function createRelayApp(fixture: CloudFixture, timeoutMs?: number): RelayApp {
  const logger = createSilentLogger();
  const edgeRequests = new EdgeRequestClient({
    redis: fixture.redis,
    subscriber: fixture.subscriber,
    prefix: fixture.redisPrefix,
    logger,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  const alarmDelivery = createAlarmActionDelivery({ redis: fixture.redis, prefix: fixture.redisPrefix, logger });
  return { app: createApp({ ...fixture.deps, edgeRequests, alarmDelivery }), edgeRequests, alarmDelivery };
}

/** Waits until some hub instance has marked the uplink of `siteId` present, or until it is gone when `present` is false. */
export async function waitForPresence(fixture: CloudFixture, siteId: string, present = true): Promise<void> {
  await until(async () => (await fixture.redis.exists(uplinkPresenceKey(fixture.redisPrefix, siteId))) === (present ? 1 : 0));
}

/** A served hub with the relay app and a data folder paired with the hub's site; `close` removes them all. */
export interface RelayHub {
  fixture: CloudFixture;
  ctx: SiteRoles;
  hub: ServedHub;
  relay: RelayApp;
  dataDir: string;
  close(): Promise<void>;
}

/** Creates a fixture with a site per role, serves it, builds the relay app and pairs a data folder with the site. */
export async function serveRelayHub(label: string, timeoutMs?: number): Promise<RelayHub> {
  const fixture = await createCloudFixture(label);
  const ctx = await seedSiteRoles(fixture);
  const hub = await serveHub(fixture);
  const relay = createRelayApp(fixture, timeoutMs);
  const dataDir = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId, hub.url);
  return {
    fixture,
    ctx,
    hub,
    relay,
    dataDir,
    close: async () => {
      relay.edgeRequests.close();
      await hub.close();
      await fixture.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
