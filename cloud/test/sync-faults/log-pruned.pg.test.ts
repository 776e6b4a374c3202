import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneChangeLog } from '../../src/shapes/shape-log';
import { compareShapeOffsets } from '../../src/shapes/shape-offset';
import { modbusTcpMeter } from '../devices/sample-devices';
import { call, type CloudFixture } from '../support/cloud-fixture';
import type { SiteRoles } from '../support/site-roles';
import { hubRows, readEdge, sameRows, startEdge, stopProcess, waitForEdge, servePairedHub, type EdgeProcess, type PairedHub } from './edge-process';

/*
 * An edge that was stopped while the hub pruned the change log past its stored offset must receive
 * a must-refetch (HTTP 409) and must then contain exactly the hub's current rows, without the device
 * deleted after the prune.
 */

let hub: PairedHub;
let fixture: CloudFixture;
let ctx: SiteRoles;
let dataDir: string;
let edge: EdgeProcess | undefined;

beforeAll(async () => {
  hub = await servePairedHub('sync_log_pruned');
  ({ fixture, ctx, dataDir } = hub);
}, 60_000);

afterAll(async () => {
  await stopProcess(edge?.child);
  await hub?.close();
});

async function createDevice(key: string): Promise<string> {
  const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/devices`, { device: modbusTcpMeter(key) });
  if (status !== 201) throw new Error(`creating device ${key} failed with ${status}: ${JSON.stringify(body)}`);
  return body.id as string;
}

describe('change log pruned past the edge offset', () => {
  it('refetches to the current rows', async () => {
    const keptId = await createDevice('kept');
    const doomedId = await createDevice('doomed');
    edge = startEdge(dataDir);
    const synced = await waitForEdge(dataDir, (rows) => rows.devices.length === 2);
    expect(synced.devices.map((device) => device.key).sort()).toEqual(['doomed', 'kept']);
    await stopProcess(edge.child);
    const stopped = await readEdge(dataDir);
    const devicesBefore = stopped.shapeState.find((state) => state.shape === 'devices')!;

    await createDevice('added-while-stopped');
    // A cutoff in the future removes every change so far, the edge's stored offset included.
    const pruned = await pruneChangeLog(fixture.db.owner, new Date(Date.now() + 60_000));
    expect(pruned).toBeGreaterThan(0);
    const deleted = await call(fixture.app, ctx.tokens.site_manager, 'DELETE', `/api/devices/${doomedId}`);
    expect(deleted.status).toBe(204);

    edge = startEdge(dataDir);
    const hub = await hubRows(fixture, ctx.siteId);
    expect(hub.devices.map((device) => device.key).sort()).toEqual(['added-while-stopped', 'kept']);
    const final = await waitForEdge(dataDir, (rows) => sameRows(rows, hub));

    expect(final.devices).toEqual(hub.devices);
    expect(final.points).toEqual(hub.points);
    expect(final.devices.map((device) => device.id)).toContain(keptId);
    expect(final.devices.map((device) => device.id)).not.toContain(doomedId);
    const refetches = edge.logLines.filter((line) => typeof line.msg === 'string' && line.msg.startsWith('hub requested a refetch of shape devices'));
    expect(refetches.length).toBeGreaterThan(0);
    const devicesAfter = final.shapeState.find((state) => state.shape === 'devices')!;
    expect(devicesAfter.handle).not.toBe(devicesBefore.handle);
  }, 120_000);

  it('follows changes after the refetch', async () => {
    const before = (await readEdge(dataDir)).shapeState.find((state) => state.shape === 'devices')!;
    await createDevice('after-refetch');
    const hub = await hubRows(fixture, ctx.siteId);
    const final = await waitForEdge(dataDir, (rows) => sameRows(rows, hub));
    expect(final.devices).toEqual(hub.devices);
    const after = final.shapeState.find((state) => state.shape === 'devices')!;
    expect(after.handle).toBe(before.handle);
    expect(compareShapeOffsets(after.offset, before.offset)).toBeGreaterThan(0);
  }, 60_000);
});
