import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';

/*
 * Every tariff follows the site's time zone. So a change of the site's zone is rejected with 409
 * `time_zone_in_use` while the site has tariffs in the old zone, like a change of the organization
 * currency while tariffs use the old currency.
 */

let fixture: CloudFixture;
let ctx: SiteRoles;

const settingsPath = () => `/api/sites/${ctx.siteId}/energy-settings`;
const sitePath = () => `/api/sites/${ctx.siteId}`;

const parisTariff = {
  validFrom: '2026-01-01',
  tariff: { currency: 'EUR', timeZone: 'Europe/Paris', import: { kind: 'flat', pricePerKwh: 0.2 } },
};

beforeAll(async () => {
  fixture = await createCloudFixture('energy_site_zone');
  ctx = await seedSiteRoles(fixture);
});

afterAll(async () => {
  await fixture?.close();
});

describe('site time zone change', () => {
  it('is allowed without tariffs', async () => {
    const moved = await call(fixture.app, ctx.tokens.site_manager, 'PATCH', sitePath(), { timeZone: 'America/New_York' });
    expect(moved.status).toBe(200);
    const back = await call(fixture.app, ctx.tokens.site_manager, 'PATCH', sitePath(), { timeZone: 'Europe/Paris' });
    expect(back.status).toBe(200);
  });

  it('is rejected while tariffs use the old zone', async () => {
    const saved = await call(fixture.app, ctx.tokens.site_manager, 'PUT', settingsPath(), { tariffs: [parisTariff] });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'PATCH', sitePath(), { timeZone: 'America/New_York' });
    expect(status).toBe(409);
    expect(body.error.code).toBe('time_zone_in_use');
    expect(body.error.parameter).toBe('timeZone');
    expect(body.error.message).toContain('from Europe/Paris to America/New_York');
    expect(body.error.message).toContain('tariff from 2026-01-01 (in Europe/Paris)');
    expect(body.error.message).toContain('timeZone America/New_York');
  });

  it('keeps the site and the tariffs in the old zone', async () => {
    const site = await call(fixture.app, ctx.tokens.site_manager, 'GET', sitePath());
    const { body } = await call(fixture.app, ctx.tokens.site_manager, 'GET', settingsPath());
    expect(site.body.timeZone).toBe('Europe/Paris');
    expect(body.settings.tariffs.map((dated: { tariff: { timeZone: string } }) => dated.tariff.timeZone)).toEqual(['Europe/Paris']);
  });

  it('saves an unrelated field afterwards', async () => {
    const { body: current } = await call(fixture.app, ctx.tokens.site_manager, 'GET', settingsPath());
    const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'PUT', settingsPath(), { ...current.settings, gridEmissionFactorGPerKwh: 300 });
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
  });

  it('allows other site changes', async () => {
    const { status } = await call(fixture.app, ctx.tokens.site_manager, 'PATCH', sitePath(), { name: 'Renamed site', timeZone: 'Europe/Paris' });
    expect(status).toBe(200);
  });
});
