import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJson, launchBrowser, logInThroughUi, loginToHub, pageWithoutSession, startStack, withoutSessionProbe, type FullStack, type TestBrowser } from './harness';

/*
 * Onboarding through the hub's admin pages: the org admin invites a user and grants access to one of
 * the organization's two sites. The new user sets a password through the invitation link, logs in and
 * sees only that site.
 */

/** Time for a page or an admin action on a loaded machine. */
const UI_TIMEOUT_MS = 60_000;
/** How long the sites overview gets to show a second card that should not be there. */
const SETTLE_MS = 3_000;

const newUser = { name: 'Nina Newcomer', email: 'nina.newcomer@acme.test', password: `nina-${randomBytes(12).toString('base64url')}` };

let stack: FullStack | undefined;
let browser: TestBrowser | undefined;
/** The organization's second site, which the new user is not granted. */
let otherSiteId: string | undefined;
let inviteLink: string | undefined;

beforeAll(async () => {
  stack = await startStack();
  const adminToken = await loginToHub(stack.hub.url, stack.hub.admin.email, stack.hub.admin.password);
  const site = (await expectJson(stack.hub.url, 'POST', `/api/organizations/${stack.hub.organizationId}/sites`, 201, {
    token: adminToken,
    body: { name: 'Harbour Depot', timeZone: 'Europe/Paris', operatorControl: false },
  })) as { id: string };
  otherSiteId = site.id;
  browser = await launchBrowser();
});

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    await stack?.stop();
  }
});

describe('invite and grant in the admin pages', () => {
  it('invites a user', async () => {
    const orgAdmin = stack!.hub.users.org_admin;
    const page = browser!.page;

    await logInThroughUi(page, stack!.hub.url, orgAdmin.email, orgAdmin.password);
    await page.goto(`${stack!.hub.url}/admin/users`);
    const form = page.getByTestId('invite-form');
    await form.waitFor({ timeout: UI_TIMEOUT_MS });
    await form.getByLabel('Email', { exact: true }).fill(newUser.email);
    await form.getByLabel('Name', { exact: true }).fill(newUser.name);
    await form.getByRole('button', { name: 'Invite' }).click();
    const link = page.getByTestId('invite-link');
    await link.waitFor({ timeout: UI_TIMEOUT_MS });
    inviteLink = ((await link.textContent()) ?? '').trim();

    expect(inviteLink).toMatch(new RegExp(`^${stack!.hub.url}/set-password#token=[^&\\s]+$`));
    expect(await page.getByTestId('invite-status').textContent()).toContain(newUser.email);
    await page.getByTestId(`user-row-${newUser.email}`).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId(`user-row-${newUser.email}`).textContent()).toContain('Invited');
  });

  it('grants access to one site', async () => {
    const page = browser!.page;
    const siteId = stack!.hub.siteId;

    await page.goto(`${stack!.hub.url}/admin/access?site=${encodeURIComponent(siteId)}`);
    const form = page.getByTestId('grant-access-form');
    await form.waitFor({ timeout: UI_TIMEOUT_MS });
    const chosenSite = await page.getByTestId('site-picker').inputValue();
    await form.getByTestId('grant-user').selectOption({ label: `${newUser.name} (${newUser.email})` });
    await form.getByTestId('grant-role').selectOption('viewer');
    await form.getByRole('button', { name: 'Grant access' }).click();
    const row = page.getByTestId(`access-row-${newUser.email}`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });

    expect(chosenSite).toBe(siteId);
    expect(await page.getByTestId('access-status').textContent()).toContain(`${newUser.email} may now open Riverside Plant`);
    expect(await row.textContent()).toContain('Viewer');
    expect(withoutSessionProbe(browser!.consoleErrors)).toEqual([]);
  });

  it('sets the password through the link', async () => {
    const page = await pageWithoutSession(browser!);

    await page.goto(inviteLink!);
    const form = page.getByTestId('reset-password-form');
    await form.waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByTestId('new-password').fill(newUser.password);
    await page.getByTestId('repeat-password').fill(newUser.password);
    await page.getByTestId('reset-password-submit').click();
    await page.waitForURL((url) => url.pathname === '/login', { timeout: UI_TIMEOUT_MS });

    expect(await page.locator('.auth-card [role="status"]').first().textContent()).toContain('Your password is set');
    await page.close();
  });

  it('shows the new user only that site', async () => {
    const page = await pageWithoutSession(browser!);

    await logInThroughUi(page, stack!.hub.url, newUser.email, newUser.password);
    const cards = page.locator('[data-testid^="site-card-"]');
    await cards.first().waitFor({ timeout: UI_TIMEOUT_MS });
    await page.waitForTimeout(SETTLE_MS);
    const cardIds = await cards.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid')));
    const adminToken = await loginToHub(stack!.hub.url, stack!.hub.admin.email, stack!.hub.admin.password);
    const organizationSites = (await expectJson(stack!.hub.url, 'GET', `/api/sites?organizationId=${stack!.hub.organizationId}`, 200, { token: adminToken })) as {
      sites: { id: string }[];
    };

    expect(cardIds).toEqual([`site-card-${stack!.hub.siteId}`]);
    expect(organizationSites.sites.map((site) => site.id).sort()).toEqual([stack!.hub.siteId, otherSiteId].sort());
    expect(withoutSessionProbe(browser!.consoleErrors)).toEqual([]);
    browser!.expectNoExternalRequests();
  });
});
