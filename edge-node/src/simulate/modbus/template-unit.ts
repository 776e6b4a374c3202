import type { DataType, ModbusPoint } from '@simtestlab/sync';
import { encodeRegisters, fromRegisterArray, registerCount, reorderBytes, toRegisterArray } from '../../drivers/modbus/codec';
import type { DeviceTemplate } from '../../templates/registry';
import type { DatasetReplay } from '../replay';
import type { RegisterImage, SimulatedUnit } from './modbus-server';
import type { UnitValueContext } from './sunspec-unit';

/** Engineering values by template point key; a missing or null value is served as "no value". */
export type TemplateValues = Record<string, number | string | null | undefined>;

/** Options of a unit that serves a register-map template. */
export interface TemplateUnitOptions {
  replay: DatasetReplay;
  template: DeviceTemplate;
  /** Engineering values of the template's points for the current row. */
  values(context: UnitValueContext): TemplateValues;
}

const integerRanges: Partial<Record<DataType, [number, number]>> = {
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
  int64: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

const sentinelRegisters: Partial<Record<DataType, number[]>> = {
  int16: [0x8000],
  uint16: [0xffff],
  int32: [0x8000, 0],
  uint32: [0xffff, 0xffff],
  int64: [0x8000, 0, 0, 0],
  uint64: [0xffff, 0xffff, 0xffff, 0xffff],
};

/**
 * Returns the registers for a point without a value: NaN for floats, the SunSpec sentinel for integer
 * points that declare sentinels, otherwise 0 (as meters show on a phase that is not wired).
 */
function noValueRegisters(point: ModbusPoint): number[] {
  const size = registerCount(point.dataType, point.length);
  if (point.dataType === 'float32' || point.dataType === 'float64') {
    return toRegisterArray(encodeRegisters(Number.NaN, point.dataType, point.wordOrder ?? 'ABCD'));
  }
  const sentinel = sentinelRegisters[point.dataType];
  if (point.sentinels && sentinel !== undefined) {
    return toRegisterArray(reorderBytes(fromRegisterArray(sentinel), point.wordOrder ?? 'ABCD'));
  }
  return new Array<number>(size).fill(0);
}

/**
 * Encodes one template point: raw = (value - offset) / scale, rounded for integer types and
 * saturated at the type's range, in the point's word order.
 */
export function encodeTemplatePoint(point: ModbusPoint, value: number | string | null | undefined): number[] {
  if (value === null || value === undefined) return noValueRegisters(point);
  const wordOrder = point.wordOrder ?? 'ABCD';
  if (point.dataType === 'string') return toRegisterArray(encodeRegisters(String(value), 'string', wordOrder, point.length));
  if (typeof value !== 'number' || !Number.isFinite(value)) return noValueRegisters(point);
  let raw = (value - point.offset) / point.scale;
  const range = integerRanges[point.dataType];
  if (range !== undefined) raw = Math.min(range[1], Math.max(range[0], Math.round(raw)));
  return toRegisterArray(encodeRegisters(raw, point.dataType, wordOrder));
}

/**
 * Creates a unit that serves a register-map template (such as the Eastron SDM630) from the replay's
 * current row: input-register points through function code 4, holding-register points through 3.
 * During a gap the unit is silent. NOTE: coil and discrete-input points are not served.
 */
export function createTemplateUnit(options: TemplateUnitOptions): SimulatedUnit {
  const { replay, template, values } = options;
  let cached: { wallMs: number; images: Map<string, Map<number, number>> } | undefined;

  const imagesNow = (): Map<string, Map<number, number>> | undefined => {
    const frame = replay.frame();
    if (frame.row === undefined) return undefined;
    // One request for each table usually arrives together; build both once per instant.
    if (cached?.wallMs === frame.wallMs) return cached.images;
    const context: UnitValueContext = { row: frame.row, energyWh: (counter) => replay.energyWh(counter, frame.wallMs) };
    const pointValues = values(context);
    const images = new Map<string, Map<number, number>>([
      ['input-register', new Map()],
      ['holding-register', new Map()],
    ]);
    for (const point of template.points) {
      const image = images.get(point.table);
      if (image === undefined) continue;
      encodeTemplatePoint(point, pointValues[point.key]).forEach((register, i) => image.set(point.address + i, register));
    }
    cached = { wallMs: frame.wallMs, images };
    return images;
  };

  return {
    inputRegisters: (): RegisterImage | undefined => imagesNow()?.get('input-register'),
    holdingRegisters: (): RegisterImage | undefined => imagesNow()?.get('holding-register'),
  };
}
