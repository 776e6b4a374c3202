import { createRoute, z } from '@hono/zod-openapi';
import { EDGE_HUB_PROTOCOL_VERSION, EDGE_SUPPORTED_HUB_PROTOCOLS, describeProtocolRange, syncStatusSchema } from '@simtestlab/sync';
import { edgeSoftwareVersion } from '../../cloud/software-version';
import type { EdgeRuntime } from '../../runtime/edge-runtime';
import type { DiskUsage } from '../../store/disk-budget';
import type { SyncMonitor } from '../../upload/sync-monitor';
import { createRouter, mountRoute } from '../openapi-router';

/** How long without a successful commit makes the node unhealthy. */
const COMMIT_STALL_MS = 30_000;

const MIB = 1024 * 1024;

const healthBodySchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'failing']),
    mode: z.literal('running').openapi({ description: 'The node runs a site file; `setup` while first-boot setup is not finished' }),
    version: z.string().openapi({ description: 'Software version of the edge node: the release version when installed from a package' }),
    site: z.string(),
    uptimeS: z.number().int(),
    store: z.object({
      ok: z.boolean(),
      lastCommitAgeMs: z.number().int().nullable(),
      pendingSamples: z.number().int(),
      commitFailures: z.number().int(),
    }),
    devices: z.object({ total: z.number().int(), online: z.number().int(), offline: z.array(z.string()), allPointsBad: z.array(z.string()) }),
    liveClients: z.number().int(),
    sync: syncStatusSchema.optional(),
    disk: z
      .object({ databaseBytes: z.number().int(), budgetBytes: z.number().int(), exceeded: z.boolean(), reason: z.string().optional() })
      .optional(),
    protocol: z
      .object({
        compatible: z.literal(false),
        edgeProtocol: z.number().int().openapi({ description: 'Edge-hub protocol version this edge node speaks' }),
        supportedHubProtocols: z.string().openapi({ description: 'Hub protocol versions this edge node accepts, such as `1` or `1-2`' }),
        reason: z.string().openapi({ description: "The hub's or the edge's rejection, naming both versions and the side to update" }),
      })
      .optional()
      .openapi({ description: 'Present only while the edge and the hub reject each other\'s protocol version; sync, uploads and the live uplink are stopped' }),
  })
  .openapi('Health');

/** Health body while the node is in first-boot setup mode: no site, store or devices yet. */
export const setupHealthBodySchema = z
  .object({
    status: z.literal('ok'),
    mode: z.literal('setup'),
    version: z.string().openapi({ description: 'Software version of the edge node' }),
  })
  .openapi('SetupHealth');

export const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['health'],
  summary: 'Health of the node: store commits, devices, and the sync and disk sections when paired',
  responses: {
    200: {
      description:
        'The store commits; `status` is `degraded` when devices, the disk budget, uploads or an incompatible hub protocol need attention. In setup mode the body is `SetupHealth`.',
      content: { 'application/json': { schema: z.union([healthBodySchema, setupHealthBodySchema]) } },
    },
    503: { description: 'The store has not committed for 30 s', content: { 'application/json': { schema: healthBodySchema } } },
  },
});

/** Route definitions of this module, for the OpenAPI document. */
export const healthRouteDefinitions = [healthRoute];

/**
 * `GET /api/health`: 200 when samples are being committed, 503 when the store is stalled. Offline
 * devices, devices that respond but return no good point, a database over its disk budget, uploads
 * stopped by the hub's revocation and a protocol version the hub rejects (or that the edge rejects)
 * make the node `degraded` but still 200, because the node itself works. With `sync`, the response
 * also contains the sync status and the disk usage, and the `protocol` section while the versions
 * are incompatible.
 */
export function healthRoutes(runtime: EdgeRuntime, sync?: SyncMonitor) {
  const app = createRouter();
  mountRoute(app, healthRoute, (c) => {
    const now = Date.now();
    const pollers = [...runtime.pollers.values()];
    const offline = pollers.filter((poller) => poller.status === 'offline').map((poller) => poller.device.key);
    const allPointsBad = pollers.filter((poller) => poller.status === 'online' && poller.allPointsBad).map((poller) => poller.device.key);
    const lastCommitAgeMs = runtime.lastCommitAt === 0 ? null : now - runtime.lastCommitAt;
    const storeOk = lastCommitAgeMs === null ? now - runtime.startedAt < COMMIT_STALL_MS : lastCommitAgeMs < COMMIT_STALL_MS;
    const disk = sync?.diskBudget.usage();
    const syncStatus = sync?.status();
    const protocolError = syncStatus?.protocolError;
    let status = 'ok';
    if (offline.length > 0 || allPointsBad.length > 0 || disk?.exceeded || sync?.uploadsRevoked || protocolError !== undefined) status = 'degraded';
    if (!storeOk) status = 'failing';
    return c.json(
      {
        status,
        mode: 'running',
        version: edgeSoftwareVersion(),
        site: runtime.config.site.id,
        uptimeS: Math.round((now - runtime.startedAt) / 1000),
        store: { ok: storeOk, lastCommitAgeMs, pendingSamples: runtime.writer.pendingCount, commitFailures: runtime.commitFailures },
        devices: { total: pollers.length, online: pollers.filter((poller) => poller.status === 'online').length, offline, allPointsBad },
        liveClients: runtime.hub.clientCount,
        ...(syncStatus && disk ? { sync: syncStatus, disk: diskSection(disk) } : {}),
        ...(protocolError === undefined ? {} : { protocol: protocolSection(protocolError) }),
      },
      storeOk ? 200 : 503,
    );
  });
  return app;
}

function diskSection(disk: DiskUsage) {
  const reason = `the database is ${Math.round(disk.databaseBytes / MIB)} MiB, over storage.diskBudgetMb (${disk.budgetBytes / MIB} MiB); no data is deleted to make room`;
  return { ...disk, ...(disk.exceeded ? { reason } : {}) };
}

function protocolSection(reason: string) {
  return { compatible: false as const, edgeProtocol: EDGE_HUB_PROTOCOL_VERSION, supportedHubProtocols: describeProtocolRange(EDGE_SUPPORTED_HUB_PROTOCOLS), reason };
}
