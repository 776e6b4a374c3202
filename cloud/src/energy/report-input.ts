import {
  counterRolloverAt,
  dataTypeSchema,
  demandPointIds,
  demandRowWindow,
  reportPointIds,
  reportRowWindow,
  type BucketResolution,
  type EnergyReportInput,
  type PeriodRange,
  type ReportMeterInput,
  type SiteNodeKind,
} from '@simtestlab/sync';
import { HttpError } from '../api/http-error';
import type { TransactionSql } from '../db/connect';
import type { Logger } from '../logger';
import { readEnergyPoints, type EnergyPoint } from '../site-summary/meter-points';
import { RESOLUTION_MS } from '../telemetry/resolution';
import { readReportRows, type RowWindow } from './report-rows';
import { readReportSettings } from './site-settings';

/**
 * Maximum rollup rows one site's report may read, over the period and the previous one: a year of
 * hourly rows (8,784 per point) with its previous year allows about 56 meters. It bounds the memory of
 * one report, which keeps all its rows at once.
 */
export const MAX_REPORT_ROWS = 1_000_000;

/**
 * Maximum 15-minute rows a report over more than 31 days reads for its monthly peaks, over the period
 * and the previous one: a year with its previous year allows 14 meters that feed grid import. Beyond
 * it the report is computed without them, and it warns that demand needs 15-minute data.
 */
export const MAX_DEMAND_ROWS = 1_000_000;

/** A site as a report names it, with its organization's currency. */
export interface ReportSite {
  id: string;
  organizationId: string;
  name: string;
  timeZone: string;
  currency: string;
}

/** The period of a report and, for a comparison, the one before it. */
export interface ReportRanges {
  range: PeriodRange;
  previous?: PeriodRange;
}

/** Reads the sites of `siteIds` with their organization's currency, in site name order. */
export async function readReportSites(tx: TransactionSql, siteIds: readonly string[]): Promise<ReportSite[]> {
  return tx<ReportSite[]>`
    SELECT s.id, s.organization_id AS "organizationId", s.name, s.time_zone AS "timeZone", o.currency
    FROM sites s JOIN organizations o ON o.id = s.organization_id
    WHERE s.id = ANY(${tx.array([...siteIds], 2950)})
    ORDER BY s.name, s.id`;
}

async function readNodes(tx: TransactionSql, siteId: string): Promise<EnergyReportInput['nodes']> {
  return tx<{ id: string; parentId: string | null; kind: SiteNodeKind; name: string }[]>`
    SELECT id, parent_id AS "parentId", kind, name FROM site_nodes WHERE site_id = ${siteId} ORDER BY name, id`;
}

/**
 * Reads the rollover value of each counter point with a row in `points`, by `counterRolloverAt` from its
 * configured data type and scale with the shared model's defaults (float32, scale 1), as the edge store
 * computes it. Points known only from a device's catalog are left out: the catalog carries no scale, and
 * the edge leaves them out too.
 */
async function readRolloverValues(tx: TransactionSql, siteId: string): Promise<Map<string, number>> {
  const rows = await tx<{ point: string; data_type: string | null; scale: number | null }[]>`
    SELECT d.key || '.' || p.key AS point, p.config->>'dataType' AS data_type,
      CASE WHEN jsonb_typeof(p.config->'scale') = 'number' THEN (p.config->>'scale')::float8 END AS scale
    FROM points p JOIN devices d ON d.id = p.device_id
    WHERE p.site_id = ${siteId} AND p.config->>'kind' = 'counter'`;
  const values = new Map<string, number>();
  for (const row of rows) {
    const dataType = dataTypeSchema.safeParse(row.data_type ?? 'float32');
    if (!dataType.success) continue;
    const rolloverAt = counterRolloverAt({ kind: 'counter', dataType: dataType.data, scale: row.scale ?? 1 });
    if (rolloverAt !== undefined) values.set(row.point, rolloverAt);
  }
  return values;
}

/** Returns the most rows `pointCount` points can have over `windows`. */
function maxRowCount(pointCount: number, windows: readonly RowWindow[]): { rows: number; buckets: number } {
  const buckets = windows.reduce((total, window) => total + Math.ceil((window.to - window.from) / RESOLUTION_MS[window.resolution]), 0);
  return { rows: buckets * pointCount, buckets };
}

/** Raises 400 when the windows could hold more than `maxRows` rows for `pointCount` points. */
function checkRowBudget(pointCount: number, windows: readonly RowWindow[], maxRows: number): void {
  const { rows, buckets } = maxRowCount(pointCount, windows);
  if (rows <= maxRows) return;
  throw new HttpError(
    400,
    'invalid_request',
    `the report could read ${rows} rollup rows (${pointCount} meters over ${buckets} buckets), more than the limit of ${maxRows}: choose a shorter period`,
    { parameter: 'period' },
  );
}

/**
 * Loads everything `computeEnergyReport` needs for one site and period: settings, hierarchy, the meter
 * points the report reads (`reportPointIds`) and their rollups over the window `reportRowWindow` gives,
 * all in one query for the period and the previous one. Runs in the caller's tenant transaction.
 */
export async function loadEnergyReportInput(
  tx: TransactionSql,
  logger: Logger,
  site: ReportSite,
  ranges: ReportRanges,
  options: { resolution?: BucketResolution; maxRows?: number; maxDemandRows?: number } = {},
): Promise<EnergyReportInput> {
  const settings = await readReportSettings(tx, logger, site);
  const nodes = await readNodes(tx, site.id);
  const candidates = (await readEnergyPoints(tx, [site.id])).get(site.id) ?? [];
  const neededIds = reportPointIds(
    candidates.map((point) => ({ id: point.point, role: point.role })),
    settings,
  );
  const points = candidates.filter((point) => neededIds.has(point.point));
  const rolloverValues = await readRolloverValues(tx, site.id);

  const windows: RowWindow[] = [reportRowWindow(ranges.range)];
  if (ranges.previous !== undefined) windows.push(reportRowWindow(ranges.previous));
  // A period over 31 days reads its energy from hourly rows and its monthly peaks from the 15-minute
  // rows of the meters that feed grid import.
  const demandIds = demandPointIds(points.map((point) => ({ id: point.point, role: point.role })));
  const demandPoints = points.filter((point) => demandIds.has(point.point));
  const currentDemandWindow = demandRowWindow(ranges.range);
  const previousDemandWindow = ranges.previous === undefined ? null : demandRowWindow(ranges.previous);
  const readDemandWindows: RowWindow[] = [];
  if (currentDemandWindow !== null) readDemandWindows.push(currentDemandWindow);
  if (previousDemandWindow !== null) readDemandWindows.push(previousDemandWindow);
  checkRowBudget(points.length, windows, options.maxRows ?? MAX_REPORT_ROWS);
  const demandRowCount = maxRowCount(demandPoints.length, readDemandWindows).rows;
  if (demandRowCount > (options.maxDemandRows ?? MAX_DEMAND_ROWS)) {
    logger.warn({ siteId: site.id, demandPoints: demandPoints.length, rows: demandRowCount }, 'energy report reads no 15-minute demand rows: too many grid import meters for the period');
    readDemandWindows.length = 0;
  }
  const [current, previous] = await readReportRows(
    tx,
    site.id,
    points.map((point) => point.point),
    windows,
  );
  const demandRows = await readReportRows(
    tx,
    site.id,
    demandPoints.map((point) => point.point),
    readDemandWindows,
  );
  const meters = (selected: readonly EnergyPoint[], rows: Map<string, ReportMeterInput['rows']> | undefined): ReportMeterInput[] =>
    selected.map((point) => ({
      id: point.point,
      device: point.device,
      name: point.name,
      role: point.role,
      unit: point.unit,
      kind: point.kind,
      nodeId: point.nodeId,
      ...(rolloverValues.has(point.point) ? { rolloverAt: rolloverValues.get(point.point)! } : {}),
      rows: rows?.get(point.point) ?? [],
    }));
  const demandMeters = (window: RowWindow | null): ReportMeterInput[] | undefined => {
    const index = window === null ? -1 : readDemandWindows.indexOf(window);
    return index === -1 ? undefined : meters(demandPoints, demandRows[index]);
  };

  return {
    site: { id: site.id, name: site.name, timeZone: site.timeZone },
    currency: site.currency,
    settings,
    nodes,
    meters: meters(points, current),
    demandMeters: demandMeters(currentDemandWindow),
    range: ranges.range,
    ...(options.resolution === undefined ? {} : { resolution: options.resolution }),
    ...(ranges.previous === undefined ? {} : { previous: { range: ranges.previous, meters: meters(points, previous), demandMeters: demandMeters(previousDemandWindow) } }),
  };
}
