import { z } from '@hono/zod-openapi';
import { controlResultSchema, controlWriteBodySchema, parsePointId } from '@simtestlab/sync';
import { idParam } from '../sites/schemas';

/** Path parameters of the control routes: the site and the edge's `device.point` id. */
export const controlParamsSchema = z.object({
  siteId: idParam('siteId'),
  pointId: z
    .string()
    .max(200)
    .refine((id) => parsePointId(id) !== undefined, 'expected a point id of the form device.point, such as inverter.WMaxLimPct')
    .openapi({ param: { name: 'pointId', in: 'path' }, example: 'inverter.WMaxLimPct' }),
});

export const controlBodySchema = controlWriteBodySchema;

/** Body of every control response, also of a refused command: the edge's result or the hub's. */
export const controlResponseSchema = controlResultSchema;
