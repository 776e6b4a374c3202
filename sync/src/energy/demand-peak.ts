import type { Tariff } from './tariff';

/** Length of the intervals whose highest average import power a demand charge bills. */
const DEMAND_INTERVAL_MS = 15 * 60_000;
/** Wh imported in 15 minutes per kW of average power: 1000 W × 0.25 h. */
const WH_PER_KW_IN_INTERVAL = 250;

/** A 15-minute interval [start, end) in epoch ms UTC with either its import energy or its average import power. */
export type DemandBucket = { start: number; end: number; importWh: number } | { start: number; end: number; importPowerW: number };

/** The highest 15-minute average import power in a billing period and the interval it occurred in. */
export interface DemandPeak {
  start: number;
  end: number;
  powerKw: number;
}

function averagePowerKw(bucket: DemandBucket): number {
  return 'importWh' in bucket ? bucket.importWh / WH_PER_KW_IN_INTERVAL : bucket.importPowerW / 1000;
}

/**
 * Finds the highest 15-minute average import power among the buckets that lie wholly inside the billing
 * period [period.start, period.end). On a tie the earliest interval wins. Returns null when no bucket lies
 * in the period. Throws a RangeError for a bucket that does not last 15 minutes or has a negative value.
 */
export function peakDemand(buckets: readonly DemandBucket[], period: { start: number; end: number }): DemandPeak | null {
  let peak: DemandPeak | null = null;
  for (const bucket of buckets) {
    if (bucket.end - bucket.start !== DEMAND_INTERVAL_MS) {
      throw new RangeError(`demand bucket starting at ${new Date(bucket.start).toISOString()} lasts ${bucket.end - bucket.start} ms: demand needs 15-minute buckets (900000 ms)`);
    }
    const powerKw = averagePowerKw(bucket);
    if (!Number.isFinite(powerKw) || powerKw < 0) {
      throw new RangeError(`demand bucket starting at ${new Date(bucket.start).toISOString()} has invalid import ${powerKw} kW: expected a finite value of 0 or more`);
    }
    if (bucket.start < period.start || bucket.end > period.end) continue;
    if (peak === null || powerKw > peak.powerKw || (powerKw === peak.powerKw && bucket.start < peak.start)) {
      peak = { start: bucket.start, end: bucket.end, powerKw };
    }
  }
  return peak;
}

/** Returns the demand charge for a peak in the tariff's currency: 0 without a peak or a demand price. */
export function demandCharge(tariff: Tariff, peak: DemandPeak | null): number {
  if (tariff.demand === undefined || peak === null) return 0;
  return peak.powerKw * tariff.demand.pricePerKw;
}
