import {
  alarmSeverities,
  computeSiteKpis,
  isFaultyReading,
  type AlarmSeverity,
  type AlarmStatus,
  type MeterEnergy,
  type MeterReading,
  type MeterRole,
  type SiteKpis,
} from '@simtestlab/sync';
import { counterGrowthSince, localDayStart } from '../store/energy-today';
import { readHubMeterRoles } from '../energy/hub-meter-roles';
import { siteMeterPoints } from '../energy/report-meters';
import type { RegisteredPoint } from '../store/point-registry';
import { readSiteHierarchy, readSyncedDevices, type HierarchyNode } from '../sync/site-hierarchy';
import type { EdgeRuntime } from './edge-runtime';

/** Counts of the site's alarms for the overview. */
export interface AlarmCounts {
  /** Alarms whose condition is active and announced (`active_unack`, `active_ack`), in total and per severity. */
  active: { total: number } & Record<AlarmSeverity, number>;
  /** Alarms waiting for an acknowledgement (`active_unack`, `cleared_unack`). */
  unacknowledged: number;
}

/**
 * Counts of the site's devices by status. `withBadPoints` counts enabled devices with at least one point
 * of bad quality now, other than SunSpec points the device does not implement.
 */
export interface DeviceCounts {
  total: number;
  online: number;
  offline: number;
  unknown: number;
  disabled: number;
  withBadPoints: number;
}

/** Everything the site overview shows, computed from the runtime's state at `generatedAt`. */
export interface SiteSummary {
  site: { id: string; name: string; timeZone: string };
  generatedAt: number;
  /** Local midnight from which `kpis.energyToday` counts, epoch ms UTC. */
  dayStart: number;
  kpis: SiteKpis;
  alarms: AlarmCounts;
  devices: DeviceCounts;
  hierarchy: { nodes: HierarchyNode[]; devices: { key: string; name: string; nodeId: string | null }[] };
}

/**
 * Returns the points of enabled configured devices that have a meter role, with the roles the energy
 * report uses: the hub's for the devices it lists. Stored points of removed devices are left out.
 */
function meterPoints(runtime: EdgeRuntime): { point: RegisteredPoint; role: MeterRole }[] {
  const enabled = runtime.config.devices.filter((device) => device.enabled);
  const hubRoles = readHubMeterRoles(runtime.db, readSyncedDevices(runtime.db), runtime.logger);
  return siteMeterPoints(enabled, runtime.registry, hubRoles).flatMap(({ point, role }) => (role === null ? [] : [{ point, role }]));
}

function siteKpis(runtime: EdgeRuntime, now: number, dayStart: number): SiteKpis {
  const readings: MeterReading[] = [];
  const counters: MeterEnergy[] = [];
  for (const { point, role } of meterPoints(runtime)) {
    const unit = point.definition.unit;
    if (point.isCounter) {
      counters.push({ role, unit, delta: counterGrowthSince(runtime.history, point.id, dayStart) });
      continue;
    }
    const last = runtime.lastValues.get(point.key, now);
    readings.push({ role, unit, value: typeof last?.value === 'number' ? last.value : null, quality: last?.quality ?? null });
  }
  return computeSiteKpis(readings, counters);
}

function alarmCounts(alarms: readonly AlarmStatus[]): AlarmCounts {
  const active = { total: 0, ...(Object.fromEntries(alarmSeverities.map((severity) => [severity, 0])) as Record<AlarmSeverity, number>) };
  let unacknowledged = 0;
  for (const alarm of alarms) {
    if (alarm.state === 'active_unack' || alarm.state === 'active_ack') {
      active.total++;
      active[alarm.severity]++;
    }
    if (alarm.state === 'active_unack' || alarm.state === 'cleared_unack') unacknowledged++;
  }
  return { active, unacknowledged };
}

function deviceCounts(runtime: EdgeRuntime, now: number): DeviceCounts {
  const counts: DeviceCounts = { total: runtime.config.devices.length, online: 0, offline: 0, unknown: 0, disabled: 0, withBadPoints: 0 };
  for (const device of runtime.config.devices) {
    if (!device.enabled) {
      counts.disabled++;
      continue;
    }
    counts[runtime.pollers.get(device.key)?.status ?? 'unknown']++;
    if (runtime.registry.ofDevice(device.key).some((point) => isFaultyReading(runtime.lastValues.get(point.key, now)))) counts.withBadPoints++;
  }
  return counts;
}

/** Builds the site overview: KPIs from the points with a meter role, alarm and device counts, and the synced hierarchy. */
export function buildSiteSummary(runtime: EdgeRuntime, now: number): SiteSummary {
  const { site, devices } = runtime.config;
  const dayStart = localDayStart(now, site.timeZone);
  const hierarchy = readSiteHierarchy(
    runtime.db,
    devices.map((device) => device.key),
  );
  return {
    site: { id: site.id, name: site.name, timeZone: site.timeZone },
    generatedAt: now,
    dayStart,
    kpis: siteKpis(runtime, now, dayStart),
    alarms: alarmCounts(runtime.alarms.active()),
    devices: deviceCounts(runtime, now),
    hierarchy: {
      nodes: hierarchy.nodes,
      devices: devices.map((device) => ({ key: device.key, name: device.name ?? device.key, nodeId: hierarchy.deviceNodes.get(device.key) ?? null })),
    },
  };
}
