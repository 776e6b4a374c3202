import { z } from 'zod';

/**
 * Sample quality, after OPC UA's good / uncertain / bad split. `stale` marks a value that was good
 * once but has not been refreshed within its expected interval.
 */
export const qualities = ['good', 'uncertain', 'stale', 'bad'] as const;
export const qualitySchema = z.enum(qualities);
export type Quality = z.infer<typeof qualitySchema>;

/** Why a sample is not good. Drivers pick the most specific one. */
export const qualityReasons = [
  'timeout',
  'connection',
  'exception',
  'not_implemented',
  'decode',
  'out_of_range',
  'device_offline',
  'in_alarm',
  'fault',
  'overridden',
  'out_of_service',
  'payload',
  'config',
] as const;
export const qualityReasonSchema = z.enum(qualityReasons);
export type QualityReason = z.infer<typeof qualityReasonSchema>;

/**
 * Integer codes for storage and compact transport: the quality in the high byte, the reason's index
 * plus one in the low byte (0 when there is no reason).
 */
export const qualityCodes: Record<Quality, number> = { good: 0, uncertain: 1, stale: 2, bad: 3 };

export function encodeQuality(quality: Quality, reason?: QualityReason): number {
  const reasonCode = reason === undefined ? 0 : qualityReasons.indexOf(reason) + 1;
  return qualityCodes[quality] * 256 + reasonCode;
}

export function decodeQuality(code: number): { quality: Quality; reason?: QualityReason } {
  const quality = qualities[code >> 8];
  if (quality === undefined) throw new RangeError(`invalid quality code ${code}`);
  const reason = qualityReasons[(code & 0xff) - 1];
  return reason === undefined ? { quality } : { quality, reason };
}

/**
 * Checks whether a reading shows a fault: bad quality for any reason but `not_implemented`, which SunSpec
 * devices report for every optional register they lack and which is not a fault.
 */
export function isFaultyReading(reading: { quality: Quality; reason?: QualityReason | null | undefined } | undefined | null): boolean {
  return reading?.quality === 'bad' && reading.reason !== 'not_implemented';
}
