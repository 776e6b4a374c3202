import type { ReportMeter, ReportMeterInput } from './energy-report-schema';
import { meterFlows, type EnergyFlow } from './meter-role';
import { bucketSharesBefore } from './report-buckets';
import type { MeterSeries } from './report-meter-energy';

/**
 * Chooses which meter feeds each flow of each device, so that a device with both a counter and a power
 * point of one flow is counted once.
 *
 * Rule: per device and flow, a counter is the source. Where it covers a source bucket (coverage of at
 * least 0.999, as `energyFromMeter` requires) its growth is used. Elsewhere the device's power points of
 * that flow are integrated instead when they cover more of the bucket than the counter, and the counter's
 * method becomes 'mixed'. Power points of a flow that a counter of the same device feeds are not counted
 * again, but they stay in the report's meter list with their own energy. A device with several counters
 * of one flow (one per phase, say) counts each counter and uses no power fallback for that flow.
 *
 * A live counter, whose newest reading is at most the gap limit before `now`, keeps the buckets from the
 * one with that reading onwards where it covers them even partly. Its next reading books the growth
 * since then, so power there would be replaced by counter growth that can be smaller. That made the
 * energy of a running period go down as data arrived, and the counter alone only grows.
 */

/**
 * Counter coverage a bucket needs to use the counter rather than power, as in `energyFromMeter`.
 * NOTE: a row's last reading comes before the row ends, so a counter covers the period's final bucket only
 * when the row after the period's end is loaded. Without that row, a power point on the same device fills
 * that bucket once the counter has had no reading for the gap limit, and the counter then reads 'mixed'.
 */
const MIN_COUNTER_COVERAGE = 0.999;

/** The energy one meter reports per source bucket, and how it was obtained. */
export interface MeterResult {
  meter: ReportMeterInput;
  series: MeterSeries;
  method: ReportMeter['method'];
  /** Energy toward the positive flow, after the power fallback for a counter; a role-less point's own signed energy. */
  energyWh: Float64Array;
  /** Energy toward the negative flow of a signed power role. */
  reverseWh: Float64Array;
  coverage: Float64Array;
}

/** Energy one meter adds to one flow, per source bucket. */
export interface FlowContribution {
  meter: ReportMeterInput;
  flow: EnergyFlow;
  energyWh: Float64Array;
  coverage: Float64Array;
}

interface FlowGroup {
  flow: EnergyFlow;
  counters: MeterResult[];
  powers: { result: MeterResult; side: 'positive' | 'negative' }[];
}

const SIGNED_ROLES = new Set(['grid', 'battery']);

function hasData(series: MeterSeries): boolean {
  if (series.kind === 'none') return false;
  return series.coverage.some((value) => value > 0) || (series.unattributedWh ?? 0) > 0;
}

function initialResult(meter: ReportMeterInput, series: MeterSeries): MeterResult {
  const bucketCount = series.coverage.length;
  let method: ReportMeter['method'] = series.kind === 'counter' ? 'counter' : 'power-integration';
  if (!hasData(series)) method = 'none';
  if (series.kind !== 'power') {
    return { meter, series, method, energyWh: series.positiveWh, reverseWh: new Float64Array(bucketCount), coverage: series.coverage };
  }
  if (meter.role === null) {
    const ownWh = series.positiveWh.map((positive, i) => positive - series.negativeWh[i]!);
    return { meter, series, method, energyWh: ownWh, reverseWh: new Float64Array(bucketCount), coverage: series.coverage };
  }
  // A one-way role has no negative flow, so negative means (a PV inverter's own draw at night) are dropped.
  const reverseWh = SIGNED_ROLES.has(meter.role) ? series.negativeWh : new Float64Array(bucketCount);
  return { meter, series, method, energyWh: series.positiveWh, reverseWh, coverage: series.coverage };
}

function groupByDeviceAndFlow(results: readonly MeterResult[]): FlowGroup[] {
  const groups = new Map<string, FlowGroup>();
  const groupOf = (device: string, flow: EnergyFlow): FlowGroup => {
    const key = `${device}\u0000${flow}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { flow, counters: [], powers: [] };
      groups.set(key, group);
    }
    return group;
  };

  for (const result of results) {
    const { role, device } = result.meter;
    if (role === null || result.series.kind === 'none') continue;
    const flows = meterFlows(role);
    if (result.series.kind === 'counter') {
      groupOf(device, flows.positive).counters.push(result);
      continue;
    }
    groupOf(device, flows.positive).powers.push({ result, side: 'positive' });
    if (flows.negative !== null && SIGNED_ROLES.has(role)) groupOf(device, flows.negative).powers.push({ result, side: 'negative' });
  }
  return [...groups.values()];
}

/** Time context of the fallback: the source bucket boundaries, the report's `now` and the gap limit, all in ms. */
export interface FallbackTiming {
  boundaries: readonly number[];
  now: number;
  maxGapMs: number;
}

/** Returns the time of a counter's newest reading, or undefined without any. */
function newestReadingTs(meter: ReportMeterInput): number | undefined {
  for (let i = meter.rows.length - 1; i >= 0; i--) {
    const row = meter.rows[i]!;
    if (row.last !== null && row.lastTs !== null) return row.lastTs;
  }
  return undefined;
}

/**
 * Returns the index of the first bucket that a live counter keeps (see this file's header), or the bucket
 * count when the counter is not live.
 */
function firstAwaitedBucket(counter: MeterResult, timing: FallbackTiming): number {
  const { boundaries, now, maxGapMs } = timing;
  const bucketCount = boundaries.length - 1;
  const newestTs = newestReadingTs(counter.meter);
  if (newestTs === undefined || now - newestTs > maxGapMs) return bucketCount;
  let index = 0;
  while (index < bucketCount && boundaries[index + 1]! <= newestTs) index++;
  return index;
}

/** Replaces a counter's uncovered buckets by its device's power points where those cover more. */
function applyPowerFallback(counter: MeterResult, powers: FlowGroup['powers'], timing: FallbackTiming): void {
  const energyWh = Float64Array.from(counter.energyWh);
  const coverage = Float64Array.from(counter.coverage);
  const awaitedFrom = firstAwaitedBucket(counter, timing);
  let usedPower = false;
  let usedCounter = false;

  for (let i = 0; i < energyWh.length; i++) {
    const counterCoverage = counter.coverage[i]!;
    // A live counter keeps a bucket it covers at least partly. Its first row after a start or a gap has
    // one reading and so no interval yet: that bucket takes power. The next row covers that bucket only
    // partly, so the power stays in place.
    if (counterCoverage >= MIN_COUNTER_COVERAGE || (i >= awaitedFrom && counterCoverage > 0)) {
      if (counterCoverage > 0) usedCounter = true;
      continue;
    }
    let powerCoverage = 1;
    let powerWh = 0;
    for (const { result, side } of powers) {
      powerCoverage = Math.min(powerCoverage, result.coverage[i]!);
      powerWh += side === 'positive' ? result.energyWh[i]! : result.reverseWh[i]!;
    }
    if (powerCoverage > counterCoverage) {
      energyWh[i] = powerWh;
      coverage[i] = powerCoverage;
      usedPower = true;
    } else if (counterCoverage > 0) {
      usedCounter = true;
    }
  }

  counter.energyWh = energyWh;
  counter.coverage = coverage;
  if (usedPower) counter.method = usedCounter ? 'mixed' : 'power-integration';
}

/**
 * Computes every meter's result and the contributions to the flows, following the rule in this file's
 * header. `results` keeps the order of `meters`.
 */
export function chooseFlowSources(
  meters: readonly ReportMeterInput[],
  seriesById: ReadonlyMap<string, MeterSeries>,
  timing: FallbackTiming,
): { results: MeterResult[]; contributions: FlowContribution[] } {
  const results = meters.map((meter) => initialResult(meter, seriesById.get(meter.id)!));
  const contributions: FlowContribution[] = [];

  for (const group of groupByDeviceAndFlow(results)) {
    if (group.counters.length === 0) {
      for (const { result, side } of group.powers) {
        const energyWh = side === 'positive' ? result.energyWh : result.reverseWh;
        contributions.push({ meter: result.meter, flow: group.flow, energyWh, coverage: result.coverage });
      }
      continue;
    }
    if (group.counters.length === 1 && group.powers.length > 0) applyPowerFallback(group.counters[0]!, group.powers, timing);
    for (const counter of group.counters) {
      contributions.push({ meter: counter.meter, flow: group.flow, energyWh: counter.energyWh, coverage: counter.coverage });
    }
  }
  return { results, contributions };
}

/** Marks the source buckets in which any meter of `flows` has a reading. */
export function measuredBuckets(contributions: readonly FlowContribution[], flows: ReadonlySet<EnergyFlow>, bucketCount: number): boolean[] {
  const measured = new Array<boolean>(bucketCount).fill(false);
  for (const contribution of contributions) {
    if (!flows.has(contribution.flow)) continue;
    for (let i = 0; i < bucketCount; i++) if (contribution.coverage[i]! > 0) measured[i] = true;
  }
  return measured;
}

/**
 * Keeps only the part of each contribution before `cutAt`. The source bucket that `cutAt` falls into
 * counts in proportion to its time before the cut, because its rows give no finer split.
 */
export function contributionsBefore(contributions: readonly FlowContribution[], boundaries: readonly number[], cutAt: number): FlowContribution[] {
  const shares = bucketSharesBefore(boundaries, cutAt);
  return contributions.map((contribution) => ({
    ...contribution,
    energyWh: contribution.energyWh.map((wh, i) => wh * shares[i]!),
    coverage: contribution.coverage.map((covered, i) => covered * shares[i]!),
  }));
}
