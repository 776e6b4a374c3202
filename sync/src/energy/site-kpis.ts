import { z } from 'zod';
import { qualities, qualitySchema, type Quality } from '../model/quality';
import type { Unit } from '../model/units';
import type { MeterRole } from './meter-role';

/** Watts per unit of the power units a meter may report in. */
const WATTS: Partial<Record<Unit, number>> = { W: 1, kW: 1_000, MW: 1_000_000 };
/** Watt-hours per unit of the energy units a counter may report in. */
const WATT_HOURS: Partial<Record<Unit, number>> = { Wh: 1, kWh: 1_000, MWh: 1_000_000 };

/** The latest reading of a point that has a meter role. */
export interface MeterReading {
  role: MeterRole;
  unit: Unit;
  value: number | null;
  quality: Quality | null;
}

/** How much a counter with a meter role grew since the start of the site's day. */
export interface MeterEnergy {
  role: MeterRole;
  unit: Unit;
  delta: number | null;
}

const kpiValueSchema = z.object({
  value: z.number().nullable(),
  /** The worst quality among the readings it was computed from; null when no meter has the role. */
  quality: qualitySchema.nullable(),
});

/**
 * The headline figures of a site, computed the same way on the edge and in the hub. Consumption comes
 * from `consumption` meters where the site has them (`consumptionSource: 'meter'`), otherwise from the
 * balance grid + PV + battery, with the one-way roles counted by their direction (`'balance'`).
 */
export const siteKpisSchema = z.object({
  gridPowerW: kpiValueSchema,
  pvPowerW: kpiValueSchema,
  consumptionW: kpiValueSchema,
  consumptionSource: z.enum(['meter', 'balance']).nullable(),
  energyToday: z.object({
    consumedWh: z.number().nullable(),
    pvWh: z.number().nullable(),
    gridImportWh: z.number().nullable(),
  }),
});
export type SiteKpis = z.infer<typeof siteKpisSchema>;
type KpiValue = z.infer<typeof kpiValueSchema>;

function worst(a: Quality | null, b: Quality | null): Quality | null {
  if (a === null) return b;
  if (b === null) return a;
  return qualities.indexOf(a) >= qualities.indexOf(b) ? a : b;
}

/** Sums the power of every reading with `role`, in watts; a missing value makes the sum unknown. */
function powerOf(readings: readonly MeterReading[], role: MeterRole): KpiValue {
  const ofRole = readings.filter((reading) => reading.role === role && WATTS[reading.unit] !== undefined);
  if (ofRole.length === 0) return { value: null, quality: null };
  let sum: number | null = 0;
  let quality: Quality | null = null;
  for (const reading of ofRole) {
    quality = worst(quality, reading.quality ?? 'bad');
    sum = sum === null || reading.value === null ? null : sum + reading.value * WATTS[reading.unit]!;
  }
  return { value: sum, quality };
}

/** Negates a power value, keeping its quality. */
function negated(value: KpiValue): KpiValue {
  return { value: value.value === null ? null : -value.value, quality: value.quality };
}

/**
 * Combines a signed role with its one-way roles into one signed power: the signed readings plus the
 * `plus` readings minus the `minus` readings, for example grid + grid-import - grid-export.
 */
function signedPowerOf(readings: readonly MeterReading[], roles: { signed: MeterRole; plus: MeterRole; minus: MeterRole }): KpiValue {
  return sumKnown([powerOf(readings, roles.signed), powerOf(readings, roles.plus), negated(powerOf(readings, roles.minus))]);
}

/** Sums today's growth of every counter with one of `roles`, in Wh: undefined when no counter has one, null when a delta is missing. */
function energyOf(counters: readonly MeterEnergy[], roles: readonly MeterRole[]): number | null | undefined {
  const ofRole = counters.filter((counter) => roles.includes(counter.role) && WATT_HOURS[counter.unit] !== undefined);
  if (ofRole.length === 0) return undefined;
  if (ofRole.some((counter) => counter.delta === null)) return null;
  return ofRole.reduce((sum, counter) => sum + counter.delta! * WATT_HOURS[counter.unit]!, 0);
}

/** Today's energy of each flow of the balance, in Wh: undefined without a counter, null with a missing delta. */
interface BalanceCounters {
  gridImportWh: number | null | undefined;
  gridExportWh: number | null | undefined;
  pvWh: number | null | undefined;
  batteryDischargeWh: number | null | undefined;
  batteryChargeWh: number | null | undefined;
}

/**
 * Computes consumption as import - export + PV + battery discharge - battery charge from the counters the
 * site has, as the energy report's balance does. It is null when the site has no grid or PV counter, or
 * when a counter it has is missing a delta. It is clamped at 0, because counters that disagree can make it negative.
 */
function balanceEnergy(counters: BalanceCounters): number | null {
  const terms = Object.values(counters);
  if (terms.some((term) => term === null)) return null;
  if (counters.gridImportWh === undefined && counters.gridExportWh === undefined && counters.pvWh === undefined) return null;
  const value = (term: number | null | undefined): number => term ?? 0;
  const balance = value(counters.gridImportWh) - value(counters.gridExportWh) + value(counters.pvWh) + value(counters.batteryDischargeWh) - value(counters.batteryChargeWh);
  return Math.max(0, balance);
}

function sumKnown(values: readonly KpiValue[]): KpiValue {
  const present = values.filter((entry) => entry.quality !== null);
  if (present.length === 0) return { value: null, quality: null };
  return present.reduce<KpiValue>(
    (sum, entry) => ({
      value: sum.value === null || entry.value === null ? null : sum.value + entry.value,
      quality: worst(sum.quality, entry.quality),
    }),
    { value: 0, quality: null },
  );
}

/**
 * Computes the site's KPIs from its meters' latest readings and today's counter deltas. Grid power is
 * grid + grid-import - grid-export and battery power battery + battery-discharge - battery-charge, so
 * sites with one-way meters get the same signs as sites with signed ones.
 */
export function computeSiteKpis(readings: readonly MeterReading[], counters: readonly MeterEnergy[]): SiteKpis {
  const grid = signedPowerOf(readings, { signed: 'grid', plus: 'grid-import', minus: 'grid-export' });
  const battery = signedPowerOf(readings, { signed: 'battery', plus: 'battery-discharge', minus: 'battery-charge' });
  const pv = powerOf(readings, 'pv');
  const metered = powerOf(readings, 'consumption');
  const balance = sumKnown([grid, pv, battery]);
  const useMeter = metered.quality !== null;
  const consumptionW = useMeter ? metered : balance;

  const consumedMetered = energyOf(counters, ['consumption']);
  // A counter with the signed role `grid` counts import and one with `battery` counts discharge, so each
  // adds up with the matching one-way counters.
  const balanceCounters: BalanceCounters = {
    gridImportWh: energyOf(counters, ['grid', 'grid-import']),
    gridExportWh: energyOf(counters, ['grid-export']),
    pvWh: energyOf(counters, ['pv']),
    batteryDischargeWh: energyOf(counters, ['battery', 'battery-discharge']),
    batteryChargeWh: energyOf(counters, ['battery-charge']),
  };
  const consumedWh = consumedMetered === undefined ? balanceEnergy(balanceCounters) : consumedMetered;
  return {
    gridPowerW: grid,
    pvPowerW: pv,
    consumptionW,
    consumptionSource: consumptionW.quality === null ? null : useMeter ? 'meter' : 'balance',
    energyToday: { consumedWh, pvWh: balanceCounters.pvWh ?? null, gridImportWh: balanceCounters.gridImportWh ?? null },
  };
}
