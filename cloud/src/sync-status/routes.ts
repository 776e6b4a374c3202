import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { syncStatusSchema } from '@simtestlab/sync';
import { organizationFilter, requireSite } from '../access/guards';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import { uplinkPresenceKey } from '../live/redis-keys';
import { idParam } from '../sites/schemas';
import { readStatusRows, toSyncStatus } from './status-rows';

const syncStatusRoute = createRoute({
  method: 'get',
  path: '/api/sites/{siteId}/sync-status',
  tags: ['sites'],
  summary: "The hub's view of a site's uploads and live uplink (viewers and up)",
  description:
    'Times are epoch ms UTC, null until the event happened. The backlog and `oldestUnsentAt` are what the edge reported with its ' +
    'last batch, `lagMs` is the age of that oldest unsent item (0 when nothing waits), and `clockSkewMs` is the hub time at the arrival of the last batch minus the ' +
    "edge's send time; `clockSkewFlagged` is true when its magnitude exceeded the hub's CLOCK_SKEW_THRESHOLD_MS. " +
    '`liveConnected` is true while the edge has its live uplink open on some hub instance.',
  security: bearerSecurity,
  request: { params: z.object({ siteId: idParam('siteId') }) },
  responses: { 200: { description: 'Sync status', content: { 'application/json': { schema: syncStatusSchema } } }, ...errorResponses(401, 404) },
});

const listSyncStatusRoute = createRoute({
  method: 'get',
  path: '/api/sync-status',
  tags: ['sites'],
  summary: 'The sync status of every site the caller can open',
  description: 'Each entry is the body of `GET /api/sites/{siteId}/sync-status`, ordered by site id.',
  security: bearerSecurity,
  responses: {
    200: { description: 'Sync statuses', content: { 'application/json': { schema: z.object({ sites: z.array(syncStatusSchema) }) } } },
    ...errorResponses(401),
  },
});

/** Reads whether each site has a live uplink open, in the order of `siteIds`. */
export async function readLiveConnected(deps: AppDeps, siteIds: readonly string[]): Promise<boolean[]> {
  if (siteIds.length === 0) return [];
  const pipeline = deps.redis.pipeline();
  for (const siteId of siteIds) pipeline.exists(uplinkPresenceKey(deps.redisPrefix, siteId));
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, count]) => {
    if (error) throw error;
    return count === 1;
  });
}

export function registerSyncStatusRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(syncStatusRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const row = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const site = await requireSite(tx, caller, siteId, 'dashboard.view');
      return (await readStatusRows(tx, [site.id])).get(site.id);
    });
    const [liveConnected] = await readLiveConnected(deps, [siteId]);
    c.header('Cache-Control', 'no-store');
    return c.json(toSyncStatus(siteId, row, liveConnected!, Date.now()), 200);
  });

  app.openapi(listSyncStatusRoute, async (c) => {
    const { caller } = c.var;
    const { siteIds, rows } = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const sites = await tx<{ id: string; organization_id: string }[]>`
        SELECT id, organization_id FROM sites WHERE true ${organizationFilter(tx, caller, 'organization_id')} ORDER BY id`;
      const visible = sites.filter((site) => caller.siteRole(site.id, site.organization_id) !== null).map((site) => site.id);
      return { siteIds: visible, rows: await readStatusRows(tx, visible) };
    });
    const liveConnected = await readLiveConnected(deps, siteIds);
    const now = Date.now();
    c.header('Cache-Control', 'no-store');
    return c.json({ sites: siteIds.map((siteId, index) => toSyncStatus(siteId, rows.get(siteId), liveConnected[index]!, now)) }, 200);
  });
}
