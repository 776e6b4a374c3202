import { rmSync } from 'node:fs';
import { telemetryChannel, uplinkPresenceKey } from '../../src/live/redis-keys';
import { Redis } from 'ioredis';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, REDIS_URL, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { pairEdge, stopProcess } from '../sync-faults/edge-process';
import { BrowserClient, sample, startHubProcess, startUplinkDriver, type HubProcess, type UplinkDriver } from './live-support';

/*
 * Two `cloud start` processes share one database and one Redis. The edge's live uplink connects to hub
 * A and browsers connect to hub B, so every value crosses Redis between the instances.
 */

let fixture: CloudFixture;
let ctx: SiteRoles;
let hubA: HubProcess;
let hubB: HubProcess;
let dataDir: string;
let driver: UplinkDriver;
let listener: Redis;
const browsers: BrowserClient[] = [];

async function connectBrowser(token: string, port = hubB.port): Promise<BrowserClient> {
  const browser = await BrowserClient.connect(port, token);
  browsers.push(browser);
  return browser;
}

beforeAll(async () => {
  fixture = await createCloudFixture('live_relay');
  ctx = await seedSiteRoles(fixture);
  [hubA, hubB] = await Promise.all([startHubProcess(fixture), startHubProcess(fixture)]);
  dataDir = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId, `http://127.0.0.1:${hubA.port}`);
  driver = startUplinkDriver(dataDir);
  await driver.waitForLog('live uplink connected');
  listener = new Redis(REDIS_URL, { lazyConnect: true });
  await listener.connect();
}, 90_000);

afterAll(async () => {
  for (const browser of browsers) browser.close();
  listener?.disconnect();
  await stopProcess(driver?.child);
  await Promise.all([stopProcess(hubA?.child), stopProcess(hubB?.child)]);
  await fixture?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('live relay across two hubs', () => {
  it('marks the uplink present in Redis', async () => {
    const owner = await fixture.redis.get(uplinkPresenceKey(fixture.redisPrefix, ctx.siteId));

    expect(owner).toMatch(/^[0-9a-f-]{36}$/);
    expect(await fixture.redis.ttl(uplinkPresenceKey(fixture.redisPrefix, ctx.siteId))).toBeGreaterThan(0);
  });

  it('sends only while a browser watches', async () => {
    const published: string[] = [];
    await listener.subscribe(telemetryChannel(fixture.redisPrefix, ctx.siteId));
    listener.on('message', (_channel, text: string) => published.push(text));

    // No browser watches yet: the edge keeps the sample, so nothing reaches Redis.
    driver.publish(sample('meter.W', 1));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(published).toEqual([]);

    const logIndex = driver.logLines.length;
    const browser = await connectBrowser(ctx.tokens.viewer);
    expect(browser.messages[0]).toMatchObject({ type: 'welcome', sites: [ctx.siteId] });
    browser.send({ type: 'subscribe', sites: [ctx.siteId] });
    expect(await browser.next('site-subscribed')).toEqual({ type: 'site-subscribed', sites: [ctx.siteId], denied: [] });
    await driver.waitForLog('the site is watched: sending live samples to the hub', logIndex);

    driver.publish(sample('meter.W', 2));
    await browser.next('site-samples', (message) => message.samples.some((item) => item.value === 2));
    expect(browser.valuesOf(ctx.siteId, 'meter.W')).toEqual([2]);
    expect(published.map((text) => JSON.parse(text))).toEqual([expect.objectContaining({ siteId: ctx.siteId, message: expect.objectContaining({ type: 'samples' }) })]);

    const unwatchIndex = driver.logLines.length;
    browser.send({ type: 'unsubscribe', sites: [ctx.siteId] });
    await browser.next('site-subscribed', (message) => message.sites.length === 0);
    await driver.waitForLog('nobody watches the site: live samples stay on the edge', unwatchIndex);
    await listener.unsubscribe();
  });

  it('carries the latest value per point in a batch', async () => {
    const browser = await connectBrowser(ctx.tokens.org_admin);
    const logIndex = driver.logLines.length;
    browser.send({ type: 'subscribe', sites: [ctx.siteId] });
    await browser.next('site-subscribed');
    await driver.waitForLog('the site is watched: sending live samples to the hub', logIndex);

    for (let value = 10; value <= 20; value++) driver.publish(sample('meter.Wh', value));
    driver.publish(sample('meter.V', 230));
    await browser.next('site-samples', (message) => message.samples.some((item) => item.point === 'meter.Wh' && item.value === 20));
    await browser.next('site-samples', (message) => message.samples.some((item) => item.point === 'meter.V'));

    const values = browser.valuesOf(ctx.siteId, 'meter.Wh') as number[];
    expect(values.at(-1)).toBe(20);
    expect(values.length).toBeLessThanOrEqual(11);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    browser.close();
  });

  it('gives a new browser the latest value of every point at once', async () => {
    const browser = await connectBrowser(ctx.tokens.viewer);
    browser.send({ type: 'subscribe', sites: [ctx.siteId] });
    await browser.next('site-subscribed');

    const snapshot = await browser.next('site-samples');
    const latest = Object.fromEntries(snapshot.samples.map((item) => [item.point, item.value]));
    expect(latest).toMatchObject({ 'meter.Wh': 20, 'meter.V': 230 });
    browser.close();
  });

  it('denies sites of others', async () => {
    const viewer = await connectBrowser(ctx.tokens.viewer);
    viewer.send({ type: 'subscribe', sites: [ctx.siteId, ctx.otherSiteId, ctx.foreignSiteId, 'not-a-site'] });
    expect(await viewer.next('site-subscribed')).toEqual({
      type: 'site-subscribed',
      sites: [ctx.siteId],
      denied: [ctx.otherSiteId, ctx.foreignSiteId, 'not-a-site'],
    });

    for (const token of [ctx.outsiderToken, ctx.tokens.member]) {
      const outsider = await connectBrowser(token);
      expect(outsider.messages[0]).toMatchObject({ type: 'welcome' });
      expect((outsider.messages[0] as { sites: string[] }).sites).not.toContain(ctx.siteId);
      outsider.send({ type: 'subscribe', sites: [ctx.siteId] });
      expect(await outsider.next('site-subscribed')).toEqual({ type: 'site-subscribed', sites: [], denied: [ctx.siteId] });
    }

    const platformAdmin = await connectBrowser(ctx.tokens.platform_admin);
    platformAdmin.send({ type: 'subscribe', sites: [ctx.siteId, ctx.foreignSiteId] });
    expect(await platformAdmin.next('site-subscribed')).toMatchObject({ sites: [ctx.siteId, ctx.foreignSiteId].sort(), denied: [] });
  });

  it('drops a revoked site within a second', async () => {
    const viewer = await connectBrowser(ctx.tokens.viewer);
    const witness = await connectBrowser(ctx.tokens.org_admin);
    for (const browser of [viewer, witness]) {
      browser.send({ type: 'subscribe', sites: [ctx.siteId] });
      await browser.next('site-subscribed');
    }
    driver.publish(sample('meter.A', 1));
    await viewer.next('site-samples', (message) => message.samples.some((item) => item.point === 'meter.A'));

    const viewerId = decodeJwt(ctx.tokens.viewer).sub!;
    const removed = await call(fixture.app, ctx.tokens.org_admin, 'DELETE', `/api/sites/${ctx.siteId}/access/${viewerId}`);
    expect(removed.status).toBe(204);
    const changed = await viewer.next('permissions-changed', () => true, 0, 1000);
    expect(changed).toEqual({ type: 'permissions-changed', action: 'refresh', removedSites: [ctx.siteId] });

    const afterRevoke = viewer.messages.length;
    driver.publish(sample('meter.A', 2));
    await witness.next('site-samples', (message) => message.samples.some((item) => item.point === 'meter.A' && item.value === 2));
    // The witness on the same hub got the sample, so the viewer would have it by now too.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(viewer.messages.slice(afterRevoke).filter((message) => message.type === 'site-samples')).toEqual([]);

    viewer.send({ type: 'subscribe', sites: [ctx.siteId] });
    expect(await viewer.next('site-subscribed', () => true, afterRevoke)).toMatchObject({ sites: [], denied: [ctx.siteId] });
  });

  it('closes a disabled user with 4403', async () => {
    const operator = await connectBrowser(ctx.tokens.operator);
    const operatorId = decodeJwt(ctx.tokens.operator).sub!;
    const disabled = await call(fixture.app, ctx.tokens.platform_admin, 'PATCH', `/api/users/${operatorId}`, { status: 'disabled' });
    expect(disabled.status).toBe(200);

    expect(await operator.next('permissions-changed')).toMatchObject({ action: 'reconnect' });
    expect(await operator.waitForClose()).toMatchObject({ code: 4403 });
  });
});
