import type { ModbusPoint, QualityReason } from '@simtestlab/sync';
import type { PointReading } from '../driver';
import { decodeRegisters, isSentinel, reorderBytes } from './codec';
import type { RawPointResult } from './read-blocks';

/** SunSpec scale factors range from -10 to 10 (SunSpec Information Model Specification 1.0). */
const MAX_SCALE_FACTOR = 10;
const SUNSSF_NOT_IMPLEMENTED = -0x8000;

/**
 * Multiplies by a factor, dividing by its inverse when the factor is 10^-n, so that 2345 * 0.1 gives
 * 234.5 and not 234.50000000000003.
 */
export function multiplyExact(value: number, factor: number): number {
  if (factor !== 0 && Math.abs(factor) < 1) {
    const inverse = 1 / factor;
    if (Number.isInteger(inverse)) return value / inverse;
  }
  return value * factor;
}

/** Engineering value = raw * 10^scaleFactor * scale + offset. */
export function toEngineering(raw: number, scaleFactor: number, point: Pick<ModbusPoint, 'scale' | 'offset'>): number {
  const scaled = scaleFactor >= 0 ? raw * 10 ** scaleFactor : raw / 10 ** -scaleFactor;
  return multiplyExact(scaled, point.scale) + point.offset;
}

/** Raw value for an engineering value, the inverse of `toEngineering` (not yet rounded). */
export function toRaw(value: number, scaleFactor: number, point: Pick<ModbusPoint, 'scale' | 'offset'>): number {
  const unscaled = (value - point.offset) / point.scale;
  return scaleFactor >= 0 ? unscaled / 10 ** scaleFactor : unscaled * 10 ** -scaleFactor;
}

function bad(point: ModbusPoint, reason: QualityReason): PointReading {
  return { point: point.key, value: null, quality: 'bad', reason };
}

/** Outcome of reading a scale factor: its power of ten, or why the points it scales are bad. */
type ScaleFactorResult = { ok: true; value: number } | { ok: false; reason: QualityReason };

/** Decodes a SunSpec scale factor (a `sunssf`, int16) from its raw result. */
export function decodeScaleFactor(raw: RawPointResult | undefined): ScaleFactorResult {
  if (raw === undefined) return { ok: false, reason: 'config' };
  if (raw.kind === 'exception') return { ok: false, reason: 'exception' };
  if (raw.kind === 'bit') return { ok: false, reason: 'config' };
  const value = raw.bytes.readInt16BE(0);
  if (value === SUNSSF_NOT_IMPLEMENTED) return { ok: false, reason: 'not_implemented' };
  if (Math.abs(value) > MAX_SCALE_FACTOR) return { ok: false, reason: 'decode' };
  return { ok: true, value };
}

/**
 * Turns the raw results of a read cycle into readings, one per point, in the order of `points`.
 *
 * A SunSpec "not implemented" value (0x8000 for int16, 0xFFFF for uint16, NaN for floats and so on)
 * reads as value null with quality `bad` and reason `not_implemented`: the device states it has no
 * value, so there is nothing uncertain to show. A point whose scale factor is not implemented is bad
 * for the same reason. A float that is not finite without sentinels enabled is bad with `decode`.
 */
export function toReadings(points: readonly ModbusPoint[], results: ReadonlyMap<string, RawPointResult>): PointReading[] {
  const pointsByKey = new Map(points.map((point) => [point.key, point]));
  return points.map((point): PointReading => {
    const raw = results.get(point.key);
    if (raw === undefined) return bad(point, 'config');
    if (raw.kind === 'exception') return bad(point, 'exception');
    if (raw.kind === 'bit') return { point: point.key, value: raw.value ? 1 : 0, quality: 'good' };

    const wordOrder = point.wordOrder ?? 'ABCD';
    if (point.dataType === 'string') {
      return { point: point.key, value: decodeRegisters(raw.bytes, 'string', wordOrder, false), quality: 'good' };
    }
    if (point.sentinels && isSentinel(point.dataType, reorderBytes(raw.bytes, wordOrder))) return bad(point, 'not_implemented');
    const decoded = decodeRegisters(raw.bytes, point.dataType, wordOrder, point.sentinels);
    if (typeof decoded !== 'number') return bad(point, 'decode');

    let scaleFactor = 0;
    if (point.scaleFactor !== undefined) {
      const factorPoint = pointsByKey.get(point.scaleFactor);
      const factor = decodeScaleFactor(factorPoint ? results.get(factorPoint.key) : undefined);
      if (!factor.ok) return bad(point, factor.reason);
      scaleFactor = factor.value;
    }
    return { point: point.key, value: toEngineering(decoded, scaleFactor, point), quality: 'good' };
  });
}
