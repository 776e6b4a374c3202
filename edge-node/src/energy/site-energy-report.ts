import { computeEnergyReport, previousPeriod, reportPointIds, type BucketResolution, type EnergyReport, type PeriodRange } from '@simtestlab/sync';
import type { SiteConfig } from '../config/schema';
import type { SqliteDatabase } from '../store/database';
import type { HistoryReader } from '../store/history';
import type { PointRegistry } from '../store/point-registry';
import { readSiteHierarchy } from '../sync/site-hierarchy';
import type { ActiveEnergySettings } from './energy-settings-reader';
import { loadReportMeters, siteMeterPoints, type ReportPoint } from './report-meters';

/** The parts of the runtime a report reads: the site file, the stored points, their history and the synced hierarchy. */
export interface EnergyReportSource {
  config: Pick<SiteConfig, 'site' | 'devices'>;
  registry: PointRegistry;
  history: HistoryReader;
  db: SqliteDatabase;
}

/**
 * Computes the site's energy report over `range`, with the previous period of the same kind for
 * comparison. It reads the points that have a meter role or that a virtual meter names, each placed at
 * its device's hierarchy node. Throws a RangeError, as `computeEnergyReport` does, for a resolution
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
  const candidates = siteMeterPoints(devices, source.registry);
  const neededIds = reportPointIds(
    candidates.map(({ point, role }) => ({ id: point.key, role })),
    active.settings,
  );
  const hierarchy = readSiteHierarchy(
    source.db,
    devices.map((device) => device.key),
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
    range,
    ...(resolution === undefined ? {} : { resolution }),
    previous: { range: previous, meters: loadReportMeters(source.history, points, previous) },
    ...(now === undefined ? {} : { now }),
  });
}
