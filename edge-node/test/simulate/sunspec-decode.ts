import { decodeRegisters, fromRegisterArray } from '../../src/drivers/modbus/codec';
import { loadSunspecModel, type SunspecPoint } from '../../src/templates/sunspec/models';
import { sunspecEncoding } from '../../src/simulate/modbus/sunspec-types';

/** Decodes a model's fixed block (registers after the 2-register header) into engineering values, for tests. */
export function decodeSunspecBlock(modelId: number, block: readonly number[]): Record<string, number | string | null> {
  const model = loadSunspecModel(modelId);
  const raw = new Map<string, number | string | null>();
  const bytesOf = (point: SunspecPoint) => fromRegisterArray(block.slice(point.offset, point.offset + point.size));
  for (const point of model.points) {
    if (point.type === 'string') {
      raw.set(point.name, decodeRegisters(bytesOf(point), 'string', 'ABCD', true));
      continue;
    }
    const encoding = sunspecEncoding(point.type);
    if (encoding === undefined) continue;
    const accumulator = point.type.startsWith('acc');
    raw.set(point.name, decodeRegisters(bytesOf(point), encoding.dataType, 'ABCD', !accumulator && point.type !== 'pad'));
  }
  const values: Record<string, number | string | null> = {};
  for (const point of model.points) {
    const value = raw.get(point.name);
    if (value === undefined) continue;
    if (typeof value !== 'number' || point.sf === undefined) {
      values[point.name] = value;
      continue;
    }
    const sf = typeof point.sf === 'number' ? point.sf : raw.get(point.sf);
    values[point.name] = typeof sf === 'number' ? value * 10 ** sf : null;
  }
  return values;
}
