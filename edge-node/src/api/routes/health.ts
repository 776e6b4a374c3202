import { Hono } from 'hono';
import type { EdgeRuntime } from '../../runtime/edge-runtime';

/** How long without a successful commit makes the node unhealthy. */
const COMMIT_STALL_MS = 30_000;

/**
 * `GET /api/health`: 200 when samples are being committed, 503 when the store is stalled. Offline
 * devices, and devices that respond but return no good point, make the node `degraded` but still 200,
 * because the node itself works.
 */
export function healthRoutes(runtime: EdgeRuntime) {
  const app = new Hono();
  app.get('/health', (c) => {
    const now = Date.now();
    const pollers = [...runtime.pollers.values()];
    const offline = pollers.filter((poller) => poller.status === 'offline').map((poller) => poller.device.key);
    const allPointsBad = pollers.filter((poller) => poller.status === 'online' && poller.allPointsBad).map((poller) => poller.device.key);
    const lastCommitAgeMs = runtime.lastCommitAt === 0 ? null : now - runtime.lastCommitAt;
    const storeOk = lastCommitAgeMs === null ? now - runtime.startedAt < COMMIT_STALL_MS : lastCommitAgeMs < COMMIT_STALL_MS;
    let status = 'ok';
    if (offline.length > 0 || allPointsBad.length > 0) status = 'degraded';
    if (!storeOk) status = 'failing';
    return c.json(
      {
        status,
        site: runtime.config.site.id,
        uptimeS: Math.round((now - runtime.startedAt) / 1000),
        store: { ok: storeOk, lastCommitAgeMs, pendingSamples: runtime.writer.pendingCount, commitFailures: runtime.commitFailures },
        devices: { total: pollers.length, online: pollers.filter((poller) => poller.status === 'online').length, offline, allPointsBad },
        liveClients: runtime.hub.clientCount,
      },
      storeOk ? 200 : 503,
    );
  });
  return app;
}
