import { computeSiteKpis, type MeterEnergy, type MeterReading } from '@simtestlab/sync';
import type { z } from '@hono/zod-openapi';
import type { TransactionSql } from '../db/connect';
import type { Logger } from '../logger';
import { readStatusRows } from '../sync-status/status-rows';
import { readLatestValues, type LiveStore } from './latest-values';
import { readMeterPoints, type MeterPoint } from './meter-points';
import type { siteSummarySchema } from './schemas';
import { readAlarmCounts, readDeviceCounts } from './status-counts';
import { readCounterDeltasToday, readDayStart, readLastDataAt } from './stored-values';

export type SiteSummary = z.infer<typeof siteSummarySchema>;

/** A site the caller may open, as the summaries start from it. */
export interface SummarySite {
  id: string;
  name: string;
  organization_id: string;
  organization_name: string;
  time_zone: string;
}

/** Computes a site's KPIs from the latest values of its meters and today's growth of its counters. */
async function readSiteKpis(deps: LiveStore, logger: Logger, tx: TransactionSql, site: SummarySite, meters: readonly MeterPoint[], nowMs: number) {
  const gauges = meters.filter((meter) => meter.kind !== 'counter');
  const counters = meters.filter((meter) => meter.kind === 'counter');
  const latest = await readLatestValues(
    deps,
    logger,
    tx,
    site.id,
    nowMs,
    gauges.map((meter) => meter.point),
  );
  const readings: MeterReading[] = gauges.map((meter) => {
    const value = latest.get(meter.point);
    return { role: meter.role, unit: meter.unit, value: typeof value?.value === 'number' ? value.value : null, quality: value?.quality ?? null };
  });
  const deltas = await readCounterDeltasToday(
    tx,
    site.id,
    site.time_zone,
    counters.map((meter) => meter.point),
  );
  const energy: MeterEnergy[] = counters.map((meter) => ({ role: meter.role, unit: meter.unit, delta: deltas.get(meter.point) ?? null }));
  return computeSiteKpis(readings, energy);
}

/**
 * Builds the summary of each site, in the order given. The caller has checked that they may open every
 * one. `liveConnected[index]` is true when the edge of `sites[index]` has its uplink open.
 */
export async function buildSiteSummaries(
  deps: LiveStore,
  logger: Logger,
  tx: TransactionSql,
  sites: readonly SummarySite[],
  liveConnected: readonly boolean[],
  nowMs: number,
): Promise<SiteSummary[]> {
  const siteIds = sites.map((site) => site.id);
  const meters = await readMeterPoints(tx, siteIds);
  const alarms = await readAlarmCounts(tx, siteIds);
  const devices = await readDeviceCounts(tx, siteIds);
  const statuses = await readStatusRows(tx, siteIds);
  const summaries: SiteSummary[] = [];
  for (const [index, site] of sites.entries()) {
    summaries.push({
      site: { id: site.id, name: site.name, organizationId: site.organization_id, organizationName: site.organization_name, timeZone: site.time_zone },
      generatedAt: nowMs,
      dayStart: await readDayStart(tx, site.time_zone),
      kpis: await readSiteKpis(deps, logger, tx, site, meters.get(site.id) ?? [], nowMs),
      alarms: alarms.get(site.id)!,
      devices: devices.get(site.id)!,
      edge: {
        connected: liveConnected[index] ?? false,
        lastContactAt: statuses.get(site.id)?.last_contact_at?.getTime() ?? null,
        lastDataAt: await readLastDataAt(tx, site.id),
      },
    });
  }
  return summaries;
}
