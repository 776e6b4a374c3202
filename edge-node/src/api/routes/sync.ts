import { createRoute } from '@hono/zod-openapi';
import { syncStatusSchema } from '@simtestlab/sync';
import type { SyncMonitor } from '../../upload/sync-monitor';
import { errorResponses } from '../http-error';
import { bearerSecurity, createRouter, mountRoute } from '../openapi-router';

export const syncStatusRoute = createRoute({
  method: 'get',
  path: '/sync/status',
  tags: ['sync'],
  summary: "The edge's side of the sync with the hub; served only on a paired node",
  security: bearerSecurity,
  responses: {
    200: { description: 'Sync status', content: { 'application/json': { schema: syncStatusSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

/** Route definitions of this module, for the OpenAPI document. */
export const syncRouteDefinitions = [syncStatusRoute];

/** `GET /api/sync/status`: the edge's side of the sync with the hub, as `syncStatusSchema`. */
export function syncRoutes(sync: SyncMonitor) {
  const app = createRouter();
  mountRoute(app, syncStatusRoute, (c) => c.json(sync.status()));
  return app;
}
