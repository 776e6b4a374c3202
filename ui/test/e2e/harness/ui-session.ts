import type { Locator, Page } from 'playwright-core';
import type { ConsoleError, TestBrowser } from './browser';

/*
 * Steps the browser tests share: opening a page for another user, logging in through the login page,
 * and waiting for a live value on the page to change.
 */

/** Time the app gets to show the login form, and to show its first page after the form is sent. */
const LOGIN_TIMEOUT_MS = 60_000;

/** Pause between two reads of a value that should change. */
const READ_INTERVAL_MS = 250;

/** Texts a live value shows while it has no reading. */
const NO_VALUE_TEXTS = new Set(['', '–', '-', '—']);

/**
 * Opens a new page with no session: the hub's refresh cookie of a previous user is deleted, and a new
 * page starts with empty tab-scoped storage, where the app keeps access tokens.
 */
export async function pageWithoutSession(browser: TestBrowser): Promise<Page> {
  await browser.context.clearCookies();
  return browser.newPage();
}

/**
 * Logs in through the login page of the edge or the hub at `baseUrl` and waits until the app has left
 * it. Throws with the login page's error message when the app stays on it.
 */
export async function logInThroughUi(page: Page, baseUrl: string, identifier: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  const identifierInput = page.locator('#login-identifier');
  try {
    await identifierInput.waitFor({ timeout: LOGIN_TIMEOUT_MS });
  } catch (error) {
    const bodyText = await page.locator('body').innerText({ timeout: 1_000 }).catch(() => '');
    throw new Error(`the login page at ${baseUrl} showed no login form; the page is at ${page.url()} and reads: ${JSON.stringify(bodyText.slice(0, 500))}`, { cause: error });
  }
  await identifierInput.fill(identifier);
  await page.locator('#login-password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  try {
    await page.waitForURL((url) => url.pathname !== '/login', { timeout: LOGIN_TIMEOUT_MS });
  } catch (error) {
    const alert = await page.locator('.auth-card [role="alert"]').allTextContents();
    throw new Error(`logging in as ${identifier} at ${baseUrl} did not leave the login page; its error: ${JSON.stringify(alert)}`, { cause: error });
  }
}

/** Reads the text of a locator, collapsing white space; an element not yet shown reads as the empty string. */
async function textOf(locator: Locator): Promise<string> {
  const text = await locator.textContent({ timeout: 1_000 }).catch(() => null);
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Waits until the element with `data-testid` `testId` shows a value, then until it shows a different
 * one, and returns both texts. Throws naming the last text seen when either does not happen within
 * `timeoutMs` each.
 */
export async function waitForValueChange(page: Page, testId: string, timeoutMs: number): Promise<{ first: string; changed: string }> {
  const locator = page.getByTestId(testId);
  const first = await pollText(locator, timeoutMs, (text) => !NO_VALUE_TEXTS.has(text), `${testId} to show a value`);
  const changed = await pollText(locator, timeoutMs, (text) => !NO_VALUE_TEXTS.has(text) && text !== first, `${testId} to change from "${first}"`);
  return { first, changed };
}

async function pollText(locator: Locator, timeoutMs: number, accept: (text: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = await textOf(locator);
    if (accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last text: "${last}"`);
    await new Promise((resolveWait) => setTimeout(resolveWait, READ_INTERVAL_MS));
  }
}

/**
 * Returns the console errors without the hub's session probe. On every load the hub's app sends
 * `POST /api/auth/refresh` to resume a session from its refresh cookie. Without a session the hub
 * returns 401, and Chromium logs that as a failed resource load.
 */
export function withoutSessionProbe(errors: readonly ConsoleError[]): ConsoleError[] {
  return errors.filter((error) => !(error.source === 'console' && URL.parse(error.location)?.pathname === '/api/auth/refresh' && error.text.includes('status of 401')));
}
