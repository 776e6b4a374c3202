import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SiteConfig } from '../../../src/config/schema';
import { createSilentLogger } from '../../../src/logger';
import { startEdgeNode, type RunningEdgeNode } from '../../../src/runtime/start-edge-node';
import { addLocalAdmin, bearer, loginOverHttp } from '../../auth/auth-support';
import type { StoredRollup } from './parity-hub';
import type { ParityReading } from './parity-samples';
import { configuredDevice } from './parity-site';

/** The paired edge node of the parity test, served on loopback, with a local admin's token. */
export interface ParityEdge {
  node: RunningEdgeNode;
  token: string;
  close(): Promise<void>;
}

/** Readings handed to the runtime between two commits, so the writer's queue stays small. */
const READINGS_PER_COMMIT = 3000;
const WAIT_TIMEOUT_MS = 60_000;

/**
 * Starts a whole edge node on the paired data folder, as `edge-node run` does: it turns the upload
 * outbox on, syncs the hub's shapes and runs the uploader. A local admin logs in over HTTP.
 */
export async function startParityEdge(config: SiteConfig, dataDir: string): Promise<ParityEdge> {
  // An empty folder, so no updater events of this machine are imported.
  const updateStateDir = mkdtempSync(join(tmpdir(), 'parity-update-state-'));
  const node = await startEdgeNode({ config, dataDir, port: 0, logger: createSilentLogger(), updateStateDir });
  try {
    await addLocalAdmin(node.runtime.db);
    const token = await loginOverHttp(node.url);
    return {
      node,
      token,
      close: async () => {
        await node.stop();
        rmSync(updateStateDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await node.stop();
    rmSync(updateStateDir, { recursive: true, force: true });
    throw error;
  }
}

/** Polls `ready` every 50 ms until it returns true, and fails naming `what` after 60 s. */
export async function waitUntil(ready: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_TIMEOUT_MS} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const countRows = (edge: ParityEdge, table: string) => edge.node.runtime.db.prepare<[], { count: number }>(`SELECT count(*) AS count FROM ${table}`).get()!.count;

/**
 * Waits until the shape tables hold the hub's site, its building, its devices with their points and its
 * energy settings. The points carry the meter roles of the devices the hub lists.
 */
export async function waitForSyncedShapes(edge: ParityEdge, expected: { nodes: number; devices: number; points: number }): Promise<void> {
  const counts = () => ({
    site: countRows(edge, 'cloud_site'),
    nodes: countRows(edge, 'cloud_site_nodes'),
    devices: countRows(edge, 'cloud_devices'),
    points: countRows(edge, 'cloud_points'),
    energySettings: countRows(edge, 'cloud_energy_settings'),
  });
  await waitUntil(
    () => {
      const now = counts();
      return now.site === 1 && now.nodes === expected.nodes && now.devices === expected.devices && now.points === expected.points && now.energySettings === 1;
    },
    () => `the synced shapes (rows now: ${JSON.stringify(counts())})`,
  );
}

/** Waits until the synced point `deviceKey.pointKey` has the meter role `role` in its config. */
export async function waitForSyncedPointRole(edge: ParityEdge, deviceKey: string, pointKey: string, role: string): Promise<void> {
  const syncedRole = () =>
    edge.node.runtime.db
      .prepare<[string, string], { role: string | null }>(
        `SELECT json_extract(p.config, '$.role') AS role FROM cloud_points p JOIN cloud_devices d ON d.id = p.device_id WHERE d.key = ? AND p.key = ?`,
      )
      .get(deviceKey, pointKey)?.role;
  await waitUntil(
    () => syncedRole() === role,
    () => `the synced role "${role}" of point ${deviceKey}.${pointKey} (now: ${JSON.stringify(syncedRole() ?? null)})`,
  );
}

/**
 * Hands the readings to the runtime as the pollers do, committing every few thousand readings and at
 * the end. The writer's clock is the real one, after the fed days, so every bucket closes and is
 * written, and the outbox queues it.
 */
export async function feedReadings(edge: ParityEdge, readings: readonly ParityReading[]): Promise<void> {
  const { runtime } = edge.node;
  for (const [index, reading] of readings.entries()) {
    const device = configuredDevice(runtime.config, reading.device);
    const values = Object.entries(reading.values).map(([point, value]) => ({ point, value, quality: 'good' as const }));
    runtime.ingest(device, reading.ts, values, false);
    if ((index + 1) % READINGS_PER_COMMIT === 0) await runtime.commit();
  }
  await runtime.commit();
  // A commit that starts while another runs returns that one, so commit again until the queue is empty.
  while (runtime.writer.pendingCount > 0) await runtime.commit();
}

/**
 * Wakes the uploader and waits until the outbox tables are empty, which the uploader makes them only
 * after the hub acknowledged every batch. The tables are counted directly, because the outbox's own
 * backlog count may be reused for a while when counting was slow.
 */
export async function drainOutbox(edge: ParityEdge): Promise<void> {
  edge.node.cloud?.uploader?.wake();
  const queued = () => ({ rollups: countRows(edge, 'upload_rollups'), events: countRows(edge, 'upload_events') });
  await waitUntil(
    () => {
      const now = queued();
      return now.rollups === 0 && now.events === 0;
    },
    () => `an empty upload outbox (queued now: ${JSON.stringify(queued())}, last link error: ${edge.node.link.lastError ?? 'none'})`,
  );
}

/** Requests the edge's energy report over HTTP as the local admin and returns the status and body. */
export async function edgeReport(edge: ParityEdge, query: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${edge.node.url}/api/energy/report?${query}`, bearer(edge.token));
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

/** Reads the edge's stored rollup rows of one tier, ordered by point and bucket start, in the form `hubRollups` returns. */
export function edgeRollups(edge: ParityEdge, tier: '1m' | '15m' | '1h' | '1d'): StoredRollup[] {
  return edge.node.runtime.db
    .prepare<[], StoredRollup>(
      `SELECT p.device_key || '.' || p.key AS point, r.bucket_start AS bucketStart, r.count, r.sum, r.last, r.last_ts AS lastTs
       FROM rollup_${tier} r JOIN points p ON p.id = r.point_id
       ORDER BY point, bucketStart`,
    )
    .all();
}
