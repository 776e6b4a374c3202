import { computeEnergyIndicators, type RoleEnergyBucket } from './energy-indicators';
import { bucketBoundaries, bucketResolutions, type BucketResolution, type PeriodRange } from './energy-periods';
import type { CostStatus, EnergyReport, FlowTotals, ReportMeterInput, ReportPeriod, ReportSourceResolution } from './energy-report-schema';
import type { SiteEnergySettings } from './energy-settings';
import { energyFlows, type EnergyFlow, type MeterRole } from './meter-role';
import { bucketOverlaps, toDisplay } from './report-buckets';
import { bucketNetCosts, meterCost, reportCost, sourcePrices } from './report-cost';
import { billingMonths, demandImport, gridImportSamples, gridPeak, type DemandImport } from './report-demand';
import { chooseFlowSources, contributionsBefore, measuredBuckets, type FlowContribution, type MeterResult } from './report-flows';
import { cutParentCycles, hierarchyEnergy, parentCycleWarning, type ReportNodeInput } from './report-hierarchy';
import { meterSeries, reportMaxGapMs, sumOf } from './report-meter-energy';
import { reportVirtualMeters } from './report-virtual-meters';
import { meterWarnings } from './report-warnings';
import { FormulaSyntaxError, parseFormula, referencedMeterIds } from './virtual-meter';
import { localDateTimeAt } from '../time/zoned-time';

/**
 * The energy report of a site over a period, computed the same way on the edge and in the hub from the
 * rollups of the site's meter points. This module ties the steps together: energy per meter and source
 * bucket (report-meter-energy.ts), the choice of meter per device and flow (report-flows.ts), the
 * hierarchy (report-hierarchy.ts), cost (report-cost.ts) and virtual meters (report-virtual-meters.ts).
 */

const MS_PER_HOUR = 3_600_000;
/** Maximum range read from 15-minute rollups: 31 days plus the hour a daylight-saving change can add. */
const MAX_FIFTEEN_MINUTE_RANGE_MS = 31 * 24 * MS_PER_HOUR + MS_PER_HOUR;
/** Maximum number of display buckets in a report. */
export const MAX_REPORT_BUCKETS = 5000;
/** Maximum length of a custom period shown in hourly buckets by default. */
const MAX_HOURLY_DEFAULT_MS = 2 * 24 * MS_PER_HOUR;

const GRID_ROLES: ReadonlySet<MeterRole> = new Set(['grid', 'grid-import', 'grid-export']);

function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Orders hierarchy nodes depth first from the top-level ones, siblings by name and then id. The nodes
 * must contain no parent cycle (see `cutParentCycles`), because a node no top-level node reaches is left out.
 */
function treeOrder(nodes: EnergyReportInput['nodes']): EnergyReportInput['nodes'] {
  const sorted = [...nodes].sort((a, b) => compareIds(a.name, b.name) || compareIds(a.id, b.id));
  const ids = new Set(sorted.map((node) => node.id));
  const children = new Map<string | null, EnergyReportInput['nodes'][number][]>();
  for (const node of sorted) {
    const parent = node.parentId !== null && ids.has(node.parentId) ? node.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), node]);
  }

  const ordered: EnergyReportInput['nodes'][number][] = [];
  const visit = (node: EnergyReportInput['nodes'][number]): void => {
    ordered.push(node);
    for (const child of children.get(node.id) ?? []) visit(child);
  };
  for (const root of children.get(null) ?? []) visit(root);
  return ordered;
}

/** Length of one source row, by which the window reaches past the period's end. */
const SOURCE_ROW_MS: Record<ReportSourceResolution, number> = { '15m': 15 * 60_000, '1h': MS_PER_HOUR };

/**
 * Returns the rollup resolution a report over `range` reads and the window of row starts to load:
 * 15-minute rows up to 31 days and one hour, hourly rows beyond. The window starts one gap limit early
 * because a counter needs a reading before the period starts. It ends one row late, so the growth between
 * the period's last reading and the first one after its end is split at the end. Loaders fetch
 * the rows whose start is in [from, to).
 */
export function reportRowWindow(range: { start: number; end: number }): { resolution: ReportSourceResolution; from: number; to: number } {
  return rowWindow(range, range.end - range.start <= MAX_FIFTEEN_MINUTE_RANGE_MS ? '15m' : '1h');
}

function rowWindow<R extends ReportSourceResolution>(range: { start: number; end: number }, resolution: R): { resolution: R; from: number; to: number } {
  return { resolution, from: range.start - reportMaxGapMs[resolution], to: range.end + SOURCE_ROW_MS[resolution] };
}

/**
 * Returns the window of 15-minute rows that a report over more than 31 days reads for its monthly peaks,
 * from the meters `demandPointIds` lists, or null when `reportRowWindow` gives 15-minute rows already.
 */
export function demandRowWindow(range: { start: number; end: number }): { resolution: '15m'; from: number; to: number } | null {
  return reportRowWindow(range).resolution === '15m' ? null : rowWindow(range, '15m');
}

/**
 * Returns the ids of the points a report needs: every point with a meter role and every point a virtual
 * meter's formula references. A formula with a syntax error references nothing.
 */
export function reportPointIds(points: readonly { id: string; role: MeterRole | null }[], settings: SiteEnergySettings): Set<string> {
  const pointIds = new Set(points.map((point) => point.id));
  const ids = new Set(points.filter((point) => point.role !== null).map((point) => point.id));
  for (const definition of settings.virtualMeters) {
    let references: string[];
    try {
      references = referencedMeterIds(parseFormula(definition.formula));
    } catch (error) {
      if (error instanceof FormulaSyntaxError) continue;
      throw error;
    }
    for (const id of references) if (pointIds.has(id)) ids.add(id);
  }
  return ids;
}

export interface EnergyReportInput {
  site: { id: string; name: string; timeZone: string };
  /** The organization's currency; null on a standalone edge, which then uses the tariffs' currency. */
  currency: string | null;
  settings: SiteEnergySettings;
  nodes: readonly ReportNodeInput[];
  /** The site's meter points with their rows over `reportRowWindow(range)`. */
  meters: readonly ReportMeterInput[];
  /**
   * For a period over 31 days: the meters `demandPointIds` lists, with their 15-minute rows over
   * `demandRowWindow(range)`. They give the monthly peaks and demand charges. Without them such a period
   * has no peak.
   */
  demandMeters?: readonly ReportMeterInput[];
  range: PeriodRange;
  /** Display resolution; `defaultReportResolution(range)` when absent. */
  resolution?: BucketResolution;
  /** The previous period and its meters' rows, for the comparison figures. */
  previous?: { range: PeriodRange; meters: readonly ReportMeterInput[]; demandMeters?: readonly ReportMeterInput[] };
  /**
   * Time of the computation in epoch ms, `Date.now()` by default. A period that ends after it is still
   * running: its coverage is judged up to the newest data, and power rows are integrated only up to it.
   */
  now?: number;
}

/**
 * Returns the default display resolution of a period: hours for a day, days for a week or month and
 * months for a year. A custom period gets hours up to 2 days and days beyond.
 */
export function defaultReportResolution(range: PeriodRange): BucketResolution {
  switch (range.kind) {
    case 'day':
      return '1h';
    case 'week':
    case 'month':
      return '1d';
    case 'year':
      return '1mo';
    case 'custom':
      return range.end - range.start <= MAX_HOURLY_DEFAULT_MS ? '1h' : '1d';
  }
}

/** A requested report resolution that does not fit the period; the REST APIs return it as a 400 on `resolution`. */
export class ReportResolutionError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'ReportResolutionError';
  }
}

function displayBoundaries(range: PeriodRange, resolution: BucketResolution, source: ReportSourceResolution): number[] {
  if (bucketResolutions.indexOf(resolution) < bucketResolutions.indexOf(source)) {
    throw new ReportResolutionError(`resolution ${resolution} is finer than the ${source} rollups a report over ${range.label} reads: request ${source} or coarser`);
  }
  const stepMs: Partial<Record<BucketResolution, number>> = { '15m': 15 * 60_000, '1h': MS_PER_HOUR };
  const fixedStep = stepMs[resolution];
  if (fixedStep !== undefined && (range.end - range.start) / fixedStep > MAX_REPORT_BUCKETS) {
    throw new ReportResolutionError(`resolution ${resolution} gives more than ${MAX_REPORT_BUCKETS} buckets over ${range.label}: request a coarser resolution`);
  }
  return bucketBoundaries(range, resolution, range.timeZone);
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function localDate(utcMs: number, timeZone: string): string {
  const local = localDateTimeAt(utcMs, timeZone);
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
}

function reportPeriod(range: PeriodRange): ReportPeriod {
  return {
    kind: range.kind,
    start: range.start,
    end: range.end,
    from: localDate(range.start, range.timeZone),
    to: localDate(range.end - 1, range.timeZone),
    hours: (range.end - range.start) / MS_PER_HOUR,
  };
}

type FlowSeries = Record<EnergyFlow, Float64Array>;

const flowKeys: Record<EnergyFlow, keyof FlowTotals> = {
  gridImport: 'gridImportWh',
  gridExport: 'gridExportWh',
  pv: 'pvWh',
  batteryCharge: 'batteryChargeWh',
  batteryDischarge: 'batteryDischargeWh',
  ev: 'evWh',
  consumption: 'consumptionWh',
};

/** Sums the contributions into the flows, except consumption, which `consumptionSeries` computes. */
function flowSeries(contributions: readonly FlowContribution[], bucketCount: number): FlowSeries {
  const flows = Object.fromEntries(energyFlows.map((flow) => [flow, new Float64Array(bucketCount)])) as FlowSeries;
  for (const contribution of contributions) {
    if (contribution.flow === 'consumption') continue;
    const target = flows[contribution.flow];
    for (let i = 0; i < bucketCount; i++) target[i]! += contribution.energyWh[i]!;
  }
  return flows;
}

/**
 * Computes the site's consumption per source bucket. It comes from consumption meters without a node,
 * else from the balance import - export + PV + discharge - charge when the site has a grid meter, else
 * from the top-level hierarchy nodes. The balance is clamped at 0 per bucket, because meters that
 * disagree can make it negative.
 */
function consumptionSeries(
  flows: FlowSeries,
  contributions: readonly FlowContribution[],
  results: readonly MeterResult[],
  topLevel: { wh: Float64Array; hasMeters: boolean },
): { wh: Float64Array; source: EnergyReport['consumptionSource'] } {
  const bucketCount = flows.gridImport.length;
  const siteMeters = contributions.filter((contribution) => contribution.flow === 'consumption' && contribution.meter.nodeId === null);
  if (siteMeters.length > 0) {
    const wh = new Float64Array(bucketCount);
    for (const contribution of siteMeters) for (let i = 0; i < bucketCount; i++) wh[i]! += contribution.energyWh[i]!;
    return { wh, source: 'meter' };
  }
  const hasGridMeter = results.some((result) => result.meter.role !== null && GRID_ROLES.has(result.meter.role) && result.series.kind !== 'none');
  if (hasGridMeter) {
    const wh = new Float64Array(bucketCount);
    for (let i = 0; i < bucketCount; i++) {
      const balance = flows.gridImport[i]! - flows.gridExport[i]! + flows.pv[i]! + flows.batteryDischarge[i]! - flows.batteryCharge[i]!;
      wh[i] = Math.max(0, balance);
    }
    return { wh, source: 'balance' };
  }
  if (topLevel.hasMeters) return { wh: topLevel.wh, source: 'nodes' };
  return { wh: new Float64Array(bucketCount), source: null };
}

function totalsOf(flows: FlowSeries): FlowTotals {
  return Object.fromEntries(energyFlows.map((flow) => [flowKeys[flow], sumOf(flows[flow])])) as FlowTotals;
}

/** Lists the source buckets for the indicators: those with a reading of any counted meter, so hours still to come do not count as zero. */
function indicatorBuckets(boundaries: readonly number[], flows: FlowSeries, contributions: readonly FlowContribution[]): RoleEnergyBucket[] {
  const buckets: RoleEnergyBucket[] = [];
  for (let i = 0; i + 1 < boundaries.length; i++) {
    if (!contributions.some((contribution) => contribution.coverage[i]! > 0)) continue;
    buckets.push({
      start: boundaries[i]!,
      end: boundaries[i + 1]!,
      gridImportWh: flows.gridImport[i]!,
      gridExportWh: flows.gridExport[i]!,
      pvWh: flows.pv[i]!,
      batteryChargeWh: flows.batteryCharge[i]!,
      batteryDischargeWh: flows.batteryDischarge[i]!,
      consumptionWh: flows.consumption[i]!,
    });
  }
  return buckets;
}

function totalCoverage(coverage: Float64Array, boundaries: readonly number[]): number {
  let coveredMs = 0;
  for (let i = 0; i < coverage.length; i++) coveredMs += coverage[i]! * (boundaries[i + 1]! - boundaries[i]!);
  return Math.min(1, coveredMs / (boundaries[boundaries.length - 1]! - boundaries[0]!));
}

/**
 * Computes the energy report of a site over `input.range`. Throws a RangeError when the range's zone is
 * not the site's, or when the resolution is finer than the rollups read or gives more than 5,000 buckets.
 * Data problems (gaps, resets, invalid virtual meters, missing tariffs) become `warnings` instead.
 */
export function computeEnergyReport(input: EnergyReportInput): EnergyReport {
  return buildReport(input, null, null);
}

/**
 * Computes the report as `computeEnergyReport` does. With a `cutAt` (epoch ms), the flows, consumption,
 * hierarchy, peak, cost and indicators count only the energy before it, as the comparison with a running
 * period needs. The meters and virtual meters still show the whole period.
 */
function buildReport(input: EnergyReportInput, cutAt: number | null, billedMonthCount: number | null): EnergyReport {
  const { range, site, settings } = input;
  if (range.timeZone !== site.timeZone) {
    throw new RangeError(`period ${range.label} is in ${range.timeZone} but site "${site.id}" is in ${site.timeZone}: compute the period in the site's zone`);
  }
  const sourceResolution = reportRowWindow(range).resolution;
  const resolution = input.resolution ?? defaultReportResolution(range);
  const display = displayBoundaries(range, resolution, sourceResolution);
  const source = bucketBoundaries(range, sourceResolution, range.timeZone);
  const bucketCount = source.length - 1;
  const period = reportPeriod(range);
  const now = input.now ?? Date.now();
  const warnings: string[] = [];

  // The edge and the hub list points and nodes in different orders (and collations): sorting by plain
  // string comparison gives both the same report.
  const inputMeters = [...input.meters].sort((a, b) => compareIds(a.id, b.id));
  const seriesById = new Map(inputMeters.map((meter) => [meter.id, meterSeries(meter, source, sourceResolution, now)]));
  const chosen = chooseFlowSources(inputMeters, seriesById, { boundaries: source, now, maxGapMs: reportMaxGapMs[sourceResolution] });
  const { results } = chosen;
  const contributions = cutAt === null ? chosen.contributions : contributionsBefore(chosen.contributions, source, cutAt);
  warnings.push(...meterWarnings(results, source, reportMaxGapMs[sourceResolution], now));

  const flows = flowSeries(contributions, bucketCount);
  const acyclic = cutParentCycles(input.nodes);
  warnings.push(...acyclic.cycles.map(parentCycleWarning));
  const nodes = treeOrder(acyclic.nodes);
  const hierarchy = hierarchyEnergy(nodes, inputMeters, contributions, bucketCount);
  for (const id of hierarchy.orphanMeterIds) {
    warnings.push(`meter "${id}" is assigned to a node that is not in the site's hierarchy, so no node counts it: move its device to an existing node`);
  }
  const consumption = consumptionSeries(flows, contributions, results, { wh: hierarchy.topLevelWh, hasMeters: hierarchy.hasMeters });
  flows.consumption = consumption.wh;
  const totals = totalsOf(flows);

  const fedFlows = new Set(contributions.map((contribution) => contribution.flow));
  if (consumption.source !== null) fedFlows.add('consumption');
  const missingFlows = energyFlows.filter((flow) => !fedFlows.has(flow));

  const importMeasured = measuredBuckets(contributions, new Set(['gridImport']), bucketCount);
  let demand: DemandImport | null = null;
  if (sourceResolution === '15m') demand = { boundaries: source, importWh: flows.gridImport, measured: importMeasured };
  else if (input.demandMeters !== undefined) demand = demandImport(input.demandMeters, range, now, cutAt);
  const peak = demand === null ? null : gridPeak(range, demand);
  const months = billingMonths(range);
  // A report of 15-minute rows reads its peaks from the same rows, so both counts are one.
  const monthSamples = (month: { start: number; end: number }) => {
    const importSamples = gridImportSamples(input.meters, month);
    const demandSamples = sourceResolution === '15m' ? importSamples : gridImportSamples(input.demandMeters ?? [], month);
    return { importSamples, demandSamples };
  };
  const monthPeaks = months.whole.map((month) => ({
    ...month,
    peak: demand === null ? null : gridPeak(month, demand),
    ...monthSamples(month),
  }));
  const gridMeasured = measuredBuckets(contributions, new Set(['gridImport', 'gridExport']), bucketCount).some(Boolean);
  const priced = sourcePrices(settings.tariffs, input.currency, range, source);
  warnings.push(...priced.warnings);
  // A period without any grid reading has no cost rather than a cost of 0, like its peak.
  const gridPrices = gridMeasured ? priced.prices : null;
  let costStatus: CostStatus = priced.status;
  if (priced.prices !== null && !gridMeasured) {
    costStatus = 'no-grid-data';
    warnings.push(`no cost computed because no grid meter has a reading in ${range.label}: check that the grid meter's point has a grid role and its device is polled`);
  }
  let cost: EnergyReport['cost'] = null;
  let monthCharges: (number | null)[] = monthPeaks.map(() => null);
  if (gridPrices !== null) {
    const computed = reportCost({
      prices: gridPrices,
      tariffs: settings.tariffs,
      range,
      firstDay: period.from,
      lastDay: period.to,
      hasDemandData: demand !== null,
      months: monthPeaks,
      partialMonths: months.partial,
      billedMonthCount,
      now,
      gridImportWh: flows.gridImport,
      gridExportWh: flows.gridExport,
    });
    cost = computed.cost;
    monthCharges = computed.monthCharges;
    warnings.push(...computed.warnings);
  }

  const overlaps = bucketOverlaps(source, display);
  const displayCount = display.length - 1;
  const displayFlows = Object.fromEntries(energyFlows.map((flow) => [flow, toDisplay(flows[flow], overlaps, displayCount)])) as FlowSeries;
  const netCosts = gridPrices === null ? null : bucketNetCosts(gridPrices, flows.gridImport, flows.gridExport);
  // A display bucket that is only partly priced shows the cost of its priced part; `cost.unpricedImportWh` states the rest.
  const displayNet = new Array<number | null>(displayCount).fill(null);
  if (netCosts !== null) {
    for (const { source: s, display: d, share } of overlaps) {
      if (netCosts[s] !== null) displayNet[d] = (displayNet[d] ?? 0) + netCosts[s]! * share;
    }
  }
  const buckets = display.slice(0, -1).map((start, d) => ({
    start,
    end: display[d + 1]!,
    ...(Object.fromEntries(energyFlows.map((flow) => [flowKeys[flow], displayFlows[flow][d]!])) as FlowTotals),
    netCost: displayNet[d]!,
  }));

  const virtualLayout = { source, overlaps, displayStarts: display.slice(0, -1) };
  const virtual = reportVirtualMeters(settings.virtualMeters, results, virtualLayout, now);
  warnings.push(...virtual.warnings);

  const indicators = computeEnergyIndicators(indicatorBuckets(source, flows, contributions), {
    timeZone: range.timeZone,
    nightWindow: settings.nightWindow,
    gridExportMeasured: fedFlows.has('gridExport'),
    gridImportMeasured: fedFlows.has('gridImport'),
    ...(settings.gridEmissionFactorGPerKwh === null ? {} : { gridEmissionFactorGPerKwh: settings.gridEmissionFactorGPerKwh }),
  });

  const meters = results.map((result) => ({
    id: result.meter.id,
    device: result.meter.device,
    name: result.meter.name,
    role: result.meter.role,
    unit: result.meter.unit,
    nodeId: result.meter.nodeId,
    method: result.method,
    energyWh: sumOf(result.energyWh),
    reverseEnergyWh: sumOf(result.reverseWh),
    coverage: totalCoverage(result.coverage, source),
    resets: result.series.resets,
    gaps: result.series.gaps,
    unattributedWh: result.method === 'counter' ? result.series.unattributedWh : null,
    cost: priced.prices === null ? null : meterCost(result, priced.prices),
  }));

  return {
    siteId: site.id,
    siteName: site.name,
    timeZone: site.timeZone,
    period,
    resolution,
    sourceResolution,
    totals,
    consumptionSource: consumption.source,
    missingFlows,
    buckets,
    meters,
    virtualMeters: virtual.virtualMeters,
    hierarchy: {
      siteConsumptionWh: totals.consumptionWh,
      assignedWh: sumOf(hierarchy.topLevelWh),
      unassignedWh: totals.consumptionWh - sumOf(hierarchy.topLevelWh),
      nodes: hierarchy.nodes,
    },
    cost,
    costStatus,
    peakDemand: peak,
    monthlyDemand: monthPeaks.map(({ month, start, end, peak: monthPeak }, i) => ({ month, start, end, peak: monthPeak, demandCharge: monthCharges[i]! })),
    indicators,
    previous: input.previous === undefined ? null : previousFigures(input, input.previous, now),
    warnings,
  };
}

/**
 * Computes the previous period's report the same way, at its default resolution, and keeps its totals
 * and net cost. While `input.range` is still running, the previous period counts only up to the same
 * elapsed time from its start, so a morning is compared with the previous morning and not with a whole
 * day. `comparedUntil` states that cut when it falls before the previous period's end.
 */
function previousFigures(input: EnergyReportInput, previous: NonNullable<EnergyReportInput['previous']>, now: number): EnergyReport['previous'] {
  const running = input.range.end > now;
  const elapsedMs = Math.max(0, Math.min(now, input.range.end) - input.range.start);
  const cutAt = running && previous.range.start + elapsedMs < previous.range.end ? previous.range.start + elapsedMs : null;
  // The previous period bills as many months as the running one has started, because the same elapsed
  // time can reach one month further across 29 February.
  const billedMonthCount = running ? billingMonths(input.range).whole.filter((month) => month.start < now).length : null;
  const report = buildReport(
    { ...input, range: previous.range, meters: previous.meters, demandMeters: previous.demandMeters, resolution: undefined, previous: undefined, now },
    cutAt,
    billedMonthCount,
  );
  return { period: report.period, totals: report.totals, netCost: report.cost?.net ?? null, ...(cutAt === null ? {} : { comparedUntil: cutAt }) };
}
