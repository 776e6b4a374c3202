import { z } from 'zod';
import { meterRoleSchema } from '../energy/meter-role';
import { unitSchema } from './units';
import { pointControlSchema } from '../control/point-control';

/** Keys are used in URLs and as `device.point` ids, so they are restricted to URL-safe characters. */
export const deviceKeySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected lowercase letters, digits, "_" or "-" (max 64), no "."');
export const pointKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'expected letters, digits, "_", "-" or "." (max 128)');

/** Value encodings a driver decodes. Bit-level types (coils) are `bool`. */
export const dataTypes = [
  'bool',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float32',
  'float64',
  'string',
] as const;
export const dataTypeSchema = z.enum(dataTypes);
export type DataType = z.infer<typeof dataTypeSchema>;

/**
 * Byte order of a multi-register value, written as the order in which the bytes A (most significant)
 * to D arrive on the wire: ABCD is big-endian, CDAB swaps 16-bit words, BADC swaps bytes inside each
 * word, DCBA is little-endian. For 64-bit values the same swaps apply to all four words.
 */
export const wordOrders = ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const;
export const wordOrderSchema = z.enum(wordOrders);
export type WordOrder = z.infer<typeof wordOrderSchema>;

/**
 * What a value means over time: a `gauge` is an instantaneous reading (power, temperature), a
 * `counter` only grows until it resets or rolls over (energy registers), and its rollups carry a
 * delta; a `state` is a discrete value (mode, status word).
 */
export const pointKinds = ['gauge', 'counter', 'state'] as const;
export const pointKindSchema = z.enum(pointKinds);
export type PointKind = z.infer<typeof pointKindSchema>;

/** Fields every point has, whatever driver reads it. */
export const pointBaseSchema = z.strictObject({
  key: pointKeySchema,
  name: z.string().min(1).max(200).optional(),
  unit: unitSchema.default(''),
  dataType: dataTypeSchema.default('float32'),
  kind: pointKindSchema.default('gauge'),
  /** Engineering value = raw * scale + offset, applied after any SunSpec scale factor. */
  scale: z.number().finite().default(1),
  offset: z.number().finite().default(0),
  writable: z.boolean().default(false),
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  /** Control settings of a writable point; see `pointControlSchema`. */
  control: pointControlSchema.optional(),
  /** What the point measures for the site's energy balance, when it is a power or energy meter. */
  role: meterRoleSchema.optional(),
});
export type PointBase = z.infer<typeof pointBaseSchema>;

/** Builds a point's id inside a site, `deviceKey.pointKey`. Device keys contain no dot. */
export function pointId(deviceKey: string, pointKey: string): string {
  return `${deviceKey}.${pointKey}`;
}

/** Splits a `device.point` id at its first dot, or returns undefined when it has none. */
export function parsePointId(id: string): { device: string; point: string } | undefined {
  const dot = id.indexOf('.');
  if (dot <= 0 || dot === id.length - 1) return undefined;
  return { device: id.slice(0, dot), point: id.slice(dot + 1) };
}
