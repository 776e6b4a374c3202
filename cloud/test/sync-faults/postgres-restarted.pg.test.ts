// This import must stay first: it points TEST_POSTGRES_ADMIN_URL at the private server before
// test-database.ts reads it.
import { PRIVATE_POSTGRES_PORT, removePrivatePostgres, restartPrivatePostgres, startPrivatePostgres } from './private-postgres';
import { rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { serve, type Http2Bindings, type HttpBindings, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modbusTcpMeter } from '../devices/sample-devices';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { hubRows, pairEdge, sameRows, startEdge, stopProcess, waitForEdge, type EdgeProcess } from './edge-process';

/*
 * The hub's Postgres server restarts while the edge has a live shape request open. Both the hub's pool
 * and its LISTEN connection must recover without a hub restart, and a change made afterwards must
 * reach the edge. The server is a private instance, so the shared one is never restarted.
 */

let fixture: CloudFixture;
let ctx: SiteRoles;
let server: ServerType;
let dataDir: string;
let edge: EdgeProcess | undefined;
let postgresStarted = false;
/** Live requests of the devices shape whose response has not been sent yet. */
const heldDevicesRequests = new Set<ServerResponse>();

beforeAll(async () => {
  await startPrivatePostgres();
  postgresStarted = true;
  fixture = await createCloudFixture('sync_pg_restart');
  ctx = await seedSiteRoles(fixture);
  const port = await new Promise<number>((listening) => {
    const fetch = (request: Request, env: HttpBindings | Http2Bindings) => {
      const url = new URL(request.url);
      if (url.pathname === '/api/edge/shapes/devices' && url.searchParams.get('live') === 'true') {
        // serve() without another createServer gives plain node:http responses.
        const response = env.outgoing as ServerResponse;
        heldDevicesRequests.add(response);
        response.once('close', () => heldDevicesRequests.delete(response));
      }
      return fixture.app.fetch(request, env);
    };
    server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => listening(info.port));
  });
  dataDir = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId, `http://127.0.0.1:${port}`);
}, 120_000);

afterAll(async () => {
  await stopProcess(edge?.child);
  await new Promise((closed) => (server ? server.close(closed) : closed(undefined)));
  try {
    await fixture?.close();
  } finally {
    if (postgresStarted) await removePrivatePostgres();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);

async function createDevice(key: string): Promise<void> {
  const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/devices`, { device: modbusTcpMeter(key) });
  if (status !== 201) throw new Error(`creating device ${key} failed with ${status}: ${JSON.stringify(body)}`);
}

/**
 * Runs `work` until it succeeds, at most 10 times. Right after the restart, the pooled connections that
 * the server terminated fail their next query once each, so the first calls may fail.
 */
async function retriedAfterRestart<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Returns when the Postgres server started, read through the hub's own pool. */
async function serverStartTime(): Promise<string> {
  const [row] = await fixture.sql<{ started: string }[]>`SELECT pg_postmaster_start_time()::text AS started`;
  return row!.started;
}

/** Polls until a live devices request is held by the hub, for at most `timeoutMs`. */
async function waitForHeldRequest(timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (heldDevicesRequests.size === 0 && Date.now() < deadline) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  return heldDevicesRequests.size;
}

// NOTE: this test failed 2 times in about 15 runs of the four fault files in parallel (never alone):
// once no live request was held before the restart, once the device did not arrive within 90 s. The
// cause is not found; the edge's last log lines are in the failure messages.
describe('hub Postgres restarted', () => {
  it('delivers a change made after the restart', async () => {
    edge = startEdge(dataDir);
    await createDevice('before-restart');
    const synced = await waitForEdge(dataDir, (rows) => rows.devices.some((device) => device.key === 'before-restart'));
    expect(synced.devices.map((device) => device.key)).toEqual(['before-restart']);

    expect(new URL(fixture.db.runtimeUrl).port).toBe(String(PRIVATE_POSTGRES_PORT));
    const startedBefore = await serverStartTime();
    expect(await waitForHeldRequest(), `no live devices request held; edge log: ${JSON.stringify(edge.logLines.slice(-8))}`).toBeGreaterThan(0);
    await restartPrivatePostgres();
    expect(await retriedAfterRestart(serverStartTime)).not.toBe(startedBefore);

    await retriedAfterRestart(() => createDevice('after-restart'));
    const hub = await hubRows(fixture, ctx.siteId);
    expect(hub.devices.map((device) => device.key).sort()).toEqual(['after-restart', 'before-restart']);
    const final = await waitForEdge(dataDir, (rows) => sameRows(rows, hub), 90_000);

    expect(final.devices, `edge log: ${JSON.stringify(edge.logLines.filter((line) => line.level !== 30 || line.shape === 'devices').slice(-6))}`).toEqual(hub.devices);
    expect(final.points).toEqual(hub.points);
    expect(edge.child.exitCode).toBeNull();
  }, 150_000);
});
