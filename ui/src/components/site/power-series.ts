import type { MeterRole } from '@simtestlab/sync';
import type { SitePoint } from '../../site/site-api';
import { WATTS_PER_UNIT, isRolePowerPoint } from './live-kpis';

/** Samples of one point as the live values keep them. */
export type SampleSeries = readonly { ts: number; value: number }[];

/** A series with the factor that converts its values to watts. */
interface ScaledSeries {
  samples: SampleSeries;
  watts: number;
}

/**
 * Sums several sample series into one, in watts. Each series keeps its last value until its next
 * sample, and a sum starts only once every series has a first sample, so a missing meter never makes
 * the sum look smaller than it is.
 */
export function sumSeriesW(parts: readonly ScaledSeries[]): { x: number; y: number }[] {
  if (parts.length === 0) return [];
  const times = [...new Set(parts.flatMap((part) => part.samples.map((sample) => sample.ts)))].sort((a, b) => a - b);
  const next = parts.map(() => 0);
  const lastValues: (number | null)[] = parts.map(() => null);
  const sum: { x: number; y: number }[] = [];

  for (const ts of times) {
    parts.forEach((part, index) => {
      while (next[index]! < part.samples.length && part.samples[next[index]!]!.ts <= ts) {
        lastValues[index] = part.samples[next[index]!]!.value * part.watts;
        next[index]! += 1;
      }
    });
    if (lastValues.every((value) => value !== null)) sum.push({ x: ts, y: lastValues.reduce<number>((total, value) => total + value!, 0) });
  }
  return sum;
}

/** Sums the power series of the points with any of `roles`, in watts. */
export function rolePowerW(points: readonly SitePoint[], roles: readonly MeterRole[], seriesOf: (pointId: string) => SampleSeries): { x: number; y: number }[] {
  const parts = points
    .filter((point) => isRolePowerPoint(point) && roles.includes(point.role!))
    .map((point) => ({ samples: seriesOf(point.id), watts: WATTS_PER_UNIT[point.unit]! }));
  return sumSeriesW(parts);
}

/** Returns whether the site has a power point with `role`. */
export function hasRole(points: readonly SitePoint[], role: MeterRole): boolean {
  return points.some((point) => isRolePowerPoint(point) && point.role === role);
}

/**
 * Consumption over time in watts: the consumption meters where the site has them, otherwise the
 * balance of grid, PV and battery, as the site's KPIs compute it.
 */
export function consumptionPowerW(points: readonly SitePoint[], seriesOf: (pointId: string) => SampleSeries): { x: number; y: number }[] {
  if (hasRole(points, 'consumption')) return rolePowerW(points, ['consumption'], seriesOf);
  return rolePowerW(points, ['grid', 'pv', 'battery'], seriesOf);
}
