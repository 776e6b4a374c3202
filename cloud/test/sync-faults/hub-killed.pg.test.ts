import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHAPE_LIVE_HOLD_MS } from '../../src/shapes/routes';
import { spawnHub, watchLog } from '../cli/start-hub';
import { modbusTcpMeter } from '../devices/sample-devices';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { pairEdge, sparePort, startEdge, stopProcess, waitForEdge, type EdgeProcess } from './edge-process';

/*
 * The hub runs as a real `cloud start` process and is SIGKILLed while the edge has a live shape
 * request open. A device created while it is down must reach the edge once the hub is back on the same
 * port, with the same edge process still running.
 */

let fixture: CloudFixture;
let ctx: SiteRoles;
let port: number;
let hub: ChildProcess | undefined;
let hubLog: ReturnType<typeof watchLog>;
let dataDir: string;
let edge: EdgeProcess | undefined;

/** Starts `cloud start` on `port` against the fixture's database and waits until it listens. */
async function startHub(): Promise<void> {
  hub = spawnHub(fixture, fixture.keysDir, { PORT: String(port) });
  hubLog = watchLog(hub);
  await hubLog.waitFor('cloud hub listening');
}

beforeAll(async () => {
  fixture = await createCloudFixture('sync_hub_killed');
  ctx = await seedSiteRoles(fixture);
  port = await sparePort();
  await startHub();
  dataDir = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId, `http://127.0.0.1:${port}`);
}, 60_000);

afterAll(async () => {
  await stopProcess(edge?.child);
  await stopProcess(hub);
  await fixture?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function createDevice(key: string): Promise<void> {
  // Through the in-process app on the same database, so it works while the hub process is down.
  const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/devices`, { device: modbusTcpMeter(key) });
  if (status !== 201) throw new Error(`creating device ${key} failed with ${status}: ${JSON.stringify(body)}`);
}

/** Milliseconds since the hub logged its last response to a devices shape request. */
function sinceLastDevicesResponseMs(): number {
  const responses = hubLog.lines.filter((line) => line.msg === 'request' && line.path === '/api/edge/shapes/devices');
  const last = responses.at(-1);
  return last === undefined ? Number.POSITIVE_INFINITY : Date.now() - Number(last.time);
}

describe('hub killed during a live request', () => {
  it('catches up after the hub restarts', async () => {
    edge = startEdge(dataDir);
    const edgePid = edge.child.pid;
    await waitForEdge(dataDir, (rows) => rows.shapeState.some((state) => state.shape === 'devices'));
    await createDevice('before-kill');
    const live = await waitForEdge(dataDir, (rows) => rows.devices.some((device) => device.key === 'before-kill'));
    expect(live.devices.map((device) => device.key)).toEqual(['before-kill']);

    // The edge sends the next live request as soon as it has a response, and the hub keeps it open for
    // SHAPE_LIVE_HOLD_MS, so a response logged well within that time means a request is held now.
    const sinceResponseMs = sinceLastDevicesResponseMs();
    expect(sinceResponseMs).toBeLessThan(SHAPE_LIVE_HOLD_MS / 2);
    await stopProcess(hub, 'SIGKILL');
    expect(hub!.signalCode).toBe('SIGKILL');

    await createDevice('while-down');
    await startHub();
    const caughtUp = await waitForEdge(dataDir, (rows) => rows.devices.some((device) => device.key === 'while-down'), 90_000);

    expect(caughtUp.devices.map((device) => device.key).sort()).toEqual(['before-kill', 'while-down']);
    expect(edge.child.exitCode).toBeNull();
    expect(edge.child.pid).toBe(edgePid);
  }, 150_000);
});
