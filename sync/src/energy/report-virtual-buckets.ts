import type { BucketOverlap } from './report-buckets';
import type { MeterResult } from './report-flows';
import type { CatalogMeterUnit } from './virtual-meter';

/**
 * Values of a report's virtual meters per source bucket (15-minute or hourly rollup bucket) and their
 * aggregation into display buckets. A formula is evaluated per source bucket, so that every input's value
 * in it covers the same time: a bucket that an input covers only partly never mixes with whole buckets of
 * the other inputs.
 */

const MS_PER_HOUR = 3_600_000;
const unitFactor: Record<CatalogMeterUnit, number> = { Wh: 1, kWh: 1000, MWh: 1_000_000, W: 1, kW: 1000, MW: 1_000_000 };
/**
 * Coverage from which an energy input counts as present in a source bucket, below 1 so that float
 * rounding of the coverage sum does not drop a whole bucket. A partly covered energy bucket holds only
 * part of the bucket's energy, so it is missing rather than mixed with the other inputs' whole energy.
 */
const FULL_COVERAGE = 0.999;

/** The source buckets of a report and how they fall into its display buckets. */
export interface VirtualBucketLayout {
  /** Boundaries of the source buckets, epoch ms. */
  source: readonly number[];
  overlaps: readonly BucketOverlap[];
  /** Start of each display bucket, epoch ms. */
  displayStarts: readonly number[];
}

/** A virtual meter's values per display bucket. */
export interface DisplayValues {
  /** Value per display bucket, null where no source bucket in it has a value. */
  values: (number | null)[];
  /** Time of the source buckets with a value, per display bucket, in ms: the weight of a power average. */
  presentMs: number[];
  /**
   * Whether a display bucket has a value but lacks one in a source bucket that has ended by `now`, so
   * its value covers only part of the bucket.
   */
  partial: boolean[];
}

export const isEnergyUnit = (unit: CatalogMeterUnit): boolean => unit === 'Wh' || unit === 'kWh' || unit === 'MWh';

/**
 * Returns the values of one catalog point per source bucket, in its catalog unit, null where it is
 * missing. The coverage is the meter's result's, so a counter bucket filled by its device's power points
 * counts as present. An energy point gives its energy in the bucket and needs full coverage (see
 * `FULL_COVERAGE`). A power point gives its average power over the covered part of the bucket and needs
 * any coverage.
 */
export function sourceValues(result: MeterResult, unit: CatalogMeterUnit, source: readonly number[]): (number | null)[] {
  const values: (number | null)[] = [];
  for (let s = 0; s + 1 < source.length; s++) {
    const coverage = result.coverage[s]!;
    if (isEnergyUnit(unit)) {
      values.push(coverage >= FULL_COVERAGE ? result.energyWh[s]! / unitFactor[unit] : null);
      continue;
    }
    const coveredMs = coverage * (source[s + 1]! - source[s]!);
    const signedWh = result.series.positiveWh[s]! - result.series.negativeWh[s]!;
    values.push(coveredMs > 0 ? signedWh / (coveredMs / MS_PER_HOUR) / unitFactor[unit] : null);
  }
  return values;
}

/**
 * Aggregates per source bucket values into display buckets. An energy unit sums the values present, and
 * a power unit averages them over the present source buckets' time. A source bucket that straddles a
 * display boundary counts in proportion to its time in each.
 */
export function toDisplayValues(values: readonly (number | null)[], unit: CatalogMeterUnit, layout: VirtualBucketLayout, now: number): DisplayValues {
  const displayCount = layout.displayStarts.length;
  const sums = new Array<number>(displayCount).fill(0);
  const presentMs = new Array<number>(displayCount).fill(0);
  const missingPast = new Array<boolean>(displayCount).fill(false);
  const energy = isEnergyUnit(unit);

  for (const { source: s, display: d, share } of layout.overlaps) {
    const value = values[s];
    const durationMs = layout.source[s + 1]! - layout.source[s]!;
    if (value === null || value === undefined) {
      if (layout.source[s + 1]! <= now) missingPast[d] = true;
      continue;
    }
    const weightMs = share * durationMs;
    sums[d]! += energy ? value * share : value * weightMs;
    presentMs[d]! += weightMs;
  }

  const displayValues = sums.map((sum, d) => {
    if (presentMs[d] === 0) return null;
    return energy ? sum : sum / presentMs[d]!;
  });
  return { values: displayValues, presentMs, partial: displayValues.map((value, d) => value !== null && missingPast[d]!) };
}

/**
 * Returns a virtual meter's total: the sum of the display values for an energy unit, and for a power unit
 * their average weighted by the present source time. Null when no display bucket has a value.
 */
export function virtualTotal(display: DisplayValues, unit: CatalogMeterUnit): number | null {
  let sum = 0;
  let weightMs = 0;
  display.values.forEach((value, d) => {
    if (value === null) return;
    sum += isEnergyUnit(unit) ? value : value * display.presentMs[d]!;
    weightMs += display.presentMs[d]!;
  });
  if (weightMs === 0) return null;
  return isEnergyUnit(unit) ? sum : sum / weightMs;
}
