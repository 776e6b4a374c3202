import { z } from '@hono/zod-openapi';
import { shapeNames } from '@simtestlab/sync';

export const shapeParamsSchema = z.object({
  shape: z.enum(shapeNames).openapi({ param: { name: 'shape', in: 'path' }, description: 'Shape to read; the site comes from the edge credential' }),
});

/** Query of a shape request. Other parameters the client sends (log, cache-buster, expired_handle) are ignored. */
export const shapeQuerySchema = z.object({
  offset: z.string().min(1).openapi({ description: '-1 for the whole shape, else the electric-offset of the previous response', example: '-1' }),
  handle: z.string().min(1).optional().openapi({ description: 'The electric-handle of the previous response; required unless offset is -1' }),
  live: z.enum(['true', 'false']).optional().openapi({ description: 'true makes the hub wait for a change before it responds, up to the hold time' }),
  cursor: z.string().optional().openapi({ description: 'The electric-cursor of the previous live response' }),
});

const changeMessageSchema = z.object({
  key: z.string(),
  value: z.record(z.string(), z.string().nullable()).openapi({ description: 'Columns in Postgres text format; a delete carries the key (and site_id)' }),
  headers: z.object({ operation: z.enum(['insert', 'update', 'delete']) }),
});

const controlMessageSchema = z.object({
  headers: z.object({ control: z.enum(['up-to-date', 'must-refetch']) }),
});

export const shapeMessagesSchema = z.array(z.union([changeMessageSchema, controlMessageSchema])).openapi('ShapeMessages');

export type ShapeMessage = z.infer<typeof changeMessageSchema> | z.infer<typeof controlMessageSchema>;
