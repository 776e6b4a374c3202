import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareShapeOffsets } from '../../src/shapes/shape-offset';
import { modbusTcpMeter } from '../devices/sample-devices';
import { call, type CloudFixture } from '../support/cloud-fixture';
import type { SiteRoles } from '../support/site-roles';
import { hubRows, readEdge, sameRows, startEdge, stopProcess, waitForEdge, servePairedHub, type EdgeProcess, type PairedHub } from './edge-process';

/*
 * An edge SIGKILLed while it applies a stream of device and point changes must, once restarted,
 * resume from the handle and offset stored with its rows and end with exactly the hub's rows.
 */

const DEVICE_COUNT = 300;
/** Devices created at once, so several transactions commit close together. */
const CONCURRENCY = 6;

let hub: PairedHub;
let fixture: CloudFixture;
let ctx: SiteRoles;
let dataDir: string;
let edge: EdgeProcess | undefined;

beforeAll(async () => {
  hub = await servePairedHub('sync_edge_killed');
  ({ fixture, ctx, dataDir } = hub);
}, 60_000);

afterAll(async () => {
  await stopProcess(edge?.child);
  await hub?.close();
});

/** Creates devices `first`..`last - 1` through the API, CONCURRENCY at a time. */
async function createDevices(first: number, last: number): Promise<void> {
  for (let start = first; start < last; start += CONCURRENCY) {
    const batch = [];
    for (let index = start; index < Math.min(start + CONCURRENCY, last); index++) {
      batch.push(call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/devices`, { device: modbusTcpMeter(`meter-${index}`) }));
    }
    for (const { status, body } of await Promise.all(batch)) {
      if (status !== 201) throw new Error(`creating a device failed with ${status}: ${JSON.stringify(body)}`);
    }
  }
}

describe('edge killed mid-apply', () => {
  it('resumes without gaps or duplicates', async () => {
    edge = startEdge(dataDir);
    const first = await waitForEdge(dataDir, (rows) => rows.shapeState.some((state) => state.shape === 'devices'));
    expect(first.shapeState.map((state) => state.shape)).toContain('devices');

    // The kill lands once the edge has stored a random number of the devices, while the rest are
    // still being created, so it interrupts the stream at a different batch on every run.
    const killAfter = 20 + Math.floor(Math.random() * 100);
    const creating = createDevices(0, DEVICE_COUNT);
    const beforeKill = await waitForEdge(dataDir, (rows) => rows.devices.length >= killAfter && rows.points.length > 0);
    await stopProcess(edge.child, 'SIGKILL');
    await creating;
    const atKill = await readEdge(dataDir);
    expect(beforeKill.devices.length, `edge stored ${beforeKill.devices.length} devices before the kill at ${killAfter}`).toBeGreaterThanOrEqual(killAfter);
    expect(atKill.devices.length, 'the kill came after the edge had everything').toBeLessThan(DEVICE_COUNT);

    edge = startEdge(dataDir);
    const hub = await hubRows(fixture, ctx.siteId);
    expect(hub.devices).toHaveLength(DEVICE_COUNT);
    expect(hub.points).toHaveLength(DEVICE_COUNT * modbusTcpMeter().points.length);
    const final = await waitForEdge(dataDir, (rows) => sameRows(rows, hub), 90_000);

    expect(final.devices).toEqual(hub.devices);
    expect(final.points).toEqual(hub.points);
    expect(new Set(final.points.map((point) => point.id)).size).toBe(final.points.length);

    for (const shape of ['devices', 'points']) {
      const before = atKill.shapeState.find((state) => state.shape === shape)!;
      const after = final.shapeState.find((state) => state.shape === shape)!;
      expect(after.handle, `${shape} handle`).toBe(before.handle);
      expect(compareShapeOffsets(after.offset, before.offset), `${shape} offset ${before.offset} -> ${after.offset}`).toBeGreaterThan(0);
    }
  }, 180_000);
});
