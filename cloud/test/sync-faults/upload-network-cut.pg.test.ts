import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxiedRequest, RequestAction } from './fault-proxy';
import { expectDrainedOnce, serveProxiedHub, waitForHeldRequest, type ProxiedHub } from './upload-harness';
import { ackTotals, batchRollups, readHubUploads, uploadedBatch, uploadRequests } from './upload-state';

/*
 * The proxy resets the connection of an upload after part of the request: inside the head, in the
 * middle of the body, and one byte before its end. The next upload is held until the test has checked
 * that the hub stored nothing of the cut batch, and must carry exactly the same items again.
 */

/** Where each cut lands, by the request's head and body sizes. */
const cuts: { name: string; afterBytes: (headBytes: number, bodyBytes: number) => number }[] = [
  { name: 'inside the head', afterBytes: (headBytes) => Math.floor(headBytes / 2) },
  { name: 'in the middle of the body', afterBytes: (headBytes, bodyBytes) => headBytes + Math.floor(bodyBytes / 2) },
  { name: 'one byte before the end', afterBytes: (headBytes, bodyBytes) => headBytes + bodyBytes - 1 },
];

let hub: ProxiedHub;

beforeAll(async () => {
  hub = await serveProxiedHub('upload_network_cut');
}, 120_000);

afterAll(async () => {
  await hub?.close();
});

/** Lists the items of a batch: event ids, and rollup keys with their values. */
function batchItems(request: ProxiedRequest): { events: string[]; rollups: string[] } {
  const batch = uploadedBatch(request);
  return { events: batch.events.map((event) => event.id), rollups: Object.entries(batchRollups(batch)).map(([key, row]) => `${key} ${JSON.stringify(row)}`) };
}

describe('network cut mid-request', () => {
  it('resends each cut batch once', async () => {
    const { proxy, fixture, ctx } = hub;
    // Uploads 2, 5 and 8 are cut, and the upload right after each cut is held.
    const cutAt = new Map(cuts.map((cut, index) => [2 + 3 * index, cut]));
    proxy.onRequest = (request): RequestAction => {
      const uploads = uploadRequests(proxy.requests);
      if (uploads.at(-1) !== request) return { action: 'pass' };
      const cut = cutAt.get(uploads.length);
      if (cut !== undefined) return { action: 'cut', afterBytes: cut.afterBytes(request.headBytes, request.contentLength ?? 0) };
      return cutAt.has(uploads.length - 1) ? { action: 'hold' } : { action: 'pass' };
    };
    const edge = hub.startEdge();

    for (const [index, cut] of cutAt) {
      const retry = await waitForHeldRequest(proxy, `the upload after the cut ${cut.name}`);
      const cutRequest = uploadRequests(proxy.requests)[index - 1]!;
      expect(cutRequest.action, cut.name).toBe('cut');
      expect(cutRequest.status, cut.name).toBeNull();
      expect(cutRequest.forwardedBytes, cut.name).toBe(cut.afterBytes(cutRequest.headBytes, cutRequest.contentLength ?? 0));

      // The hub stored nothing of the cut batch, and the edge sends the same items again.
      const cutItems = batchItems(cutRequest);
      const atRetry = await readHubUploads(fixture, ctx.siteId);
      const storedIds = new Set(atRetry.events.map((event) => event.id));
      expect(cutItems.events.filter((id) => storedIds.has(id)), `events of the batch cut ${cut.name} on the hub`).toEqual([]);
      expect(cutItems.rollups.filter((item) => item.split(' ').slice(0, 3).join(' ') in atRetry.rollups), `rows of the batch cut ${cut.name} on the hub`).toEqual([]);
      expect(batchItems(retry), `items of the upload after the cut ${cut.name}`).toEqual(cutItems);
      proxy.release();
    }

    await expectDrainedOnce(fixture, ctx.siteId, hub, edge);
    // No cut batch reached the hub, so no upload found anything already stored.
    const totals = ackTotals(proxy.requests);
    expect(totals.eventsDuplicate).toBe(0);
    expect(totals.rollupsIgnored).toBe(0);
  }, 180_000);
});
