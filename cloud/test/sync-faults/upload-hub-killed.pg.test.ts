import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { UPLOAD_PATH } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnHub, watchLog } from '../cli/start-hub';
import { createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { sparePort, startEdge, stopProcess, type EdgeProcess } from './edge-process';
import { isPost, type ProxiedRequest } from './fault-proxy';
import { expectDrainedOnce, isComplete, pairThroughProxy, type ProxiedEdge } from './upload-harness';
import { ackTotals, batchRollups, readEdgeUploads, readHubUploads, repeatedItems, uploadedBatch, uploadedItems, uploadRequests } from './upload-state';

/*
 * The hub runs as a real `cloud start` process and is SIGKILLed at the moment the first byte of its
 * response to an upload reaches the proxy. The batch is committed by then, and the edge never gets the
 * ack. The edge must send those rows and events again to the hub restarted on the same port, and the
 * hub must store them only once.
 */

let fixture: CloudFixture;
let ctx: SiteRoles;
let hubPort: number;
let hub: ChildProcess | undefined;
let paired: ProxiedEdge;
let edge: EdgeProcess | undefined;

async function startHub(): Promise<void> {
  hub = spawnHub(fixture, fixture.keysDir, { PORT: String(hubPort) });
  await watchLog(hub).waitFor('cloud hub listening');
}

beforeAll(async () => {
  fixture = await createCloudFixture('upload_hub_killed');
  ctx = await seedSiteRoles(fixture);
  hubPort = await sparePort();
  await startHub();
  paired = await pairThroughProxy(fixture, ctx, hubPort);
}, 120_000);

afterAll(async () => {
  await stopProcess(edge?.child);
  await stopProcess(hub);
  await paired?.proxy.close();
  await fixture?.close();
  if (paired) rmSync(paired.dataDir, { recursive: true, force: true });
});

describe('hub killed after commit, before the ack', () => {
  it('stores the resent batch once', async () => {
    const { proxy, dataDir } = paired;
    let killed: ProxiedRequest | undefined;
    // The first batch that carries both events and rollup rows, so the resend covers both.
    proxy.onResponseStart = async (request) => {
      if (killed !== undefined || !isPost(request, UPLOAD_PATH)) return 'forward';
      const batch = uploadedBatch(request);
      if (batch.events.length === 0 || batch.rollups.length === 0) return 'forward';
      killed = request;
      await stopProcess(hub, 'SIGKILL');
      return 'drop';
    };
    edge = startEdge(dataDir);
    const edgePid = edge.child.pid;

    const dropped = await proxy.waitFor(() => (killed?.dropped ? killed : undefined), 'an upload answer dropped with the hub killed');
    expect(hub!.signalCode).toBe('SIGKILL');
    expect(dropped.status, 'the hub answered the dropped batch').toBe(200);
    const killedBatch = uploadedBatch(dropped);
    const killedRows = batchRollups(killedBatch);
    const killedEventIds = killedBatch.events.map((event) => event.id);

    // The hub committed the batch before it sent the response.
    const atKill = await readHubUploads(fixture, ctx.siteId);
    const storedIds = new Set(atKill.events.map((event) => event.id));
    expect(killedEventIds.filter((id) => !storedIds.has(id)), 'events of the killed batch missing on the hub').toEqual([]);
    for (const [key, row] of Object.entries(killedRows)) expect(atKill.rollups[key], key).toEqual(row);
    // The edge never got the ack, so they are still in its outbox.
    const edgeAtKill = await readEdgeUploads(dataDir);
    expect(killedEventIds.filter((id) => !edgeAtKill.outbox.eventIds.includes(id)), 'events of the killed batch gone from the edge outbox').toEqual([]);

    await startHub();
    const hubFinal = await expectDrainedOnce(fixture, ctx.siteId, paired, edge);

    // The resend reached the hub and was ignored: same rows, same receive times. The hub received
    // again the killed batch's items, and at most those of the batches in flight with it, which it
    // may have committed before it died. A committed batch whose response never started is not in
    // `repeated`, so the acknowledgements are bounded by those batches instead of equal to it.
    const later = uploadRequests(proxy.requests).filter((request) => request.id > dropped.id);
    const resent = later.filter((request) => request.status === 200 && killedEventIds.every((id) => uploadedBatch(request).events.some((event) => event.id === id)));
    expect(resent.length, `uploads after the kill: ${proxy.describe()}`).toBeGreaterThan(0);
    const uploads = uploadRequests(proxy.requests);
    const killedIndex = uploads.indexOf(dropped);
    const inFlightWithKilled = [uploads[killedIndex - 1], uploads[killedIndex + 1]].filter((request): request is ProxiedRequest => request !== undefined && isComplete(request));
    const killedItems = uploadedItems(dropped);
    const inFlightItems = inFlightWithKilled.flatMap(uploadedItems);
    const repeated = repeatedItems(proxy.requests);
    expect(killedItems.filter((item) => !repeated.items.includes(item)), 'items of the killed batch the hub received only once').toEqual([]);
    expect(
      repeated.items.filter((item) => !killedItems.includes(item) && !inFlightItems.includes(item)),
      `items received twice that were not in flight with the killed batch; ${proxy.describe()}`,
    ).toEqual([]);
    const inFlightEvents = inFlightItems.filter((item) => item.startsWith('event ')).length;
    const totals = ackTotals(proxy.requests);
    expect(totals.eventsDuplicate, 'events the hub acknowledged as duplicates').toBeGreaterThanOrEqual(repeated.events);
    expect(totals.eventsDuplicate, 'events the hub acknowledged as duplicates').toBeLessThanOrEqual(killedEventIds.length + inFlightEvents);
    expect(totals.rollupsIgnored, 'rollup rows the hub acknowledged as ignored').toBeGreaterThanOrEqual(repeated.rollups);
    expect(totals.rollupsIgnored, 'rollup rows the hub acknowledged as ignored').toBeLessThanOrEqual(Object.keys(killedRows).length + inFlightItems.length - inFlightEvents);
    for (const event of atKill.events) {
      expect(hubFinal.events.find((stored) => stored.id === event.id)?.receivedAt, `event ${event.id}`).toBe(event.receivedAt);
    }
    for (const key of Object.keys(killedRows)) expect(hubFinal.rollupReceivedAt[key], key).toBe(atKill.rollupReceivedAt[key]);

    expect(edge.child.exitCode).toBeNull();
    expect(edge.child.pid).toBe(edgePid);
  }, 180_000);
});
