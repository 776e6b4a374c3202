import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { energyReportCsv, energyReportSchema, organizationEnergyCsv, organizationEnergySchema, periodQueryOf } from '@simtestlab/sync';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { idParam } from '../sites/schemas';
import { csvAttachment } from './attachment';
import { buildOrganizationEnergy, MAX_ORGANIZATION_SITES } from './organization-energy';
import { MAX_REPORT_ROWS } from './report-input';
import { organizationParams, siteReportCsvQuerySchema, siteReportQuerySchema } from './schemas';
import { buildSiteReport } from './site-report';

const siteParams = z.object({ siteId: idParam('siteId') });

const PERIOD =
  "`date` is a local date (YYYY-MM-DD) in the site's time zone inside the period; a custom period takes `from` and `to` as local days, " +
  'both included, and at most 366 days, and needs no `date`. Dates have years from 1000 to 9999. Times in the body are epoch ms UTC and energies Wh. Reports over more than 31 days read hourly ' +
  `rollups, shorter ones 15-minute rollups. A report that could read more than ${MAX_REPORT_ROWS} rollup rows gets 400.`;

const siteReportRoute = createRoute({
  method: 'get',
  path: '/api/energy/sites/{siteId}/report',
  tags: ['energy'],
  summary: "A site's energy report for a period, with the previous period for comparison (viewers and up)",
  description: `${PERIOD} A site the caller cannot open is not found (404).`,
  security: bearerSecurity,
  request: { params: siteParams, query: siteReportQuerySchema },
  responses: { 200: { description: 'The report', content: { 'application/json': { schema: energyReportSchema } } }, ...errorResponses(400, 401, 404) },
});

const siteReportCsvRoute = createRoute({
  method: 'get',
  path: '/api/energy/sites/{siteId}/report.csv',
  tags: ['energy'],
  summary: "One table of a site's energy report as CSV (operators and up)",
  description:
    `${PERIOD} Viewers get 403. The file is named after the site, the table and the period. The CSV follows RFC 4180 with a header row, ` +
    'and a text cell that starts with =, +, -, @, tab or carriage return gets a leading single quote.',
  security: bearerSecurity,
  request: { params: siteParams, query: siteReportCsvQuerySchema },
  responses: { 200: { description: 'The CSV file', content: { 'text/csv': { schema: z.string() } } }, ...errorResponses(400, 401, 403, 404) },
});

const organizationRoute = createRoute({
  method: 'get',
  path: '/api/energy/organizations/{organizationId}',
  tags: ['energy'],
  summary: "Energy totals, cost and indicators of every site of an organization for a period (org admins and platform admins)",
  description:
    "Each site's period is resolved in the site's own time zone from the same local `date`, so `2026-03-29` is that day at every site. " +
    'Sites without meters or data are listed with zero totals. With `.csv` after the organization id, the same view is returned as a CSV ' +
    `file. Members who are not org admins get 403, callers outside the organization 404. At most ${MAX_ORGANIZATION_SITES} sites: an ` +
    'organization with more gets 400. `resolution` applies to site reports only and gets 400 here.',
  security: bearerSecurity,
  request: { params: organizationParams, query: siteReportQuerySchema },
  responses: {
    200: {
      description: 'The view, as JSON or, for `{organizationId}.csv`, as CSV',
      content: { 'application/json': { schema: organizationEnergySchema }, 'text/csv': { schema: z.string() } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

const CSV_SUFFIX = '.csv';

export function registerEnergyRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(siteReportRoute, async (c) => {
    const { caller, logger } = c.var;
    const query = periodQueryOf(c.req.valid('query'));
    const { report } = await buildSiteReport(deps, caller, logger, c.req.valid('param').siteId, query, 'dashboard.view');
    c.header('Cache-Control', 'no-store');
    return c.json(report, 200);
  });

  app.openapi(siteReportCsvRoute, async (c) => {
    const { caller, logger } = c.var;
    const { table, ...request } = c.req.valid('query');
    const { site, range, report } = await buildSiteReport(deps, caller, logger, c.req.valid('param').siteId, periodQueryOf(request), 'report.export');
    logger.info({ siteId: site.id, table, period: range.label, userId: caller.userId }, 'energy report exported');
    return c.body(energyReportCsv(report, table), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': csvAttachment([site.name, table, range.label]),
      'Cache-Control': 'no-store',
    });
  });

  // Hono matches a path parameter over a whole segment, so `{organizationId}.csv` cannot be a route of
  // its own: the suffix is read here instead.
  app.openapi(organizationRoute, async (c) => {
    const { caller, logger } = c.var;
    const requested = c.req.valid('param').organizationId;
    const csv = requested.endsWith(CSV_SUFFIX);
    const organizationId = csv ? requested.slice(0, -CSV_SUFFIX.length) : requested;
    const view = await buildOrganizationEnergy(deps, caller, logger, organizationId, periodQueryOf(c.req.valid('query')));
    if (!csv) {
      c.header('Cache-Control', 'no-store');
      return c.json(view.energy, 200);
    }
    logger.info({ organizationId, period: view.periodLabel, sites: view.energy.sites.length, userId: caller.userId }, 'organization energy exported');
    return c.body(organizationEnergyCsv(view.energy), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': csvAttachment([view.organizationName, view.periodLabel]),
      'Cache-Control': 'no-store',
    });
  });
}
