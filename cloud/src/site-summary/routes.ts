import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { organizationFilter, requireOrganization, requireSite } from '../access/guards';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import { idParam } from '../sites/schemas';
import { readLiveConnected } from '../sync-status/routes';
import { administeredOrganizations } from '../users/user-access';
import { buildSiteSummaries, type SummarySite } from './build-summaries';
import { readLatestPoints } from './latest-points';
import { latestPointsSchema, siteSummaryListQuerySchema, siteSummaryListSchema, siteSummarySchema } from './schemas';

const siteParams = z.object({ siteId: idParam('siteId') });

const summaryDescription =
  'KPIs come from the points with a meter role: power from the newest value of each meter (the live relay or the stored minute rollups, ' +
  'whichever is newer; a stored value older than 5 minutes is stale), energy from the growth of counters since local midnight in the ' +
  "site's time zone. Alarm counts come from the alarms the edge uploaded, device counts from the newest device status event of each device.";

const siteSummaryRoute = createRoute({
  method: 'get',
  path: '/api/sites/{siteId}/summary',
  tags: ['sites'],
  summary: "A site's KPIs, alarm and device counts and edge connection (viewers and up)",
  description: summaryDescription,
  security: bearerSecurity,
  request: { params: siteParams },
  responses: { 200: { description: 'The summary', content: { 'application/json': { schema: siteSummarySchema } } }, ...errorResponses(401, 404) },
});

const siteSummaryListRoute = createRoute({
  method: 'get',
  path: '/api/site-summaries',
  tags: ['sites'],
  summary: 'The summary of every site the caller can open, ordered by organization name and site name, one page at a time',
  description: `${summaryDescription} Each entry is the body of GET /api/sites/{siteId}/summary.`,
  security: bearerSecurity,
  request: { query: siteSummaryListQuerySchema },
  responses: { 200: { description: 'Summaries', content: { 'application/json': { schema: siteSummaryListSchema } } }, ...errorResponses(400, 401, 404) },
});

const latestPointsRoute = createRoute({
  method: 'get',
  path: '/api/sites/{siteId}/points/latest',
  tags: ['sites'],
  summary: 'The newest value, quality and time of every point of a site that the hub has (viewers and up)',
  description:
    'Lists the configured points in device key and point order, then points that have data but no configuration. The value is the live ' +
    "relay's last sample or the last value of the newest stored minute rollup, whichever is newer. Stored rollups keep no quality, " +
    'so a stored value is `good`, or `stale` once older than 5 minutes; a live sample keeps its quality and also turns `stale` at that age.',
  security: bearerSecurity,
  request: { params: siteParams },
  responses: { 200: { description: 'Latest values', content: { 'application/json': { schema: latestPointsSchema } } }, ...errorResponses(401, 404) },
});

export function registerSiteSummaryRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(siteSummaryRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const [summary] = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const site = await requireSite(tx, caller, siteId, 'dashboard.view');
      const rows = await tx<SummarySite[]>`
        SELECT s.id, s.name, s.organization_id, o.name AS organization_name, s.time_zone
        FROM sites s JOIN organizations o ON o.id = s.organization_id
        WHERE s.id = ${site.id}`;
      return buildSiteSummaries(deps, c.var.logger, tx, rows, await readLiveConnected(deps, [site.id]), Date.now());
    });
    c.header('Cache-Control', 'no-store');
    return c.json(summary!, 200);
  });

  app.openapi(siteSummaryListRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId, limit, offset } = c.req.valid('query');
    if (organizationId !== undefined) requireOrganization(caller, organizationId, 'dashboard.view');
    const explicit = caller.permissions.sites.map((grant) => grant.id);
    const administered = administeredOrganizations(caller);
    const result = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const visible = tx`
        WHERE true ${organizationFilter(tx, caller, 's.organization_id')}
          ${organizationId === undefined ? tx`` : tx`AND s.organization_id = ${organizationId}`}
          ${caller.platformAdmin ? tx`` : tx`AND (s.id = ANY(${tx.array(explicit, 2950)}) OR s.organization_id = ANY(${tx.array(administered, 2950)}))`}`;
      const [count] = await tx<{ total: number }[]>`SELECT count(*)::int AS total FROM sites s ${visible}`;
      const rows = await tx<SummarySite[]>`
        SELECT s.id, s.name, s.organization_id, o.name AS organization_name, s.time_zone
        FROM sites s JOIN organizations o ON o.id = s.organization_id
        ${visible}
        ORDER BY o.name, o.id, s.name, s.id
        LIMIT ${limit} OFFSET ${offset}`;
      const liveConnected = await readLiveConnected(
        deps,
        rows.map((row) => row.id),
      );
      return { total: count!.total, sites: await buildSiteSummaries(deps, c.var.logger, tx, rows, liveConnected, Date.now()) };
    });
    c.header('Cache-Control', 'no-store');
    return c.json(result, 200);
  });

  app.openapi(latestPointsRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const points = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const site = await requireSite(tx, caller, siteId, 'dashboard.view');
      return readLatestPoints(deps, c.var.logger, tx, site.id, Date.now());
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ siteId, points }, 200);
  });
}
