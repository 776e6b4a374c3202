import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectJson,
  launchBrowser,
  logInThroughUi,
  loginToHub,
  pageWithoutSession,
  startStack,
  withoutSessionProbe,
  type FullStack,
  type StackRole,
  type StackUser,
  type TestBrowser,
} from './harness';

/*
 * The per-site devices page `/admin/sites/:siteId/devices` against a real hub. A site manager who
 * administers no organization opens it from the site's navigation, changes a roles map entry of the
 * SDM630 sub-meter and saves it, and the hub returns the new role. A viewer and an operator of the site
 * see the devices without any control that changes them, and the site manager of another site of the
 * same organization gets "Site not available" there and on the site's energy settings.
 */

/** Time for a page or a save on a loaded machine. */
const UI_TIMEOUT_MS = 60_000;
/** The SDM630 sub-meter of the demo site. Its roles map sets `total_power` to consumption. */
const DEVICE_KEY = 'house-submeter';
const POINT_KEY = 'total_power';

interface DeviceRecord {
  device: { key: string; roles?: Record<string, string> };
}

let stack: FullStack | undefined;
let browser: TestBrowser | undefined;
let siteName = '';
let deviceId = '';

const devicesPath = () => `/admin/sites/${stack!.hub.siteId}/devices`;

/** Logs `user` in at the hub and opens `path`. */
async function openHubAs(user: StackUser, path: string): Promise<Page> {
  const page = await pageWithoutSession(browser!);
  await logInThroughUi(page, stack!.hub.url, user.email, user.password);
  await page.goto(`${stack!.hub.url}${path}`);
  return page;
}

/** Reads the SDM630 device through the hub's API as a seeded user. */
async function readDevice(role: StackRole): Promise<DeviceRecord> {
  const user = stack!.hub.users[role];
  const token = await loginToHub(stack!.hub.url, user.email, user.password);
  return (await expectJson(stack!.hub.url, 'GET', `/api/devices/${deviceId}`, 200, { token })) as DeviceRecord;
}

/**
 * Creates a second site in the stack's organization and a user who is a member of the organization and
 * site manager of that site only, through the hub's API as the platform admin.
 */
async function createOtherSiteManager(): Promise<{ user: StackUser; siteId: string }> {
  const hubUrl = stack!.hub.url;
  const adminToken = await loginToHub(hubUrl, stack!.hub.admin.email, stack!.hub.admin.password);
  const site = (await expectJson(hubUrl, 'POST', `/api/organizations/${stack!.hub.organizationId}/sites`, 201, {
    token: adminToken,
    body: { name: 'Warehouse', timeZone: 'Europe/Berlin' },
  })) as { id: string };
  const user = { role: 'site_manager' as const, name: 'Wanda Warehouse', email: 'warehouse-manager@acme-other.test', password: stack!.hub.users.site_manager.password };
  const invitation = (await expectJson(hubUrl, 'POST', '/api/users', 201, {
    token: adminToken,
    body: { email: user.email, name: user.name, organizationId: stack!.hub.organizationId, organizationRole: 'member' },
  })) as { user: { id: string }; setPasswordUrl: string };
  await expectJson(hubUrl, 'PUT', `/api/sites/${site.id}/access/${invitation.user.id}`, 200, { token: adminToken, body: { role: 'site_manager' } });
  const token = new URLSearchParams(new URL(invitation.setPasswordUrl).hash.slice(1)).get('token');
  await expectJson(hubUrl, 'POST', '/api/auth/set-password', 204, { body: { token, password: user.password } });
  return { user: { ...user, id: invitation.user.id }, siteId: site.id };
}

beforeAll(async () => {
  stack = await startStack({ simulators: ['sdm630'] });
  const adminToken = await loginToHub(stack.hub.url, stack.hub.admin.email, stack.hub.admin.password);
  const site = (await expectJson(stack.hub.url, 'GET', `/api/sites/${stack.hub.siteId}`, 200, { token: adminToken })) as { name: string };
  siteName = site.name;
  const seededId = stack.hub.deviceIds[DEVICE_KEY];
  if (seededId === undefined) throw new Error(`the stack's hub has no device ${DEVICE_KEY}; its devices: ${Object.keys(stack.hub.deviceIds).join(', ')}`);
  deviceId = seededId;
  browser = await launchBrowser();
});

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    await stack?.stop();
  }
});

describe('site devices page for a site manager', () => {
  it('saves a meter role', async () => {
    const manager = stack!.hub.users.site_manager;
    const before = await readDevice('site_manager');
    const page = await pageWithoutSession(browser!);
    await logInThroughUi(page, stack!.hub.url, manager.email, manager.password);
    await page.goto(`${stack!.hub.url}/sites/${stack!.hub.siteId}`);
    await page.getByTestId('nav-site-devices').click({ timeout: UI_TIMEOUT_MS });
    await page.getByTestId(`device-row-${DEVICE_KEY}`).getByTestId('open-device').click({ timeout: UI_TIMEOUT_MS });
    const row = page.getByTestId(`meter-role-row-${POINT_KEY}`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    const heading = await page.locator('.page-header h1').textContent();

    await row.getByTestId('meter-role-select').selectOption('grid');
    await page.getByTestId('save-meter-roles').click();
    await page.getByTestId('device-status').filter({ hasText: `Meter roles of device ${DEVICE_KEY} saved.` }).waitFor({ timeout: UI_TIMEOUT_MS });
    await row.getByTestId('meter-role-effective').filter({ hasText: 'Grid (import positive)' }).waitFor({ timeout: UI_TIMEOUT_MS });
    const after = await readDevice('site_manager');

    expect(new URL(page.url()).pathname).toBe(devicesPath());
    expect(heading).toBe(`Devices and points of ${siteName}`);
    expect(before.device.roles?.[POINT_KEY]).toBe('consumption');
    expect(after.device.roles?.[POINT_KEY]).toBe('grid');
    expect(await page.getByTestId('site-devices-read-only').count()).toBe(0);
    expect(await page.getByTestId('toggle-create-device').count()).toBe(1);
    expect(withoutSessionProbe(browser!.consoleErrors)).toEqual([]);
    await page.close();
  });

  it('asks before losing a role edit', async () => {
    const page = await openHubAs(stack!.hub.users.site_manager, `${devicesPath()}?device=${deviceId}`);
    const select = page.getByTestId(`meter-role-row-${POINT_KEY}`).getByTestId('meter-role-select');
    await select.waitFor({ timeout: UI_TIMEOUT_MS });
    await select.selectOption('pv');
    const devicesUrl = page.url();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    await page.locator('.page-header').getByRole('link', { name: 'Energy settings' }).click();
    await page.waitForTimeout(2_000);

    expect(dialogs).toEqual(['The open device has unsaved changes. Leave the page and lose them?']);
    expect(page.url()).toBe(devicesUrl);
    expect(await select.inputValue()).toBe('pv');
    expect(await page.getByTestId('save-meter-roles').isEnabled()).toBe(true);
    await page.close();
  });

  it('links from the energy settings', async () => {
    const page = await openHubAs(stack!.hub.users.site_manager, `/admin/sites/${stack!.hub.siteId}/energy`);
    await page.getByTestId('energy-settings-form').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByRole('link', { name: 'Device settings' }).click();
    await page.getByTestId(`device-row-${DEVICE_KEY}`).waitFor({ timeout: UI_TIMEOUT_MS });

    expect(new URL(page.url()).pathname).toBe(devicesPath());
    await page.close();
  });

  it('leaves the admin page to org admins', async () => {
    const page = await openHubAs(stack!.hub.users.site_manager, '/admin/devices');
    const empty = page.getByTestId('empty');
    await empty.waitFor({ timeout: UI_TIMEOUT_MS });

    expect(await empty.textContent()).toBe('You administer no organization.');
    expect(await page.getByTestId('nav-admin').count()).toBe(0);
    await page.close();
  });

  it('links an org admin to the admin page', async () => {
    const page = await openHubAs(stack!.hub.users.org_admin, devicesPath());
    const link = page.getByRole('link', { name: 'Devices admin' });
    await link.waitFor({ timeout: UI_TIMEOUT_MS });
    await link.click();
    await page.getByTestId(`device-row-${DEVICE_KEY}`).waitFor({ timeout: UI_TIMEOUT_MS });
    const url = new URL(page.url());

    expect(url.pathname).toBe('/admin/devices');
    expect(url.searchParams.get('site')).toBe(stack!.hub.siteId);
    expect(url.searchParams.get('org')).toBe(stack!.hub.organizationId);
    await page.close();
  });
});

describe('site devices page below site manager', () => {
  it.each(['viewer', 'operator'] as const)('is read-only for role %s', async (role) => {
    const page = await openHubAs(stack!.hub.users[role], devicesPath());
    await page.getByTestId('site-devices-read-only').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByTestId(`device-row-${DEVICE_KEY}`).getByTestId('open-device').click({ timeout: UI_TIMEOUT_MS });
    const row = page.getByTestId(`meter-role-row-${POINT_KEY}`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });

    expect(await page.getByTestId(`device-row-${DEVICE_KEY}`).getByTestId('open-device').textContent()).toBe('Close');
    expect(await row.locator('td').nth(3).textContent()).toBe('Grid (import positive)');
    expect(await page.getByTestId('meter-role-select').count()).toBe(0);
    expect(await page.getByTestId('save-meter-roles').count()).toBe(0);
    expect(await page.getByTestId('point-role').count()).toBe(0);
    expect(await page.getByTestId('device-settings-form').count()).toBe(0);
    expect(await page.getByTestId('delete-device').count()).toBe(0);
    expect(await page.getByTestId('toggle-create-device').count()).toBe(0);
    await page.close();
  });

  it('shows no nav link to a viewer', async () => {
    const page = await openHubAs(stack!.hub.users.viewer, `/sites/${stack!.hub.siteId}`);
    await page.getByTestId('nav-site').waitFor({ timeout: UI_TIMEOUT_MS });

    expect(await page.getByTestId('nav-site-devices').count()).toBe(0);
    await page.close();
  });
});

// Last in the file, because the second site it creates changes the organization's site lists.
describe('site devices page of another site', () => {
  let other: { user: StackUser; siteId: string } | undefined;

  beforeAll(async () => {
    other = await createOtherSiteManager();
  });

  it('says the site is not available', async () => {
    const pageErrorsBefore = browser!.consoleErrors.filter((error) => error.source === 'pageerror').length;
    const page = await openHubAs(other!.user, devicesPath());
    const unavailable = page.getByTestId('site-unavailable');
    await unavailable.waitFor({ timeout: UI_TIMEOUT_MS });
    const pageErrors = browser!.consoleErrors.filter((error) => error.source === 'pageerror').slice(pageErrorsBefore);

    expect(await unavailable.textContent()).toContain('Site not available');
    expect(await page.getByTestId('devices-table').count()).toBe(0);
    expect(await page.getByText('Loading the site…').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('hides the energy settings too', async () => {
    const page = await openHubAs(other!.user, `/admin/sites/${stack!.hub.siteId}/energy`);
    const unavailable = page.getByTestId('site-unavailable');
    await unavailable.waitFor({ timeout: UI_TIMEOUT_MS });

    expect(await unavailable.textContent()).toContain('Site not available');
    expect(await page.getByTestId('energy-settings-form').count()).toBe(0);
    await page.close();
  });

  it("opens the manager's own site", async () => {
    const page = await openHubAs(other!.user, `/admin/sites/${other!.siteId}/devices`);
    const empty = page.getByTestId('empty');
    await empty.waitFor({ timeout: UI_TIMEOUT_MS });

    expect(await page.locator('.page-header h1').textContent()).toBe('Devices and points of Warehouse');
    expect(await empty.textContent()).toBe('This site has no devices yet.');
    expect(await page.getByTestId('toggle-create-device').count()).toBe(1);
    await page.close();
  });
});
