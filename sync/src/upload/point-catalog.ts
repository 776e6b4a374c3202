import { z } from 'zod';
import { meterRoleSchema } from '../energy/meter-role';
import { dataTypeSchema, deviceKeySchema, pointKeySchema, pointKindSchema } from '../model/point';
import { unitSchema } from '../model/units';

/**
 * Payload of a `point_catalog` edge event: the definitions of one device's points as the edge registered
 * them, roles from the device's `roles` map included. Points found by SunSpec discovery are in no site
 * file the hub has, so this event is how the hub learns their unit and kind. The newest event of a
 * device replaces the older ones.
 */

/**
 * Largest number of points one catalog event lists. At an estimated 100 bytes of JSON a point, a full
 * catalog stays near 0.5 MB, well below `MAX_UPLOAD_BODY_BYTES`.
 */
export const MAX_CATALOG_POINTS = 5_000;

/** One point of a catalog. */
export const catalogPointSchema = z.strictObject({
  key: pointKeySchema,
  name: z.string().min(1).max(200).optional(),
  unit: unitSchema,
  kind: pointKindSchema,
  dataType: dataTypeSchema,
  role: meterRoleSchema.optional(),
});
export type CatalogPoint = z.infer<typeof catalogPointSchema>;

export const pointCatalogPayloadSchema = z
  .strictObject({
    device: deviceKeySchema,
    points: z.array(catalogPointSchema).max(MAX_CATALOG_POINTS),
  })
  .refine((catalog) => new Set(catalog.points.map((point) => point.key)).size === catalog.points.length, {
    message: 'point keys must be unique within a catalog',
    path: ['points'],
  });
export type PointCatalogPayload = z.infer<typeof pointCatalogPayloadSchema>;
