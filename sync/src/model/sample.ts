import { z } from 'zod';
import { qualityReasonSchema, qualitySchema } from './quality';

/** A sample value: numbers for analog and boolean points (0 or 1), strings for text registers. */
export const sampleValueSchema = z.union([z.number(), z.string(), z.null()]);
export type SampleValue = z.infer<typeof sampleValueSchema>;

/** One reading of one point, timestamped by the edge in epoch milliseconds UTC. */
export const sampleSchema = z.object({
  point: z.string(),
  ts: z.number().int(),
  value: sampleValueSchema,
  quality: qualitySchema,
  reason: qualityReasonSchema.optional(),
});
export type Sample = z.infer<typeof sampleSchema>;

export const deviceStatuses = ['online', 'offline', 'unknown'] as const;
export const deviceStatusSchema = z.enum(deviceStatuses);
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

export const resolutions = ['raw', '1m', '15m', '1h', '1d'] as const;
export const resolutionSchema = z.enum(resolutions);
export type Resolution = z.infer<typeof resolutionSchema>;
