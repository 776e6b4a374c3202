import { energyFromCounter, type ReadingGap } from './counter-energy';
import type { ReportMeterInput, ReportRollupRow, ReportSourceResolution } from './energy-report-schema';

/**
 * Energy of one meter point per source bucket of a report (15-minute or hourly), read from its rollup
 * rows: a counter through `energyFromCounter`, a power point by integrating the rows' mean power.
 */

const MS_PER_HOUR = 3_600_000;

/** Maximum interval between counter readings whose growth is still booked, per source resolution. */
export const reportMaxGapMs: Record<ReportSourceResolution, number> = { '15m': 2 * MS_PER_HOUR, '1h': 6 * MS_PER_HOUR };

const energyUnitToCounter = { Wh: { unit: 'Wh', factor: 1 }, kWh: { unit: 'kWh', factor: 1 }, MWh: { unit: 'kWh', factor: 1000 } } as const;
const powerUnitToW: Partial<Record<string, number>> = { W: 1, kW: 1000, MW: 1_000_000 };

/** Per source bucket energies of one point; every array has one entry per source bucket. */
export interface MeterSeries {
  kind: 'counter' | 'power' | 'none';
  /** Energy in Wh toward the positive side: counter growth, or the energy of rows with a positive mean power. */
  positiveWh: Float64Array;
  /** Energy in Wh of rows with a negative mean power, as a positive number. Always 0 for a counter. */
  negativeWh: Float64Array;
  /** Covered time in ms, for the average power of a power point. */
  coveredMs: Float64Array;
  /** Share of the bucket covered by readings or rows, 0 to 1. */
  coverage: Float64Array;
  resets: number;
  /** Long gaps between counter readings or uncovered spans of a power point, clipped to the report range. */
  gaps: ReadingGap[];
  /** Counter growth over long gaps that no bucket received; null for a power point. */
  unattributedWh: number | null;
  /** Reason the point gave no energy, when `kind` is 'none'. */
  problem: string | null;
}

function emptySeries(bucketCount: number, kind: MeterSeries['kind'], problem: string | null): MeterSeries {
  return {
    kind,
    positiveWh: new Float64Array(bucketCount),
    negativeWh: new Float64Array(bucketCount),
    coveredMs: new Float64Array(bucketCount),
    coverage: new Float64Array(bucketCount),
    resets: 0,
    gaps: [],
    unattributedWh: kind === 'counter' ? 0 : null,
    problem,
  };
}

function clipGaps(gaps: readonly ReadingGap[], start: number, end: number): ReadingGap[] {
  return gaps.flatMap((gap) => {
    const from = Math.max(gap.from, start);
    const to = Math.min(gap.to, end);
    return to > from ? [{ from, to }] : [];
  });
}

function counterSeries(meter: ReportMeterInput, boundaries: readonly number[], maxGapMs: number): MeterSeries {
  const { unit, factor } = energyUnitToCounter[meter.unit as keyof typeof energyUnitToCounter];
  const readings = meter.rows.flatMap((row) => (row.last === null || row.lastTs === null ? [] : [{ ts: row.lastTs, value: row.last * factor }]));
  const rolloverAt = meter.rolloverAt === undefined ? {} : { rolloverAt: meter.rolloverAt * factor };
  const counter = energyFromCounter(readings, boundaries, { maxGapMs, unit, ...rolloverAt });
  const series = emptySeries(boundaries.length - 1, 'counter', null);
  counter.buckets.forEach((bucket, i) => {
    series.positiveWh[i] = bucket.energyWh;
    series.coverage[i] = bucket.coverage;
    series.coveredMs[i] = bucket.coverage * (bucket.end - bucket.start);
  });
  series.resets = counter.totals.resets;
  series.gaps = clipGaps(counter.totals.gaps, boundaries[0]!, boundaries[boundaries.length - 1]!);
  series.unattributedWh = counter.totals.unattributedWh;
  return series;
}

/** Mean power in W of a row, or null for a row without samples. */
function rowMeanW(row: ReportRollupRow, wattsPerUnit: number): number | null {
  if (row.count <= 0 || row.sum === null) return null;
  return (row.sum / row.count) * wattsPerUnit;
}

/**
 * Integrates a power point from its rows: a row with samples contributes its mean power times its
 * duration, split over the source buckets it overlaps in proportion to time. A row without samples, or
 * no row at all, leaves its time uncovered. A row still open at `now` (the edge's newest row) counts
 * only up to `now`, so the rest of its quarter hour is not booked ahead of time.
 * NOTE: a closed row whose samples stopped early (a device that went offline inside the row) still
 * counts for its whole length at its mean. Its `lastTs` shows the stop, but the row does not say how long
 * the last sample stands for (the poll interval), so cutting there would shorten every normal row.
 *
 * A positive mean counts toward `positiveWh` and a negative one toward `negativeWh`, row by row. For a
 * signed role (grid, battery) this is an approximation. When the direction changes inside a row, only the
 * net of that row is booked, so import and export (or charge and discharge) both come out low by the
 * energy that cancelled within the row.
 */
function powerSeries(meter: ReportMeterInput, boundaries: readonly number[], wattsPerUnit: number, now: number): MeterSeries {
  const bucketCount = boundaries.length - 1;
  const series = emptySeries(bucketCount, 'power', null);
  const rangeStart = boundaries[0]!;
  const integrateUntil = Math.min(boundaries[bucketCount]!, now);
  let bucket = 0;
  // A point that never reported lists no gaps, because its coverage of 0 already shows that.
  let coveredUntil = rangeStart;

  for (const row of meter.rows) {
    const meanW = rowMeanW(row, wattsPerUnit);
    if (meanW === null || row.end <= rangeStart || row.start >= integrateUntil) continue;
    const from = Math.max(row.start, rangeStart);
    const to = Math.min(row.end, integrateUntil);
    if (from > coveredUntil) series.gaps.push({ from: coveredUntil, to: from });
    coveredUntil = Math.max(coveredUntil, to);

    // Rows come ordered by start, so the bucket pointer only moves forward.
    while (bucket > 0 && boundaries[bucket]! > from) bucket -= 1;
    while (bucket < bucketCount && boundaries[bucket + 1]! <= from) bucket += 1;
    for (let i = bucket; i < bucketCount && boundaries[i]! < to; i++) {
      const pieceMs = Math.min(to, boundaries[i + 1]!) - Math.max(from, boundaries[i]!);
      if (pieceMs <= 0) continue;
      const energyWh = (meanW * pieceMs) / MS_PER_HOUR;
      if (energyWh >= 0) series.positiveWh[i]! += energyWh;
      else series.negativeWh[i]! -= energyWh;
      series.coveredMs[i]! += pieceMs;
    }
  }

  for (let i = 0; i < bucketCount; i++) {
    series.coverage[i] = Math.min(1, series.coveredMs[i]! / (boundaries[i + 1]! - boundaries[i]!));
  }
  return series;
}

/**
 * Computes the energy per source bucket of one point. A counter (kind 'counter' with unit Wh, kWh or
 * MWh) goes through `energyFromCounter`. A power point (W, kW or MW) is integrated from its rows up to
 * `now` (epoch ms). Any other point gets kind 'none' with the reason in `problem`.
 */
export function meterSeries(meter: ReportMeterInput, boundaries: readonly number[], resolution: ReportSourceResolution, now: number): MeterSeries {
  const bucketCount = boundaries.length - 1;
  if (meter.unit in energyUnitToCounter) {
    if (meter.kind !== 'counter') {
      return emptySeries(bucketCount, 'none', `energy point "${meter.id}" is a ${meter.kind}, not a counter: set its kind to counter if it totals energy`);
    }
    return counterSeries(meter, boundaries, reportMaxGapMs[resolution]);
  }
  const wattsPerUnit = powerUnitToW[meter.unit];
  if (wattsPerUnit !== undefined) return powerSeries(meter, boundaries, wattsPerUnit, now);
  return emptySeries(bucketCount, 'none', `point "${meter.id}" has unit "${meter.unit}", which is neither energy (Wh, kWh, MWh) nor power (W, kW, MW): give it an energy or power unit`);
}

/** Returns the sum of an array. */
export function sumOf(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}
