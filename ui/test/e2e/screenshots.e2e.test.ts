import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logInThroughUi, pageWithoutSession, screenshot, startStack, type FullStack, type TestBrowser } from './harness';

/*
 * Screenshots of every main page for docs/screenshots, from a running stack. Each page must render its
 * main heading and the part that shows its data, log no console error and request nothing outside
 * 127.0.0.1. The edge pages are taken as the site manager, the hub's as the platform admin.
 */

/** Time for a page and its data on a loaded machine. */
const UI_TIMEOUT_MS = 60_000;
/** Pause after the data shows, so charts and late rows settle before the capture. */
const SETTLE_MS = 2_000;

/** One page to capture: where it is, the heading it must show, and an element that shows its data has loaded. */
interface Shot {
  name: string;
  path: string;
  heading: string;
  ready?: string;
}

const edgeShots: Shot[] = [
  { name: 'edge-overview', path: '/', heading: 'Riverside Plant', ready: '[data-testid="kpi-tiles"]' },
  { name: 'edge-live', path: '/live', heading: 'Live', ready: '[data-testid^="live-chart-"]' },
  { name: 'edge-device', path: '/devices/ahu', heading: 'Air handler (FLEXLAB cell A)', ready: '[data-testid="point-table"]' },
  { name: 'edge-history', path: '/history', heading: 'History', ready: '[data-testid="history-page"]' },
  { name: 'edge-alarms', path: '/alarms', heading: 'Alarms', ready: '[data-testid="active-alarms"]' },
  { name: 'edge-sync', path: '/sync', heading: 'Sync status', ready: '[data-testid="sync-connection"]' },
  { name: 'edge-profile', path: '/profile', heading: 'Profile', ready: '[data-testid="profile-page"]' },
];

/** Pages of the hub; `{site}` stands for the stack's site id. */
const hubShots: Shot[] = [
  { name: 'cloud-sites', path: '/', heading: 'Sites', ready: '[data-testid^="site-card-"]' },
  { name: 'cloud-site-overview', path: '/sites/{site}', heading: 'Riverside Plant', ready: '[data-testid="kpi-tiles"]' },
  { name: 'admin-organizations', path: '/admin/organizations', heading: 'Organizations', ready: '[data-testid="organizations-table"]' },
  { name: 'admin-users', path: '/admin/users', heading: 'Users', ready: '[data-testid="users-table"]' },
  { name: 'admin-access', path: '/admin/access', heading: 'Memberships and site access', ready: '[data-testid="access-table"]' },
  { name: 'admin-sites', path: '/admin/sites', heading: 'Sites and hierarchy', ready: '[data-testid="sites-table"]' },
  { name: 'admin-devices', path: '/admin/devices', heading: 'Devices and points', ready: '[data-testid="devices-table"]' },
  { name: 'admin-edge-nodes', path: '/admin/edge-nodes', heading: 'Edge nodes', ready: '[data-testid="edge-nodes-table"]' },
  { name: 'admin-audit', path: '/admin/audit', heading: 'Audit log', ready: '[data-testid="audit-table"]' },
];

let stack: FullStack | undefined;
let browser: TestBrowser | undefined;
let hubPage: Page | undefined;

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

/**
 * Opens `url` on the page, waits for the heading and the data, and saves the screenshot, also of a page
 * that never showed its data, so the failure can be seen. Returns the main heading, the console errors
 * the page logged meanwhile, and why the data did not show, if it did not.
 */
async function capture(target: TestBrowser, page: Page, url: string, shot: Shot, options: { viewport?: 'tablet' } = {}): Promise<{ heading: string; errors: string[]; notReady: string | null }> {
  const errorsBefore = target.consoleErrors.length;
  await page.goto(url);
  const heading = page.getByRole('heading', { level: 1 }).first();
  await heading.waitFor({ timeout: UI_TIMEOUT_MS });
  // A wrong heading is reported by the caller's assertion, with the heading shown instead.
  await page.getByRole('heading', { level: 1, name: shot.heading, exact: true }).waitFor({ timeout: UI_TIMEOUT_MS }).catch(() => undefined);
  let notReady: string | null = null;
  if (shot.ready !== undefined) {
    await page
      .locator(shot.ready)
      .first()
      .waitFor({ timeout: UI_TIMEOUT_MS })
      .catch((error: unknown) => {
        notReady = `${shot.ready} did not show: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
      });
  }
  await page.waitForTimeout(SETTLE_MS);
  await screenshot(page, shot.name, options.viewport === undefined ? {} : { viewport: options.viewport });
  const errors = target.consoleErrors.slice(errorsBefore).map((error) => `${error.source} at ${error.location}: ${error.text}`);
  return { heading: ((await heading.textContent()) ?? '').trim(), errors, notReady };
}

describe('screenshots of the edge', () => {
  it('captures the login page', async () => {
    const shot: Shot = { name: 'edge-login', path: '/login', heading: 'Log in to Riverside Plant' };

    const { heading, errors, notReady } = await capture(browser!, browser!.page, `${stack!.edge.url}/login`, shot);

    expect(heading).toBe(shot.heading);
    expect(notReady).toBeNull();
    expect(errors).toEqual([]);
  });

  for (const shot of edgeShots) {
    it(`captures ${shot.name}`, async () => {
      const page = browser!.page;
      if (new URL(page.url()).pathname === '/login') {
        const manager = stack!.hub.users.site_manager;
        await logInThroughUi(page, stack!.edge.url, manager.email, manager.password);
      }

      const { heading, errors, notReady } = await capture(browser!, page, `${stack!.edge.url}${shot.path}`, shot);

      expect(heading).toBe(shot.heading);
      expect(notReady).toBeNull();
      expect(errors).toEqual([]);
      browser!.expectNoExternalRequests();
    });
  }

  it('captures the overview on a tablet', async () => {
    const shot: Shot = { name: 'overview-tablet', path: '/', heading: 'Riverside Plant', ready: '[data-testid="kpi-tiles"]' };
    const page = browser!.page;
    await page.setViewportSize({ width: 1180, height: 820 });

    const { heading, errors, notReady } = await capture(browser!, page, `${stack!.edge.url}/`, shot, { viewport: 'tablet' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.setViewportSize({ width: 1366, height: 900 });

    expect(heading).toBe(shot.heading);
    expect(notReady).toBeNull();
    expect(overflow, 'horizontal scroll width beyond the tablet viewport, in CSS pixels').toBe(0);
    expect(errors).toEqual([]);
  });

  it('captures the overview in dark mode', async () => {
    const dark = await launchBrowser({ colorScheme: 'dark' });
    try {
      const manager = stack!.hub.users.site_manager;
      await logInThroughUi(dark.page, stack!.edge.url, manager.email, manager.password);
      const shot: Shot = { name: 'overview-dark', path: '/', heading: 'Riverside Plant', ready: '[data-testid="kpi-tiles"]' };

      const { heading, errors, notReady } = await capture(dark, dark.page, `${stack!.edge.url}/`, shot);
      const theme = await dark.page.evaluate(() => document.documentElement.dataset.theme);

      expect(heading).toBe(shot.heading);
      expect(notReady).toBeNull();
      expect(theme).toBe('dark');
      expect(errors).toEqual([]);
    } finally {
      await dark.close();
    }
  });
});

describe('screenshots of the hub', () => {
  beforeAll(async () => {
    hubPage = await pageWithoutSession(browser!);
    await logInThroughUi(hubPage, stack!.hub.url, stack!.hub.admin.email, stack!.hub.admin.password);
  });

  for (const shot of hubShots) {
    it(`captures ${shot.name}`, async () => {
      const url = `${stack!.hub.url}${shot.path.replace('{site}', encodeURIComponent(stack!.hub.siteId))}`;

      const { heading, errors, notReady } = await capture(browser!, hubPage!, url, shot);

      expect(heading).toBe(shot.heading);
      expect(notReady).toBeNull();
      expect(errors).toEqual([]);
      browser!.expectNoExternalRequests();
    });
  }
});
