import { z } from 'zod';
import { localDateTimeAt } from '../time/zoned-time';
import { isoWeekday } from './energy-periods';

/**
 * Energy indicators of a site over a period, from per-bucket energies by role: PV self-consumption,
 * self-sufficiency, the load profile by local hour and weekday, the night baseload and CO2.
 */

const HOUR_MS = 3_600_000;

/** Energies of one bucket [start, end) in epoch ms UTC, each in Wh and 0 or more. */
export const roleEnergyBucketSchema = z.object({
  start: z.number(),
  end: z.number(),
  gridImportWh: z.number().nonnegative(),
  gridExportWh: z.number().nonnegative(),
  pvWh: z.number().nonnegative(),
  batteryChargeWh: z.number().nonnegative(),
  batteryDischargeWh: z.number().nonnegative(),
  consumptionWh: z.number().nonnegative(),
});
export type RoleEnergyBucket = z.infer<typeof roleEnergyBucketSchema>;

const energyKeys = ['gridImportWh', 'gridExportWh', 'pvWh', 'batteryChargeWh', 'batteryDischargeWh', 'consumptionWh'] as const;

export interface EnergyIndicatorOptions {
  /** IANA zone of the site, whose wall clock the load profile and the night window use. */
  timeZone: string;
  /** Local hours [fromHour, toHour) in which to look for the baseload, 00:00 to 05:00 by default. */
  nightWindow?: { fromHour: number; toHour: number };
  /** Grams of CO2 per kWh imported from the grid. Without it the result has no CO2 figures. */
  gridEmissionFactorGPerKwh?: number;
  /** Flag to also report the CO2 that self-consumed PV avoided, at the same grid factor. */
  includeAvoidedCo2?: boolean;
  /**
   * Flag that a meter measures grid export, true by default. Without one the buckets' export of 0 means
   * "unknown", so the PV self-consumption ratio and the avoided CO2 are left out.
   */
  gridExportMeasured?: boolean;
  /** Flag that a meter measures grid import, true by default. Without one the self-sufficiency ratio is null. */
  gridImportMeasured?: boolean;
}

const ratioSchema = z.number().min(0).max(1).nullable();
const averagePowerSchema = z.number().nullable();

export const energyIndicatorsSchema = z.object({
  totals: z.object({
    gridImportWh: z.number(),
    gridExportWh: z.number(),
    pvWh: z.number(),
    batteryChargeWh: z.number(),
    batteryDischargeWh: z.number(),
    consumptionWh: z.number(),
  }),
  /** Share of PV production used on site, null without production or without a grid export meter. */
  pvSelfConsumptionRatio: ratioSchema,
  /** Share of consumption not imported from the grid, null without consumption or without a grid import meter. */
  selfSufficiencyRatio: ratioSchema,
  loadProfile: z.object({
    /** Average consumption power in W for each local hour 0..23, null for an hour without buckets. */
    byHourW: z.array(averagePowerSchema).length(24),
    /** Average consumption power in W for each local weekday, Monday first, null for a day without buckets. */
    byWeekdayW: z.array(averagePowerSchema).length(7),
  }),
  /** Lowest average consumption power of a bucket that starts in the night window, with that bucket. */
  baseload: z.object({ powerW: z.number(), start: z.number(), end: z.number() }).nullable(),
  co2: z
    .object({
      emissionFactorGPerKwh: z.number(),
      gridImportKg: z.number(),
      avoidedByPvKg: z.number().optional(),
    })
    .nullable(),
});
export type EnergyIndicators = z.infer<typeof energyIndicatorsSchema>;

const clampRatio = (value: number): number => Math.min(1, Math.max(0, value));

function checkBucket(bucket: RoleEnergyBucket): void {
  if (!(bucket.end > bucket.start)) {
    throw new RangeError(`energy bucket starting at ${new Date(bucket.start).toISOString()} ends at ${bucket.end}: the end must be after the start`);
  }
  for (const key of energyKeys) {
    const value = bucket[key];
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`energy bucket starting at ${new Date(bucket.start).toISOString()} has ${key} ${value}: expected a finite value of 0 or more`);
    }
  }
}

function checkOptions(options: EnergyIndicatorOptions): { fromHour: number; toHour: number } {
  const window = options.nightWindow ?? { fromHour: 0, toHour: 5 };
  const isHour = (hour: number): boolean => Number.isInteger(hour) && hour >= 0 && hour <= 24;
  if (!isHour(window.fromHour) || !isHour(window.toHour) || window.toHour <= window.fromHour) {
    throw new RangeError(`night window ${window.fromHour}..${window.toHour} is invalid: give whole local hours with 0 <= fromHour < toHour <= 24`);
  }
  const factor = options.gridEmissionFactorGPerKwh;
  if (factor !== undefined && (!Number.isFinite(factor) || factor < 0)) {
    throw new RangeError(`grid emission factor ${factor} g/kWh is invalid: expected a finite value of 0 or more`);
  }
  return window;
}

/** Returns the average power in W of each slot from its energy and duration, null for an empty slot. */
function averagePowers(energyWh: number[], durationMs: number[]): (number | null)[] {
  return energyWh.map((wh, slot) => (durationMs[slot]! > 0 ? wh / (durationMs[slot]! / HOUR_MS) : null));
}

/**
 * Computes the indicators of a period from its buckets. A bucket counts towards the local hour and
 * weekday in which it starts, so on the day clocks go back both passes of the repeated hour count
 * towards that hour. Throws a RangeError for a bucket that is empty or contains a negative or non-finite
 * energy, and for an invalid night window or emission factor.
 */
export function computeEnergyIndicators(buckets: readonly RoleEnergyBucket[], options: EnergyIndicatorOptions): EnergyIndicators {
  const night = checkOptions(options);
  const totals = { gridImportWh: 0, gridExportWh: 0, pvWh: 0, batteryChargeWh: 0, batteryDischargeWh: 0, consumptionWh: 0 };
  const hourWh = new Array<number>(24).fill(0);
  const hourMs = new Array<number>(24).fill(0);
  const weekdayWh = new Array<number>(7).fill(0);
  const weekdayMs = new Array<number>(7).fill(0);
  let baseload: EnergyIndicators['baseload'] = null;

  for (const bucket of buckets) {
    checkBucket(bucket);
    for (const key of energyKeys) totals[key] += bucket[key];
    const durationMs = bucket.end - bucket.start;
    const local = localDateTimeAt(bucket.start, options.timeZone);
    const weekday = isoWeekday(local);
    hourWh[local.hour]! += bucket.consumptionWh;
    hourMs[local.hour]! += durationMs;
    weekdayWh[weekday]! += bucket.consumptionWh;
    weekdayMs[weekday]! += durationMs;
    if (local.hour >= night.fromHour && local.hour < night.toHour) {
      const powerW = bucket.consumptionWh / (durationMs / HOUR_MS);
      if (baseload === null || powerW < baseload.powerW || (powerW === baseload.powerW && bucket.start < baseload.start)) {
        baseload = { powerW, start: bucket.start, end: bucket.end };
      }
    }
  }

  // Export can exceed PV production when a battery discharges into the grid, hence the clamp.
  const selfConsumedPvWh = Math.max(0, totals.pvWh - totals.gridExportWh);
  const exportMeasured = options.gridExportMeasured ?? true;
  const importMeasured = options.gridImportMeasured ?? true;
  const factor = options.gridEmissionFactorGPerKwh;
  return {
    totals,
    pvSelfConsumptionRatio: exportMeasured && totals.pvWh > 0 ? clampRatio(selfConsumedPvWh / totals.pvWh) : null,
    selfSufficiencyRatio: importMeasured && totals.consumptionWh > 0 ? clampRatio((totals.consumptionWh - totals.gridImportWh) / totals.consumptionWh) : null,
    loadProfile: { byHourW: averagePowers(hourWh, hourMs), byWeekdayW: averagePowers(weekdayWh, weekdayMs) },
    baseload,
    co2:
      factor === undefined
        ? null
        : {
            emissionFactorGPerKwh: factor,
            // Wh × g/kWh = mg, so dividing by 1e6 gives kg.
            gridImportKg: (totals.gridImportWh * factor) / 1e6,
            ...(options.includeAvoidedCo2 === true && exportMeasured ? { avoidedByPvKg: (selfConsumedPvWh * factor) / 1e6 } : {}),
          },
  };
}
