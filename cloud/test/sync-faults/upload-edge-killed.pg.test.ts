import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopProcess } from './edge-process';
import type { FaultProxy } from './fault-proxy';
import { expectDrainedOnce, serveProxiedHub, waitForHeldRequest, type ProxiedHub } from './upload-harness';
import { ackTotals, batchRollups, readEdgeUploads, readHubUploads, uploadedBatch, uploadRequests } from './upload-state';

/*
 * The edge is SIGKILLed while the whole body of one of its uploads waits in the proxy. In the first
 * round the proxy then delivers the orphaned request, so the hub commits a batch whose sender is dead.
 * In the second round it drops the request, so the hub never gets it. Each restarted edge must send what
 * it never saw acknowledged, and the hub must end with everything exactly once.
 */

let hub: ProxiedHub;

beforeAll(async () => {
  hub = await serveProxiedHub('upload_edge_killed');
}, 120_000);

afterAll(async () => {
  await hub?.close();
});

/** Holds the `index`-th upload (from 1) that starts after the requests seen so far. */
function holdUpload(proxy: FaultProxy, index: number): void {
  const after = proxy.requests.length;
  proxy.onRequest = (request) => {
    const uploads = uploadRequests(proxy.requests.filter((seen) => seen.id > after));
    return uploads.length === index && uploads.at(-1) === request ? { action: 'hold' } : { action: 'pass' };
  };
}

describe('edge killed mid-upload', () => {
  it('sends everything once after restarts', async () => {
    const { proxy, dataDir, fixture, ctx } = hub;

    // Round 1: the hub commits the orphaned request after the edge died.
    holdUpload(proxy, 2);
    const first = hub.startEdge();
    const orphan = await waitForHeldRequest(proxy, 'the held upload of the first edge');
    await stopProcess(first.child, 'SIGKILL');
    expect(first.child.signalCode).toBe('SIGKILL');
    proxy.onRequest = undefined;
    proxy.release();
    await proxy.waitFor(() => (orphan.status === null ? undefined : true), 'the hub to answer the orphaned upload');
    expect(orphan.status).toBe(200);

    const orphanBatch = uploadedBatch(orphan);
    const orphanRows = batchRollups(orphanBatch);
    const orphanEventIds = orphanBatch.events.map((event) => event.id);
    expect(Object.keys(orphanRows).length + orphanEventIds.length).toBeGreaterThan(0);
    const atKill = await readHubUploads(fixture, ctx.siteId);
    for (const [key, row] of Object.entries(orphanRows)) expect(atKill.rollups[key], key).toEqual(row);
    const edgeAtKill = await readEdgeUploads(dataDir);
    expect(orphanEventIds.filter((id) => !edgeAtKill.outbox.eventIds.includes(id)), 'orphaned events gone from the edge outbox').toEqual([]);
    expect(edgeAtKill.outbox.rollups, 'rollup rows still queued on the edge').toBeGreaterThanOrEqual(Object.keys(orphanRows).length);

    // Round 2: the second upload of the restarted edge never reaches the hub.
    holdUpload(proxy, 2);
    const second = hub.startEdge();
    const lost = await waitForHeldRequest(proxy, 'the held upload of the second edge');
    await stopProcess(second.child, 'SIGKILL');
    proxy.onRequest = undefined;
    proxy.dropHeld();
    expect(lost.forwardedBytes).toBe(0);
    expect(lost.status).toBeNull();

    const hubFinal = await expectDrainedOnce(fixture, ctx.siteId, hub, hub.startEdge());

    // Only the orphaned batch reached the hub twice, and its second copy changed nothing.
    const totals = ackTotals(proxy.requests.filter((request) => request.id > orphan.id));
    expect(totals.eventsDuplicate).toBe(orphanEventIds.length);
    expect(totals.rollupsIgnored).toBe(Object.keys(orphanRows).length);
    for (const key of Object.keys(orphanRows)) expect(hubFinal.rollupReceivedAt[key], key).toBe(atKill.rollupReceivedAt[key]);
  }, 180_000);
});
