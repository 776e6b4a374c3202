import { z } from '@hono/zod-openapi';
import { controlResultSchema, controlWriteBodySchema, deviceKeySchema, parsePointId, pointKeySchema } from '@simtestlab/sync';
import { idParam } from '../sites/schemas';

/**
 * Checks that an id is a point id the edge can have: a device key and a point key of the shared model,
 * joined by the first dot. Any other id names no point, and sending it would put characters such as
 * "/" or invisible format marks into the command and its audit entry.
 */
function isEdgePointId(id: string): boolean {
  const parts = parsePointId(id);
  return parts !== undefined && deviceKeySchema.safeParse(parts.device).success && pointKeySchema.safeParse(parts.point).success;
}

/** Path parameters of the control routes: the site and the edge's `device.point` id. */
export const controlParamsSchema = z.object({
  siteId: idParam('siteId'),
  pointId: z
    .string()
    .max(200)
    .refine(isEdgePointId, 'expected a point id of the form device.point (lowercase device key, then the point key), such as inverter.WMaxLimPct')
    .openapi({ param: { name: 'pointId', in: 'path' }, example: 'inverter.WMaxLimPct' }),
});

export const controlBodySchema = controlWriteBodySchema;

/** Body of every control response, also of a refused command: the edge's result or the hub's. */
export const controlResponseSchema = controlResultSchema;
