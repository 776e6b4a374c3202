import type { DatasetRow } from './datasets/delimited-text';

/** Returns a row's power in W, or null when the row has no value for it. */
export type PowerOfRow = (row: DatasetRow) => number | null;

/**
 * The running integral of one power series over a data set, in Wh. Each row's power applies from its
 * `ts` for one interval or until the next row, whichever is shorter (the sources are interval
 * averages). Only the positive part counts, so the integral never decreases: pass the negated power
 * for an export counter. Missing rows and null powers add no energy.
 */
export class EnergyIntegral {
  /** Energy from the first row's start to the start of row i, in Wh; the last entry is the total. */
  private readonly energyBeforeRowWh: number[];
  private readonly powersW: number[];
  private readonly durationsMs: number[];

  constructor(rows: readonly DatasetRow[], intervalMs: number, powerOfRow: PowerOfRow) {
    this.powersW = rows.map((row) => Math.max(0, powerOfRow(row) ?? 0));
    this.durationsMs = rows.map((row, i) => {
      const next = rows[i + 1];
      return next === undefined ? intervalMs : Math.min(intervalMs, Math.max(0, next.ts - row.ts));
    });
    this.energyBeforeRowWh = [0];
    let sumWh = 0;
    this.powersW.forEach((powerW, i) => {
      sumWh += (powerW * this.durationsMs[i]!) / 3_600_000;
      this.energyBeforeRowWh.push(sumWh);
    });
  }

  /** Highest power of any row, in W (0 when every row is missing or negative). */
  get maxPowerW(): number {
    return this.powersW.reduce((max, powerW) => Math.max(max, powerW), 0);
  }

  /** Energy of the whole data set, in Wh. */
  get totalWh(): number {
    return this.energyBeforeRowWh.at(-1)!;
  }

  /**
   * Energy from the first row's start up to `elapsedInRowMs` into row `rowIndex`, in Wh. The elapsed
   * time is capped at the row's duration, so a time in the gap after a row adds nothing.
   */
  energyAtWh(rowIndex: number, elapsedInRowMs: number): number {
    if (rowIndex < 0) return 0;
    const cappedMs = Math.min(Math.max(0, elapsedInRowMs), this.durationsMs[rowIndex] ?? 0);
    return this.energyBeforeRowWh[rowIndex]! + ((this.powersW[rowIndex] ?? 0) * cappedMs) / 3_600_000;
  }
}
