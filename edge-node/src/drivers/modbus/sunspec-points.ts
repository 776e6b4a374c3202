import { modbusPointSchema, normalizeUnit, type DataType, type ModbusPoint, type PointKind } from '@simtestlab/sync';
import type { SunspecModel, SunspecPoint } from '../../templates/sunspec/models';
import type { TableSpan } from './block-plan';

/** The data type and point kind that a SunSpec point type is read as. */
interface TypeMapping {
  dataType: DataType;
  kind: PointKind;
}

const typeMappings: Record<string, TypeMapping> = {
  int16: { dataType: 'int16', kind: 'gauge' },
  uint16: { dataType: 'uint16', kind: 'gauge' },
  int32: { dataType: 'int32', kind: 'gauge' },
  uint32: { dataType: 'uint32', kind: 'gauge' },
  int64: { dataType: 'int64', kind: 'gauge' },
  uint64: { dataType: 'uint64', kind: 'gauge' },
  float32: { dataType: 'float32', kind: 'gauge' },
  float64: { dataType: 'float64', kind: 'gauge' },
  // NOTE: SunSpec marks an accumulator that is not implemented with 0, not with the uint sentinel,
  // so such a counter reads as a good 0.
  acc16: { dataType: 'uint16', kind: 'counter' },
  acc32: { dataType: 'uint32', kind: 'counter' },
  acc64: { dataType: 'uint64', kind: 'counter' },
  enum16: { dataType: 'uint16', kind: 'state' },
  enum32: { dataType: 'uint32', kind: 'state' },
  bitfield16: { dataType: 'uint16', kind: 'state' },
  bitfield32: { dataType: 'uint32', kind: 'state' },
  count: { dataType: 'uint16', kind: 'state' },
  sunssf: { dataType: 'int16', kind: 'state' },
  string: { dataType: 'string', kind: 'state' },
};

/** Points and declared filler ranges of one model instance found on a device. */
export interface ModelPoints {
  points: ModbusPoint[];
  fillers: TableSpan[];
}

/**
 * Key prefix of a model instance: `m103` for the first model 103 on a device, `m103_2` for the
 * second. Point keys are `<prefix>.<point name>` (`m103.W`, `m103.W_SF`) and, for repeating blocks,
 * `<prefix>.<repetition from 1>.<point name>` (`m160.2.DCW`).
 */
export function modelKeyPrefix(modelId: number, instance: number): string {
  return instance <= 1 ? `m${modelId}` : `m${modelId}_${instance}`;
}

/** The parts of a point key that buildModelPoints writes, such as `m160_2.3.DCW`. */
export interface SunspecPointKey {
  modelId: number;
  /** Instance of the model on the device, counted from 1. */
  instance: number;
  /** Repetition of the repeating block, counted from 1. Undefined for a point of the fixed block. */
  repetition: number | undefined;
  /** Point name from the model, such as `DCW`. */
  pointName: string;
}

// Numbers without leading zeros, and an instance suffix only from 2, as modelKeyPrefix writes them.
const pointKeyPattern = /^m([1-9]\d*)(?:_([2-9]|[1-9]\d+))?\.(?:([1-9]\d*)\.)?([A-Za-z_][A-Za-z0-9_]*)$/;

/** Splits a SunSpec point key into its parts, or returns undefined for a key not of the forms buildModelPoints writes. */
export function parseSunspecPointKey(key: string): SunspecPointKey | undefined {
  const match = pointKeyPattern.exec(key);
  if (match === null) return undefined;
  const [, modelId, instance, repetition, pointName] = match;
  return {
    modelId: Number(modelId),
    instance: instance === undefined ? 1 : Number(instance),
    repetition: repetition === undefined ? undefined : Number(repetition),
    pointName: pointName!,
  };
}

function toModbusPoint(
  model: SunspecModel,
  point: SunspecPoint,
  key: string,
  address: number,
  scaleFactorKey: (name: string) => string,
): ModbusPoint | undefined {
  const mapping = typeMappings[point.type];
  if (!mapping) return undefined;

  const unit = normalizeUnit(point.units);
  const label = point.label ?? point.name;
  const definition: Record<string, unknown> = {
    key,
    name: unit === undefined ? `${label} (${point.units}), model ${model.id}` : `${label}, model ${model.id}`,
    unit: unit ?? '',
    dataType: mapping.dataType,
    kind: mapping.kind,
    table: 'holding-register',
    address,
    wordOrder: 'ABCD',
    writable: point.access === 'RW',
    sentinels: true,
  };
  if (mapping.dataType === 'string') definition.length = point.size;
  if (typeof point.sf === 'string') definition.scaleFactor = scaleFactorKey(point.sf);
  if (typeof point.sf === 'number') definition.scale = 10 ** point.sf;
  return modbusPointSchema.parse(definition);
}

/**
 * Builds the points of one model instance. `bodyAddress` is the protocol address of the first
 * register after the 2-register header. `length` is the model length the header reports, and it
 * decides how much of the model is present. Fixed points beyond it are left out. Registers after the
 * fixed block are read as repetitions of the repeating block (model 160 has one per MPPT input).
 * Types without a numeric reading (pad, ipaddr, ipv6addr, eui48) get no point. The whole model
 * range, header included, is declared as a filler, so blocks may read across those registers.
 */
export function buildModelPoints(model: SunspecModel, bodyAddress: number, length: number, keyPrefix: string): ModelPoints {
  const points: ModbusPoint[] = [];
  const fixedNames = new Set(model.points.map((point) => point.name));

  for (const point of model.points) {
    if (point.offset + point.size > length) continue;
    const built = toModbusPoint(model, point, `${keyPrefix}.${point.name}`, bodyAddress + point.offset, (name) => `${keyPrefix}.${name}`);
    if (built) points.push(built);
  }

  const repeating = model.repeating;
  if (repeating && repeating.size > 0 && length > model.fixedSize) {
    const repetitions = Math.floor((length - model.fixedSize) / repeating.size);
    const repeatingNames = new Set(repeating.points.map((point) => point.name));
    for (let index = 0; index < repetitions; index++) {
      const blockAddress = bodyAddress + model.fixedSize + index * repeating.size;
      const blockPrefix = `${keyPrefix}.${index + 1}`;
      // A scale factor named in a repeating point lives in the same repetition or in the fixed block.
      const scaleFactorKey = (name: string): string =>
        repeatingNames.has(name) || !fixedNames.has(name) ? `${blockPrefix}.${name}` : `${keyPrefix}.${name}`;
      for (const point of repeating.points) {
        const built = toModbusPoint(model, point, `${blockPrefix}.${point.name}`, blockAddress + point.offset, scaleFactorKey);
        if (built) points.push(built);
      }
    }
  }

  const fillers: TableSpan[] = [{ table: 'holding-register', address: bodyAddress - 2, count: length + 2 }];
  return { points, fillers };
}
