import { createRoute, z } from '@hono/zod-openapi';
import {
  bucketResolutions,
  energyReportCsv,
  energyReportSchema,
  energyReportTableSchema,
  isAllowed,
  localDateTimeAt,
  PeriodRangeError,
  ReportResolutionError,
  periodKinds,
  periodQuerySchema,
  periodRangeFromQuery,
  siteEnergySettingsSchema,
  type EnergyReport,
  type PeriodQuery,
  type PeriodRange,
} from '@simtestlab/sync';
import type { Context } from 'hono';
import type { EnergySettingsReader } from '../../energy/energy-settings-reader';
import { buildSiteEnergyReport, type EnergyReportSource } from '../../energy/site-energy-report';
import { requestActor } from '../auth-guard';
import { errorResponse, errorResponses, validationErrorResponse } from '../http-error';
import { bearerSecurity, createRouter, mountRoute, type EdgeRouter } from '../openapi-router';

const localDateDoc = z.string().openapi({ description: 'Local date in the site time zone, YYYY-MM-DD', example: '2026-03-29' });

/** The period query as documented; `periodQuerySchema` checks it. */
const periodQueryDoc = z.object({
  period: z.enum(periodKinds).openapi({ description: 'Calendar day, ISO week (Monday to Sunday), month, year, or custom from `from` to `to`' }),
  date: localDateDoc.optional().openapi({ description: 'A local day inside the period, YYYY-MM-DD. Defaults to today in the site time zone.' }),
  from: localDateDoc.optional().openapi({ description: 'First local day of a custom period, YYYY-MM-DD. Required with period=custom.' }),
  to: localDateDoc.optional().openapi({ description: 'Last local day of a custom period, included, YYYY-MM-DD. Required with period=custom.' }),
  resolution: z.enum(bucketResolutions).optional().openapi({ description: 'Bucket size of the report: by default 1h for a day or a custom period up to 2 days, 1d for a week, a month or a longer custom period, 1mo for a year' }),
});

export const energySettingsResponseSchema = z
  .object({
    currency: z.string().nullable().openapi({ description: 'ISO 4217 code of the costs, or null when neither the hub nor the site file names one' }),
    settings: siteEnergySettingsSchema,
    source: z.enum(['hub', 'site-file', 'none']).openapi({
      description: "Where the settings come from: the hub's synced settings, the site file's `energy` section (no valid synced settings), or the defaults",
    }),
  })
  .openapi('EnergySettings');

const energyReportRoute = createRoute({
  method: 'get',
  path: '/energy/report',
  tags: ['energy'],
  summary: "Energy report of the site over a period in the site's time zone",
  description:
    'Flows, costs, virtual meters, hierarchy, indicators and the previous period for comparison, computed from the stored rollups ' +
    'and the buckets not committed yet. Hourly buckets follow UTC instants, so a daylight-saving day has 23 or 25 of them.',
  security: bearerSecurity,
  request: { query: periodQueryDoc },
  responses: {
    200: { description: 'The report', content: { 'application/json': { schema: energyReportSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

const energyReportCsvRoute = createRoute({
  method: 'get',
  path: '/energy/report.csv',
  tags: ['energy'],
  summary: 'One table of the energy report as CSV; needs `report.export` (operator and above)',
  security: bearerSecurity,
  request: { query: periodQueryDoc.extend({ table: energyReportTableSchema }) },
  responses: {
    200: { description: 'CSV with a header row, sent as an attachment', content: { 'text/csv': { schema: z.string() } } },
    ...errorResponses(400, 401, 403),
  },
});

const energySettingsRoute = createRoute({
  method: 'get',
  path: '/energy/settings',
  tags: ['energy'],
  summary: 'Energy settings in use: tariffs, virtual meters, emission factor, currency and where they come from',
  security: bearerSecurity,
  responses: {
    200: { description: 'The settings', content: { 'application/json': { schema: energySettingsResponseSchema } } },
    ...errorResponses(401, 403),
  },
});

/** Route definitions of this file, for the OpenAPI document. */
export const energyRouteDefinitions = [energyReportRoute, energyReportCsvRoute, energySettingsRoute];

export interface EnergyRouteDeps extends EnergyReportSource {
  energySettings: EnergySettingsReader;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** Returns the local date of `ts` in `timeZone` as YYYY-MM-DD. */
function localDate(ts: number, timeZone: string): string {
  const local = localDateTimeAt(ts, timeZone);
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
}

/** Parses the period query, with `date` defaulting to today in the site's zone, or returns a 400 naming the first bad parameter. */
function parsePeriodQuery(c: Context, timeZone: string, now: number): { ok: true; value: PeriodQuery } | { ok: false; response: Response } {
  const query = c.req.query();
  const parsed = periodQuerySchema.safeParse({ ...query, date: query.date ?? localDate(now, timeZone) });
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, response: validationErrorResponse(c, 'invalid_parameter', parsed.error, 'query') };
}

/**
 * Resolves the query to a period and computes the report. A PeriodRangeError, such as a custom period
 * over 366 days, and the rejection of a resolution too fine for the period become a 400 naming the
 * parameter. Any other error propagates to the app's error handler as a 500.
 */
function reportFor(c: Context, deps: EnergyRouteDeps, query: PeriodQuery): { ok: true; report: EnergyReport } | { ok: false; response: Response } {
  let range: PeriodRange;
  try {
    range = periodRangeFromQuery(query, deps.config.site.timeZone);
  } catch (error) {
    if (!(error instanceof PeriodRangeError)) throw error;
    return { ok: false, response: errorResponse(c, 400, 'invalid_parameter', error.message, query.period === 'custom' ? 'to' : 'date') };
  }
  try {
    return { ok: true, report: buildSiteEnergyReport(deps, deps.energySettings.current(), range, query.resolution) };
  } catch (error) {
    if (!(error instanceof ReportResolutionError)) throw error;
    return { ok: false, response: errorResponse(c, 400, 'invalid_parameter', error.message, 'resolution') };
  }
}

/** Builds the attachment's file name from the site, the table, the period kind and its first and last local days. */
function csvFileName(report: EnergyReport, table: string): string {
  const { kind, from, to } = report.period;
  const days = to === from ? from : `${from}_${to}`;
  return `energy-${report.siteId}-${table}-${kind}-${days}.csv`;
}

/**
 * Energy routes: the report as JSON and one of its tables as CSV, and the settings in use. The app's
 * guard requires `dashboard.view`; the CSV route also checks `report.export`, as the alarm history
 * export does. `now` sets the default `date` and is injectable for tests.
 */
export function energyRoutes(deps: EnergyRouteDeps, options: { now?: () => number } = {}): EdgeRouter {
  const now = options.now ?? Date.now;
  const app = createRouter();
  const timeZone = deps.config.site.timeZone;

  mountRoute(app, energyReportRoute, (c) => {
    const query = parsePeriodQuery(c, timeZone, now());
    if (!query.ok) return query.response;
    const result = reportFor(c, deps, query.value);
    return result.ok ? c.json(result.report) : result.response;
  });

  mountRoute(app, energyReportCsvRoute, (c) => {
    const actor = requestActor(deps.db, c);
    if (!isAllowed({ role: actor.role, developer: actor.developer }, 'report.export')) {
      return errorResponse(c, 403, 'forbidden', `the role ${actor.role ?? 'none'} may not take the action report.export; exporting energy reports needs operator or above`);
    }
    const table = energyReportTableSchema.safeParse(c.req.query('table'));
    if (!table.success) return validationErrorResponse(c, 'invalid_parameter', table.error, 'table');
    const query = parsePeriodQuery(c, timeZone, now());
    if (!query.ok) return query.response;
    const result = reportFor(c, deps, query.value);
    if (!result.ok) return result.response;
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${csvFileName(result.report, table.data)}"`);
    return c.body(energyReportCsv(result.report, table.data));
  });

  mountRoute(app, energySettingsRoute, (c) => c.json(deps.energySettings.current()));

  return app;
}
