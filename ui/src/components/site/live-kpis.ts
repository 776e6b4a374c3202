import { computeSiteKpis, type MeterReading, type SiteKpis, type Unit } from '@simtestlab/sync';
import type { Reading } from '../../live/live-values';
import type { SitePoint } from '../../site/site-api';

/** Watts per unit of the power units the live KPIs and the power chart accept. */
export const WATTS_PER_UNIT: Readonly<Record<string, number>> = { W: 1, kW: 1_000, MW: 1_000_000 };

/** Returns whether a point measures power for the site's balance: it has a meter role and a power unit. */
export function isRolePowerPoint(point: SitePoint): boolean {
  return point.role !== undefined && WATTS_PER_UNIT[point.unit] !== undefined;
}

/** Returns the latest reading of every role power point, live where the stream sent one, else as loaded. */
export function meterReadings(points: readonly SitePoint[], latest: Readonly<Record<string, Reading>>): MeterReading[] {
  return points.filter(isRolePowerPoint).map((point) => {
    const reading = latest[point.id] ?? point.reading;
    return {
      role: point.role!,
      // The unit was checked against WATTS_PER_UNIT above, and every key there is a sync `Unit`.
      unit: point.unit as Unit,
      value: typeof reading?.value === 'number' ? reading.value : null,
      quality: reading?.quality ?? null,
    };
  });
}

/**
 * Recomputes the power figures of the site's KPIs from live readings, the same way the server
 * computes them. Energy today needs counter deltas only the server has, so it stays the server's.
 * Without any role power point the server's KPIs are returned unchanged.
 */
export function liveSiteKpis(server: SiteKpis, points: readonly SitePoint[], latest: Readonly<Record<string, Reading>>): SiteKpis {
  const readings = meterReadings(points, latest);
  if (readings.length === 0) return server;
  const live = computeSiteKpis(readings, []);
  return { ...live, energyToday: server.energyToday };
}
