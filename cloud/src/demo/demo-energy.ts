import { siteEnergySettingsSchema, type SiteEnergySettings } from '@simtestlab/sync';
import type { SiteRef } from '../access/guards';
import type { Change } from '../api/change';
import { energySettingsAuditState } from '../energy-settings/settings-audit';
import { readOrganizationCurrency, readSettingsRow, upsertSettings } from '../energy-settings/settings-store';
import type { DemoSite } from './demo-sites';

/*
 * Energy settings of the demo sites, and the meter roles that the demo devices gained after sites were
 * first seeded. Prices and the emission factor are example values chosen for the demo, not taken from
 * any utility or published source.
 */

/** Example grid emission factor in g CO2 per kWh, a round figure for a demo, not a published value. */
const DEMO_EMISSION_FACTOR_G_PER_KWH = 250;

/**
 * Builds the demo's time-of-use tariff with a feed-in price and a demand charge, on the site's clock. The
 * demo organization's currency is EUR unless someone changed it, and the prices are read in that currency.
 */
function demoTariff(currency: string, timeZone: string) {
  return {
    currency,
    timeZone,
    import: {
      kind: 'time-of-use',
      seasons: [
        {
          name: 'All year',
          from: '01-01',
          to: '12-31',
          periods: [{ name: 'Peak', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '20:00', pricePerKwh: 0.34 }],
        },
      ],
      defaultPricePerKwh: 0.24,
    },
    export: { pricePerKwh: 0.08 },
    demand: { pricePerKw: 12.5, intervalMinutes: 15 },
  };
}

/**
 * Builds a demo site's settings. The virtual meter sums the grid and PV counters that the edge's
 * SunSpec discovery finds, so the hub can check its formula once the edge has uploaded its point catalog.
 */
export function demoEnergySettings(demo: DemoSite, currency: string): SiteEnergySettings {
  const pvCounters = demo.devices.filter((device) => device.key.startsWith('pv-inverter')).map((device) => `{${device.key}.m103.WH}`);
  return siteEnergySettingsSchema.parse({
    tariffs: [{ validFrom: '2025-01-01', tariff: demoTariff(currency, demo.timeZone) }],
    virtualMeters: [
      {
        id: 'site_consumption',
        name: 'Site consumption',
        unit: 'Wh',
        formula: `{grid-meter.m203.TotWhImp} - {grid-meter.m203.TotWhExp} + ${pvCounters.join(' + ')}`,
      },
    ],
    gridEmissionFactorGPerKwh: DEMO_EMISSION_FACTOR_G_PER_KWH,
  });
}

/** Saves the demo settings of a site that has none; settings already there, edited or not, stay as they are. */
export async function ensureEnergySettings({ tx, audit }: Change, site: SiteRef, demo: DemoSite, changes: string[]): Promise<void> {
  if ((await readSettingsRow(tx, site)) !== undefined) return;
  const settings = demoEnergySettings(demo, await readOrganizationCurrency(tx, site.organizationId, { lock: true }));
  await upsertSettings(tx, site, settings, null);
  await audit({
    action: 'energy_settings.update',
    targetType: 'site',
    targetId: site.id,
    organizationId: site.organizationId,
    siteId: site.id,
    after: { ...energySettingsAuditState(settings), changed: ['tariffs', 'virtualMeters', 'gridEmissionFactorGPerKwh'] },
  });
  changes.push(`saved energy settings of "${demo.name}"`);
}

/**
 * Adds the meter roles of the demo devices that a device seeded by an earlier version lacks. A point
 * that already has a role in the device's `roles` map keeps it.
 */
export async function ensureDeviceRoles({ tx, audit }: Change, site: SiteRef, demo: DemoSite, changes: string[]): Promise<void> {
  const rows = await tx<{ id: string; key: string; roles: Record<string, string> | null }[]>`
    SELECT id, key, CASE WHEN jsonb_typeof(config->'roles') = 'object' THEN config->'roles' END AS roles
    FROM devices WHERE site_id = ${site.id} AND organization_id = ${site.organizationId}
    FOR UPDATE`;
  for (const row of rows) {
    const demoRoles = demo.devices.find((device) => device.key === row.key)?.roles ?? {};
    const current = row.roles ?? {};
    const missing = Object.fromEntries(Object.entries(demoRoles).filter(([pointKey]) => current[pointKey] === undefined));
    if (Object.keys(missing).length === 0) continue;

    const roles = { ...current, ...missing };
    await tx`
      UPDATE devices SET config = jsonb_set(config, '{roles}', ${tx.json(roles)}), updated_at = now()
      WHERE id = ${row.id} AND site_id = ${site.id} AND organization_id = ${site.organizationId}`;
    await audit({
      action: 'device.update',
      targetType: 'device',
      targetId: row.id,
      organizationId: site.organizationId,
      siteId: site.id,
      before: { roles: current },
      after: { roles },
    });
    changes.push(`added meter roles ${Object.keys(missing).join(', ')} to device ${row.key} at "${demo.name}"`);
  }
}
