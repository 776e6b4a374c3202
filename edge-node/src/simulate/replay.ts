import type { DatasetRow } from './datasets/delimited-text';
import { EnergyIntegral, type PowerOfRow } from './energy-integral';

/** Returns the wall-clock time in epoch ms; tests pass a fake one. */
export type WallClock = () => number;

/** Options of a data set replay. */
export interface ReplayOptions {
  /** Rows in time order. At least one is required. */
  rows: readonly DatasetRow[];
  /** Nominal spacing of the rows; a row covers `[ts, ts + intervalMs)` unless the next row starts sooner. */
  intervalMs: number;
  /** Dataset time per wall time: 1 replays in real time, 60 replays a minute per second. Default 1. */
  speed?: number;
  /** Dataset time after the first row at which the replay starts, in ms. Default 0. */
  startOffsetMs?: number;
  /** Wall clock; default `Date.now`. The replay starts at the clock's time when it is created. */
  now?: WallClock;
  /**
   * Energy counters to integrate, by name: each returns a row's power in W. Only the positive part
   * is counted, so a counter never decreases.
   */
  counters?: Record<string, PowerOfRow>;
  /** Value of every counter when the replay starts, in Wh. Default 0. */
  counterStartWh?: number;
}

/** Position of the replay at one wall-clock instant. */
export interface ReplayFrame {
  wallMs: number;
  /** How many times the data set has been replayed to its end before this frame. */
  loop: number;
  /** Dataset time of this instant, in epoch ms UTC of the original recording. */
  datasetTs: number;
  /** The row that covers this instant, or undefined in a gap. */
  row: DatasetRow | undefined;
  /** Index of `row` in the data set, or -1 in a gap. */
  rowIndex: number;
}

/** Returns whether every value of a row is missing (a UCI `?` minute, a FLEXLAB line of empty cells). */
function isEmptyRow(row: DatasetRow): boolean {
  return Object.values(row.values).every((value) => value === null);
}

/**
 * Replays a data set on the wall clock, looping at its end. Missing rows and rows without any value
 * stay gaps: `frame().row` is undefined there and energy counters do not advance. Counters carry on
 * across loops, and do not go back if the wall clock does.
 */
export class DatasetReplay {
  readonly rows: readonly DatasetRow[];
  readonly intervalMs: number;
  readonly speed: number;
  /** Dataset time one loop covers, from the first row's start to the end of the last row. */
  readonly loopMs: number;
  private readonly firstTs: number;
  private readonly startWallMs: number;
  private readonly startOffsetMs: number;
  /** The wall clock the replay runs on. */
  readonly now: WallClock;
  private readonly integrals = new Map<string, EnergyIntegral>();
  private readonly counterStartWh: number;
  /** Per counter, what `continueCounters` added to the start value, in Wh. */
  private readonly counterShiftWh = new Map<string, number>();
  private readonly lastCounterWh = new Map<string, number>();

  constructor(options: ReplayOptions) {
    const { rows, intervalMs, speed = 1 } = options;
    if (rows.length === 0) throw new RangeError('a replay needs at least one row');
    if (!(intervalMs > 0)) throw new RangeError(`intervalMs must be positive, got ${intervalMs}`);
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
    this.rows = rows;
    this.intervalMs = intervalMs;
    this.speed = speed;
    this.firstTs = rows[0]!.ts;
    this.loopMs = rows.at(-1)!.ts + intervalMs - this.firstTs;
    this.now = options.now ?? Date.now;
    this.startWallMs = this.now();
    this.startOffsetMs = Math.max(0, options.startOffsetMs ?? 0);
    this.counterStartWh = options.counterStartWh ?? 0;
    for (const [name, powerOfRow] of Object.entries(options.counters ?? {})) {
      this.integrals.set(name, new EnergyIntegral(rows, intervalMs, powerOfRow));
    }
  }

  /** Returns the replay position at `wallMs` (default: now). */
  frame(wallMs = this.now()): ReplayFrame {
    const { loop, offsetMs } = this.position(wallMs);
    const datasetTs = this.firstTs + offsetMs;
    const index = this.rowIndexAtOrBefore(datasetTs);
    const row = this.rows[index];
    const covered = row !== undefined && datasetTs < row.ts + this.durationOf(index) && !isEmptyRow(row);
    return { wallMs, loop, datasetTs, row: covered ? row : undefined, rowIndex: covered ? index : -1 };
  }

  /**
   * Returns an energy counter at `wallMs` (default: now), in Wh: the start value plus the integral of
   * the counter's power over the dataset time replayed so far. Throws a RangeError for an unknown name.
   */
  energyWh(counter: string, wallMs = this.now()): number {
    const integral = this.integrals.get(counter);
    if (integral === undefined) {
      throw new RangeError(`unknown energy counter "${counter}"; known: ${[...this.integrals.keys()].join(', ')}`);
    }
    const { loop, offsetMs } = this.position(wallMs);
    const datasetTs = this.firstTs + offsetMs;
    const index = this.rowIndexAtOrBefore(datasetTs);
    const elapsedInRowMs = datasetTs - (this.rows[index]?.ts ?? datasetTs);
    const shiftWh = this.counterShiftWh.get(counter) ?? 0;
    const energyWh = this.counterStartWh + shiftWh + loop * integral.totalWh + integral.energyAtWh(index, elapsedInRowMs);
    const monotonicWh = Math.max(energyWh, this.lastCounterWh.get(counter) ?? energyWh);
    this.lastCounterWh.set(counter, monotonicWh);
    return monotonicWh;
  }

  /**
   * Moves the counters so that, at the replay's start, each named one reads the given value in Wh and
   * counts on from there. A simulator that restarts passes the values it served last, so its meters
   * do not jump back to the start value. Unknown names are ignored. Call it before serving a value.
   */
  continueCounters(startValuesWh: Readonly<Record<string, number>>): void {
    for (const [counter, valueWh] of Object.entries(startValuesWh)) {
      if (!this.integrals.has(counter) || !Number.isFinite(valueWh)) continue;
      this.counterShiftWh.delete(counter);
      this.lastCounterWh.delete(counter);
      const unshiftedWh = this.energyWh(counter, this.startWallMs);
      this.lastCounterWh.delete(counter);
      this.counterShiftWh.set(counter, valueWh - unshiftedWh);
    }
  }

  /**
   * Returns the most a counter can grow in `wallMs` of wall time, in Wh: the data set's highest power
   * for that long at the replay speed. Throws a RangeError for an unknown name.
   */
  maxCounterGrowthWh(counter: string, wallMs: number): number {
    const integral = this.integrals.get(counter);
    if (integral === undefined) throw new RangeError(`unknown energy counter "${counter}"`);
    return (integral.maxPowerW * wallMs * this.speed) / 3_600_000;
  }

  /** Names of the energy counters this replay integrates. */
  counterNames(): string[] {
    return [...this.integrals.keys()];
  }

  /**
   * Returns the wall time at which the next row after `wallMs` starts, wrapping to the first row of
   * the next loop. Publishers use it to send each row once, when it begins.
   */
  nextRowStartWallMs(wallMs = this.now()): number {
    const { loop, offsetMs } = this.position(wallMs);
    const datasetTs = this.firstTs + offsetMs;
    const nextIndex = this.rowIndexAtOrBefore(datasetTs) + 1;
    const next = this.rows[nextIndex];
    const nextOffsetMs = next === undefined ? this.loopMs : next.ts - this.firstTs;
    const datasetElapsedMs = loop * this.loopMs + nextOffsetMs - this.startOffsetMs;
    return Math.max(wallMs, this.startWallMs + datasetElapsedMs / this.speed);
  }

  private position(wallMs: number): { loop: number; offsetMs: number } {
    const elapsedMs = Math.max(0, (wallMs - this.startWallMs) * this.speed) + this.startOffsetMs;
    const loop = Math.floor(elapsedMs / this.loopMs);
    return { loop, offsetMs: elapsedMs - loop * this.loopMs };
  }

  private durationOf(index: number): number {
    const row = this.rows[index]!;
    const next = this.rows[index + 1];
    return next === undefined ? this.intervalMs : Math.min(this.intervalMs, next.ts - row.ts);
  }

  /** Binary search for the last row whose `ts` is not after `datasetTs`; -1 before the first row. */
  private rowIndexAtOrBefore(datasetTs: number): number {
    let low = 0;
    let high = this.rows.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.rows[middle]!.ts <= datasetTs) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }
}

/** Creates a replay; see `DatasetReplay`. */
export function createReplay(options: ReplayOptions): DatasetReplay {
  return new DatasetReplay(options);
}
