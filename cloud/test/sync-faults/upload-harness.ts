import { rmSync } from 'node:fs';
import { MAX_UPLOADS_IN_FLIGHT } from '@simtestlab/sync';
import { createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { serveHub } from '../support/served-hub';
import { pairEdge, startEdge, stopProcess, type EdgeProcess } from './edge-process';
import { FaultProxy, type ProxiedRequest } from './fault-proxy';
import {
  expectCompleteUpload,
  expectEventsOnce,
  fillEdgeHistory,
  readEdgeUploads,
  readHubUploads,
  SMALL_BATCHES,
  uploadRequests,
  waitForEmptyOutbox,
  writeSiteFile,
  type HubUploadState,
} from './upload-state';

/*
 * The setup the upload fault tests share: a hub, a fault proxy in front of it, and an edge data folder
 * paired through the proxy, so every request of the edge passes the proxy. The edge's history is
 * queued for upload before the edge first starts.
 */

/** Hours of simulated history queued before the edge starts: about 6,700 rollup rows and 24 events. */
export const HISTORY_HOURS = 12;

/** An edge paired through `proxy` with its history queued; `queuedEventIds` lists every event it will upload. */
export interface ProxiedEdge {
  proxy: FaultProxy;
  dataDir: string;
  queuedEventIds: string[];
}

/** How the paired edge is prepared: upload settings of its site file, and hours of history to queue (0 for none). */
export interface PairingOptions {
  upload?: Record<string, number>;
  historyHours?: number;
}

/**
 * Starts a proxy to the hub on `hubPort`, pairs a new edge data folder through it, writes its site
 * file and fills its history.
 */
export async function pairThroughProxy(fixture: CloudFixture, ctx: SiteRoles, hubPort: number, options: PairingOptions = {}): Promise<ProxiedEdge> {
  const proxy = await FaultProxy.start({ targetPort: hubPort });
  const dataDir = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId, proxy.url);
  writeSiteFile(dataDir, options.upload ?? SMALL_BATCHES);
  const historyHours = options.historyHours ?? HISTORY_HOURS;
  if (historyHours > 0) await fillEdgeHistory(dataDir, historyHours);
  const queued = await readEdgeUploads(dataDir);
  return { proxy, dataDir, queuedEventIds: queued.outbox.eventIds };
}

/** The fixture's app served in this process behind a fault proxy, with a paired edge; `close` removes it all. */
export interface ProxiedHub extends ProxiedEdge {
  fixture: CloudFixture;
  ctx: SiteRoles;
  /** The running edge process, once the test started one. */
  edge: EdgeProcess | undefined;
  startEdge(): EdgeProcess;
  close(): Promise<void>;
}

export async function serveProxiedHub(label: string, options: PairingOptions = {}): Promise<ProxiedHub> {
  const fixture = await createCloudFixture(label);
  const ctx = await seedSiteRoles(fixture);
  const server = await serveHub(fixture);
  const paired = await pairThroughProxy(fixture, ctx, server.port, options);
  const hub: ProxiedHub = {
    ...paired,
    fixture,
    ctx,
    edge: undefined,
    startEdge: () => (hub.edge = startEdge(paired.dataDir)),
    close: async () => {
      await stopProcess(hub.edge?.child);
      await paired.proxy.close();
      await server.close();
      await fixture.close();
      rmSync(paired.dataDir, { recursive: true, force: true });
    },
  };
  return hub;
}

/**
 * Waits until the edge's outbox is empty, then checks that the hub stores everything the edge queued,
 * once. Returns the hub's final state.
 */
export async function expectDrainedOnce(fixture: CloudFixture, siteId: string, paired: ProxiedEdge, edge: EdgeProcess | undefined): Promise<HubUploadState> {
  const final = await waitForEmptyOutbox(paired.dataDir);
  const hubFinal = await readHubUploads(fixture, siteId);
  expectCompleteUpload(final, hubFinal, describeRun(paired.proxy, edge));
  expectEventsOnce(hubFinal, paired.queuedEventIds);
  return hubFinal;
}

/** Waits until a held request's whole body has arrived in the proxy, and returns that request. */
export function waitForHeldRequest(proxy: FaultProxy, description: string): Promise<ProxiedRequest> {
  return proxy.waitFor(
    (current) => current.heldRequests.find(isComplete),
    description,
  );
}

/** Holds every upload from the `index`-th (from 1) of those that start after the requests seen so far. */
export function holdUploadsFrom(proxy: FaultProxy, index: number): void {
  const after = proxy.requests.length;
  proxy.onRequest = (request) => {
    const uploads = uploadRequests(proxy.requests.filter((seen) => seen.id > after));
    const position = uploads.indexOf(request) + 1;
    return position >= index ? { action: 'hold' } : { action: 'pass' };
  };
}

/** Returns whether the proxy has the whole body of `request`. */
export function isComplete(request: ProxiedRequest): boolean {
  return request.contentLength !== null && request.receivedBytes === request.headBytes + request.contentLength;
}

/**
 * Waits, after `holdUploadsFrom(proxy, 2)` and an edge start, until the edge keeps a full window in the
 * proxy: its first upload since request `afterId` was acknowledged and deleted from the outbox, and the
 * next `MAX_UPLOADS_IN_FLIGHT` uploads are held with their whole bodies. The edge sends the third
 * upload once the first is acknowledged, and deletes the first range after that. `queuedItems` is the
 * outbox size (events plus rollup rows) before the edge started. Returns the acknowledged upload and
 * the held ones, oldest first.
 */
export async function waitForHeldWindow(
  proxy: FaultProxy,
  dataDir: string,
  afterId: number,
  queuedItems: number,
): Promise<{ acknowledged: ProxiedRequest; held: ProxiedRequest[] }> {
  const description = `an acknowledged upload and ${MAX_UPLOADS_IN_FLIGHT} held ones`;
  const { acknowledged, held } = await proxy.waitFor((current) => {
    const [first, ...later] = uploadRequests(current.requests.filter((request) => request.id > afterId));
    if (first?.status !== 200 || later.length < MAX_UPLOADS_IN_FLIGHT || !later.every(isComplete)) return undefined;
    return { acknowledged: first, held: later };
  }, description);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const outbox = (await readEdgeUploads(dataDir)).outbox;
    if (outbox.events + outbox.rollups < queuedItems) break;
    if (Date.now() > deadline) throw new Error(`timed out waiting for the edge to delete its acknowledged upload #${acknowledged.id}; requests: ${proxy.describe()}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  return { acknowledged, held };
}

/** Describes the proxy's requests and the edge's last warnings and errors, for failure messages. */
export function describeRun(proxy: FaultProxy, edge: EdgeProcess | undefined): string {
  const edgeLog = edge?.logLines.filter((line) => Number(line.level) >= 40).slice(-8) ?? [];
  return `requests: ${proxy.describe()}; edge warnings: ${JSON.stringify(edgeLog)}; edge stderr: ${edge?.stderr().slice(-2000) ?? ''}`;
}
