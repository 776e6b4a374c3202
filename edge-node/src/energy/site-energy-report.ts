import { computeEnergyReport, previousPeriod, reportPointIds, type BucketResolution, type EnergyReport, type PeriodRange } from '@simtestlab/sync';
import type { SiteConfig } from '../config/schema';
import type { Logger } from '../logger';
import type { SqliteDatabase } from '../store/database';
import type { HistoryReader } from '../store/history';
import type { PointRegistry } from '../store/point-registry';
import { readSiteHierarchy, readSyncedDevices } from '../sync/site-hierarchy';
import type { ActiveEnergySettings } from './energy-settings-reader';
import { readHubMeterRoles } from './hub-meter-roles';
import { loadDemandMeters, loadReportMeters, siteMeterPoints, type ReportPoint } from './report-meters';

/** The parts of the runtime a report reads: the site file, the stored points, their history and the synced devices and hierarchy. */
export interface EnergyReportSource {
  config: Pick<SiteConfig, 'site' | 'devices'>;
  registry: PointRegistry;
  history: HistoryReader;
  db: SqliteDatabase;
  /** Receives a warning for each synced meter role that is invalid, at every report. */
  logger: Logger;
}

/**
 * Computes the site's energy report over `range`, with the previous period of the same kind for
 * comparison. It reads the points that have a meter role or that a virtual meter names, each placed at
 * its device's hierarchy node. A device the hub lists takes its meter roles from the synced rows, so the
 * edge and the hub report the same meters. Other devices keep the site file's roles. Throws a RangeError, as `computeEnergyReport` does, for a resolution
 * that does not fit the period. `now` (epoch ms, `Date.now()` by default) is where a running period's power rows end.
 */
export function buildSiteEnergyReport(
  source: EnergyReportSource,
  active: ActiveEnergySettings,
  range: PeriodRange,
  resolution?: BucketResolution,
  now?: number,
): EnergyReport {
  const { site, devices } = source.config;
  const synced = readSyncedDevices(source.db);
  const candidates = siteMeterPoints(devices, source.registry, readHubMeterRoles(source.db, synced, source.logger));
  const neededIds = reportPointIds(
    candidates.map(({ point, role }) => ({ id: point.key, role })),
    active.settings,
  );
  const hierarchy = readSiteHierarchy(
    source.db,
    devices.map((device) => device.key),
    synced,
  );
  const points: ReportPoint[] = candidates
    .filter(({ point }) => neededIds.has(point.key))
    .map((candidate) => ({ ...candidate, nodeId: hierarchy.deviceNodes.get(candidate.point.deviceKey) ?? null }));
  const previous = previousPeriod(range);

  return computeEnergyReport({
    site: { id: site.id, name: site.name, timeZone: site.timeZone },
    currency: active.currency,
    settings: active.settings,
    nodes: hierarchy.nodes,
    meters: loadReportMeters(source.history, points, range),
    demandMeters: loadDemandMeters(source.history, points, range),
    range,
    ...(resolution === undefined ? {} : { resolution }),
    previous: { range: previous, meters: loadReportMeters(source.history, points, previous), demandMeters: loadDemandMeters(source.history, points, previous) },
    ...(now === undefined ? {} : { now }),
  });
}
