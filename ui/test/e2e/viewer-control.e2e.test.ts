import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJson, launchBrowser, logInThroughUi, loginToEdge, loginToHub, pageWithoutSession, sendJson, startStack, withoutSessionProbe, type FullStack, type StackUser, type TestBrowser } from './harness';

/*
 * Device control by role. A viewer gets no control form on the edge or in the hub, and both APIs
 * reject the viewer's forged write. A site manager writes an AHU setpoint through the form on either
 * side and sees the result and the lease counting down.
 */

const AHU = 'ahu';
/** Writable AHU setpoints of the demo site (10 to 35 °C, at most 5 °C per command). */
const EDGE_SETPOINT = 'ahu.zone_cooling_setpoint';
/** A second setpoint for the hub's write, because a remote write to a point held by an on-site write is rejected. */
const HUB_SETPOINT = 'ahu.zone_heating_setpoint';
const SETPOINT_MIN_C = 10;
const SETPOINT_MAX_C = 35;

/** Time for a page, a command or a relayed value on a loaded machine. */
const UI_TIMEOUT_MS = 60_000;
/** Lease of the on-site write, long enough to outlast the test. */
const EDGE_LEASE_S = 600;

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

/** Opens the AHU's device page as `user` and waits until the points and the signed-in user are shown. */
async function openAhuAs(user: StackUser, side: 'edge' | 'hub'): Promise<Page> {
  const page = await pageWithoutSession(browser!);
  const baseUrl = side === 'edge' ? stack!.edge.url : stack!.hub.url;
  await logInThroughUi(page, baseUrl, user.email, user.password);
  const path = side === 'edge' ? `/devices/${AHU}` : `/sites/${stack!.hub.siteId}/devices/${AHU}`;
  await page.goto(`${baseUrl}${path}`);
  await page.getByTestId(`point-row-${EDGE_SETPOINT}`).waitFor({ timeout: UI_TIMEOUT_MS });
  // The user's name in the header appears once the app has loaded the user's permissions.
  await page.getByRole('link', { name: user.name }).waitFor({ timeout: UI_TIMEOUT_MS });
  return page;
}

/** Returns a setpoint 1 °C away from the point's present value on the edge, inside its limits. */
async function nextSetpoint(point: string): Promise<number> {
  const token = await loginToEdge(stack!.edge.url, stack!.edge.localAdmin.username, stack!.edge.localAdmin.password);
  const body = (await expectJson(stack!.edge.url, 'GET', `/api/points/${encodeURIComponent(point)}`, 200, { token })) as { value?: unknown };
  const present = typeof body.value === 'number' ? Math.round(body.value) : 22;
  return present + 1 <= SETPOINT_MAX_C ? Math.max(present + 1, SETPOINT_MIN_C) : present - 1;
}

/** Sends a write through the point's control form and confirms it in the dialog. */
async function writeThroughForm(page: Page, point: string, value: number, leaseS?: number): Promise<void> {
  const form = page.getByTestId(`control-form-${point}`);
  await form.getByTestId(`control-value-${point}`).fill(String(value));
  if (leaseS !== undefined) await form.getByTestId(`control-lease-${point}`).fill(String(leaseS));
  await form.getByTestId(`control-submit-${point}`).click();
  const dialog = page.getByTestId(`control-confirm-${point}`);
  await dialog.waitFor({ timeout: UI_TIMEOUT_MS });
  await dialog.getByTestId('confirm-send').click();
}

/** Reads the lease countdown twice, a few seconds apart, and returns both texts. */
async function readCountdownTwice(page: Page, point: string): Promise<[string, string]> {
  const countdown = page.getByTestId(`lease-countdown-${point}`);
  await countdown.waitFor({ timeout: UI_TIMEOUT_MS });
  const before = (await countdown.textContent()) ?? '';
  await page.waitForTimeout(2_500);
  const after = (await countdown.textContent()) ?? '';
  return [before, after];
}

/** Turns a countdown of m:ss or h:mm:ss into seconds. */
function countdownSeconds(text: string): number {
  return text.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

describe('control by role', () => {
  it('hides control from a viewer on the edge', async () => {
    const page = await openAhuAs(stack!.hub.users.viewer, 'edge');

    expect(await page.locator('[data-testid^="control-form-"]').count()).toBe(0);
    expect(await page.getByTestId(`point-row-${EDGE_SETPOINT}`).textContent()).toContain('writable');
    await page.close();
  });

  it('hides control from a viewer in the hub', async () => {
    const page = await openAhuAs(stack!.hub.users.viewer, 'hub');

    expect(await page.locator('[data-testid^="control-form-"]').count()).toBe(0);
    expect(await page.getByTestId(`point-row-${EDGE_SETPOINT}`).textContent()).toContain('writable');
    await page.close();
  });

  it('rejects forged viewer writes', async () => {
    const viewer = stack!.hub.users.viewer;
    const edgeToken = await loginToEdge(stack!.edge.url, viewer.email, viewer.password);
    const hubToken = await loginToHub(stack!.hub.url, viewer.email, viewer.password);
    const body = { value: 22 };

    const onEdge = await sendJson(stack!.edge.url, 'POST', `/api/points/${encodeURIComponent(EDGE_SETPOINT)}/control`, { token: edgeToken, body });
    const onHub = await sendJson(stack!.hub.url, 'POST', `/api/sites/${stack!.hub.siteId}/points/${encodeURIComponent(EDGE_SETPOINT)}/control`, { token: hubToken, body });
    const installerToken = await loginToEdge(stack!.edge.url, stack!.edge.localAdmin.username, stack!.edge.localAdmin.password);
    const leases = (await expectJson(stack!.edge.url, 'GET', '/api/control/leases', 200, { token: installerToken })) as { leases: { point: string }[] };

    expect(onEdge.status, JSON.stringify(onEdge.body)).toBe(403);
    expect(onEdge.body).toMatchObject({ ok: false, code: 'not_permitted' });
    expect(onHub.status, JSON.stringify(onHub.body)).toBe(403);
    expect(leases.leases.map((lease) => lease.point)).not.toContain(EDGE_SETPOINT);
  });

  it('lets a site manager write on the edge', async () => {
    const page = await openAhuAs(stack!.hub.users.site_manager, 'edge');
    const form = page.getByTestId(`control-form-${EDGE_SETPOINT}`);
    await form.waitFor({ timeout: UI_TIMEOUT_MS });
    const target = await nextSetpoint(EDGE_SETPOINT);

    await writeThroughForm(page, EDGE_SETPOINT, target, EDGE_LEASE_S);
    const result = form.getByTestId('control-result');
    await result.waitFor({ timeout: UI_TIMEOUT_MS });
    const outcome = result.locator('[data-outcome]');
    const [before, after] = await readCountdownTwice(page, EDGE_SETPOINT);

    expect(await outcome.getAttribute('data-outcome'), (await result.textContent()) ?? '').toBe('ok');
    expect(await result.getByTestId('control-result-value').textContent()).toContain(String(target));
    expect(before).toMatch(/^\d+:\d{2}$/);
    expect(countdownSeconds(before)).toBeGreaterThan(EDGE_LEASE_S - 120);
    expect(countdownSeconds(after)).toBeLessThan(countdownSeconds(before));
    expect(withoutSessionProbe(browser!.consoleErrors)).toEqual([]);
    await page.close();
  });

  it('lets a site manager write in the hub', async () => {
    const page = await openAhuAs(stack!.hub.users.site_manager, 'hub');
    const form = page.getByTestId(`control-form-${HUB_SETPOINT}`);
    await form.waitFor({ timeout: UI_TIMEOUT_MS });
    const target = await nextSetpoint(HUB_SETPOINT);

    await writeThroughForm(page, HUB_SETPOINT, target);
    const result = form.getByTestId('control-result');
    await result.waitFor({ timeout: UI_TIMEOUT_MS });
    const outcome = result.locator('[data-outcome]');
    const [before, after] = await readCountdownTwice(page, HUB_SETPOINT);

    expect(await outcome.getAttribute('data-outcome'), (await result.textContent()) ?? '').toBe('ok');
    expect(await result.getByTestId('control-result-value').textContent()).toContain(String(target));
    expect(before).toMatch(/^\d+:\d{2}$/);
    expect(countdownSeconds(after)).toBeLessThan(countdownSeconds(before));
    expect(withoutSessionProbe(browser!.consoleErrors)).toEqual([]);
    browser!.expectNoExternalRequests();
    await page.close();
  });
});
