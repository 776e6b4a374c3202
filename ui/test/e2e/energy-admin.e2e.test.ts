import createClient, { type Client } from 'openapi-fetch';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError } from '../../src/api/api-error';
import type { paths as CloudPaths } from '../../src/api/generated/cloud-api';
import { loadEnergySettings, saveEnergySettings } from '../../src/components/energy-settings/energy-settings-api';
import { fieldErrorsFromSaveError } from '../../src/components/energy-settings/field-errors';
import { formToSettings } from '../../src/components/energy-settings/settings-check';
import { newPeriodForm, newSeasonForm, newTariffForm, newVirtualMeterForm, settingsToForm } from '../../src/components/energy-settings/settings-form';
import { downloadOrganizationEnergyCsv, loadOrganizationEnergy } from '../../src/pages/energy/organization-energy-api';
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
 * The cloud-only energy pages against a real hub. First the pages' API modules run against the hub's
 * routes, so the settings the editor builds are the ones the hub accepts. Then, in Chromium, a site
 * manager saves a time-of-use tariff and a virtual meter, then a formula that the hub rejects, and is
 * asked before unsaved changes are lost. An org admin opens the organization energy view, and the nav
 * shows that view to org admins only. A save after the currency changed elsewhere offers the new
 * currency, and an admin of another organization gets a "Site not available" message.
 */

/** Time for a page or a save on a loaded machine. */
const UI_TIMEOUT_MS = 60_000;
/** A phone held upright, in CSS pixels. */
const PHONE_VIEWPORT = { width: 390, height: 844 };
/** A month before the stack started, so the hub has no data for it. */
const MONTH_WITHOUT_DATA = '2026-10-15';

interface SettingsRecord {
  currency: string;
  settings: {
    tariffs: { validFrom: string; tariff: { currency: string; timeZone: string; import: Record<string, unknown>; export?: { pricePerKwh: number }; demand?: { pricePerKw: number } } }[];
    virtualMeters: { id: string; name: string; unit: string; formula: string }[];
  };
  meters: { id: string; name: string | null; unit: string }[];
}

let stack: FullStack | undefined;
let browser: TestBrowser | undefined;
let siteTimeZone = '';
let managerPage: Page | undefined;
/** A power or energy point of the site that the virtual meter's formula names. */
let meter: { id: string; unit: string } | undefined;
let siteName = '';

const settingsPath = () => `/api/sites/${stack!.hub.siteId}/energy-settings`;

/** Logs `user` in at the hub and opens `path`. */
async function openHubAs(user: StackUser, path: string): Promise<Page> {
  const page = await pageWithoutSession(browser!);
  await logInThroughUi(page, stack!.hub.url, user.email, user.password);
  await page.goto(`${stack!.hub.url}${path}`);
  return page;
}

/** Sets the organization's currency through the hub's API as the org admin. */
async function setOrganizationCurrency(currency: string): Promise<void> {
  const orgAdmin = stack!.hub.users.org_admin;
  const token = await loginToHub(stack!.hub.url, orgAdmin.email, orgAdmin.password);
  await expectJson(stack!.hub.url, 'PATCH', `/api/organizations/${stack!.hub.organizationId}`, 200, { token, body: { currency } });
}

async function readSettings(): Promise<SettingsRecord> {
  const manager = stack!.hub.users.site_manager;
  const token = await loginToHub(stack!.hub.url, manager.email, manager.password);
  return (await expectJson(stack!.hub.url, 'GET', settingsPath(), 200, { token })) as SettingsRecord;
}

/** Returns a hub client of the pages' type that sends the token of a seeded user. */
async function clientAs(role: StackRole): Promise<Client<CloudPaths>> {
  const user = stack!.hub.users[role];
  const token = await loginToHub(stack!.hub.url, user.email, user.password);
  return createClient<CloudPaths>({ baseUrl: stack!.hub.url, headers: { Authorization: `Bearer ${token}` } });
}

/**
 * Lists the elements that stick out past the right edge of the viewport, deepest first, as
 * `tag#id.class (right edge px)`, so a phone would need sideways scrolling to see them. Content inside a
 * scrolling container, such as a wide table in `.table-wrap`, does not count.
 */
async function elementsPastRightEdge(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrollsSideways = (element: Element) => ['auto', 'scroll'].includes(getComputedStyle(element).overflowX);
    const clipped = (element: Element) => {
      for (let parent = element.parentElement; parent; parent = parent.parentElement) if (scrollsSideways(parent)) return true;
      return false;
    };
    const describe = (element: Element) => {
      const id = element.id ? `#${element.id}` : '';
      const classes = element.classList.length > 0 ? `.${[...element.classList].join('.')}` : '';
      return `${element.tagName.toLowerCase()}${id}${classes} (${Math.round(element.getBoundingClientRect().right)} px)`;
    };
    const past = [...document.body.querySelectorAll('*')].filter((element) => element.getBoundingClientRect().right > width + 1 && !clipped(element));
    return past.filter((element) => !past.some((other) => other !== element && element.contains(other))).map(describe);
  });
}

beforeAll(async () => {
  stack = await startStack({ simulators: ['sdm630'] });
  const adminToken = await loginToHub(stack.hub.url, stack.hub.admin.email, stack.hub.admin.password);
  const site = (await expectJson(stack.hub.url, 'GET', `/api/sites/${stack.hub.siteId}`, 200, { token: adminToken })) as { name: string; timeZone: string };
  siteName = site.name;
  siteTimeZone = site.timeZone;
  const record = await readSettings();
  meter = record.meters.find((candidate) => candidate.unit === 'kWh' || candidate.unit === 'Wh') ?? record.meters[0];
});

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    await stack?.stop();
  }
});

describe('energy API modules against the hub', () => {
  it('lists the site meters', () => {
    expect(meter, 'the hub lists no power or energy meter of the sdm630 site').toBeDefined();
  });

  it('saves the settings the editor builds', async () => {
    const cloud = await clientAs('site_manager');
    const loaded = await loadEnergySettings(cloud, stack!.hub.siteId);
    const form = settingsToForm(loaded.settings);
    const season = { ...newSeasonForm(), name: 'All year', periods: [{ ...newPeriodForm(), name: 'Day', pricePerKwh: '0.3' }] };
    form.tariffs.push({ ...newTariffForm('2026-01-01'), importKind: 'time-of-use', defaultPricePerKwh: '0.2', seasons: [season], exportPricePerKwh: '0.07' });
    form.virtualMeters.push({ ...newVirtualMeterForm(), id: 'api-meter', name: 'API meter', unit: meter!.unit as 'kWh', formula: `{${meter!.id}}` });
    const check = formToSettings(form, { currency: loaded.currency, timeZone: siteTimeZone, meters: loaded.meters });
    await saveEnergySettings(cloud, stack!.hub.siteId, check.settings!);
    const saved = await loadEnergySettings(cloud, stack!.hub.siteId);

    expect(check.errors).toEqual({});
    expect(check.formulaWarnings).toEqual({});
    expect(saved.settings).toEqual(check.settings);
    expect(saved.updatedBy).toBe(stack!.hub.users.site_manager.id);
  });

  it('maps a rejected formula to its field', async () => {
    const cloud = await clientAs('site_manager');
    const loaded = await loadEnergySettings(cloud, stack!.hub.siteId);
    const settings = { ...loaded.settings, virtualMeters: [{ id: 'api-meter', name: 'API meter', unit: meter!.unit as 'kWh', formula: `{${meter!.id}} + {no-such-device.energy}` }] };
    const failure = await saveEnergySettings(cloud, stack!.hub.siteId, settings).catch((error: unknown) => error);
    const errors = fieldErrorsFromSaveError(failure, describeError);

    expect(Object.keys(errors)).toEqual(['virtualMeters[0].formula']);
    expect(errors['virtualMeters[0].formula']![0]).toContain('unknown meter "no-such-device.energy"');
    expect(errors['virtualMeters[0].formula']![0]).toContain('virtual meter "api-meter" (virtualMeters[0])');
  });

  it('rejects a viewer save', async () => {
    const cloud = await clientAs('viewer');
    const failure = await saveEnergySettings(cloud, stack!.hub.siteId, { tariffs: [], virtualMeters: [], gridEmissionFactorGPerKwh: null, nightWindow: { fromHour: 0, toHour: 5 } }).catch(
      (error: unknown) => error,
    );

    expect(failure).toMatchObject({ status: 403 });
  });

  it('shows an org admin the organization sites', async () => {
    const cloud = await clientAs('org_admin');
    const energy = await loadOrganizationEnergy(cloud, stack!.hub.organizationId, { kind: 'month', date: '2026-03-15' });

    expect(energy.organizationId).toBe(stack!.hub.organizationId);
    expect(energy.sites.map((site) => site.siteId)).toContain(stack!.hub.siteId);
    expect(energy.sites.find((site) => site.siteId === stack!.hub.siteId)?.siteName).toBe(siteName);
  });

  it('downloads the organization CSV', async () => {
    const cloud = await clientAs('org_admin');
    const { blob, fileName } = await downloadOrganizationEnergyCsv(cloud, stack!.hub.organizationId, { kind: 'month', date: '2026-03-15' });

    expect(fileName).toMatch(/\.csv$/);
    expect(await blob.text()).toContain(siteName);
  });

  it('rejects the organization view for a site manager', async () => {
    const cloud = await clientAs('site_manager');
    const failure = await loadOrganizationEnergy(cloud, stack!.hub.organizationId, { kind: 'month', date: '2026-03-15' }).catch((error: unknown) => error);

    expect(failure).toMatchObject({ status: 403 });
  });
});

describe('site energy settings in the browser', () => {
  beforeAll(async () => {
    // The API tests above saved settings; the editor starts from none.
    const manager = stack!.hub.users.site_manager;
    const token = await loginToHub(stack!.hub.url, manager.email, manager.password);
    await expectJson(stack!.hub.url, 'PUT', settingsPath(), 200, { token, body: {} });
    browser ??= await launchBrowser();
  });

  it('saves a time-of-use tariff and a virtual meter', async () => {
    const manager = stack!.hub.users.site_manager;
    managerPage = await pageWithoutSession(browser!);
    const page = managerPage;
    await logInThroughUi(page, stack!.hub.url, manager.email, manager.password);
    await page.goto(`${stack!.hub.url}/sites/${stack!.hub.siteId}`);
    await page.getByTestId('nav-energy-settings').click();
    const form = page.getByTestId('energy-settings-form');
    await form.waitFor({ timeout: UI_TIMEOUT_MS });

    await page.getByTestId('add-tariff').click();
    const tariff = page.getByTestId('tariff-0');
    await tariff.getByLabel('Valid from').fill('2026-01-01');
    await tariff.getByTestId('tariff-kind-time-of-use').check();
    await tariff.getByLabel(/^Default price per kWh/).fill('0.22');
    await tariff.getByTestId('add-season').click();
    const season = tariff.getByTestId('season-0');
    await season.getByLabel('Name', { exact: true }).first().fill('All year');
    const period = season.getByTestId('period-0');
    await period.getByLabel('Name', { exact: true }).fill('Day');
    await period.getByLabel('From (HH:MM)').fill('08:00');
    await period.getByLabel('To (HH:MM)').fill('20:00');
    await period.getByLabel(/^Price per kWh/).fill('0.31');
    await period.getByLabel('Saturday').check();
    await tariff.getByLabel(/^Feed-in price per kWh/).fill('0.08');
    await tariff.getByLabel(/^Demand charge per kW/).fill('9.5');

    await page.getByTestId('add-virtual-meter').click();
    const virtualMeter = page.getByTestId('virtual-meter-0');
    await virtualMeter.getByLabel('Id', { exact: true }).fill('house-total');
    await virtualMeter.getByLabel('Name', { exact: true }).fill('House total');
    await virtualMeter.getByLabel('Unit').selectOption(meter!.unit);
    await virtualMeter.getByTestId('meter-picker').selectOption(meter!.id);
    await virtualMeter.getByTestId('insert-meter').click();
    await virtualMeter.getByLabel('Formula').press('End');
    await virtualMeter.getByLabel('Formula').pressSequentially(' * 2');

    await page.getByTestId('save-energy-settings').click();
    await page.getByTestId('energy-settings-saved').waitFor({ timeout: UI_TIMEOUT_MS });
    const saved = await readSettings();

    expect(saved.settings.tariffs).toHaveLength(1);
    expect(saved.settings.tariffs[0]!.validFrom).toBe('2026-01-01');
    expect(saved.settings.tariffs[0]!.tariff.currency).toBe(saved.currency);
    expect(saved.settings.tariffs[0]!.tariff.import).toEqual({
      kind: 'time-of-use',
      defaultPricePerKwh: 0.22,
      seasons: [{ name: 'All year', from: '01-01', to: '12-31', periods: [{ name: 'Day', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], from: '08:00', to: '20:00', pricePerKwh: 0.31 }] }],
    });
    expect(saved.settings.tariffs[0]!.tariff.export).toEqual({ pricePerKwh: 0.08 });
    expect(saved.settings.tariffs[0]!.tariff.demand).toEqual({ pricePerKw: 9.5, intervalMinutes: 15 });
    expect(saved.settings.virtualMeters).toEqual([{ id: 'house-total', name: 'House total', unit: meter!.unit, formula: `{${meter!.id}} * 2` }]);
    expect(withoutSessionProbe(browser!.consoleErrors)).toEqual([]);
  });

  it('shows the hub message on a rejected formula', async () => {
    const page = managerPage!;
    await page.reload();
    const formula = page.getByTestId('virtual-meter-0').getByLabel('Formula');
    await formula.waitFor({ timeout: UI_TIMEOUT_MS });
    await formula.fill(`{${meter!.id}} + {no-such-device.energy}`);
    await page.getByTestId('save-energy-settings').click();
    const fieldError = page.getByTestId('error-virtualMeters[0].formula');
    await fieldError.filter({ hasText: 'virtualMeters[0]' }).waitFor({ timeout: UI_TIMEOUT_MS });
    const saved = await readSettings();

    // The hub's own wording names the meter with its index, which the client-side check does not.
    expect(await fieldError.textContent()).toContain('virtual meter "house-total" (virtualMeters[0])');
    expect(await fieldError.textContent()).toContain('unknown meter "no-such-device.energy"');
    expect(await formula.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('energy-settings-errors');
    expect(await page.getByTestId('energy-settings-errors').textContent()).toContain('no-such-device.energy');
    expect(saved.settings.virtualMeters[0]!.formula).toBe(`{${meter!.id}} * 2`);
  });

  it('fits a phone', async () => {
    const page = managerPage!;
    await page.setViewportSize(PHONE_VIEWPORT);

    expect(await elementsPastRightEdge(page)).toEqual([]);
  });

  it('asks before unsaved changes are lost', async () => {
    const page = await openHubAs(stack!.hub.users.site_manager, `/admin/sites/${stack!.hub.siteId}/energy`);
    const settingsUrl = page.url();
    const factor = page.getByLabel('Grid emission factor (g CO2 per kWh)');
    await page.getByTestId('energy-settings-form').waitFor({ timeout: UI_TIMEOUT_MS });
    await factor.fill('401');
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    await page.getByRole('link', { name: 'Site energy report' }).click();
    await page.waitForTimeout(2_000);

    expect(dialogs).toEqual(['The energy settings have unsaved changes. Leave the page and lose them?']);
    expect(page.url()).toBe(settingsUrl);
    expect(await factor.inputValue()).toBe('401');
    await page.close();
  });

  it('is read-only for a viewer', async () => {
    const viewer = stack!.hub.users.viewer;
    const page = await pageWithoutSession(browser!);
    await logInThroughUi(page, stack!.hub.url, viewer.email, viewer.password);
    await page.goto(`${stack!.hub.url}/admin/sites/${stack!.hub.siteId}/energy`);
    await page.getByTestId('energy-settings-read-only').waitFor({ timeout: UI_TIMEOUT_MS });

    expect(await page.getByTestId('save-energy-settings').count()).toBe(0);
    expect(await page.getByTestId('virtual-meter-0').getByLabel('Formula').isDisabled()).toBe(true);
    await page.close();
  });
});

describe('organization energy in the browser', () => {
  beforeAll(async () => {
    browser ??= await launchBrowser();
  });

  it('shows the organization sites to an org admin', async () => {
    const orgAdmin = stack!.hub.users.org_admin;
    // The rejected save above logged a 422 on purpose, so only this page's console errors count.
    const earlierErrors = browser!.consoleErrors.length;
    const page = await pageWithoutSession(browser!);
    await logInThroughUi(page, stack!.hub.url, orgAdmin.email, orgAdmin.password);
    await page.getByTestId('nav-organization-energy').click();
    const row = page.getByTestId(`energy-site-${stack!.hub.siteId}`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    const link = row.getByRole('link', { name: siteName });
    const totals = page.getByTestId('energy-totals');
    const download = page.waitForEvent('download', { timeout: UI_TIMEOUT_MS });
    await page.getByTestId('organization-energy-csv').click();
    const fileName = (await download).suggestedFilename();
    await page.setViewportSize(PHONE_VIEWPORT);

    expect(new URL(page.url()).pathname).toBe('/energy');
    expect(await link.getAttribute('href')).toBe(`/sites/${stack!.hub.siteId}/energy`);
    expect(await totals.textContent()).toContain('total');
    expect(fileName).toMatch(/\.csv$/);
    expect(await elementsPastRightEdge(page)).toEqual([]);
    expect(withoutSessionProbe(browser!.consoleErrors.slice(earlierErrors))).toEqual([]);
    await page.close();
  });

  it('changes the organization currency', async () => {
    const orgAdmin = stack!.hub.users.org_admin;
    const manager = stack!.hub.users.site_manager;
    const page = await pageWithoutSession(browser!);
    await logInThroughUi(page, stack!.hub.url, orgAdmin.email, orgAdmin.password);
    await page.goto(`${stack!.hub.url}/admin/organizations`);
    const form = page.getByTestId('organization-currency-form');
    await form.waitFor({ timeout: UI_TIMEOUT_MS });
    const status = page.getByTestId('organization-currency-status');

    // The site still has the tariff in EUR saved above, so the hub rejects the change.
    await form.getByTestId('organization-currency-input').fill('CHF');
    await form.getByRole('button', { name: 'Save' }).click();
    await status.waitFor({ timeout: UI_TIMEOUT_MS });
    const rejection = await status.textContent();

    const managerToken = await loginToHub(stack!.hub.url, manager.email, manager.password);
    await expectJson(stack!.hub.url, 'PUT', settingsPath(), 200, { token: managerToken, body: {} });
    await form.getByRole('button', { name: 'Save' }).click();
    await status.filter({ hasText: 'set to CHF' }).waitFor({ timeout: UI_TIMEOUT_MS });
    const adminToken = await loginToHub(stack!.hub.url, orgAdmin.email, orgAdmin.password);
    const organizations = (await expectJson(stack!.hub.url, 'GET', '/api/organizations', 200, { token: adminToken })) as { organizations: { id: string; currency: string }[] };

    expect(rejection).toContain('cannot change from EUR to CHF');
    expect(await status.getAttribute('role')).toBe('status');
    expect(organizations.organizations.find((organization) => organization.id === stack!.hub.organizationId)?.currency).toBe('CHF');
    await page.close();
  });

  it('offers the new currency after it changed', async () => {
    // The test above left the site without tariffs and the organization in CHF.
    const page = await openHubAs(stack!.hub.users.site_manager, `/admin/sites/${stack!.hub.siteId}/energy`);
    await page.getByTestId('energy-settings-form').waitFor({ timeout: UI_TIMEOUT_MS });
    await setOrganizationCurrency('EUR');
    await page.getByTestId('add-tariff').click();
    const tariff = page.getByTestId('tariff-0');
    await tariff.getByLabel('Valid from').fill('2026-01-01');
    await tariff.getByLabel('Price per kWh (CHF)', { exact: true }).fill('0.27');

    await page.getByTestId('save-energy-settings').click();
    const conflict = page.getByTestId('energy-settings-currency-conflict');
    await conflict.waitFor({ timeout: UI_TIMEOUT_MS });
    const conflictText = await conflict.textContent();
    await page.getByTestId('energy-settings-load-currency').click();
    await page.getByTestId('energy-settings-currency-loaded').waitFor({ timeout: UI_TIMEOUT_MS });
    const priceAfterReload = await tariff.getByLabel('Price per kWh (EUR)', { exact: true }).inputValue();
    await page.getByTestId('save-energy-settings').click();
    await page.getByTestId('energy-settings-saved').waitFor({ timeout: UI_TIMEOUT_MS });
    const saved = await readSettings();

    expect(conflictText).toContain('no longer CHF');
    expect(conflictText).toContain('Your edits are kept');
    expect(priceAfterReload).toBe('0.27');
    expect(saved.settings.tariffs.map((entry) => entry.tariff.currency)).toEqual(['EUR']);
    await page.close();
  });

  it('shows no peak for a month without data', async () => {
    const page = await openHubAs(stack!.hub.users.org_admin, `/energy?period=month&date=${MONTH_WITHOUT_DATA}`);
    const row = page.getByTestId(`energy-site-${stack!.hub.siteId}`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    const cells = await row.locator('td').allTextContents();

    // Cells after the site name: consumption, PV, import, export, net cost, peak demand.
    expect(cells[0]).toMatch(/^0\b/);
    expect(cells[5]).toBe('–');
    await page.close();
  });

  it('corrects an unknown period in the link', async () => {
    const page = await openHubAs(stack!.hub.users.org_admin, '/energy?period=decade&date=2026-03-02');
    const notice = page.getByTestId('organization-energy-link-notice');
    await notice.waitFor({ timeout: UI_TIMEOUT_MS });
    await page.waitForURL((url) => url.searchParams.get('period') === 'month', { timeout: UI_TIMEOUT_MS });

    expect(await notice.textContent()).toContain('unknown period "decade"');
    expect(new URL(page.url()).searchParams.get('date')).toBe('2026-03-02');
    await page.close();
  });

  it('hides the nav entry from a site manager', async () => {
    const manager = stack!.hub.users.site_manager;
    const page = await pageWithoutSession(browser!);
    await logInThroughUi(page, stack!.hub.url, manager.email, manager.password);
    await page.getByTestId('cloud-nav').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator('[data-testid^="site-card-"]').first().waitFor({ timeout: UI_TIMEOUT_MS });

    expect(await page.getByTestId('nav-organization-energy').count()).toBe(0);
    browser!.expectNoExternalRequests();
    await page.close();
  });
});

/** Creates a second organization with its own org admin, through the hub's API as the platform admin. */
async function createOtherOrganizationAdmin(): Promise<StackUser> {
  const hubUrl = stack!.hub.url;
  const adminToken = await loginToHub(hubUrl, stack!.hub.admin.email, stack!.hub.admin.password);
  const organization = (await expectJson(hubUrl, 'POST', '/api/organizations', 201, { token: adminToken, body: { name: 'Beta Corp' } })) as { id: string };
  const user = { role: 'org_admin' as const, name: 'Bert Beta', email: 'beta-admin@beta.test', password: stack!.hub.users.org_admin.password };
  const invitation = (await expectJson(hubUrl, 'POST', '/api/users', 201, {
    token: adminToken,
    body: { email: user.email, name: user.name, organizationId: organization.id, organizationRole: 'org_admin' },
  })) as { user: { id: string }; setPasswordUrl: string };
  const token = new URLSearchParams(new URL(invitation.setPasswordUrl).hash.slice(1)).get('token');
  await expectJson(hubUrl, 'POST', '/api/auth/set-password', 204, { body: { token, password: user.password } });
  return { ...user, id: invitation.user.id };
}

// Last in the file, because the second organization it creates changes the platform admin's lists.
describe('energy settings of another organization', () => {
  beforeAll(async () => {
    browser ??= await launchBrowser();
  });

  it('says the site is not available', async () => {
    const outsider = await createOtherOrganizationAdmin();
    const pageErrorsBefore = browser!.consoleErrors.filter((error) => error.source === 'pageerror').length;
    const page = await openHubAs(outsider, `/admin/sites/${stack!.hub.siteId}/energy`);

    await page.getByTestId('site-unavailable').waitFor({ timeout: UI_TIMEOUT_MS });
    const pageErrors = browser!.consoleErrors.filter((error) => error.source === 'pageerror').slice(pageErrorsBefore);

    expect(await page.getByTestId('site-unavailable').textContent()).toContain('Site not available');
    expect(await page.getByText('Loading energy settings…').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
