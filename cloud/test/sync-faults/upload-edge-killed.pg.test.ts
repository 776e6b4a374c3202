import { MAX_UPLOADS_IN_FLIGHT } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopProcess } from './edge-process';
import { expectDrainedOnce, holdUploadsFrom, serveProxiedHub, waitForHeldWindow, type ProxiedHub } from './upload-harness';
import { ackTotals, batchRollups, readEdgeUploads, readHubUploads, repeatedItems, uploadedBatch, uploadedItems } from './upload-state';

/*
 * The edge is SIGKILLed while the proxy holds a full window of its uploads: the first upload was
 * acknowledged and deleted, and the next two wait in the proxy with their whole bodies. In the first
 * round the proxy then delivers both orphaned requests, so the hub commits batches whose sender is
 * dead. In the second round it drops them, so the hub never gets them. Each restarted edge must send
 * what it never saw acknowledged, and the hub must end with everything exactly once: only the items of
 * the first round's orphans reach it twice.
 */

let hub: ProxiedHub;

beforeAll(async () => {
  hub = await serveProxiedHub('upload_edge_killed');
}, 120_000);

afterAll(async () => {
  await hub?.close();
});

/** Counts the items of the outbox of an edge data folder: events plus rollup rows. */
async function queuedItems(dataDir: string): Promise<number> {
  const { outbox } = await readEdgeUploads(dataDir);
  return outbox.events + outbox.rollups;
}

describe('edge killed mid-upload', () => {
  it('sends everything once after restarts', async () => {
    const { proxy, dataDir, fixture, ctx } = hub;

    // Round 1: the hub commits the orphaned requests after the edge died.
    holdUploadsFrom(proxy, 2);
    const first = hub.startEdge();
    const round1 = await waitForHeldWindow(proxy, dataDir, 0, await queuedItems(dataDir));
    await stopProcess(first.child, 'SIGKILL');
    expect(first.child.signalCode).toBe('SIGKILL');
    const orphans = round1.held;
    expect(orphans, 'uploads held when the first edge died').toHaveLength(MAX_UPLOADS_IN_FLIGHT);
    expect(proxy.heldRequests, 'uploads held when the first edge died').toEqual(orphans);

    const orphanBatches = orphans.map(uploadedBatch);
    const orphanRows = Object.assign({}, ...orphanBatches.map(batchRollups)) as ReturnType<typeof batchRollups>;
    const orphanEventIds = orphanBatches.flatMap((batch) => batch.events.map((event) => event.id));
    const orphanItems = orphans.flatMap(uploadedItems);
    expect(new Set(orphanItems).size, 'items of the orphaned uploads, each in one upload').toBe(orphanItems.length);
    for (const [index, orphan] of orphans.entries()) expect(uploadedItems(orphan).length, `items of orphan #${orphan.id} (${index + 1})`).toBeGreaterThan(0);
    const beforeRelease = await readHubUploads(fixture, ctx.siteId);
    expect(Object.keys(orphanRows).filter((key) => key in beforeRelease.rollups), 'orphaned rows on the hub before the release').toEqual([]);

    proxy.onRequest = undefined;
    proxy.release();
    for (const orphan of orphans) {
      await proxy.waitFor(() => (orphan.status === null ? undefined : true), `the hub to answer orphaned upload #${orphan.id}`);
      expect(orphan.status, `status of orphaned upload #${orphan.id}`).toBe(200);
    }
    const atKill = await readHubUploads(fixture, ctx.siteId);
    for (const [key, row] of Object.entries(orphanRows)) expect(atKill.rollups[key], key).toEqual(row);
    const edgeAtKill = await readEdgeUploads(dataDir);
    expect(orphanEventIds.filter((id) => !edgeAtKill.outbox.eventIds.includes(id)), 'orphaned events gone from the edge outbox').toEqual([]);
    expect(edgeAtKill.outbox.rollups, 'rollup rows still queued on the edge').toBeGreaterThanOrEqual(Object.keys(orphanRows).length);

    // Round 2: the window of the restarted edge never reaches the hub.
    const round2Start = proxy.requests.length;
    holdUploadsFrom(proxy, 2);
    const second = hub.startEdge();
    const round2 = await waitForHeldWindow(proxy, dataDir, round2Start, edgeAtKill.outbox.events + edgeAtKill.outbox.rollups);
    await stopProcess(second.child, 'SIGKILL');
    proxy.onRequest = undefined;
    expect(round2.held, 'uploads held when the second edge died').toHaveLength(MAX_UPLOADS_IN_FLIGHT);
    proxy.dropHeld();
    for (const lost of round2.held) {
      expect(lost.forwardedBytes, `bytes of dropped upload #${lost.id} forwarded`).toBe(0);
      expect(lost.status, `status of dropped upload #${lost.id}`).toBeNull();
    }

    const hubFinal = await expectDrainedOnce(fixture, ctx.siteId, hub, hub.startEdge());

    // Only the orphaned batches reached the hub twice, each item once more, and the second copies
    // changed nothing.
    const repeated = repeatedItems(proxy.requests);
    expect(repeated.items.sort(), 'items the hub received twice').toEqual([...orphanItems].sort());
    const orphanRowCount = orphanItems.length - orphanEventIds.length;
    expect(repeated.events, 'events the hub received again').toBe(orphanEventIds.length);
    expect(repeated.rollups, 'rollup rows the hub received again').toBe(orphanRowCount);
    const totals = ackTotals(proxy.requests);
    expect(totals.eventsDuplicate).toBe(orphanEventIds.length);
    expect(totals.rollupsIgnored).toBe(orphanRowCount);
    for (const key of Object.keys(orphanRows)) expect(hubFinal.rollupReceivedAt[key], key).toBe(atKill.rollupReceivedAt[key]);
  }, 180_000);
});
