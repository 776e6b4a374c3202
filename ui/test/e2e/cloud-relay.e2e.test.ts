import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logInThroughUi, startStack, waitForValueChange, withoutSessionProbe, type FullStack, type TestBrowser } from './harness';

/*
 * Live values relayed by the hub: a user logs in on the hub's web app, opens the site from the sites
 * overview and sees the same point the edge polls change on the device page.
 */

/** The sub-meter's power changes on every poll, because the replay moves one minute of data per second. */
const LIVE_DEVICE = 'house-submeter';
const LIVE_POINT = 'house-submeter.total_power';
/** A point of the SunSpec grid meter, whose points the edge discovers from the device's SunSpec models. */
const SUNSPEC_DEVICE = 'grid-meter';
const SUNSPEC_POINT = 'grid-meter.m203.W';

/** Time for a page or a relayed live value on a loaded machine. */
const UI_TIMEOUT_MS = 60_000;

let stack: FullStack | undefined;
let browser: TestBrowser | undefined;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    await stack?.stop();
  }
});

describe('hub relays live values', () => {
  it('lists the site on the sites overview', async () => {
    const operator = stack!.hub.users.operator;
    const page = browser!.page;

    await logInThroughUi(page, stack!.hub.url, operator.email, operator.password);
    const card = page.getByTestId(`site-card-${stack!.hub.siteId}`);
    await card.waitFor({ timeout: UI_TIMEOUT_MS });

    expect(new URL(page.url()).pathname).toBe('/');
    expect(await card.getByRole('heading').textContent()).toBe('Riverside Plant');
  });

  it('opens the site from its card', async () => {
    const page = browser!.page;
    const siteId = stack!.hub.siteId;

    await page.getByTestId(`site-card-${siteId}`).getByRole('link', { name: 'Riverside Plant' }).click();
    await page.waitForURL((url) => url.pathname === `/sites/${siteId}`, { timeout: UI_TIMEOUT_MS });
    const heading = page.getByRole('heading', { level: 1 });
    await heading.waitFor({ timeout: UI_TIMEOUT_MS });
    // The overview shows a generic heading until the site's summary arrives; a heading that never changes fails below.
    await page.getByRole('heading', { level: 1, name: 'Riverside Plant', exact: true }).waitFor({ timeout: UI_TIMEOUT_MS }).catch(() => undefined);

    expect(await heading.textContent()).toBe('Riverside Plant');
    expect(await page.getByTestId('link-banner').count()).toBe(0);
  });

  it('shows the relayed value changing', async () => {
    const page = browser!.page;

    await page.getByTestId(`nav-device-${LIVE_DEVICE}`).click();
    await page.waitForURL((url) => url.pathname === `/sites/${stack!.hub.siteId}/devices/${LIVE_DEVICE}`, { timeout: UI_TIMEOUT_MS });
    await page.getByTestId('device-name').waitFor({ timeout: UI_TIMEOUT_MS });
    const { first, changed } = await waitForValueChange(page, `point-value-${LIVE_POINT}`, UI_TIMEOUT_MS);

    expect(changed).not.toBe(first);
    expect(withoutSessionProbe(browser!.consoleErrors)).toEqual([]);
    browser!.expectNoExternalRequests();
  });

  it('shows discovered SunSpec points', async () => {
    const page = browser!.page;

    await page.getByTestId(`nav-device-${SUNSPEC_DEVICE}`).click();
    await page.waitForURL((url) => url.pathname === `/sites/${stack!.hub.siteId}/devices/${SUNSPEC_DEVICE}`, { timeout: UI_TIMEOUT_MS });
    await page.getByTestId('device-name').waitFor({ timeout: UI_TIMEOUT_MS });
    const row = page.getByTestId(`point-row-${SUNSPEC_POINT}`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS }).catch(() => undefined);
    const subtitle = await page.locator('.page-subtitle').first().textContent();

    expect(await row.count(), `row of ${SUNSPEC_POINT} on the hub's device page, whose subtitle reads "${subtitle}"`).toBe(1);
    const { first, changed } = await waitForValueChange(page, `point-value-${SUNSPEC_POINT}`, UI_TIMEOUT_MS);
    expect(changed).not.toBe(first);
    expect(withoutSessionProbe(browser!.consoleErrors)).toEqual([]);
  });
});
