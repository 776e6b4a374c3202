import { peakDemand, type DemandPeak } from './demand-peak';
import { bucketBoundaries, type PeriodRange } from './energy-periods';
import type { ReportMeterInput } from './energy-report-schema';
import { meterFlows, type MeterRole } from './meter-role';
import { chooseFlowSources, contributionsBefore, measuredBuckets, type FlowContribution } from './report-flows';
import { meterSeries, reportMaxGapMs } from './report-meter-energy';
import { localDateTimeAt, zonedTimeToUtcMs } from '../time/zoned-time';

/**
 * Peak demand and its billing months. A demand charge bills the highest 15-minute average import of a
 * calendar month, so a report finds the peak of each month that lies wholly in its period. A report of
 * up to 31 days reads 15-minute rows anyway. A longer one reads hourly rows for its energy and, for the
 * peaks, the 15-minute rows of the meters that feed grid import only (see `demandRowWindow` in
 * energy-report.ts and `demandPointIds`).
 */

const DEMAND_INTERVAL_MS = 15 * 60_000;

/** Grid import per 15-minute source bucket, and whether a grid import meter has a reading in it. */
export interface DemandImport {
  boundaries: readonly number[];
  importWh: ArrayLike<number>;
  measured: readonly boolean[];
}

/** A calendar month that lies wholly in a report's period, the billing period of a demand charge. */
export interface BillingMonth {
  /** Local month, YYYY-MM. */
  month: string;
  start: number;
  end: number;
}

function monthLabel(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** Returns whether `ts` is the start of a local calendar month in `timeZone`. */
function isMonthStart(ts: number, timeZone: string): boolean {
  const local = localDateTimeAt(ts, timeZone);
  return zonedTimeToUtcMs({ year: local.year, month: local.month, day: 1, hour: 0, minute: 0, second: 0 }, timeZone) === ts;
}

/**
 * Splits a period into the calendar months that lie wholly in it and the parts of the months it covers
 * only in part, each part with its own start and end. A day or a week is part of one or two months,
 * a year has twelve whole ones.
 */
export function billingMonths(range: Pick<PeriodRange, 'start' | 'end' | 'timeZone'>): { whole: BillingMonth[]; partial: BillingMonth[] } {
  const boundaries = bucketBoundaries(range, '1mo', range.timeZone);
  const whole: BillingMonth[] = [];
  const partial: BillingMonth[] = [];
  for (let i = 0; i + 1 < boundaries.length; i++) {
    const start = boundaries[i]!;
    const end = boundaries[i + 1]!;
    const local = localDateTimeAt(start, range.timeZone);
    const month = monthLabel(local.year, local.month);
    if (isMonthStart(start, range.timeZone) && isMonthStart(end, range.timeZone)) whole.push({ month, start, end });
    else partial.push({ month, start, end });
  }
  return { whole, partial };
}

/**
 * Counts the samples of the rows that start in [period.start, period.end), over the meters that feed
 * grid import. The hourly and the 15-minute rollups of a point sum the same samples, so fewer samples in
 * the 15-minute rows than in the hourly ones mean that part of them is missing.
 */
export function gridImportSamples(meters: readonly ReportMeterInput[], period: { start: number; end: number }): number {
  let total = 0;
  for (const meter of meters) {
    if (!feedsGridImport(meter.role)) continue;
    for (const row of meter.rows) if (row.start >= period.start && row.start < period.end) total += row.count;
  }
  return total;
}

/**
 * Finds the highest 15-minute grid import in [period.start, period.end) among the buckets with a grid
 * import reading, so a period without grid data has no peak rather than a peak of 0 kW.
 */
export function gridPeak(period: { start: number; end: number }, demand: DemandImport): DemandPeak | null {
  const buckets = [];
  const { boundaries } = demand;
  for (let i = 0; i + 1 < boundaries.length; i++) {
    if (boundaries[i]! < period.start || boundaries[i + 1]! > period.end) continue;
    // A custom range may end inside a quarter hour, and a shorter bucket is no demand interval.
    if (demand.measured[i] && boundaries[i + 1]! - boundaries[i]! === DEMAND_INTERVAL_MS) {
      buckets.push({ start: boundaries[i]!, end: boundaries[i + 1]!, importWh: demand.importWh[i]! });
    }
  }
  return peakDemand(buckets, period);
}

function feedsGridImport(role: MeterRole | null): boolean {
  if (role === null) return false;
  const flows = meterFlows(role);
  return flows.positive === 'gridImport' || flows.negative === 'gridImport';
}

/** Returns the ids of the report's meters that feed grid import, whose 15-minute rows give the peaks. */
export function demandPointIds(meters: readonly { id: string; role: MeterRole | null }[]): Set<string> {
  return new Set(meters.filter((meter) => feedsGridImport(meter.role)).map((meter) => meter.id));
}

/**
 * Computes the grid import per 15-minute bucket of `range` from the 15-minute rows of the meters that
 * feed it, with the same choice of counter or power per device as the report's energy. With a `cutAt`,
 * only the import before it counts, as for the report's other figures.
 */
export function demandImport(meters: readonly ReportMeterInput[], range: PeriodRange, now: number, cutAt: number | null): DemandImport {
  const boundaries = bucketBoundaries(range, '15m', range.timeZone);
  const importMeters = meters.filter((meter) => feedsGridImport(meter.role));
  const seriesById = new Map(importMeters.map((meter) => [meter.id, meterSeries(meter, boundaries, '15m', now)]));
  const chosen = chooseFlowSources(importMeters, seriesById, { boundaries, now, maxGapMs: reportMaxGapMs['15m'] });
  const all: FlowContribution[] = chosen.contributions.filter((contribution) => contribution.flow === 'gridImport');
  const contributions = cutAt === null ? all : contributionsBefore(all, boundaries, cutAt);
  const bucketCount = boundaries.length - 1;
  const importWh = new Float64Array(bucketCount);
  for (const contribution of contributions) {
    for (let i = 0; i < bucketCount; i++) importWh[i]! += contribution.energyWh[i]!;
  }
  return { boundaries, importWh, measured: measuredBuckets(contributions, new Set(['gridImport']), bucketCount) };
}
