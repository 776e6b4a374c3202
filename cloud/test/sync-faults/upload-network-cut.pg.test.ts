import { MAX_UPLOADS_IN_FLIGHT, UPLOAD_PATH } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPost, type ProxiedRequest, type RequestAction } from './fault-proxy';
import { expectDrainedOnce, isComplete, serveProxiedHub, type ProxiedHub } from './upload-harness';
import { ackTotals, readHubUploads, repeatedItems, uploadedItems, uploadRequests } from './upload-state';

/*
 * The proxy resets the connection of an upload after part of the request: inside the head, in the
 * middle of the body, and one byte before its end. Every upload that starts after the cut is held until
 * the retry arrives: the held upload that carries exactly the items of the cut batch. Then the test
 * checks that the hub stored nothing of the cut batch and releases the held uploads. The edge keeps
 * two batches in flight, so a batch sent alongside the cut one may reach the hub, and the edge sends it
 * again after the retry, because it deletes acknowledged ranges only in order. Such items, and only
 * those, may reach the hub twice, and the hub must ignore the second copy.
 */

/** Where each cut lands, by the request's head and body sizes. */
const cuts: { name: string; afterBytes: (headBytes: number, bodyBytes: number) => number }[] = [
  { name: 'inside the head', afterBytes: (headBytes) => Math.floor(headBytes / 2) },
  { name: 'in the middle of the body', afterBytes: (headBytes, bodyBytes) => headBytes + Math.floor(bodyBytes / 2) },
  { name: 'one byte before the end', afterBytes: (headBytes, bodyBytes) => headBytes + bodyBytes - 1 },
];

/** Position, among the uploads that start after the previous retry was released, of the upload that is cut. */
const CUT_POSITION = 2;

let hub: ProxiedHub;

beforeAll(async () => {
  hub = await serveProxiedHub('upload_network_cut');
}, 120_000);

afterAll(async () => {
  await hub?.close();
});

/** Returns whether `request` was in flight at some moment between the start of `cut` and `until` (epoch ms). */
function overlaps(request: ProxiedRequest, cut: ProxiedRequest, until: number): boolean {
  return request.startedAt <= until && (request.respondedAt === null || request.respondedAt >= cut.startedAt);
}

describe('network cut mid-request', () => {
  it('resends each cut batch once', async () => {
    const { proxy, fixture, ctx } = hub;
    const cutRequests: ProxiedRequest[] = [];
    let holding = false;
    let phaseStartId = 0;
    proxy.onRequest = (request): RequestAction => {
      if (!isPost(request, UPLOAD_PATH)) return { action: 'pass' };
      if (holding) return { action: 'hold' };
      const cut = cuts[cutRequests.length];
      if (cut === undefined) return { action: 'pass' };
      if (uploadRequests(proxy.requests.filter((seen) => seen.id > phaseStartId)).length < CUT_POSITION) return { action: 'pass' };
      cutRequests.push(request);
      holding = true;
      return { action: 'cut', afterBytes: cut.afterBytes(request.headBytes, request.contentLength ?? 0) };
    };
    const edge = hub.startEdge();

    /** Items of the uploads in flight with each cut one, apart from the retry. */
    const alongsideItems = new Set<string>();
    for (const [index, cut] of cuts.entries()) {
      const cutRequest = await proxy.waitFor(() => cutRequests[index], `the upload cut ${cut.name}`);
      const cutItems = await proxy.waitFor(() => (isComplete(cutRequest) ? uploadedItems(cutRequest) : undefined), `the whole body of the upload cut ${cut.name}`);
      expect(cutItems.length, `items of the upload cut ${cut.name}`).toBeGreaterThan(0);
      const retry = await proxy.waitFor(
        (current) => current.heldRequests.find((request) => isComplete(request) && JSON.stringify(uploadedItems(request)) === JSON.stringify(cutItems)),
        `the retry of the upload cut ${cut.name}`,
      );
      expect(cutRequest.action, cut.name).toBe('cut');
      expect(cutRequest.status, cut.name).toBeNull();
      expect(cutRequest.forwardedBytes, cut.name).toBe(cut.afterBytes(cutRequest.headBytes, cutRequest.contentLength ?? 0));

      // The edge never has more uploads in flight than its window, abandoned ones included. Uploads
      // held before the retry were sent alongside the cut one, and those after it follow the retry.
      expect(proxy.heldRequests.length, `uploads held after the cut ${cut.name}: ${proxy.describe()}`).toBeLessThanOrEqual(MAX_UPLOADS_IN_FLIGHT);
      const alongside = uploadRequests(proxy.requests).filter((request) => request !== cutRequest && request !== retry && overlaps(request, cutRequest, retry.startedAt));
      for (const request of alongside) for (const item of uploadedItems(request)) alongsideItems.add(item);

      // The hub stored nothing of the cut batch.
      const atRetry = await readHubUploads(fixture, ctx.siteId);
      const storedIds = new Set(atRetry.events.map((event) => event.id));
      const cutEvents = cutItems.filter((item) => item.startsWith('event ')).map((item) => item.split(' ')[1]!);
      expect(cutEvents.filter((id) => storedIds.has(id)), `events of the batch cut ${cut.name} on the hub`).toEqual([]);
      const cutRowKeys = cutItems.filter((item) => item.startsWith('rollup ')).map((item) => item.split(' ').slice(1, 4).join(' '));
      expect(cutRowKeys.filter((key) => key in atRetry.rollups), `rows of the batch cut ${cut.name} on the hub`).toEqual([]);

      holding = false;
      phaseStartId = proxy.requests.length;
      proxy.release();
    }

    await expectDrainedOnce(fixture, ctx.siteId, hub, edge);
    // No cut batch reached the hub. Only items of a batch in flight with a cut one reached it twice,
    // and the hub counted each second copy as a duplicate.
    const repeated = repeatedItems(proxy.requests);
    expect(repeated.items.filter((item) => !alongsideItems.has(item)), 'items received twice that were not in flight with a cut upload').toEqual([]);
    const totals = ackTotals(proxy.requests);
    expect(totals.eventsDuplicate, 'events the hub acknowledged as duplicates').toBe(repeated.events);
    expect(totals.rollupsIgnored, 'rollup rows the hub acknowledged as ignored').toBe(repeated.rollups);
  }, 180_000);
});
