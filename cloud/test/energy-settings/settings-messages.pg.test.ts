import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { addDevice } from '../energy/energy-seed';

/* Every 4xx of the settings PUT names the bad value and the fix. Energy prices may be negative. */

let fixture: CloudFixture;
let ctx: SiteRoles;

const settingsPath = () => `/api/sites/${ctx.siteId}/energy-settings`;

function flatTariff(overrides: Record<string, unknown>) {
  return { tariffs: [{ validFrom: '2026-01-01', tariff: { currency: 'EUR', timeZone: 'Europe/Paris', import: { kind: 'flat', pricePerKwh: 0.2 }, ...overrides } }] };
}

beforeAll(async () => {
  fixture = await createCloudFixture('energy_settings_messages');
  ctx = await seedSiteRoles(fixture);
  await addDevice(fixture, ctx.tokens.site_manager, ctx.siteId, {
    key: 'grid-meter',
    points: [{ key: 'ImpWh', address: 0, unit: 'Wh', kind: 'counter', role: 'grid' }],
  });
});

afterAll(async () => {
  await fixture?.close();
});

describe('energy settings prices', () => {
  it('accepts negative energy prices', async () => {
    const settings = flatTariff({ import: { kind: 'flat', pricePerKwh: -0.1 }, export: { pricePerKwh: -0.05 } });
    const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'PUT', settingsPath(), settings);
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(body.settings.tariffs[0].tariff.import.pricePerKwh).toBe(-0.1);
  });

  it('names an import price beyond the bound', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'PUT', settingsPath(), flatTariff({ import: { kind: 'flat', pricePerKwh: -1500 } }));
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('tariffs.0.tariff.import.pricePerKwh');
    expect(body.error.message).toContain('price per kWh -1500 is out of range: enter a price from -1000 to 1000 per kWh');
  });

  it('names a negative demand price', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'PUT', settingsPath(), flatTariff({ demand: { pricePerKw: -0.1, intervalMinutes: 15 } }));
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('tariffs.0.tariff.demand.pricePerKw');
    expect(body.error.message).toContain('demand price per kW -0.1 is out of range: enter a price from 0 to 1000 per kW');
  });

  it('names a wrong demand interval', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'PUT', settingsPath(), flatTariff({ demand: { pricePerKw: 10, intervalMinutes: 30 } }));
    expect(status).toBe(400);
    expect(body.error.message).toContain('demand interval must be 15 minutes (got 30)');
  });
});

describe('energy settings formulas and dates', () => {
  it('suggests braces for an id with a dash', async () => {
    // A bare `grid-meter.ImpWh` reads as `grid - meter.ImpWh`.
    const settings = { virtualMeters: [{ id: 'consumption', name: 'Consumption', unit: 'Wh', formula: 'grid-meter.ImpWh' }] };
    const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'PUT', settingsPath(), settings);
    expect(status).toBe(422);
    expect(body.error.message).toContain("write ids with '-' in braces: {grid-meter.ImpWh}");
  });

  it('names a tariff start before year 1000', async () => {
    const settings = { tariffs: [{ validFrom: '0050-01-01', tariff: flatTariff({}).tariffs[0]!.tariff }] };
    const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'PUT', settingsPath(), settings);
    expect(status).toBe(400);
    expect(body.error.message).toContain('date 0050-01-01 is out of range: use a year from 1000 to 9999');
  });
});
