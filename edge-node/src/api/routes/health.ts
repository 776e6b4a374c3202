import { Hono } from 'hono';
import type { EdgeRuntime } from '../../runtime/edge-runtime';
import type { DiskUsage } from '../../store/disk-budget';
import type { SyncMonitor } from '../../upload/sync-monitor';

/** How long without a successful commit makes the node unhealthy. */
const COMMIT_STALL_MS = 30_000;

const MIB = 1024 * 1024;

/**
 * `GET /api/health`: 200 when samples are being committed, 503 when the store is stalled. Offline
 * devices, devices that respond but return no good point, a database over its disk budget and uploads
 * stopped by the hub's revocation make the node `degraded` but still 200, because the node itself works. With `sync`, the response also
 * contains the sync status and the disk usage.
 */
export function healthRoutes(runtime: EdgeRuntime, sync?: SyncMonitor) {
  const app = new Hono();
  app.get('/health', (c) => {
    const now = Date.now();
    const pollers = [...runtime.pollers.values()];
    const offline = pollers.filter((poller) => poller.status === 'offline').map((poller) => poller.device.key);
    const allPointsBad = pollers.filter((poller) => poller.status === 'online' && poller.allPointsBad).map((poller) => poller.device.key);
    const lastCommitAgeMs = runtime.lastCommitAt === 0 ? null : now - runtime.lastCommitAt;
    const storeOk = lastCommitAgeMs === null ? now - runtime.startedAt < COMMIT_STALL_MS : lastCommitAgeMs < COMMIT_STALL_MS;
    const disk = sync?.diskBudget.usage();
    let status = 'ok';
    if (offline.length > 0 || allPointsBad.length > 0 || disk?.exceeded || sync?.uploadsRevoked) status = 'degraded';
    if (!storeOk) status = 'failing';
    return c.json(
      {
        status,
        site: runtime.config.site.id,
        uptimeS: Math.round((now - runtime.startedAt) / 1000),
        store: { ok: storeOk, lastCommitAgeMs, pendingSamples: runtime.writer.pendingCount, commitFailures: runtime.commitFailures },
        devices: { total: pollers.length, online: pollers.filter((poller) => poller.status === 'online').length, offline, allPointsBad },
        liveClients: runtime.hub.clientCount,
        ...(sync && disk ? { sync: sync.status(), disk: diskSection(disk) } : {}),
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
