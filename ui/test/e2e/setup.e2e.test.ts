import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logInThroughUi, ManagedProcess, screenshot, viewports, waitUntil, type ConsoleError, type TestBrowser } from './harness';
import { EDGE_NODE_BIN, EDGE_NODE_DIR, SCREENSHOT_DIR } from './harness/paths';
import { spareTcpPort } from './harness/ports';
import { startSimulator, type RunningSimulator } from './harness/simulators';
import { fetchJson } from './harness/wait';

/*
 * The first-boot setup wizard against a real edge node in setup mode (no site file), with a SunSpec
 * meter and an SDM630 meter (Modbus without SunSpec) on loopback that the wizard's scan of
 * 127.0.0.1/32 finds. The steps run in order on one page: each test continues where the previous one
 * stopped. A second tab joins before the first one finishes.
 */

/** Time for the node to start, a page to show, or the scan to finish on a loaded machine. */
const UI_TIMEOUT_MS = 60_000;
const SCAN_TIMEOUT_MS = 120_000;

const ADMIN = { username: 'installer', password: 'harbour lights at dusk' };
const SITE_NAME = 'Harbour Test Site';
const DEVICE_NAME = 'Grid meter';

let workDir: string;
let edge: ManagedProcess | undefined;
let meter: RunningSimulator | undefined;
let plainMeter: RunningSimulator | undefined;
let browser: TestBrowser | undefined;
let secondTab: Page | undefined;
let edgeUrl: string;
let setupCode: string;

/** Reads the setup code from the banner the node prints: `  Setup code: 1234-5678`. */
function setupCodeOf(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const match = /Setup code: (\d{4}-\d{4})/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

/** Returns a code of the same form that differs from the right one in every digit. */
function wrongCode(code: string): string {
  return code.replace(/\d/g, (digit) => String((Number(digit) + 5) % 10));
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'e2e-setup-'));
  const replay = { speed: 60, offsetMin: 0, brokerUrl: 'mqtt://127.0.0.1:1883', mqttSite: 'unused' };
  meter = await startSimulator('sunspec-meter', replay);
  plainMeter = await startSimulator('sdm630', replay);
  const port = await spareTcpPort();
  edgeUrl = `http://127.0.0.1:${port}`;
  const started = ManagedProcess.start({
    name: `edge node in setup mode on port ${port}`,
    command: process.execPath,
    args: [EDGE_NODE_BIN, 'start', '--config', join(workDir, 'site.yaml'), '--data', join(workDir, 'data'), '--port', String(port)],
    cwd: EDGE_NODE_DIR,
  });
  edge = started;
  setupCode = await waitUntil(async () => setupCodeOf(started.lastLines(200)), {
    description: 'the edge node to print its setup code',
    timeoutMs: UI_TIMEOUT_MS,
    processes: [started],
  });
  await waitUntil(async () => ((await fetchJson(`${edgeUrl}/api/health`)) as { mode?: string }).mode, {
    description: `${edgeUrl}/api/health to return 200`,
    timeoutMs: UI_TIMEOUT_MS,
    processes: [started],
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    await edge?.stop();
    await meter?.process.stop();
    await plainMeter?.process.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
});

function page(): Page {
  return browser!.page;
}

/** Returns how far the page scrolls sideways beyond its viewport, in CSS pixels. */
function horizontalOverflow(target: Page): Promise<number> {
  return target.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Returns the text of the device list of the review step. */
async function reviewedDevices(target: Page): Promise<string> {
  const summary = target.getByTestId('setup-summary');
  await summary.waitFor({ timeout: UI_TIMEOUT_MS });
  return (await summary.textContent()) ?? '';
}

/**
 * Returns the text of the wizard's success notice once it contains `expected`. Throws with the
 * page's error messages when the notice does not show.
 */
async function noticeContaining(expected: string): Promise<string> {
  const notice = page().getByTestId('setup-notice');
  try {
    await notice.filter({ hasText: expected }).waitFor({ timeout: UI_TIMEOUT_MS });
  } catch (error) {
    const alerts = await page().getByRole('alert').allTextContents();
    throw new Error(`the setup page showed no notice containing "${expected}"; its errors: ${JSON.stringify(alerts)}`, { cause: error });
  }
  return (await notice.textContent()) ?? '';
}

describe('first-boot setup', () => {
  it('sends every page to /setup', async () => {
    await page().goto(`${edgeUrl}/history`);

    await page().waitForURL((url) => url.pathname === '/setup', { timeout: UI_TIMEOUT_MS });
    await page().getByRole('heading', { level: 1, name: 'Set up this edge node' }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page().getByTestId('setup-code-step').textContent()).toContain('journalctl -u simtestlab-edge');
    await screenshot(page(), 'setup-code');
  });

  it('fits a 390 px wide phone', async () => {
    await page().setViewportSize({ width: 390, height: 844 });
    const overflow = await horizontalOverflow(page());
    const header = await page().locator('.setup-header').boundingBox();
    await page().screenshot({ path: join(SCREENSHOT_DIR, 'setup-code-phone.png'), animations: 'disabled', caret: 'hide' });
    await page().setViewportSize(viewports.desktop);

    expect(overflow, 'horizontal scroll width beyond a 390 px viewport, in CSS pixels').toBe(0);
    expect(header!.x + header!.width, 'right edge of the header, in CSS pixels').toBeLessThanOrEqual(390);
  });

  it('rejects a wrong setup code', async () => {
    await page().getByRole('textbox', { name: 'Setup code', exact: true }).fill(wrongCode(setupCode));
    await page().getByRole('button', { name: 'Unlock setup' }).click();

    const error = page().getByTestId('setup-error');
    await error.waitFor({ timeout: UI_TIMEOUT_MS });
    const text = (await error.textContent()) ?? '';
    expect(text).toMatch(/code/i);
    expect(text).toContain('Type the 8-digit code exactly');
    expect(await page().getByTestId('setup-admin-step').count()).toBe(0);
  });

  it('hides the old error once the code is edited', async () => {
    await page().getByRole('textbox', { name: 'Setup code', exact: true }).fill('1');

    expect(await page().getByTestId('setup-error').count()).toBe(0);
  });

  it('unlocks with the right code from the keyboard', async () => {
    const codeField = page().getByRole('textbox', { name: 'Setup code', exact: true });
    await codeField.fill(setupCode);
    await codeField.press('Enter');

    expect(await noticeContaining('Setup code accepted')).toContain('next hour');
    await page().getByTestId('setup-admin-step').waitFor({ timeout: UI_TIMEOUT_MS });
  });

  it('checks the repeated password before creating the admin', async () => {
    await page().getByRole('textbox', { name: 'Username', exact: true }).fill(ADMIN.username);
    await page().getByTestId('setup-password').fill(ADMIN.password);
    await page().getByTestId('setup-repeat-password').fill(`${ADMIN.password}!`);
    await page().getByRole('button', { name: 'Create the admin and continue' }).click();

    expect(await page().getByTestId('setup-repeat-password-error').textContent()).toContain('differ');
  });

  it('creates the local admin', async () => {
    await page().getByTestId('setup-repeat-password').fill(ADMIN.password);
    expect(await page().getByTestId('setup-admin-step').textContent()).toContain('Use 12 to 256 characters');
    await screenshot(page(), 'setup-admin');
    await page().getByRole('button', { name: 'Create the admin and continue' }).click();

    expect(await noticeContaining('was created')).toContain(`"${ADMIN.username}"`);
    await page().getByTestId('setup-site-step').waitFor({ timeout: UI_TIMEOUT_MS });
  });

  it('names the form field in a server error', async () => {
    await page().getByRole('radio', { name: /Connect to a cloud hub/ }).check();
    await page().getByRole('textbox', { name: 'Cloud URL', exact: true }).fill('ftp://hub.invalid');
    await page().getByRole('textbox', { name: 'Pairing code', exact: true }).fill('7K3M-Q9TX-2B');
    await page().getByRole('button', { name: 'Pair and continue' }).click();

    const error = page().getByTestId('setup-error');
    await error.waitFor({ timeout: UI_TIMEOUT_MS });
    const text = (await error.textContent()) ?? '';
    expect(text).toMatch(/^Cloud URL: /);
    expect(text).not.toContain('cloudUrl');
    expect(text).not.toContain('CloudUrl');

    await page().getByRole('textbox', { name: 'Cloud URL', exact: true }).fill('https://hub.invalid');
    expect(await page().getByTestId('setup-error').count()).toBe(0);
  });

  it('creates a standalone site', async () => {
    await page().getByRole('radio', { name: /Run standalone/ }).check();
    await page().getByRole('textbox', { name: 'Site name', exact: true }).fill(SITE_NAME);
    await page().getByRole('searchbox', { name: 'Time zone' }).fill('berlin');
    expect(await page().getByTestId('setup-time-zone-chosen').textContent()).toBe('Europe/Berlin');
    await screenshot(page(), 'setup-site');
    await page().getByRole('button', { name: 'Create the site and continue' }).click();

    const notice = await noticeContaining('standalone site');
    expect(notice).toContain(SITE_NAME);
    expect(notice).toContain('Europe/Berlin');
    await page().getByTestId('setup-devices-step').waitFor({ timeout: UI_TIMEOUT_MS });
  });

  it('rejects a network wider than 1024 addresses', async () => {
    await page().getByRole('textbox', { name: 'Network to scan', exact: true }).fill('10.0.0.0/16');
    await page().getByRole('button', { name: 'Scan the network' }).click();

    expect(await page().getByTestId('setup-scan-cidr-error').textContent()).toContain('65536 addresses');
  });

  it('finds the SunSpec meter on loopback', async () => {
    expect(await page().getByRole('textbox', { name: 'BACnet port', exact: true }).getAttribute('placeholder')).toBe('47808');
    await page().getByRole('textbox', { name: 'Network to scan', exact: true }).fill('127.0.0.1/32');
    await page().getByRole('textbox', { name: 'Modbus TCP ports', exact: true }).fill(`${meter!.port}, ${plainMeter!.port}`);
    await page().getByRole('checkbox', { name: /Look for BACnet devices/ }).uncheck();
    await page().getByRole('button', { name: 'Scan the network' }).click();

    await page().locator('[data-testid="setup-scan-progress"][data-state="done"]').waitFor({ timeout: SCAN_TIMEOUT_MS });
    const deviceLabel = `127.0.0.1:${meter!.port}, unit 1`;
    const row = page().getByTestId('setup-device-table').locator('tbody tr').filter({ hasText: deviceLabel });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('SunSpec');
    expect(await page().getByLabel(`Template of the device at ${deviceLabel}`).inputValue()).toBe('sunspec');
  });

  it('preselects no template without SunSpec', async () => {
    const plainLabel = `127.0.0.1:${plainMeter!.port}, unit 1`;
    const template = page().getByLabel(`Template of the device at ${plainLabel}`);
    expect(await template.inputValue()).toBe('');
    expect(await template.locator('option:checked').textContent()).toContain('Choose a template');

    await page().getByLabel(`Use the device at ${plainLabel}`).check();
    await page().getByTestId('setup-devices-save').click();

    expect(await page().getByTestId('setup-device-problems').textContent()).toContain('has no template');
    expect(await page().getByTestId('setup-review-step').count()).toBe(0);
    await page().getByLabel(`Use the device at ${plainLabel}`).uncheck();
  });

  it('saves the picked device', async () => {
    const deviceLabel = `127.0.0.1:${meter!.port}, unit 1`;
    await page().getByLabel(`Use the device at ${deviceLabel}`).check();
    await page().getByLabel(`Name of the device at ${deviceLabel}`).fill(DEVICE_NAME);
    await screenshot(page(), 'setup-devices', { fullPage: true });
    await screenshot(page(), 'setup-devices-tablet', { viewport: 'tablet' });
    const overflow = await page().evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page().setViewportSize(viewports.desktop);
    expect(overflow, 'horizontal scroll width beyond the tablet viewport, in CSS pixels').toBe(0);

    await page().getByTestId('setup-devices-save').click();

    expect(await noticeContaining('saved for the site')).toContain('1 device was');
    await page().getByTestId('setup-review-step').waitFor({ timeout: UI_TIMEOUT_MS });
  });

  it('warns before leaving unsaved device changes', async () => {
    const deviceLabel = `127.0.0.1:${meter!.port}, unit 1`;
    await page().getByRole('button', { name: '4. Devices' }).click();
    await page().getByLabel(`Use the device at ${deviceLabel}`).uncheck();
    await page().getByRole('button', { name: '5. Review and finish' }).click();

    const warning = page().getByTestId('setup-devices-unsaved');
    await warning.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await warning.textContent()).toContain('You have unsaved device changes: save or discard');
    expect(await page().getByTestId('setup-review-step').count()).toBe(0);

    await warning.getByRole('button', { name: 'Discard the changes' }).click();

    expect(await reviewedDevices(page())).toContain(DEVICE_NAME);
  });

  it('goes to the previous step with the Back button', async () => {
    await page().goBack();
    await page().getByTestId('setup-devices-step').waitFor({ timeout: UI_TIMEOUT_MS });
    const deviceLabel = `127.0.0.1:${meter!.port}, unit 1`;
    expect(await page().getByLabel(`Use the device at ${deviceLabel}`).isChecked()).toBe(true);

    await page().goForward();
    await page().getByTestId('setup-review-step').waitFor({ timeout: UI_TIMEOUT_MS });
  });

  it('keeps the names on the review after a reload', async () => {
    await page().reload();

    const summary = await reviewedDevices(page());
    expect(summary).toContain(ADMIN.username);
    expect(summary).toContain(DEVICE_NAME);
    expect(summary).not.toContain('another browser tab');
  });

  it('opens the review in a second tab', async () => {
    secondTab = await browser!.newPage();
    await secondTab.goto(`${edgeUrl}/setup?step=review`);
    const codeField = secondTab.getByRole('textbox', { name: 'Setup code', exact: true });
    await codeField.waitFor({ timeout: UI_TIMEOUT_MS });
    await codeField.fill(setupCode);
    await codeField.press('Enter');

    expect(await reviewedDevices(secondTab)).toContain('1 saved from another browser tab');
  });

  it('shows the summary and finishes', async () => {
    const summary = (await page().getByTestId('setup-summary').textContent()) ?? '';
    expect(summary).toContain(ADMIN.username);
    expect(summary).toContain(SITE_NAME);
    expect(summary).toContain('Europe/Berlin');
    expect(summary).toContain(DEVICE_NAME);
    await screenshot(page(), 'setup-review');

    await page().getByTestId('setup-finish').click();

    await page().waitForURL((url) => url.pathname === '/login', { timeout: UI_TIMEOUT_MS });
    const notice = page().locator('.auth-card [role="status"]').filter({ hasText: 'Setup is complete' });
    await notice.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await notice.textContent()).toContain(ADMIN.username);
    expect(await page().getByRole('heading', { level: 1 }).textContent()).toBe(`Log in to ${SITE_NAME}`);
    await screenshot(page(), 'setup-login');
  });

  it('shows setup as complete when the second tab finishes too', async () => {
    await secondTab!.getByTestId('setup-finish').click();

    await secondTab!.getByTestId('setup-complete').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await secondTab!.getByRole('alert').count()).toBe(0);
    await secondTab!.getByRole('link', { name: 'Go to the login page' }).click();
    await secondTab!.waitForURL((url) => url.pathname === '/login', { timeout: UI_TIMEOUT_MS });
    await secondTab!.getByRole('heading', { level: 1, name: `Log in to ${SITE_NAME}` }).waitFor({ timeout: UI_TIMEOUT_MS });
    await secondTab!.close();
  });

  it('logs in as the new admin and shows the device', async () => {
    await logInThroughUi(page(), edgeUrl, ADMIN.username, ADMIN.password);

    await page().getByRole('heading', { level: 1, name: SITE_NAME }).waitFor({ timeout: UI_TIMEOUT_MS });
    const table = page().getByTestId('device-status-table');
    await table.filter({ hasText: DEVICE_NAME }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await table.textContent()).toContain(DEVICE_NAME);
  });

  it('shows setup as complete on /setup', async () => {
    await page().goto(`${edgeUrl}/setup`);

    await page().getByTestId('setup-complete').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page().getByRole('heading', { level: 1 }).textContent()).toBe('Setup is complete');
    expect(await page().getByRole('link', { name: 'Go to the login page' }).getAttribute('href')).toBe('/login');
    await screenshot(page(), 'setup-complete');
  });

  it('logs no unexpected console error', () => {
    // Chromium logs a failed resource load for the 401 of the wrong code and the 400 of the bad cloud
    // URL. It also logs one for the second tab's finish after the first one finished, and for the
    // checks of /api/instance while the node closes its port and starts its site after finish.
    const expected = (error: ConsoleError) =>
      error.source === 'console' &&
      ((error.location.endsWith('/api/setup/unlock') && error.text.includes('status of 401')) ||
        (error.location.endsWith('/api/setup/pair') && error.text.includes('status of 400')) ||
        (error.location.endsWith('/api/setup/finish') && /status of (401|404|409|503)/.test(error.text)) ||
        (error.location.endsWith('/api/instance') && /ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|status of 503/.test(error.text)));

    expect(browser!.consoleErrors.filter((error) => !expected(error))).toEqual([]);
    browser!.expectNoExternalRequests();
  });
});
