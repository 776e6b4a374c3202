import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { auditEntries, seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { storeEnergySettings } from '../energy/energy-seed';

/*
 * A stored settings row that the shared schema no longer accepts (after a schema change, or written by
 * an older hub) reads as the defaults. The report falls back to them, and the GET returns them with the
 * reason. A PUT replaces the row and audits the old one as stored.
 */

let fixture: CloudFixture;
let ctx: SiteRoles;

const settingsPath = () => `/api/sites/${ctx.siteId}/energy-settings`;

const invalidRow = { tariffs: 'not a list', nightWindow: { fromHour: 5, toHour: 1 } };

const validSettings = {
  tariffs: [{ validFrom: '2026-01-01', tariff: { currency: 'EUR', timeZone: 'Europe/Paris', import: { kind: 'flat', pricePerKwh: 0.2 } } }],
};

beforeAll(async () => {
  fixture = await createCloudFixture('energy_stored_invalid');
  ctx = await seedSiteRoles(fixture);
  await storeEnergySettings(fixture, ctx.siteId, invalidRow);
});

afterAll(async () => {
  await fixture?.close();
});

describe('settings row the schema rejects', () => {
  it('reports with the defaults', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/energy/sites/${ctx.siteId}/report?period=day&date=2026-03-28`);
    expect(status).toBe(200);
    expect(body.cost).toBeNull();
  });

  it('returns the defaults with the reason', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'GET', settingsPath());
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(body.settings.tariffs).toEqual([]);
    expect(body.settings.nightWindow).toEqual({ fromHour: 0, toHour: 5 });
    expect(body.invalidStoredSettings.message).toContain('save them again');
    expect(body.invalidStoredSettings.issues.map((issue: { path: string }) => issue.path)).toContain('tariffs');
  });

  it('saves valid settings over it', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'PUT', settingsPath(), validSettings);
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(body.settings.tariffs).toHaveLength(1);
    expect(body.invalidStoredSettings).toBeNull();
  });

  it('audits the stored row as invalid', async () => {
    const entries = (await auditEntries(fixture, ctx.siteId)).filter((entry) => entry.action === 'energy_settings.update');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.before.invalid).toBe(true);
    expect(entries[0]!.before.stored).toEqual(invalidRow);
    expect(entries[0]!.after.changed).toEqual(['tariffs', 'virtualMeters', 'gridEmissionFactorGPerKwh', 'nightWindow']);
  });

  it('returns no reason once saved', async () => {
    const { body } = await call(fixture.app, ctx.tokens.site_manager, 'GET', settingsPath());
    expect(body.invalidStoredSettings).toBeNull();
    expect(body.settings.tariffs).toHaveLength(1);
  });
});
