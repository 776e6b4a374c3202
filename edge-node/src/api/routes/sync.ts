import { Hono } from 'hono';
import type { SyncMonitor } from '../../upload/sync-monitor';

/** `GET /api/sync/status`: the edge's side of the sync with the hub, as `syncStatusSchema`. */
export function syncRoutes(sync: SyncMonitor) {
  const app = new Hono();
  app.get('/sync/status', (c) => c.json(sync.status()));
  return app;
}
