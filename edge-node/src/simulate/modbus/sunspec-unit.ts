import type { DatasetRow } from '../datasets/delimited-text';
import type { DatasetReplay } from '../replay';
import type { RegisterImage, SimulatedUnit } from './modbus-server';
import { chooseScaleFactors, type ScaleFactorOptions } from './scale-factors';
import { buildSunspecImage, placeSunspecModels, type SunspecValues } from './sunspec-image';

/** Input of a unit's value functions: the current row and the replay's energy counters. */
export interface UnitValueContext {
  row: DatasetRow;
  /** Returns an energy counter of the replay at the time of the request, in Wh. */
  energyWh(counter: string): number;
}

/** One model a simulated SunSpec unit serves, with the function that gives its engineering values. */
export interface SunspecModelSource {
  id: number;
  values(context: UnitValueContext): SunspecValues;
}

/** Options of a simulated SunSpec unit. */
export interface SunspecUnitOptions {
  replay: DatasetReplay;
  /** Models in chain order, usually the common model 1 first. */
  models: readonly SunspecModelSource[];
  /** Address of the `SunS` marker. Default 40000. */
  baseAddress?: number;
  scaleFactorOptions?: ScaleFactorOptions;
}

/** A simulated SunSpec unit and the layout it serves, which tests read. */
export interface SunspecUnit extends SimulatedUnit {
  /** Address of each model's `ID` register by model id. */
  readonly modelAddresses: ReadonlyMap<number, number>;
  /** Scale factor per `sunssf` point, by model id. */
  readonly scaleFactors: ReadonlyMap<number, Readonly<Record<string, number>>>;
}

/**
 * Creates a SunSpec unit that serves the replay's current row as holding registers. Scale factors are
 * chosen once from every row of the data set, as a device fixes them. During a gap the unit is silent.
 */
export function createSunspecUnit(options: SunspecUnitOptions): SunspecUnit {
  const { replay, models, baseAddress = 40000 } = options;
  const placed = placeSunspecModels(models.map((model) => model.id), baseAddress);
  const sampleContext = (row: DatasetRow): UnitValueContext => ({ row, energyWh: () => 0 });
  const scaleFactors = models.map((source, index) =>
    chooseScaleFactors(placed[index]!.model, replay.rows.map((row) => source.values(sampleContext(row))), options.scaleFactorOptions),
  );

  return {
    modelAddresses: new Map(placed.map(({ model, address }) => [model.id, address])),
    scaleFactors: new Map(models.map((source, index) => [source.id, scaleFactors[index]!])),
    holdingRegisters(): RegisterImage | undefined {
      const frame = replay.frame();
      if (frame.row === undefined) return undefined;
      const context: UnitValueContext = { row: frame.row, energyWh: (counter) => replay.energyWh(counter, frame.wallMs) };
      return buildSunspecImage(placed, models.map((source) => source.values(context)), scaleFactors);
    },
  };
}
