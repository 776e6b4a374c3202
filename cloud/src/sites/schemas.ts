import { z } from '@hono/zod-openapi';
import { actionSchema, effectiveRoleSchema, timeZoneSchema } from '@simtestlab/sync';
import { displayNameSchema } from '../api/text';

export const idParam = (name: string) =>
  z.string().openapi({ param: { name, in: 'path' }, example: '0b6f6f3e-8a51-4c5e-9a55-3f1f5f0f2f11' });

export const siteSchema = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    name: z.string(),
    timeZone: z.string(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    address: z.string().nullable(),
    operatorControl: z.boolean(),
    /** The caller's effective role at the site. */
    role: effectiveRoleSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Site');

const siteFields = {
  name: displayNameSchema,
  timeZone: timeZoneSchema,
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
  address: z.string().max(500).nullable().optional(),
  operatorControl: z.boolean().optional(),
};

export const createSiteBodySchema = z.strictObject(siteFields).openapi('CreateSite');

export const updateSiteBodySchema = z
  .strictObject({
    name: siteFields.name.optional(),
    timeZone: siteFields.timeZone.optional(),
    latitude: siteFields.latitude,
    longitude: siteFields.longitude,
    address: siteFields.address,
    operatorControl: siteFields.operatorControl,
  })
  .openapi('UpdateSite');

export const sitePermissionsSchema = z
  .object({
    siteId: z.string(),
    role: effectiveRoleSchema,
    actions: z.array(actionSchema),
  })
  .openapi('SitePermissions');
