import { z } from 'zod';
import { localDateSchema } from './energy-periods';
import { tariffSchema } from './tariff';
import { virtualMeterDefinitionSchema } from './virtual-meter';

/** A tariff and the first local day (in the site's zone) from which it applies, until the next one starts. */
export const datedTariffSchema = z.object({
  validFrom: localDateSchema,
  tariff: tariffSchema,
});
export type DatedTariff = z.infer<typeof datedTariffSchema>;

/**
 * A site's energy settings, edited in the hub by site managers and synced to the edge in the
 * `energy_settings` shape so that cost and indicators are known during an outage. Tariffs are kept with
 * their start days, so a past period is priced with the tariff that applied then. Every tariff's
 * `currency` is the organization's currency. Virtual meters are checked against the site's meters when
 * they are saved (`validateVirtualMeters`).
 */
export const siteEnergySettingsSchema = z
  .object({
    tariffs: z.array(datedTariffSchema).max(100).default([]),
    virtualMeters: z.array(virtualMeterDefinitionSchema).max(200).default([]),
    /** Grams of CO2 per kWh imported from the grid; null leaves CO2 out of the indicators. */
    gridEmissionFactorGPerKwh: z.number().finite().nonnegative().max(5000).nullable().default(null),
    /** Local hours [fromHour, toHour) in which the baseload is looked for. */
    nightWindow: z
      .object({ fromHour: z.number().int().min(0).max(23), toHour: z.number().int().min(1).max(24) })
      .refine((window) => window.fromHour < window.toHour, 'nightWindow.fromHour must be before toHour, for example 0 and 5')
      .default({ fromHour: 0, toHour: 5 }),
  })
  .superRefine((settings, context) => {
    const seen = new Set<string>();
    for (const [index, dated] of settings.tariffs.entries()) {
      if (seen.has(dated.validFrom)) {
        context.addIssue({
          code: 'custom',
          path: ['tariffs', index, 'validFrom'],
          message: `two tariffs start on ${dated.validFrom}: give each tariff its own start day`,
        });
      }
      seen.add(dated.validFrom);
    }
    const ids = new Set<string>();
    for (const [index, meter] of settings.virtualMeters.entries()) {
      if (ids.has(meter.id)) {
        context.addIssue({ code: 'custom', path: ['virtualMeters', index, 'id'], message: `virtual meter id "${meter.id}" is used twice` });
      }
      ids.add(meter.id);
    }
  });
export type SiteEnergySettings = z.infer<typeof siteEnergySettingsSchema>;

/** Settings of a site without any energy configuration. */
export const defaultSiteEnergySettings: SiteEnergySettings = siteEnergySettingsSchema.parse({});

/** Returns the tariff that applies on the local day `localDate` (YYYY-MM-DD), or undefined before the first one. */
export function tariffOn(tariffs: readonly DatedTariff[], localDate: string): DatedTariff | undefined {
  let found: DatedTariff | undefined;
  for (const dated of tariffs) {
    if (dated.validFrom <= localDate && (found === undefined || dated.validFrom > found.validFrom)) found = dated;
  }
  return found;
}
