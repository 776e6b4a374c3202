import { encodeQuality, modbusPointSchema, mqttPointSchema, type AnyPoint } from '@simtestlab/sync';

/**
 * The points of one test meter: a power gauge, a 32-bit energy counter (so it rolls over at 2^32 Wh)
 * and a voltage gauge. Every store test registers these under the device key `meter`.
 */
export const meterPoints: readonly AnyPoint[] = [
  mqttPointSchema.parse({ key: 'power', topic: 'meter/power', unit: 'W' }),
  modbusPointSchema.parse({ key: 'energy', address: 0, unit: 'Wh', dataType: 'uint32', kind: 'counter' }),
  mqttPointSchema.parse({ key: 'voltage', topic: 'meter/voltage', unit: 'V' }),
];

export type MeterPointKey = 'power' | 'energy' | 'voltage';

export const meterDeviceKey = 'meter';

export const GOOD = encodeQuality('good');
export const UNCERTAIN = encodeQuality('uncertain');
export const STALE = encodeQuality('stale');
export const BAD_TIMEOUT = encodeQuality('bad', 'timeout');

/** Returns whether a sample of this quality and value belongs in the rollups (good or uncertain numbers). */
export function isUsable(value: unknown, quality: number): value is number {
  return typeof value === 'number' && quality < STALE;
}
