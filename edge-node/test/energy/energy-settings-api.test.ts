import { defaultSiteEnergySettings, energyReportSchema } from '@simtestlab/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { energySettingsResponseSchema } from '../../src/api/routes/energy';
import { createEnergySite, energySiteConfig, type EnergySite } from './support/energy-site';

let site: EnergySite | undefined;

afterEach(async () => {
  await site?.close();
  site = undefined;
});

const PARIS = 'Europe/Paris';
const HUB_SITE_ID = '5d0c7a52-4a8e-4f51-9a53-0d6f3f1f2b11';
const HUB_ORGANIZATION_ID = '8f1e2d3c-1111-4222-8333-944455566677';

const devices = [
  {
    key: 'grid',
    driver: 'modbus-tcp',
    pollIntervalMs: 60_000,
    connection: { host: '127.0.0.1', port: 15031 },
    points: [{ key: 'importWh', address: 0, unit: 'Wh', dataType: 'uint32', kind: 'counter', role: 'grid-import' }],
  },
];

const tariff = (currency: string, pricePerKwh: number) => ({ currency, timeZone: PARIS, import: { kind: 'flat', pricePerKwh } });

/** The site file's `energy` section: EUR, one flat tariff and one virtual meter. */
const fileEnergy = {
  currency: 'EUR',
  tariffs: [{ validFrom: '2026-01-01', tariff: tariff('EUR', 0.25) }],
  virtualMeters: [{ id: 'file_meter', name: 'From the site file', unit: 'Wh', formula: '{grid.importWh} * 2' }],
};

/** Settings as a site manager saves them on the hub: CHF, another tariff and another virtual meter. */
const hubSettings = {
  tariffs: [{ validFrom: '2025-06-01', tariff: tariff('CHF', 0.31) }],
  virtualMeters: [{ id: 'hub_meter', name: 'From the hub', unit: 'kWh', formula: '{grid.importWh}' }],
  gridEmissionFactorGPerKwh: 128,
  nightWindow: { fromHour: 1, toHour: 4 },
};

const hubRow = (settings: Record<string, unknown>, currency = 'CHF') => ({ site_id: HUB_SITE_ID, organization_id: HUB_ORGANIZATION_ID, currency, settings });

async function getSettings(target: EnergySite) {
  const response = await target.get('/api/energy/settings');
  expect(response.status).toBe(200);
  return energySettingsResponseSchema.parse(await response.json());
}

async function reportVirtualMeterIds(target: EnergySite): Promise<string[]> {
  const response = await target.get('/api/energy/report?period=day&date=2026-01-15');
  expect(response.status).toBe(200);
  return energyReportSchema.parse(await response.json()).virtualMeters.map((meter) => meter.id);
}

/** Warnings the energy settings reader logged. */
const settingsWarnings = (target: EnergySite) => target.logLines.filter((line) => line.level === 40 && line.component === 'energy');

describe('GET /api/energy/settings', () => {
  it('returns the defaults without settings', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS }));

    const settings = await getSettings(site);

    expect(settings).toEqual({ currency: null, settings: defaultSiteEnergySettings, source: 'none' });
  });

  it("uses the site file's energy section", async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS, energy: fileEnergy }));

    const settings = await getSettings(site);

    expect(settings.source).toBe('site-file');
    expect(settings.currency).toBe('EUR');
    expect(settings.settings.tariffs).toEqual([{ validFrom: '2026-01-01', tariff: tariff('EUR', 0.25) }]);
    expect(settings.settings.nightWindow).toEqual({ fromHour: 0, toHour: 5 });
    expect(await reportVirtualMeterIds(site)).toEqual(['file_meter']);
  });

  it('prefers the synced settings to the site file', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS, energy: fileEnergy }));
    site.sync('energy_settings', [hubRow(hubSettings)]);

    const settings = await getSettings(site);

    expect(settings.source).toBe('hub');
    expect(settings.currency).toBe('CHF');
    expect(settings.settings).toEqual(hubSettings);
    expect(await reportVirtualMeterIds(site)).toEqual(['hub_meter']);
  });

  it('falls back to the site file when the hub deletes its settings', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS, energy: fileEnergy }));
    site.sync('energy_settings', [hubRow(hubSettings)]);
    const synced = await getSettings(site);
    site.sync('energy_settings', [{ site_id: HUB_SITE_ID }], 'delete');

    const settings = await getSettings(site);

    expect(synced.source).toBe('hub');
    expect(settings.source).toBe('site-file');
    expect(settings.currency).toBe('EUR');
  });
});

describe('invalid synced energy settings', () => {
  const invalidSettings = { ...hubSettings, nightWindow: { fromHour: 5, toHour: 2 } };

  it('keep the last valid synced settings and log once', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS, energy: fileEnergy }));
    site.sync('energy_settings', [hubRow(hubSettings)]);
    await getSettings(site);
    site.sync('energy_settings', [hubRow(invalidSettings, 'USD')], 'update');

    const first = await getSettings(site);
    const second = await getSettings(site);
    const warnings = settingsWarnings(site);

    expect(first).toEqual({ currency: 'CHF', settings: hubSettings, source: 'hub' });
    expect(second).toEqual(first);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.site).toBe(HUB_SITE_ID);
    expect(warnings[0]!.msg).toContain(`site ${HUB_SITE_ID}`);
    expect(warnings[0]!.msg).toContain('settings.nightWindow: nightWindow.fromHour must be before toHour');
    expect(warnings[0]!.msg).toContain('the last valid synced settings');
  });

  it("use the site file when no valid synced settings were read", async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS, energy: fileEnergy }));
    site.sync('energy_settings', [hubRow({ ...hubSettings, tariffs: [{ validFrom: '2026-13-01', tariff: tariff('CHF', 0.31) }] })]);

    const settings = await getSettings(site);
    const warnings = settingsWarnings(site);

    expect(settings.source).toBe('site-file');
    expect(settings.currency).toBe('EUR');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain('settings.tariffs.0.validFrom: invalid calendar date');
    expect(warnings[0]!.msg).toContain("the site file's energy section");
  });

  it('include a currency that is not an ISO code', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS }));
    site.sync('energy_settings', [hubRow(hubSettings, 'Swiss francs')]);

    const settings = await getSettings(site);
    const warnings = settingsWarnings(site);

    expect(settings.source).toBe('none');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain('currency: invalid currency "Swiss francs"');
    expect(warnings[0]!.msg).toContain('the default settings');
  });

  it('are replaced by the next valid row', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS }));
    site.sync('energy_settings', [hubRow(invalidSettings)]);
    const before = await getSettings(site);
    site.sync('energy_settings', [hubRow(hubSettings, 'GBP')], 'update');

    const after = await getSettings(site);

    expect(before.source).toBe('none');
    expect(after).toEqual({ currency: 'GBP', settings: hubSettings, source: 'hub' });
  });
});
