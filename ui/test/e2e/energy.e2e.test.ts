import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hourlyBuckets, makeReport, totals } from '../unit/pages/energy/energy-fixture';
import { launchBrowser, logInThroughUi, loginToEdge, pageWithoutSession, sendJson, startStack, type FullStack, type StackUser, type TestBrowser } from './harness';

/*
 * The energy pages on a real edge node with the simulated demo site: the period picker, the tiles and
 * the flow chart, a CSV download as an operator and the printable monthly report. A future or invalid
 * period in the link, and a failed load after a shown report, each get their own message. A viewer gets
 * neither CSV buttons nor the report, and the hub serves the same page for the site.
 */

/** Time for a page or a report on a loaded machine. */
const UI_TIMEOUT_MS = 60_000;
/** A phone held upright, in CSS pixels. */
const PHONE = { width: 390, height: 844 };

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

/** Logs `user` in at `baseUrl`, opens the energy page at `path` and waits for the report's tiles. */
async function openEnergyAs(user: StackUser, baseUrl: string, path: string): Promise<Page> {
  const page = await pageWithoutSession(browser!);
  await logInThroughUi(page, baseUrl, user.email, user.password);
  await page.goto(`${baseUrl}${path}`);
  await page.getByTestId('energy-tiles').waitFor({ timeout: UI_TIMEOUT_MS });
  // The user's name in the header appears once the app has loaded the user's permissions.
  await page.getByRole('link', { name: user.name }).waitFor({ timeout: UI_TIMEOUT_MS });
  return page;
}

/** What the period title should read: anything, anything but `not`, or exactly `is`. */
type TitleCondition = { not?: string; is?: string };

/** Waits until no report request is pending and the period title meets `condition`, and returns the title. */
async function settledTitle(page: Page, condition: TitleCondition = {}): Promise<string> {
  try {
    const handle = await page.waitForFunction(
      ({ not, is }) => {
        const busy = document.querySelector('[data-testid="energy-page"]')?.getAttribute('aria-busy') === 'true';
        const title = document.querySelector('[data-testid="energy-period-title"]')?.textContent ?? '';
        const expected = (not === undefined || title !== not) && (is === undefined || title === is);
        return !busy && expected ? title : null;
      },
      condition,
      { timeout: UI_TIMEOUT_MS, polling: 100 },
    );
    return (await handle.jsonValue()) as string;
  } catch (error) {
    const title = await page.getByTestId('energy-period-title').textContent();
    throw new Error(`the period title did not settle on ${JSON.stringify(condition)}; it reads "${title}"`, { cause: error });
  }
}

describe('energy page on the edge', () => {
  let page: Page;

  beforeAll(async () => {
    page = await openEnergyAs(stack!.hub.users.operator, stack!.edge.url, '/energy');
  });

  it('shows tiles, chart and the site time zone', async () => {
    await page.getByTestId('energy-flow-chart').locator('canvas').waitFor({ timeout: UI_TIMEOUT_MS });

    const tileIds = await page.locator('.energy-tile').evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('data-testid')));
    expect(tileIds).toEqual([
      'energy-tile-consumption',
      'energy-tile-pv',
      'energy-tile-grid-import',
      'energy-tile-grid-export',
      'energy-tile-net-cost',
      'energy-tile-self-sufficiency',
      'energy-tile-self-consumption',
    ]);
    expect(await page.getByTestId('energy-time-zone').textContent()).toContain(stack!.edge.siteFile.site.timeZone);
    expect(await page.getByTestId('energy-meter-table').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('energy-unassigned').isVisible()).toBe(true);
    expect(await page.getByTestId('nav-energy').getAttribute('aria-current')).toBe('page');
  });

  it('separates tile values from units', async () => {
    const value = await page.getByTestId('energy-tile-consumption-value').textContent();

    // Screen readers and copied text read the text content, in which `0.62kWh` would have no space.
    expect(value).toMatch(/^\S+ kWh$/);
  });

  it('offers the load profile as a table', async () => {
    const section = page.locator('section[aria-labelledby="energy-indicators"]');
    const captions = await section.locator('table caption').allTextContents();
    const hourRows = await page.getByTestId('energy-profile-hour-table').locator('tbody tr').count();
    const weekdayRows = await page.getByTestId('energy-profile-weekday-table').locator('tbody tr').count();

    expect(await section.getByRole('img', { name: /each local hour/ }).count()).toBe(1);
    expect(captions.some((caption) => /hour/i.test(caption))).toBe(true);
    expect(captions.some((caption) => /weekday/i.test(caption))).toBe(true);
    expect(hourRows).toBe(24);
    expect(weekdayRows).toBe(7);
  });

  it('switches to the month and back a month', async () => {
    const dayTitle = await settledTitle(page);

    await page.getByTestId('energy-period-month').click();
    await page.waitForURL((url) => url.searchParams.get('period') === 'month', { timeout: UI_TIMEOUT_MS });
    const monthTitle = await settledTitle(page, { not: dayTitle });
    expect(await page.getByTestId('energy-period-month').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('energy-next').isDisabled()).toBe(true);

    await page.getByTestId('energy-previous').click();
    await settledTitle(page, { not: monthTitle });
    expect(await page.getByTestId('energy-next').isDisabled()).toBe(false);
    await page.getByTestId('energy-tiles').waitFor({ timeout: UI_TIMEOUT_MS });

    await page.getByTestId('energy-period-day').click();
    expect(await settledTitle(page, { is: dayTitle })).toBe(dayTitle);
  });

  it('steps through periods with the keyboard', async () => {
    const today = await settledTitle(page);

    await page.getByTestId('energy-previous').focus();
    await page.keyboard.press('Enter');
    const yesterday = await settledTitle(page, { not: today });
    await page.getByTestId('energy-period-day').focus();
    await page.keyboard.press('Space');

    expect(await settledTitle(page, { not: yesterday })).toBe(today);
  });

  it('downloads the meters table as CSV', async () => {
    const exportBox = page.getByTestId('energy-export-meters');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: UI_TIMEOUT_MS }), exportBox.getByRole('button', { name: /Export meters CSV/ }).click()]);

    expect(download.suggestedFilename()).toMatch(/^energy-meters-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    const lines = text.trim().split(/\r?\n/);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]).toMatch(/meter|id/i);
  });

  it('shows the printable monthly report', async () => {
    await page.getByTestId('energy-report-link').click();
    await page.getByTestId('energy-report').waitFor({ timeout: UI_TIMEOUT_MS });

    expect(await page.getByTestId('energy-report-title').textContent()).toContain(stack!.edge.siteFile.site.name);
    expect(await page.getByTestId('energy-comparison-table').isVisible()).toBe(true);
    expect(await page.getByTestId('energy-print').isEnabled()).toBe(true);

    await page.emulateMedia({ media: 'print' });
    try {
      expect(await page.locator('.shell-nav').isVisible()).toBe(false);
      expect(await page.getByTestId('energy-print').isVisible()).toBe(false);
      const breaks = await page.locator('.energy-report-section').evaluateAll((sections) => sections.map((section) => getComputedStyle(section).breakBefore));
      expect(breaks[0]).not.toBe('page');
      expect(breaks.slice(1).every((value) => value === 'page')).toBe(true);
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0).toBeGreaterThanOrEqual(breaks.length);
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });

  it('fits a phone screen', async () => {
    await page.goto(`${stack!.edge.url}/energy`);
    await page.getByTestId('energy-tiles').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.setViewportSize(PHONE);

    try {
      // Wide tables scroll inside their wrapper; nothing else, the app header included, may stick out.
      const pageOverflow = await page.getByTestId('energy-page').evaluate((element) => element.scrollWidth - element.clientWidth);
      const documentOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      const headerRight = await page.locator('.shell-header').evaluate((header) => Math.round(header.getBoundingClientRect().right));

      expect(pageOverflow).toBeLessThanOrEqual(0);
      expect(documentOverflow).toBeLessThanOrEqual(0);
      expect(headerRight).toBeLessThanOrEqual(PHONE.width);
      expect(await page.getByTestId('energy-previous').isVisible()).toBe(true);
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  });

  it('says a bookmarked future day has no data yet', async () => {
    await page.goto(`${stack!.edge.url}/energy?period=day&date=2030-01-01`);
    await page.getByTestId('energy-future').waitFor({ timeout: UI_TIMEOUT_MS });

    expect(await page.getByTestId('energy-period-title').textContent()).toBe('Tuesday, January 1, 2030');
    expect(await page.getByTestId('energy-future').textContent()).toContain('has not started yet');
    expect(await page.getByTestId('energy-tiles').count()).toBe(0);
  });

  it('corrects an invalid date in the link', async () => {
    await page.goto(`${stack!.edge.url}/energy?period=month&date=2026-13-45`);
    await page.getByTestId('energy-link-notice').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.waitForURL((url) => url.searchParams.get('date') !== '2026-13-45', { timeout: UI_TIMEOUT_MS });
    const date = new URL(page.url()).searchParams.get('date');

    expect(await page.getByTestId('energy-link-notice').textContent()).toContain('invalid date "2026-13-45"');
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new URL(page.url()).searchParams.get('period')).toBe('month');
  });

  it('logs no console errors', () => {
    expect(browser!.consoleErrors).toEqual([]);
  });
});

describe('energy page with fixture reports', () => {
  let page: Page;
  /** Local midnight in Berlin of 25 October 2026, when clocks go back and the day has 25 hours. */
  const autumnDayStart = Date.UTC(2026, 9, 24, 22);

  beforeAll(async () => {
    page = await openEnergyAs(stack!.hub.users.operator, stack!.edge.url, '/energy');
  });

  /** Serves the page's next report requests with `body` and `status` in place of the edge. */
  async function serveReport(body: unknown, status = 200): Promise<void> {
    await page.unrouteAll();
    await page.route(
      (url) => url.pathname === '/api/energy/report',
      (route) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) }),
    );
  }

  it('labels the repeated hour of a 25-hour day', async () => {
    const buckets = hourlyBuckets(autumnDayStart, 25);
    await serveReport(
      makeReport({
        period: { kind: 'day', start: autumnDayStart, end: autumnDayStart + 25 * 3_600_000, from: '2026-10-25', to: '2026-10-25', hours: 25 },
        buckets,
      }),
    );

    await page.goto(`${stack!.edge.url}/energy?period=day&date=2026-10-25`);
    await page.getByTestId('energy-dst-note').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByTestId('energy-flows').getByText('Show the values as a table').click();
    const times = await page.getByTestId('energy-bucket-table').locator('tbody th').allTextContents();

    expect(await page.getByTestId('energy-dst-note').textContent()).toBe('This day has 25 hours: clocks went back, so an hour is repeated.');
    expect(times).toHaveLength(25);
    expect(times.slice(2, 4)).toEqual(['02:00 GMT+2', '02:00 GMT+1']);
  });

  it('shows no tariff and no % after a zero period', async () => {
    await serveReport(makeReport({ cost: null, costStatus: 'no-tariff' }));

    await page.goto(`${stack!.edge.url}/energy?period=day&date=2026-03-02`);
    await page.getByTestId('energy-no-tariff').waitFor({ timeout: UI_TIMEOUT_MS });

    expect(await page.getByTestId('energy-tile-net-cost-value').textContent()).toBe('No tariff');
    expect(await page.getByTestId('energy-tile-grid-export-change').textContent()).toContain('+2.00 kWh vs previous period');
    expect(await page.getByTestId('energy-tile-grid-export-change').textContent()).not.toContain('%');
    expect(await page.getByTestId('energy-tile-consumption-change').textContent()).toContain('(+13.3 %)');
  });

  it('names the roles to assign on a site without meters', async () => {
    await serveReport(makeReport({ meters: [], totals: totals(), missingFlows: ['gridImport', 'gridExport', 'pv', 'batteryCharge', 'batteryDischarge', 'ev', 'consumption'] }));

    await page.goto(`${stack!.edge.url}/energy?period=day&date=2026-03-03`);
    await page.getByTestId('energy-empty').waitFor({ timeout: UI_TIMEOUT_MS });

    expect(await page.getByTestId('energy-empty').textContent()).toContain('grid (or grid-import and grid-export), pv, battery (or battery-charge and battery-discharge), ev and consumption');
    expect(await page.getByTestId('energy-tiles').count()).toBe(0);
  });

  it('hides the last report after a failed load', async () => {
    await serveReport(makeReport());
    await page.goto(`${stack!.edge.url}/energy?period=day&date=2026-03-05`);
    await page.getByTestId('energy-tiles').waitFor({ timeout: UI_TIMEOUT_MS });
    await serveReport({ error: { code: 'unavailable', message: 'the store is busy: try again' } }, 503);

    await page.getByTestId('energy-previous').click();
    await page.getByTestId('energy-error').waitFor({ timeout: UI_TIMEOUT_MS });

    // The title names the day before, so the tiles of 5 March must not stay under it.
    expect(await page.getByTestId('energy-period-title').textContent()).toBe('Wednesday, March 4, 2026');
    expect(await page.getByTestId('energy-tiles').count()).toBe(0);
    expect(await page.locator('[data-testid^="energy-export-"]').count()).toBe(0);
    await page.unrouteAll();
  });

  it('shows the server error with a retry', async () => {
    await serveReport({ error: { code: 'invalid_period', message: 'date 2026-03-04 is invalid: give YYYY-MM-DD' } }, 400);

    await page.goto(`${stack!.edge.url}/energy?period=day&date=2026-03-04`);
    await page.getByTestId('energy-error').waitFor({ timeout: UI_TIMEOUT_MS });

    expect(await page.getByTestId('energy-error').textContent()).toContain('date 2026-03-04 is invalid: give YYYY-MM-DD');
    expect(await page.getByTestId('energy-error').getByRole('button', { name: 'Try again' }).isVisible()).toBe(true);
    await page.unrouteAll();
  });
});

describe('energy page for a viewer', () => {
  it('offers no CSV export and no report', async () => {
    const viewer = stack!.hub.users.viewer;
    const page = await openEnergyAs(viewer, stack!.edge.url, '/energy');
    await page.getByTestId('energy-meter-table').waitFor({ timeout: UI_TIMEOUT_MS });

    expect(await page.locator('[data-testid^="energy-export-"]').count()).toBe(0);
    expect(await page.getByTestId('energy-report-link').count()).toBe(0);

    await page.goto(`${stack!.edge.url}/energy/report`);
    await page.getByTestId('energy-report-forbidden').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('energy-report').count()).toBe(0);
  });

  it('is rejected by the CSV route', async () => {
    const viewer = stack!.hub.users.viewer;
    const token = await loginToEdge(stack!.edge.url, viewer.email, viewer.password);

    const response = await sendJson(stack!.edge.url, 'GET', '/api/energy/report.csv?table=meters&period=day&date=2026-03-02', { token });

    expect(response.status).toBe(403);
  });
});

describe('energy page in the hub', () => {
  it('shows the same tiles for the site', async () => {
    const page = await openEnergyAs(stack!.hub.users.operator, stack!.hub.url, `/sites/${stack!.hub.siteId}/energy`);

    expect(await page.getByTestId('energy-tile-consumption').isVisible()).toBe(true);
    expect(await page.getByTestId('energy-export-meters').isVisible()).toBe(true);
  });
});
