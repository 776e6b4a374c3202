import { createRoute, z } from '@hono/zod-openapi';
import { shapeRowSchemas, siteKpisSchema } from '@simtestlab/sync';
import type { EdgeRuntime } from '../../runtime/edge-runtime';
import { buildSiteSummary } from '../../runtime/site-summary';
import { errorResponses } from '../http-error';
import { bearerSecurity, createRouter, type EdgeRouter } from '../openapi-router';

const count = z.number().int().min(0);

export const siteSummarySchema = z
  .object({
    site: z.object({ id: z.string(), name: z.string(), timeZone: z.string().openapi({ example: 'Europe/Paris' }) }),
    generatedAt: z.number().int().openapi({ description: 'When the summary was computed, epoch ms UTC' }),
    dayStart: z.number().int().openapi({ description: "The site's local midnight from which energyToday counts, epoch ms UTC" }),
    kpis: siteKpisSchema,
    alarms: z.object({
      active: z
        .object({ total: count, info: count, warning: count, critical: count })
        .openapi({ description: 'Alarms whose condition is active and announced (active_unack, active_ack), in total and per severity' }),
      unacknowledged: count.openapi({ description: 'Alarms waiting for an acknowledgement (active_unack, cleared_unack)' }),
    }),
    devices: z.object({
      total: count,
      online: count,
      offline: count,
      unknown: count,
      disabled: count,
      withBadPoints: count.openapi({ description: 'Enabled devices with at least one point of bad quality now, other than points the device does not implement' }),
    }),
    hierarchy: z.object({
      nodes: z
        .array(z.object({ id: z.string(), parentId: z.string().nullable(), kind: shapeRowSchemas.site_nodes.shape.kind, name: z.string() }))
        .openapi({ description: 'Hierarchy nodes synced from the hub; empty on an edge that is not paired' }),
      devices: z
        .array(z.object({ key: z.string(), name: z.string(), nodeId: z.string().nullable() }))
        .openapi({ description: 'Every device of the site with the node it is placed under, null when not placed' }),
    }),
  })
  .openapi('SiteSummary');

const siteSummaryRoute = createRoute({
  method: 'get',
  path: '/site/summary',
  tags: ['site'],
  summary: 'Site overview: KPIs, alarm and device counts, hierarchy',
  description:
    'Power KPIs come from the latest values of points with a meter role, energy today from the growth of their counters since local midnight, ' +
    'including samples not committed yet. A missing value makes a sum null, and a KPI carries the worst quality it was computed from.',
  security: bearerSecurity,
  responses: {
    200: { description: 'The site summary', content: { 'application/json': { schema: siteSummarySchema } } },
    ...errorResponses(401, 403),
  },
});

/** Route definitions of this file, for the OpenAPI document. */
export const siteSummaryRouteDefinitions = [siteSummaryRoute];

/** `GET /site/summary`, for mounting under `/api` behind the read guard. `now` is injectable for tests. */
export function siteSummaryRoutes(runtime: EdgeRuntime, options: { now?: () => number } = {}): EdgeRouter {
  const now = options.now ?? Date.now;
  const app = createRouter();
  app.openapi(siteSummaryRoute, (c) => c.json(buildSiteSummary(runtime, now()), 200));
  return app;
}
