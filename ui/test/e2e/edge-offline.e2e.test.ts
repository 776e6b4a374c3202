import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logInThroughUi, pageWithoutSession, startStack, waitForValueChange, waitUntil, withoutSessionProbe, type FullStack, type TestBrowser } from './harness';

/*
 * A cloud outage seen from the edge's web app: with the hub stopped, a synced cloud user and the local
 * installer both log in on the edge, a banner shows that the site runs in local mode, and live values
 * keep coming.
 */

/** A meter's power changes on every poll, because the replay moves one minute of data per second. */
const LIVE_DEVICE = 'grid-meter';
const LIVE_POINT = 'grid-meter.m203.W';

/** Time for a page, a banner or a live value on a loaded machine. */
const UI_TIMEOUT_MS = 60_000;

let stack: FullStack | undefined;
let browser: TestBrowser | undefined;

beforeAll(async () => {
  stack = await startStack();
  await stack.hub.stop();
  await waitUntil(async () => ((await stack!.edge.syncStatus()).liveConnected ? undefined : true), {
    description: 'the edge to see its uplink to the stopped hub closed',
    timeoutMs: 120_000,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    await stack?.stop();
  }
});

describe('edge during a cloud outage', () => {
  it('refuses connections at the hub', async () => {
    const outcome = await fetch(`${stack!.hub.url}/healthz`).then(
      () => 'answered',
      () => 'refused',
    );

    expect(outcome).toBe('refused');
  });

  it('logs in a cloud user offline', async () => {
    const operator = stack!.hub.users.operator;
    const page = browser!.page;

    await logInThroughUi(page, stack!.edge.url, operator.email, operator.password);
    const banner = page.getByTestId('link-banner');
    await banner.waitFor({ timeout: UI_TIMEOUT_MS });

    expect(new URL(page.url()).pathname).toBe('/');
    expect(await banner.getAttribute('data-mode')).toBe('edge');
    expect(await banner.textContent()).toContain('Local mode: cloud offline since');
    expect(await page.getByRole('link', { name: operator.name }).count()).toBe(1);
  });

  it('shows a live value changing', async () => {
    const page = browser!.page;

    await page.goto(`${stack!.edge.url}/devices/${LIVE_DEVICE}`);
    await page.getByTestId('device-name').waitFor({ timeout: UI_TIMEOUT_MS });
    const { first, changed } = await waitForValueChange(page, `point-value-${LIVE_POINT}`, UI_TIMEOUT_MS);

    expect(changed).not.toBe(first);
    expect(await page.getByTestId('link-banner').textContent()).toContain('Local mode: cloud offline since');
    expect(withoutSessionProbe(browser!.consoleErrors)).toEqual([]);
  });

  it('logs in the local installer offline', async () => {
    const { username, password } = stack!.edge.localAdmin;
    const page = await pageWithoutSession(browser!);

    await logInThroughUi(page, stack!.edge.url, username, password);
    await page.goto(`${stack!.edge.url}/devices/${LIVE_DEVICE}`);
    const banner = page.getByTestId('link-banner');
    await banner.waitFor({ timeout: UI_TIMEOUT_MS });
    const { first, changed } = await waitForValueChange(page, `point-value-${LIVE_POINT}`, UI_TIMEOUT_MS);

    expect(await banner.textContent()).toContain('Local mode: cloud offline since');
    expect(changed).not.toBe(first);
    expect(withoutSessionProbe(browser!.consoleErrors)).toEqual([]);
    browser!.expectNoExternalRequests();
  });
});
