import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { pairEdge, stopProcess } from '../sync-faults/edge-process';
import { BrowserClient, sample, startHubProcess, startUplinkDriver, type HubProcess, type UplinkDriver } from './live-support';

/*
 * A browser that stops reading its socket while the edge sends about 1 MB per round. The hub runs with
 * a 1 KiB high-water mark, so it coalesces as soon as the kernel buffers are full, and closes a socket
 * that stays behind for SLOW_TIMEOUT_MS.
 */

const SLOW_TIMEOUT_MS = 8_000;
const POINTS = 60;
/** A 16 KiB text value, so each round of POINTS samples is about 1 MB. */
const PADDING = 'x'.repeat(16 * 1024);

let fixture: CloudFixture;
let ctx: SiteRoles;
let hub: HubProcess;
let dataDir: string;
let driver: UplinkDriver;
const browsers: BrowserClient[] = [];

beforeAll(async () => {
  fixture = await createCloudFixture('live_slow_consumer');
  ctx = await seedSiteRoles(fixture);
  hub = await startHubProcess(fixture, { LIVE_HIGH_WATER_BYTES: '1024', LIVE_SLOW_CLIENT_TIMEOUT_MS: String(SLOW_TIMEOUT_MS) });
  dataDir = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId, `http://127.0.0.1:${hub.port}`);
  driver = startUplinkDriver(dataDir);
  await driver.waitForLog('live uplink connected');
}, 90_000);

afterAll(async () => {
  for (const browser of browsers) browser.close();
  await stopProcess(driver?.child);
  await stopProcess(hub?.child);
  await fixture?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function watchingBrowser(): Promise<BrowserClient> {
  const browser = await BrowserClient.connect(hub.port, ctx.tokens.viewer);
  browsers.push(browser);
  const logIndex = driver.logLines.length;
  browser.send({ type: 'subscribe', sites: [ctx.siteId] });
  await browser.next('site-subscribed');
  await driver.waitForLog('the site is watched: sending live samples to the hub', logIndex).catch(() => undefined);
  return browser;
}

/** Publishes `rounds` rounds of POINTS samples, 100 ms apart; the value of every point is `round:<n>` plus padding. */
async function publishRounds(prefix: string, rounds: number): Promise<void> {
  for (let round = 1; round <= rounds; round++) {
    for (let index = 0; index < POINTS; index++) driver.publish(sample(`${prefix}.p${index}`, `round:${round}:${PADDING}`));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function roundOf(value: unknown): number {
  return Number(String(value).split(':')[1]);
}

describe('slow browser', () => {
  it('gets the latest values', async () => {
    const browser = await watchingBrowser();
    browser.socket.pause();
    await publishRounds('late', 15);
    browser.socket.resume();

    await browser.next('site-samples', (message) => message.samples.some((item) => item.point === `late.p${POINTS - 1}` && roundOf(item.value) === 15), 0, 20_000);
    const delivered = browser.messages.flatMap((message) => (message.type === 'site-samples' ? message.samples : []));
    const coalesced = browser.messages.reduce((sum, message) => sum + (message.type === 'site-samples' ? message.coalesced : 0), 0);
    for (let index = 0; index < POINTS; index++) {
      expect(roundOf(browser.valuesOf(ctx.siteId, `late.p${index}`).at(-1))).toBe(15);
    }
    expect(coalesced).toBeGreaterThan(0);
    // The edge may coalesce too when rounds bunch up, and the hub's count does not include those.
    expect(delivered.length + coalesced).toBeLessThanOrEqual(15 * POINTS);
    expect(delivered.length).toBeLessThan(15 * POINTS);
    expect(browser.closed).toBeUndefined();
  });

  it('is closed after the timeout', async () => {
    const browser = await watchingBrowser();
    browser.socket.pause();
    await publishRounds('stuck', Math.ceil((SLOW_TIMEOUT_MS + 2_000) / 100));
    browser.socket.resume();

    expect(await browser.waitForClose()).toMatchObject({ code: 1008, reason: 'slow consumer: the client did not read its stream' });
    expect(hub.log.lines.some((line) => line.msg === 'live browser too slow: closing its socket')).toBe(true);
  });
});
