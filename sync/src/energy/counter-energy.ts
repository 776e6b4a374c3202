/**
 * Energy per time bucket from a cumulative energy counter (a meter's total import register), with
 * power integration as the fallback and a chooser that picks per bucket. Energy between two
 * consecutive readings is split over the buckets the interval crosses in proportion to time.
 *
 * A rollup row of the edge store maps to one reading: `{ ts: row.last_ts, value: row.last }`.
 */
import { z } from 'zod';
import { counterStep, DEFAULT_COUNTER_NOISE_TOLERANCE, type CounterStepOptions } from './counter-step';

/** One reading of a counter (in the counter's unit) or of power (W), at `ts` in epoch ms UTC. */
export interface TimedReading {
  ts: number;
  value: number;
}

/** An interval between two consecutive readings that was longer than `maxGapMs`, in epoch ms UTC. */
export interface ReadingGap {
  from: number;
  to: number;
}

export const energyMethods = ['counter', 'power-integration'] as const;
export type EnergyMethod = (typeof energyMethods)[number];

export const readingGapSchema = z.object({ from: z.number(), to: z.number() });

/** The energy booked into one bucket `[start, end)` and how it was obtained. */
export const bucketEnergySchema = z.object({
  start: z.number(),
  end: z.number(),
  energyWh: z.number(),
  method: z.enum(energyMethods),
  /** Fraction (0 to 1) of the bucket covered by intervals between readings no longer than `maxGapMs`. */
  coverage: z.number().min(0).max(1),
  /** Counter resets and rollovers seen in the bucket, always 0 for power integration. */
  resets: z.number().int().min(0),
  /** Long gaps, clipped to the bucket. */
  gaps: z.array(readingGapSchema),
});
export type BucketEnergy = z.infer<typeof bucketEnergySchema>;

export const energySeriesSchema = z.object({
  buckets: z.array(bucketEnergySchema),
  totals: z.object({
    energyWh: z.number(),
    coverage: z.number().min(0).max(1),
    resets: z.number().int().min(0),
    /** Long gaps between readings, not clipped, except from `energyFromMeter`, which joins the buckets' clipped gaps. */
    gaps: z.array(readingGapSchema),
    /** Counter growth over long gaps, which no bucket received. Null when any bucket integrated power. */
    unattributedWh: z.number().nullable(),
  }),
});
export type EnergySeries = z.infer<typeof energySeriesSchema>;

/** Options of `energyFromCounter`; the step options are described in counter-step.ts. */
export interface CounterEnergyOptions extends CounterStepOptions {
  /** An interval between consecutive readings longer than this is reported as a gap and its energy is not booked. */
  maxGapMs: number;
  /** Unit of the counter values, Wh by default. */
  unit?: 'Wh' | 'kWh';
}

const WH_PER_KWH = 1000;
const MS_PER_HOUR = 3_600_000;

/** Checks that the bucket boundaries (starts, then the final end) are finite and strictly increasing. */
function checkBoundaries(boundaries: readonly number[]): void {
  if (boundaries.length < 2) {
    throw new RangeError(`invalid bucket boundaries: expected at least a start and an end, got ${boundaries.length} value(s)`);
  }
  for (let i = 0; i < boundaries.length; i++) {
    const value = boundaries[i]!;
    if (!Number.isFinite(value)) throw new RangeError(`invalid bucket boundary ${value} at index ${i}: expected epoch ms`);
    if (i > 0 && value <= boundaries[i - 1]!) {
      throw new RangeError(`invalid bucket boundary ${value} at index ${i}: boundaries must increase strictly`);
    }
  }
}

function checkReadings(readings: readonly TimedReading[], label: string): void {
  for (let i = 0; i < readings.length; i++) {
    const { ts, value } = readings[i]!;
    if (!Number.isFinite(ts) || !Number.isFinite(value)) {
      throw new RangeError(`invalid ${label} reading at index ${i} (ts ${ts}, value ${value}): both must be finite numbers`);
    }
    if (i > 0 && ts < readings[i - 1]!.ts) {
      throw new RangeError(`invalid ${label} reading at index ${i}: ts ${ts} is before ${readings[i - 1]!.ts}, so sort the readings by ts`);
    }
  }
}

function checkMaxGap(maxGapMs: number): void {
  if (!(maxGapMs > 0)) throw new RangeError(`invalid maxGapMs ${maxGapMs}: expected a positive number of ms`);
}

function emptyBuckets(boundaries: readonly number[], method: EnergyMethod): BucketEnergy[] {
  return boundaries.slice(0, -1).map((start, i) => ({ start, end: boundaries[i + 1]!, energyWh: 0, method, coverage: 0, resets: 0, gaps: [] }));
}

/** Returns the index of the first bucket that ends after `ts`, or the bucket count if none does. */
function firstBucketEndingAfter(boundaries: readonly number[], ts: number): number {
  let low = 0;
  let high = boundaries.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (boundaries[middle + 1]! > ts) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Calls `visit` for each bucket that `[from, to]` overlaps, with the overlapping part. */
function forEachOverlap(boundaries: readonly number[], from: number, to: number, visit: (index: number, pieceFrom: number, pieceTo: number) => void): void {
  for (let i = firstBucketEndingAfter(boundaries, from); i < boundaries.length - 1 && boundaries[i]! < to; i++) {
    const pieceFrom = Math.max(from, boundaries[i]!);
    const pieceTo = Math.min(to, boundaries[i + 1]!);
    if (pieceTo > pieceFrom) visit(i, pieceFrom, pieceTo);
  }
}

/** Index of the bucket `(start, end]` that contains `ts`, so an event seen at a boundary belongs to the interval that ended there. */
function bucketEndingAt(boundaries: readonly number[], ts: number): number | undefined {
  if (ts === boundaries[0]) return 0;
  const index = firstBucketEndingAfter(boundaries, ts);
  if (index > 0 && boundaries[index]! === ts) return index - 1;
  if (index < boundaries.length - 1 && ts > boundaries[index]!) return index;
  return undefined;
}

function addGap(buckets: BucketEnergy[], boundaries: readonly number[], gap: ReadingGap): void {
  forEachOverlap(boundaries, gap.from, gap.to, (i, from, to) => buckets[i]!.gaps.push({ from, to }));
}

function finish(buckets: BucketEnergy[], gaps: ReadingGap[], unattributedWh: number | null): EnergySeries {
  let energyWh = 0;
  let coveredMs = 0;
  let resets = 0;
  for (const bucket of buckets) {
    // The coverage adds up pieces in floating point, so it can pass 1 by a rounding error.
    bucket.coverage = Math.min(1, bucket.coverage);
    energyWh += bucket.energyWh;
    coveredMs += bucket.coverage * (bucket.end - bucket.start);
    resets += bucket.resets;
  }
  const spanMs = buckets[buckets.length - 1]!.end - buckets[0]!.start;
  return { buckets, totals: { energyWh, coverage: Math.min(1, coveredMs / spanMs), resets, gaps, unattributedWh } };
}

function checkCounterOptions(options: CounterEnergyOptions): void {
  checkMaxGap(options.maxGapMs);
  const noiseTolerance = options.noiseTolerance ?? DEFAULT_COUNTER_NOISE_TOLERANCE;
  if (!(noiseTolerance >= 0) || !Number.isFinite(noiseTolerance)) {
    throw new RangeError(`invalid noiseTolerance ${noiseTolerance}: expected a finite number of 0 or more`);
  }
  const resetThreshold = options.resetThreshold ?? noiseTolerance;
  if (!(resetThreshold >= noiseTolerance) || !Number.isFinite(resetThreshold)) {
    throw new RangeError(`invalid resetThreshold ${resetThreshold}: expected a finite number no smaller than noiseTolerance ${noiseTolerance}`);
  }
  if (options.counterStartValue !== undefined && !Number.isFinite(options.counterStartValue)) {
    throw new RangeError(`invalid counterStartValue ${options.counterStartValue}: expected a finite counter value`);
  }
  if (options.rolloverAt !== undefined && !(options.rolloverAt > 0)) {
    throw new RangeError(`invalid rolloverAt ${options.rolloverAt}: expected a positive counter value or no rolloverAt`);
  }
}

/**
 * Computes the energy per bucket from ordered readings of one cumulative energy counter, booking each
 * step by the rule of `counterStep`. A reading it ignores is skipped, so the growth up to the next
 * accepted one is spread over the whole interval. `boundaries` contains the bucket starts and then the
 * end of the last bucket, in epoch ms UTC.
 * Throws a RangeError for unsorted or non-finite readings, bad boundaries or options.
 */
export function energyFromCounter(readings: readonly TimedReading[], boundaries: readonly number[], options: CounterEnergyOptions): EnergySeries {
  checkBoundaries(boundaries);
  checkReadings(readings, 'counter');
  checkCounterOptions(options);

  const whPerUnit = options.unit === 'kWh' ? WH_PER_KWH : 1;
  const buckets = emptyBuckets(boundaries, 'counter');
  const gaps: ReadingGap[] = [];
  let unattributedWh = 0;
  // The last accepted reading, with the value later readings are compared with.
  let previous: TimedReading | undefined;

  for (const reading of readings) {
    if (previous === undefined) {
      previous = reading;
      continue;
    }
    const step = counterStep(previous.value, reading.value, options);
    if (step.kind === 'ignore') continue;
    const from = previous.ts;
    const to = reading.ts;
    previous = { ts: to, value: step.reference };
    const deltaWh = step.delta * whPerUnit;

    if (step.cause === 'reset' || step.cause === 'rollover') {
      const index = bucketEndingAt(boundaries, to);
      if (index !== undefined) buckets[index]!.resets += 1;
    }

    if (to - from > options.maxGapMs) {
      gaps.push({ from, to });
      addGap(buckets, boundaries, { from, to });
      unattributedWh += deltaWh;
      continue;
    }
    if (to === from) {
      // Two readings at one instant: book their difference where the instant falls.
      const index = bucketEndingAt(boundaries, to);
      if (index !== undefined) buckets[index]!.energyWh += deltaWh;
      continue;
    }
    forEachOverlap(boundaries, from, to, (index, pieceFrom, pieceTo) => {
      const bucket = buckets[index]!;
      bucket.energyWh += (deltaWh * (pieceTo - pieceFrom)) / (to - from);
      bucket.coverage += (pieceTo - pieceFrom) / (bucket.end - bucket.start);
    });
  }

  return finish(buckets, gaps, unattributedWh);
}

/**
 * Integrates ordered power readings (W) over each bucket with the trapezoid rule. Power is taken as
 * linear between two readings, so a bucket boundary inside an interval splits it at the interpolated power.
 * Intervals longer than `maxGapMs` are reported as gaps and not integrated.
 */
export function integratePower(readings: readonly TimedReading[], boundaries: readonly number[], maxGapMs: number): EnergySeries {
  checkBoundaries(boundaries);
  checkReadings(readings, 'power');
  checkMaxGap(maxGapMs);

  const buckets = emptyBuckets(boundaries, 'power-integration');
  const gaps: ReadingGap[] = [];

  for (let i = 1; i < readings.length; i++) {
    const a = readings[i - 1]!;
    const b = readings[i]!;
    if (b.ts === a.ts) continue;
    if (b.ts - a.ts > maxGapMs) {
      gaps.push({ from: a.ts, to: b.ts });
      addGap(buckets, boundaries, { from: a.ts, to: b.ts });
      continue;
    }
    const powerAt = (ts: number): number => a.value + ((b.value - a.value) * (ts - a.ts)) / (b.ts - a.ts);
    forEachOverlap(boundaries, a.ts, b.ts, (index, pieceFrom, pieceTo) => {
      const bucket = buckets[index]!;
      bucket.energyWh += ((powerAt(pieceFrom) + powerAt(pieceTo)) / 2) * ((pieceTo - pieceFrom) / MS_PER_HOUR);
      bucket.coverage += (pieceTo - pieceFrom) / (bucket.end - bucket.start);
    });
  }

  return finish(buckets, gaps, null);
}

export interface MeterEnergyInput {
  /** Readings of the meter's energy counter. */
  counter?: readonly TimedReading[];
  /** Readings of the meter's power in W, integrated where the counter does not cover a bucket. */
  power?: readonly TimedReading[];
  boundaries: readonly number[];
  counterOptions: CounterEnergyOptions;
  /** Gap limit for power readings, `counterOptions.maxGapMs` by default. */
  powerMaxGapMs?: number;
  /** Counter coverage a bucket needs to use the counter, 0.999 by default so float rounding of the coverage sum does not reject it. */
  minCounterCoverage?: number;
}

/**
 * Computes the energy per bucket of one meter, from its counter where the counter readings cover the
 * bucket and from its power readings elsewhere. Each bucket's `method` states which one it used.
 * Without power readings, a bucket the counter does not cover keeps its partial counter energy.
 */
export function energyFromMeter(input: MeterEnergyInput): EnergySeries {
  const minCoverage = input.minCounterCoverage ?? 0.999;
  const counter = energyFromCounter(input.counter ?? [], input.boundaries, input.counterOptions);
  if (input.power === undefined) return counter;

  const power = integratePower(input.power, input.boundaries, input.powerMaxGapMs ?? input.counterOptions.maxGapMs);
  const buckets = counter.buckets.map((bucket, i) => (bucket.coverage >= minCoverage ? bucket : power.buckets[i]!));
  const gaps = buckets.flatMap((bucket) => bucket.gaps);
  const allCounter = buckets.every((bucket) => bucket.method === 'counter');
  return finish(buckets, gaps, allCounter ? counter.totals.unattributedWh : null);
}
