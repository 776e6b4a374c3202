import {
  demandPointIds,
  demandRowWindow,
  meterDisplayName,
  reportRowWindow,
  type MeterRole,
  type PeriodRange,
  type ReportMeterInput,
  type ReportSourceResolution,
} from '@simtestlab/sync';
import type { SiteConfig } from '../config/schema';
import type { HistoryReader } from '../store/history';
import type { PointRegistry, RegisteredPoint } from '../store/point-registry';
import type { HubMeterRoles } from './hub-meter-roles';

/** A point of a configured device with its meter role, or null when it has none. */
export interface SiteMeterPoint {
  point: RegisteredPoint;
  /** The name reports show: the point's own name, else its device's name and the point key, as the hub names it. */
  name: string;
  role: MeterRole | null;
  /**
   * Rollover value of a counter point the site file configures, as the store uses it. Absent for a point
   * found by discovery, because the hub has no scale for those and must compute the same report.
   */
  rolloverAt?: number;
}

/** A point a report reads, with the hierarchy node of its device. */
export interface ReportPoint extends SiteMeterPoint {
  nodeId: string | null;
}

/**
 * Lists the stored points of the devices the site file configures, disabled ones included because
 * their history still counts, with each point's meter role. A device that `hubRoles` lists takes its
 * roles from there only. Otherwise an entry in the device's `roles` map wins over the point's own
 * `role`, as it does when the runtime registers the points. Points of devices removed from the site
 * file are left out.
 */
export function siteMeterPoints(devices: SiteConfig['devices'], registry: PointRegistry, hubRoles: HubMeterRoles = new Map()): SiteMeterPoint[] {
  return devices.flatMap((device) => {
    const configured = new Set(device.points.map((point) => point.key));
    const fromHub = hubRoles.get(device.key);
    return registry.ofDevice(device.key).map((point) => ({
      point,
      name: meterDisplayName(point.definition, device),
      role: fromHub === undefined ? (device.roles?.[point.definition.key] ?? point.definition.role ?? null) : (fromHub.get(point.definition.key) ?? null),
      ...(point.rolloverAt !== undefined && configured.has(point.definition.key) ? { rolloverAt: point.rolloverAt } : {}),
    }));
  });
}

/**
 * Reads the rollup rows of each point over the window `reportRowWindow` gives for `range`, at its
 * resolution, one indexed range read per point. The rows include buckets still open in memory or being
 * committed, so a period that is still running counts up to its last sample.
 */
export function loadReportMeters(history: HistoryReader, points: readonly ReportPoint[], range: Pick<PeriodRange, 'start' | 'end'>): ReportMeterInput[] {
  return readMeters(history, points, reportRowWindow(range));
}

/**
 * Reads the 15-minute rows of the points that feed grid import over `demandRowWindow(range)`, which
 * give a period over 31 days its monthly peaks. Returns undefined for a period that reads 15-minute rows
 * anyway.
 */
export function loadDemandMeters(history: HistoryReader, points: readonly ReportPoint[], range: Pick<PeriodRange, 'start' | 'end'>): ReportMeterInput[] | undefined {
  const window = demandRowWindow(range);
  if (window === null) return undefined;
  const ids = demandPointIds(points.map(({ point, role }) => ({ id: point.key, role })));
  return readMeters(
    history,
    points.filter(({ point }) => ids.has(point.key)),
    window,
  );
}

function readMeters(history: HistoryReader, points: readonly ReportPoint[], window: { resolution: ReportSourceResolution; from: number; to: number }): ReportMeterInput[] {
  return points.map(({ point, name, role, nodeId, rolloverAt }) => ({
    id: point.key,
    device: point.deviceKey,
    name,
    role,
    unit: point.definition.unit,
    kind: point.definition.kind,
    nodeId,
    ...(rolloverAt === undefined ? {} : { rolloverAt }),
    rows: history.reportRows(window.resolution, point.id, window.from, window.to),
  }));
}
