import { z } from '@hono/zod-openapi';
import { catalogMeterUnitSchema, meterRoleSchema, pointKindSchema, siteEnergySettingsSchema } from '@simtestlab/sync';

/*
 * The shared settings schema gets its OpenAPI name from zod's `.meta({ id })`, because `.openapi()` may be
 * missing on schemas that `sync` built before @hono/zod-openapi extended zod.
 */

/** The settings as the edge receives them in the energy_settings shape; the PUT body. */
export const energySettingsModelSchema = siteEnergySettingsSchema.meta({ id: 'SiteEnergySettings' });

export const siteMeterSchema = z
  .object({
    id: z.string().openapi({ description: 'Point id `device.point`, written in formulas as is or in braces such as `{grid-meter.m203.W}`', example: 'grid-meter.m203.TotWhImp' }),
    name: z.string().nullable(),
    unit: catalogMeterUnitSchema,
    kind: pointKindSchema,
    role: meterRoleSchema.nullable(),
    nodeId: z.string().nullable().openapi({ description: "Building, area or system of the point's device" }),
  })
  .openapi('SiteMeter');

export const energySettingsResponseSchema = z
  .object({
    siteId: z.string(),
    currency: z.string().openapi({ description: "The organization's ISO 4217 currency, in which every tariff must be priced", example: 'EUR' }),
    settings: energySettingsModelSchema,
    updatedAt: z.string().nullable().openapi({ description: 'When the settings were last saved; null while the site has the defaults' }),
    updatedBy: z.string().nullable().openapi({ description: 'User who last saved the settings, or null' }),
    invalidStoredSettings: z
      .object({ message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })) })
      .nullable()
      .openapi({
        description:
          'Set when the stored settings no longer pass the settings schema, for example when an older hub wrote them: `settings` then ' +
          'contains the defaults, which reports use until a site manager saves the settings again. `issues` lists the first reasons.',
      }),
    meters: z.array(siteMeterSchema).openapi({ description: 'Power and energy points (W, kW, Wh, kWh) that virtual meter formulas may use' }),
  })
  .openapi('SiteEnergySettingsRecord');
