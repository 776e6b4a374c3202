import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, loginToEdge, loginToHub, screenshot, sendJson, stackRoles, startStack, waitUntil, type FullStack, type TestBrowser } from './harness';

/*
 * The harness itself. A full stack comes up with the edge paired and connected, and every seeded user
 * logs in on both sides. Chromium reaches the edge while every outside request is blocked. The hub
 * process stops and starts again for outage tests.
 */

let stack: FullStack | undefined;
let browser: TestBrowser | undefined;
let shotDir: string | undefined;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    if (shotDir !== undefined) rmSync(shotDir, { recursive: true, force: true });
    await stack?.stop();
  }
});

describe('end-to-end stack', () => {
  it('serves edge and hub health', async () => {
    const edgeHealth = await sendJson(stack!.edge.url, 'GET', '/api/health');
    const hubHealth = await sendJson(stack!.hub.url, 'GET', '/healthz');

    expect(edgeHealth.status).toBe(200);
    expect(edgeHealth.body, JSON.stringify(edgeHealth.body)).toMatchObject({ site: stack!.edge.siteFile.site.id, store: { ok: true } });
    // The replayed data sets have gaps, where a Modbus simulator sends no response, so a device may be offline for a moment and the edge degraded.
    expect(['ok', 'degraded'], JSON.stringify(edgeHealth.body)).toContain((edgeHealth.body as { status?: string }).status);
    expect(hubHealth.status).toBe(200);
    expect(hubHealth.body).toEqual({ status: 'ok' });
  });

  it('shows the edge connected in the hub', async () => {
    const status = await stack!.hub.syncStatus();

    expect(status.siteId).toBe(stack!.hub.siteId);
    expect(status.liveConnected).toBe(true);
    expect(status.lastContactAt).not.toBeNull();
  });

  it('logs in every role on hub and edge', async () => {
    for (const role of stackRoles) {
      const user = stack!.hub.users[role];
      const hubToken = await loginToHub(stack!.hub.url, user.email, user.password);
      const permissions = await sendJson(stack!.hub.url, 'GET', `/api/sites/${stack!.hub.siteId}/permissions`, { token: hubToken });
      const edgeToken = await loginToEdge(stack!.edge.url, user.email, user.password);
      const edgeSite = await sendJson(stack!.edge.url, 'GET', '/api/site', { token: edgeToken });

      expect(permissions.status, `hub permissions of ${role}`).toBe(200);
      expect(permissions.body, `hub role of ${role}`).toMatchObject({ role });
      expect(edgeSite.status, `edge site of ${role}`).toBe(200);
    }
  });

  it('logs in the local installer on the edge', async () => {
    const { username, password } = stack!.edge.localAdmin;

    const token = await loginToEdge(stack!.edge.url, username, password);

    expect(token.length).toBeGreaterThan(20);
  });

  it('rejects a wrong hub password', async () => {
    const viewer = stack!.hub.users.viewer;

    const response = await sendJson(stack!.hub.url, 'POST', '/api/auth/login', { body: { email: viewer.email, password: `${viewer.password}-wrong` } });

    expect(response.status).toBe(401);
  });

  it('opens edge health in Chromium', async () => {
    browser = await launchBrowser();

    const response = await browser.page.goto(`${stack!.edge.url}/api/health`);
    const body = JSON.parse((await browser.page.textContent('body')) ?? '') as { status?: string; site?: string };

    expect(response?.status()).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.site).toBe(stack!.edge.siteFile.site.id);
    expect(browser.consoleErrors).toEqual([]);
  });

  it('blocks requests outside loopback', async () => {
    const page = await browser!.newPage();
    await page.goto(`${stack!.edge.url}/api/health`);
    // The probe goes to 127.0.0.2, a loopback address outside the allowed hosts (127.0.0.1, ::1, localhost),
    // so a request that got past both the route and the resolver rule would still stay on this machine.
    const outcome = await page.evaluate(() =>
      fetch('http://127.0.0.2:9/probe').then(
        () => 'loaded',
        () => 'failed',
      ),
    );

    expect(outcome).toBe('failed');
    expect(browser!.externalRequests).toEqual(['http://127.0.0.2:9/probe']);
    expect(() => browser!.expectNoExternalRequests()).toThrow('127.0.0.2');
    browser!.externalRequests.length = 0;
    await page.close();
  });

  it('saves a screenshot as PNG', async () => {
    shotDir = mkdtempSync(join(tmpdir(), 'e2e-shots-'));

    const path = await screenshot(browser!.page, 'edge-health-tablet', { viewport: 'tablet', dir: shotDir });
    const png = readFileSync(path);

    expect(path).toBe(join(shotDir, 'edge-health-tablet.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1180);
    expect(png.readUInt32BE(20)).toBe(820);
  });

  it('survives a hub outage', async () => {
    const { hub, edge } = stack!;
    const viewer = hub.users.viewer;

    await hub.stop();
    const offline = await waitUntil(async () => ((await edge.syncStatus()).liveConnected ? undefined : true), {
      description: 'the edge to see its uplink closed',
      timeoutMs: 60_000,
    });
    const hubDown = await fetch(`${hub.url}/healthz`).then(
      () => 'answered',
      () => 'refused',
    );
    const offlineToken = await loginToEdge(edge.url, viewer.email, viewer.password);
    await hub.start();
    await hub.waitForEdgeConnected();
    const edgeStatus = await edge.syncStatus();

    expect(offline).toBe(true);
    expect(hubDown).toBe('refused');
    expect(offlineToken.length).toBeGreaterThan(20);
    expect(edgeStatus.liveConnected).toBe(true);
  });
});
