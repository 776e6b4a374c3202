import { z } from '@hono/zod-openapi';
import { pairRequestSchema, pairResponseSchema } from '@simtestlab/sync';

// The sync schemas are plain zod objects without the `.openapi()` extension, so they stay unnamed in the document.
export const pairBodySchema = pairRequestSchema;

export const pairResultSchema = pairResponseSchema;

/** Body of `GET /api/edge/me`: the pairing binding plus the node's name as admins set it. */
export const edgeSelfSchema = pairResponseSchema.extend({
  name: z.string(),
  softwareVersion: z.string().nullable(),
});

export const edgeSoftwareVersionHeaders = z.object({
  'x-edge-software-version': z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: 'Software version of the edge; the hub stores it as the last reported version.' }),
});
