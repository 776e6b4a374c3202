import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJson, launchBrowser, logInThroughUi, loginToEdge, pageWithoutSession, startStack, waitUntil, withoutSessionProbe, type FullStack, type TestBrowser } from './harness';

/*
 * An alarm acknowledged on site reaches the cloud: an operator acknowledges an active alarm on the
 * edge's alarms page, and another user of the site sees it acknowledged on the hub's alarms page once
 * the edge has uploaded the transition.
 */

/** The harness's warning rule, active within seconds because the replayed zone is warmer than 5 °C. */
const RULE = 'zone-above-5c';

/** Time for a page or an action on a loaded machine. */
const UI_TIMEOUT_MS = 60_000;
/** Time for the acknowledgement to travel from the edge to the hub. */
const SYNC_TIMEOUT_MS = 120_000;
let stack: FullStack | undefined;
let browser: TestBrowser | undefined;
/** The hub's alarms page of the viewer, open before the acknowledgement. */
let hubPage: Page | undefined;

beforeAll(async () => {
  stack = await startStack();
  const token = await loginToEdge(stack.edge.url, stack.edge.localAdmin.username, stack.edge.localAdmin.password);
  await waitUntil(
    async () => {
      const body = (await expectJson(stack!.edge.url, 'GET', '/api/alarms', 200, { token })) as { alarms: { ruleId: string; state: string }[] };
      const alarm = body.alarms.find((entry) => entry.ruleId === RULE);
      if (alarm?.state !== 'active_unack') throw new Error(`alarm ${RULE} is ${alarm?.state ?? 'not listed'}: ${JSON.stringify(body.alarms)}`);
      return true;
    },
    { description: `alarm ${RULE} to be active and unacknowledged on the edge`, timeoutMs: 120_000 },
  );
  browser = await launchBrowser();
});

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    await stack?.stop();
  }
});

/** Returns the alarm's state as its badge on the page shows it, or null while the alarm is not listed. */
async function shownState(page: Page): Promise<string | null> {
  const badge = page.getByTestId(`alarm-state-${RULE}`);
  if ((await badge.count()) === 0) return null;
  return badge.getAttribute('data-state');
}

/** Waits until the alarm's badge shows `state`; throws naming the state shown last. */
async function waitForState(page: Page, state: string, timeoutMs: number): Promise<void> {
  await waitUntil(
    async () => {
      const shown = await shownState(page);
      if (shown !== state) throw new Error(`the page shows alarm ${RULE} as ${shown ?? 'not listed'}`);
      return true;
    },
    { description: `${page.url()} to show alarm ${RULE} as ${state}`, timeoutMs },
  );
}

describe('alarm acknowledgement', () => {
  it('lists the alarm in the hub', async () => {
    const viewer = stack!.hub.users.viewer;
    hubPage = await pageWithoutSession(browser!);

    await logInThroughUi(hubPage, stack!.hub.url, viewer.email, viewer.password);
    await hubPage.goto(`${stack!.hub.url}/sites/${stack!.hub.siteId}/alarms`);
    await hubPage.getByTestId(`alarm-state-${RULE}`).waitFor({ timeout: UI_TIMEOUT_MS });

    expect(await shownState(hubPage)).toBe('active_unack');
    // A viewer may not acknowledge, so the hub shows no button for it.
    expect(await hubPage.getByTestId(`alarm-ack-${RULE}`).count()).toBe(0);
  });

  it('acknowledges on the edge', async () => {
    const operator = stack!.hub.users.operator;
    const page = browser!.page;

    await logInThroughUi(page, stack!.edge.url, operator.email, operator.password);
    await page.goto(`${stack!.edge.url}/alarms`);
    const ack = page.getByTestId(`alarm-ack-${RULE}`);
    await ack.waitFor({ timeout: UI_TIMEOUT_MS });
    const before = await shownState(page);
    await ack.click();
    const outcome = page.getByTestId(`alarm-outcome-${RULE}`);
    await outcome.waitFor({ timeout: UI_TIMEOUT_MS });
    await waitForState(page, 'active_ack', UI_TIMEOUT_MS);

    expect(before).toBe('active_unack');
    expect(await outcome.textContent()).toBe('Acknowledged.');
    expect(await page.getByTestId(`alarm-state-${RULE}`).textContent()).toBe('Active, acknowledged');
    expect(await page.getByTestId(`alarm-acked-${RULE}`).textContent()).toContain(operator.name);
    expect(await page.getByTestId(`alarm-ack-${RULE}`).count()).toBe(0);
    expect(withoutSessionProbe(browser!.consoleErrors)).toEqual([]);
  });

  it('updates the open hub page', async () => {
    await waitForState(hubPage!, 'active_ack', SYNC_TIMEOUT_MS);

    expect(await hubPage!.getByTestId(`alarm-state-${RULE}`).textContent()).toBe('Active, acknowledged');
  });

  it('shows the acknowledgement after a reload', async () => {
    await hubPage!.reload();
    await waitForState(hubPage!, 'active_ack', SYNC_TIMEOUT_MS);

    expect(await hubPage!.getByTestId(`alarm-state-${RULE}`).textContent()).toBe('Active, acknowledged');
    expect(await hubPage!.getByTestId(`alarm-acked-${RULE}`).textContent()).toContain(stack!.hub.users.operator.name);
    expect(withoutSessionProbe(browser!.consoleErrors)).toEqual([]);
    browser!.expectNoExternalRequests();
  });
});
