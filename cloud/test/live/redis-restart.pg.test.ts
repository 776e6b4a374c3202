import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { pairEdge, stopProcess } from '../sync-faults/edge-process';
import { BrowserClient, sample, startHubProcess, startUplinkDriver, type HubProcess, type UplinkDriver } from './live-support';
import { PrivateRedis } from './private-redis';

/*
 * Two hubs on a private Redis relay an edge's samples to a browser. Redis is killed and started again
 * under live traffic; the hubs reconnect and subscribe again, and values flow once more.
 */

let fixture: CloudFixture;
let ctx: SiteRoles;
let redis: PrivateRedis;
let hubA: HubProcess;
let hubB: HubProcess;
let dataDir: string;
let driver: UplinkDriver;
let browser: BrowserClient | undefined;

beforeAll(async () => {
  fixture = await createCloudFixture('live_redis_restart');
  ctx = await seedSiteRoles(fixture);
  redis = await PrivateRedis.start();
  [hubA, hubB] = await Promise.all([startHubProcess(fixture, { REDIS_URL: redis.url }), startHubProcess(fixture, { REDIS_URL: redis.url })]);
  dataDir = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId, `http://127.0.0.1:${hubA.port}`);
  driver = startUplinkDriver(dataDir);
  await driver.waitForLog('live uplink connected');
}, 90_000);

afterAll(async () => {
  browser?.close();
  await stopProcess(driver?.child);
  await Promise.all([stopProcess(hubA?.child), stopProcess(hubB?.child)]);
  await redis?.stop();
  await fixture?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Publishes a new value of `point` every 100 ms until the browser receives one, for at most `timeoutMs`. */
async function publishUntilReceived(point: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (let value = 1; Date.now() < deadline; value++) {
    driver.publish(sample(point, value));
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (browser!.valuesOf(ctx.siteId, point).length > 0) return value;
  }
  throw new Error(`no value of ${point} reached the browser within ${timeoutMs} ms`);
}

describe('Redis restarted under live traffic', () => {
  it('resumes the relay', async () => {
    browser = await BrowserClient.connect(hubB.port, ctx.tokens.viewer);
    browser.send({ type: 'subscribe', sites: [ctx.siteId] });
    await browser.next('site-subscribed');
    await driver.waitForLog('the site is watched: sending live samples to the hub');
    await publishUntilReceived('before.W', 10_000);

    await redis.kill();
    driver.publish(sample('during.W', 1));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await redis.restart();

    await publishUntilReceived('after.W', 20_000);
    expect(browser.valuesOf(ctx.siteId, 'after.W').length).toBeGreaterThan(0);
    expect(browser.closed).toBeUndefined();
    for (const hub of [hubA, hubB]) {
      expect(hub.log.lines.some((line) => line.msg === 'Redis connection failed; retrying')).toBe(true);
      expect(hub.log.lines.some((line) => line.msg === 'Redis connection restored')).toBe(true);
    }
  });
});
