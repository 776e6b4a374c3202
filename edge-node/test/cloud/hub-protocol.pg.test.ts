import { join } from 'node:path';
import { EDGE_HUB_PROTOCOL_VERSION, PROTOCOL_HEADER } from '@simtestlab/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeAuditEntry } from '../../src/audit/audit-log';
import { startCloudLink, type CloudLink } from '../../src/cloud/cloud-link';
import { loadCredential } from '../../src/cloud/credential';
import { HubClient } from '../../src/cloud/hub-client';
import { ProtocolMismatchError, type EdgeProtocol } from '../../src/cloud/hub-protocol';
import { LinkStatus } from '../../src/cloud/link-status';
import { startLiveUplink } from '../../src/cloud/live-uplink';
import { uploadSchema } from '../../src/config/schema';
import { createSilentLogger } from '../../src/logger';
import { openDatabase, type SqliteDatabase } from '../../src/store/database';
import { DiskBudget } from '../../src/store/disk-budget';
import { loadShapeState } from '../../src/sync/shape-store';
import { Outbox } from '../../src/upload/outbox';
import { enableUploadQueue } from '../../src/upload/outbox-writer';
import { SyncMonitor } from '../../src/upload/sync-monitor';
import { UploadStats } from '../../src/upload/upload-stats';
import { pairDataFolder, startPairedHub, type PairedHub } from '../update/support/paired-hub';

/** An edge of a newer protocol than the hub's: the hub must reject it and ask for a hub update. */
const NEWER_EDGE: EdgeProtocol = { version: EDGE_HUB_PROTOCOL_VERSION + 98, supportedHubs: { min: 1, max: EDGE_HUB_PROTOCOL_VERSION + 98 } };
/** An edge that needs a hub of a newer protocol than the real one. */
const EDGE_NEEDING_NEWER_HUB: EdgeProtocol = { version: EDGE_HUB_PROTOCOL_VERSION, supportedHubs: { min: EDGE_HUB_PROTOCOL_VERSION + 1, max: EDGE_HUB_PROTOCOL_VERSION + 1 } };

const newerEdgeMessage = `edge protocol ${NEWER_EDGE.version} is not supported: this hub speaks ${EDGE_HUB_PROTOCOL_VERSION}; update the hub`;

let hub: PairedHub;
let db: SqliteDatabase;
let link: CloudLink | null = null;

/** Resolves once `check` returns true, polling every 20 ms, or rejects after `timeoutMs` naming `what`. */
async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  hub = await startPairedHub('edge-protocol');
  db = openDatabase(join(hub.dataDir, 'edge.db'));
}, 60_000);

afterEach(async () => {
  await link?.stop();
  link = null;
});

afterAll(async () => {
  db?.close();
  await hub?.close();
});

describe('edge-hub protocol against a real hub', () => {
  it('pairing of a newer edge is rejected naming both versions', async () => {
    const code = await hub.issuePairingCode();
    const pairing = pairDataFolder(hub.url, code, NEWER_EDGE);
    await expect(pairing).rejects.toThrow(ProtocolMismatchError);
    await expect(pairing).rejects.toThrow(`the cloud hub at ${hub.url} rejected this edge node (HTTP 426): ${newerEdgeMessage}`);

    // The hub rejected the request before reading the code, so a compatible edge can still use it.
    await expect(pairDataFolder(hub.url, code)).resolves.toEqual(expect.any(String));
  });

  it('pairing with a hub older than the edge supports is rejected', async () => {
    const pairing = pairDataFolder(hub.url, await hub.issuePairingCode(), EDGE_NEEDING_NEWER_HUB);
    await expect(pairing).rejects.toThrow(
      `the cloud hub at ${hub.url} speaks an incompatible protocol: hub protocol ${EDGE_HUB_PROTOCOL_VERSION} is not supported: this edge node speaks ${EDGE_HUB_PROTOCOL_VERSION + 1}; update the hub`,
    );
  });

  it('a compatible edge talks to the hub and reads its version', async () => {
    const client = await HubClient.create(loadCredential(hub.dataDir));
    const response = await client.request('/api/edge/me');
    expect(response.headers.get(PROTOCOL_HEADER)).toBe(String(EDGE_HUB_PROTOCOL_VERSION));
    expect(client.protocolMismatch).toBeNull();
    expect((await client.headers())[PROTOCOL_HEADER]).toBe(String(EDGE_HUB_PROTOCOL_VERSION));
  });

  it('a compatible cloud link syncs metadata', async () => {
    const status = new LinkStatus();
    link = await startCloudLink(hub.dataDir, db, createSilentLogger(), { link: status });
    await until('the site shape to be stored', () => loadShapeState(db, 'site') !== undefined);
    expect(status.protocolError).toBeNull();
  });

  it('an incompatible edge stops syncing and shows why in its sync status', async () => {
    const logger = createSilentLogger();
    enableUploadQueue(db, logger);
    writeAuditEntry(db, { actorType: 'system', actorId: null, action: 'test.queued' });
    const status = new LinkStatus();
    const outbox = new Outbox(db);
    const stats = new UploadStats();
    const monitor = new SyncMonitor({ outbox, link: status, stats, diskBudget: new DiskBudget(join(hub.dataDir, 'edge.db'), 1024, logger) });
    link = await startCloudLink(hub.dataDir, db, logger, { link: status, protocol: NEWER_EDGE, upload: { outbox, stats, config: uploadSchema.parse({}) } });

    await expect(link!.sync.ended).resolves.toBe('incompatible');
    await until('the uploader to stop', () => stats.batches.failed > 0);
    const expected = `the cloud hub at ${hub.url} rejected this edge node (HTTP 426): ${newerEdgeMessage}`;
    expect(status.protocolError).toBe(expected);
    expect(monitor.status().protocolError).toBe(expected);
    expect(monitor.status().backlog.events).toBeGreaterThan(0);
  });

  it('the live uplink of an incompatible edge stops instead of reconnecting', async () => {
    const status = new LinkStatus();
    const client = await HubClient.create(loadCredential(hub.dataDir), {
      protocol: NEWER_EDGE,
      onProtocolMismatch: (mismatch) => (status.protocolError = mismatch.message),
    });
    const uplink = startLiveUplink({ client, hub: { addTap: () => () => {} }, status, logger: createSilentLogger(), initialBackoffMs: 10, maxBackoffMs: 20 });
    try {
      await until('the uplink to report the mismatch', () => status.protocolError !== null);
      expect(status.protocolError).toContain(newerEdgeMessage);
      expect(status.lastError).toContain(newerEdgeMessage);
      expect(status.liveConnected).toBe(false);
    } finally {
      await uplink.stop();
    }
  });
});
