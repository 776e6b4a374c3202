import { encodeRegisters, toRegisterArray } from '../../drivers/modbus/codec';
import { loadSunspecModel, SUNSPEC_HEADER_REGISTERS, type SunspecModel, type SunspecPoint } from '../../templates/sunspec/models';
import { isAccumulator, notImplementedRegisters, sunspecEncoding } from './sunspec-types';

/** Engineering values of one model's points by point name; a missing or null value reads as unimplemented. */
export type SunspecValues = Record<string, number | string | null | undefined>;

/** Scale factor (power of ten) per `sunssf` point name of one model. */
export type ScaleFactors = Record<string, number>;

/** The `SunS` marker that starts a SunSpec register map. */
export const SUNSPEC_MARKER = [0x5375, 0x6e53];
/** The end model: id 0xFFFF with length 0. */
export const SUNSPEC_END_MODEL = [0xffff, 0];

/** One model placed in the register map. */
export interface PlacedModel {
  model: SunspecModel;
  /** Address of the model's `ID` register. */
  address: number;
}

/**
 * Places SunSpec models one after another from `baseAddress`: the `SunS` marker, each model's header
 * and fixed block, then the end model. Repeating blocks are not served, so `L` is the fixed size.
 */
export function placeSunspecModels(modelIds: readonly number[], baseAddress = 40000): PlacedModel[] {
  let address = baseAddress + SUNSPEC_MARKER.length;
  return modelIds.map((id) => {
    const model = loadSunspecModel(id);
    const placed = { model, address };
    address += SUNSPEC_HEADER_REGISTERS + model.fixedSize;
    return placed;
  });
}

function scaleFactorOf(point: SunspecPoint, scaleFactors: ScaleFactors): number {
  if (typeof point.sf === 'number') return point.sf;
  if (point.sf === undefined) return 0;
  return scaleFactors[point.sf] ?? 0;
}

/**
 * Encodes one point's engineering value into registers. The value is divided by 10^sf and rounded.
 * Values outside the type's range saturate at its limits, except accumulators, which roll over as
 * device counters do.
 */
export function encodeSunspecPoint(point: SunspecPoint, value: number | string | null | undefined, scaleFactors: ScaleFactors): number[] {
  if (value === null || value === undefined) return notImplementedRegisters(point.type, point.size);
  if (point.type === 'string') return toRegisterArray(encodeRegisters(String(value), 'string', 'ABCD', point.size));
  const encoding = sunspecEncoding(point.type);
  if (encoding === undefined || typeof value !== 'number' || !Number.isFinite(value)) {
    return notImplementedRegisters(point.type, point.size);
  }
  const sf = point.type === 'sunssf' ? 0 : scaleFactorOf(point, scaleFactors);
  let raw = encoding.dataType === 'float32' ? value : Math.round(value * 10 ** -sf);
  if (isAccumulator(point.type)) raw = ((raw % (encoding.max + 1)) + encoding.max + 1) % (encoding.max + 1);
  else raw = Math.min(encoding.max, Math.max(encoding.min, raw));
  return toRegisterArray(encodeRegisters(raw, encoding.dataType));
}

/**
 * Builds the register image of a SunSpec device: address to register value, from the marker to the
 * end model. `values[i]` and `scaleFactors[i]` belong to the i-th placed model; the scale-factor
 * registers are filled from `scaleFactors`, not from `values`.
 */
export function buildSunspecImage(
  placed: readonly PlacedModel[],
  values: readonly SunspecValues[],
  scaleFactors: readonly ScaleFactors[],
): Map<number, number> {
  const image = new Map<number, number>();
  const write = (address: number, registers: readonly number[]) => {
    registers.forEach((register, i) => image.set(address + i, register));
  };
  const first = placed[0];
  if (first === undefined) throw new RangeError('a SunSpec device needs at least one model');
  write(first.address - SUNSPEC_MARKER.length, SUNSPEC_MARKER);

  placed.forEach(({ model, address }, index) => {
    const modelValues = values[index] ?? {};
    const modelScaleFactors = scaleFactors[index] ?? {};
    write(address, [model.id, model.fixedSize]);
    const blockStart = address + SUNSPEC_HEADER_REGISTERS;
    for (const point of model.points) {
      const value = point.type === 'sunssf' ? modelScaleFactors[point.name] : modelValues[point.name];
      write(blockStart + point.offset, encodeSunspecPoint(point, value, modelScaleFactors));
    }
  });

  const last = placed.at(-1)!;
  write(last.address + SUNSPEC_HEADER_REGISTERS + last.model.fixedSize, SUNSPEC_END_MODEL);
  return image;
}
