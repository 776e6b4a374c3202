import { randomUUID } from 'node:crypto';
import { defaultSiteEnergySettings } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantScope } from '../../src/db/scope';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { asOwner, auditCount, auditEntries, seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { modbusTcpMeter } from '../devices/sample-devices';

let fixture: CloudFixture;
let ctx: SiteRoles;

/** Builds a time-of-use tariff with feed-in and demand prices, on the clock of the seeded sites. */
function tariff(overrides: Record<string, unknown> = {}) {
  return {
    currency: 'EUR',
    timeZone: 'Europe/Paris',
    import: {
      kind: 'time-of-use',
      seasons: [{ name: 'All year', from: '01-01', to: '12-31', periods: [{ name: 'Peak', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '20:00', pricePerKwh: 0.3 }] }],
      defaultPricePerKwh: 0.2,
    },
    export: { pricePerKwh: 0.07 },
    demand: { pricePerKw: 10, intervalMinutes: 15 },
    ...overrides,
  };
}

function virtualMeter(id: string, formula: string, unit = 'Wh') {
  return { id, name: `Meter ${id}`, unit, formula };
}

const validSettings = {
  tariffs: [{ validFrom: '2026-01-01', tariff: tariff() }],
  virtualMeters: [virtualMeter('consumption', '{grid-meter.m203.TotWhImp} - {grid-meter.m203.TotWhExp} + {main-meter.Wh}')],
  gridEmissionFactorGPerKwh: 250,
  nightWindow: { fromHour: 1, toHour: 5 },
};

function settingsPath(siteId: string): string {
  return `/api/sites/${siteId}/energy-settings`;
}

function putSettings(token: string, siteId: string, body: unknown) {
  return call(fixture.app, token, 'PUT', settingsPath(siteId), body);
}

/** Saves the point catalog a SunSpec grid meter's edge would upload, as the upload route stores it. */
async function storeGridMeterCatalog(siteId: string, organizationId: string): Promise<void> {
  const payload = {
    device: 'grid-meter',
    points: [
      { key: 'm203.W', name: 'Total real power', unit: 'kW', kind: 'gauge', dataType: 'int16' },
      { key: 'm203.TotWhImp', unit: 'Wh', kind: 'counter', dataType: 'uint32', role: 'grid' },
      { key: 'm203.TotWhExp', unit: 'Wh', kind: 'counter', dataType: 'uint32' },
      { key: 'm203.TotMWh', unit: 'MWh', kind: 'counter', dataType: 'uint32' },
      { key: 'm203.A', unit: 'A', kind: 'gauge', dataType: 'int16' },
    ],
  };
  await asOwner(fixture, (tx) => tx`
    INSERT INTO edge_events (id, organization_id, site_id, edge_node_id, kind, at, payload, received_at)
    VALUES (${randomUUID()}, ${organizationId}, ${siteId}, ${randomUUID()}, 'point_catalog', now(), ${tx.json(payload)}, now())`);
}

beforeAll(async () => {
  fixture = await createCloudFixture('energy_settings');
  ctx = await seedSiteRoles(fixture);
  // The roles map's entry for main-meter.W wins over the point's own role, as on the edge.
  const mainMeter = modbusTcpMeter('main-meter');
  const mainPoints = mainMeter.points.map((point) => (point.key === 'W' ? { ...point, role: 'consumption' } : point));
  const meter = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/devices`, {
    device: { ...mainMeter, points: mainPoints, roles: { W: 'grid' } },
  });
  if (meter.status !== 201) throw new Error(`creating main-meter failed with ${meter.status}: ${JSON.stringify(meter.body)}`);
  const gridMeter = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/devices`, {
    device: { key: 'grid-meter', driver: 'modbus-tcp', connection: { host: '127.0.0.1', unitId: 1 }, sunspec: {}, roles: { 'm203.TotWhExp': 'grid-export' } },
  });
  if (gridMeter.status !== 201) throw new Error(`creating grid-meter failed with ${gridMeter.status}: ${JSON.stringify(gridMeter.body)}`);
  await storeGridMeterCatalog(ctx.siteId, ctx.organizationId);
});

afterAll(async () => {
  await fixture?.close();
});

describe('GET energy settings', () => {
  it('returns the defaults without saved settings', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', settingsPath(ctx.siteId));

    expect(status).toBe(200);
    expect(body.siteId).toBe(ctx.siteId);
    expect(body.currency).toBe('EUR');
    expect(body.settings).toEqual(defaultSiteEnergySettings);
    expect(body.updatedAt).toBeNull();
    expect(body.updatedBy).toBeNull();
  });

  it('lists the power and energy points as meters', async () => {
    const { body } = await call(fixture.app, ctx.tokens.viewer, 'GET', settingsPath(ctx.siteId));

    expect(body.meters.map((meter: { id: string }) => meter.id)).toEqual([
      'main-meter.W',
      'main-meter.Wh',
      'grid-meter.m203.W',
      'grid-meter.m203.TotWhImp',
      'grid-meter.m203.TotWhExp',
      'grid-meter.m203.TotMWh',
    ]);
    expect(body.meters[1]).toEqual({ id: 'main-meter.Wh', name: null, unit: 'Wh', kind: 'counter', role: null, nodeId: null });
    expect(body.meters[2]).toMatchObject({ name: 'Total real power', unit: 'kW', kind: 'gauge' });
  });

  it('takes roles from the device map first', async () => {
    const { body } = await call(fixture.app, ctx.tokens.viewer, 'GET', settingsPath(ctx.siteId));
    const roles = Object.fromEntries(body.meters.map((meter: { id: string; role: string | null }) => [meter.id, meter.role]));

    expect(roles['main-meter.W']).toBe('grid');
    expect(roles['main-meter.Wh']).toBeNull();

    expect(roles['grid-meter.m203.TotWhExp']).toBe('grid-export');
    expect(roles['grid-meter.m203.TotWhImp']).toBe('grid');
    expect(roles['grid-meter.m203.W']).toBeNull();
  });

  it('answers 404 to a member without site access', async () => {
    const { status } = await call(fixture.app, ctx.tokens.member, 'GET', settingsPath(ctx.siteId));
    expect(status).toBe(404);
  });
});

describe('PUT energy settings', () => {
  it('saves valid settings for a site manager', async () => {
    const { status, body } = await putSettings(ctx.tokens.site_manager, ctx.siteId, validSettings);

    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.settings).toEqual(validSettings);
    expect(body.currency).toBe('EUR');
    expect(body.updatedBy).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(body.updatedAt)).not.toBeNaN();
    const read = await call(fixture.app, ctx.tokens.viewer, 'GET', settingsPath(ctx.siteId));
    expect(read.body.settings).toEqual(validSettings);
    expect(read.body.updatedBy).toBe(body.updatedBy);
  });

  it('audits the change with a summary', async () => {
    const entries = (await auditEntries(fixture, ctx.siteId)).filter((entry) => entry.action === 'energy_settings.update');

    expect(entries).toHaveLength(1);
    expect(entries[0]!.target_type).toBe('site');
    expect(entries[0]!.organization_id).toBe(ctx.organizationId);
    expect(entries[0]!.site_id).toBe(ctx.siteId);
    expect(entries[0]!.before).toBeNull();
    expect(entries[0]!.after.changed).toEqual(['tariffs', 'virtualMeters', 'gridEmissionFactorGPerKwh', 'nightWindow']);
    expect(entries[0]!.after.tariffs).toEqual([
      { validFrom: '2026-01-01', currency: 'EUR', timeZone: 'Europe/Paris', import: 'time-of-use', export: true, demand: true },
    ]);
    expect(entries[0]!.after.virtualMeters).toEqual(['consumption [Wh] = {grid-meter.m203.TotWhImp} - {grid-meter.m203.TotWhExp} + {main-meter.Wh}']);
  });

  it('writes no audit entry for an unchanged save', async () => {
    const before = await auditCount(fixture);
    const { status } = await putSettings(ctx.tokens.site_manager, ctx.siteId, validSettings);
    expect(status).toBe(200);
    expect(await auditCount(fixture)).toBe(before);
  });

  it('audits only the fields that changed', async () => {
    const { status } = await putSettings(ctx.tokens.org_admin, ctx.siteId, { ...validSettings, gridEmissionFactorGPerKwh: 300 });
    expect(status).toBe(200);
    const entries = (await auditEntries(fixture, ctx.siteId)).filter((entry) => entry.action === 'energy_settings.update');
    expect(entries.at(-1)!.after.changed).toEqual(['gridEmissionFactorGPerKwh']);
    expect(entries.at(-1)!.before.gridEmissionFactorGPerKwh).toBe(250);
    expect(entries.at(-1)!.after.gridEmissionFactorGPerKwh).toBe(300);
  });

  it('forbids viewers and operators', async () => {
    const before = await auditCount(fixture);
    for (const role of ['viewer', 'operator'] as const) {
      const { status, body } = await putSettings(ctx.tokens[role], ctx.siteId, validSettings);
      expect(status, role).toBe(403);
      expect(body.error.code, role).toBe('forbidden');
    }
    expect(await auditCount(fixture)).toBe(before);
  });

  it('rejects a body that fails the schema', async () => {
    const { status, body } = await putSettings(ctx.tokens.site_manager, ctx.siteId, { ...validSettings, virtualMeters: [virtualMeter('broken', 'a +')] });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toContain('invalid formula of "broken"');
  });
});

describe('virtual meter checks', () => {
  const cases = [
    {
      problem: 'an unknown meter',
      meters: [virtualMeter('total', '{main-meter.Wh} + {nope.Wh}')],
      parameter: 'virtualMeters[0].formula',
      message: 'virtual meter "total" (virtualMeters[0]): unknown meter "nope.Wh" in the formula of "total"',
    },
    {
      problem: 'energy added to power',
      meters: [virtualMeter('mixed', '{main-meter.Wh} + {main-meter.W}')],
      parameter: 'virtualMeters[0].formula',
      message: 'unit mismatch at column 17 in the formula of "mixed": "main-meter.Wh" is energy (Wh) but "main-meter.W" is power (W)',
    },
    {
      problem: 'a cycle',
      meters: [virtualMeter('first', 'second + {main-meter.Wh}'), virtualMeter('second', 'first')],
      parameter: 'virtualMeters[0].formula',
      message: 'virtual meters form a cycle: first -> second -> first',
    },
    {
      problem: 'a point in amperes',
      meters: [virtualMeter('current', '{grid-meter.m203.A}')],
      parameter: 'virtualMeters[0].formula',
      message: 'unknown meter "grid-meter.m203.A"',
    },
  ];

  it.each(cases)('rejects $problem with 422', async ({ meters, parameter, message }) => {
    const before = await auditCount(fixture);
    const { status, body } = await putSettings(ctx.tokens.site_manager, ctx.siteId, { ...validSettings, virtualMeters: meters });

    expect(status).toBe(422);
    expect(body.error.code).toBe('invalid_virtual_meter');
    expect(body.error.parameter).toBe(parameter);
    expect(body.error.message).toContain(message);
    expect(await auditCount(fixture)).toBe(before);
  });

  it('lists every problem in issues', async () => {
    const meters = [virtualMeter('one', '{nope.Wh}'), virtualMeter('two', '{main-meter.W}')];
    const { body } = await putSettings(ctx.tokens.site_manager, ctx.siteId, { ...validSettings, virtualMeters: meters });

    expect(body.error.issues.map((issue: { path: string }) => issue.path)).toEqual(['virtualMeters[0].formula', 'virtualMeters[1].formula']);
    expect(body.error.message).toContain('1 more problems are listed in issues');
  });

  it('accepts virtual meters built on each other', async () => {
    const meters = [virtualMeter('net', '{grid-meter.m203.TotWhImp} - {grid-meter.m203.TotWhExp}'), virtualMeter('double_net', 'net * 2'), virtualMeter('lifetime', '{grid-meter.m203.TotMWh} + net')];
    const { status, body } = await putSettings(ctx.tokens.site_manager, ctx.siteId, { ...validSettings, virtualMeters: meters });
    expect(status, JSON.stringify(body)).toBe(200);
  });
});

describe('tariff checks', () => {
  it('rejects a tariff in another currency', async () => {
    const settings = { ...validSettings, tariffs: [{ validFrom: '2026-01-01', tariff: tariff({ currency: 'USD' }) }] };
    const { status, body } = await putSettings(ctx.tokens.site_manager, ctx.siteId, settings);

    expect(status).toBe(422);
    expect(body.error.code).toBe('currency_mismatch');
    expect(body.error.parameter).toBe('tariffs[0].tariff.currency');
    expect(body.error.message).toContain("is priced in USD but the organization's currency is EUR");
    expect(body.error.message).toContain('price the tariff in EUR, or have an org admin change the organization currency to USD');
  });

  it("rejects a tariff off the site's clock", async () => {
    const settings = { ...validSettings, tariffs: [{ validFrom: '2026-01-01', tariff: tariff({ timeZone: 'America/New_York' }) }] };
    const { status, body } = await putSettings(ctx.tokens.site_manager, ctx.siteId, settings);

    expect(status).toBe(422);
    expect(body.error.code).toBe('time_zone_mismatch');
    expect(body.error.parameter).toBe('tariffs[0].tariff.timeZone');
    expect(body.error.message).toContain('follows the clock of America/New_York but site "Plant A" is in Europe/Paris');
  });

  it('rejects two tariffs that start on one day', async () => {
    const settings = { ...validSettings, tariffs: [{ validFrom: '2026-01-01', tariff: tariff() }, { validFrom: '2026-01-01', tariff: tariff() }] };
    const { status, body } = await putSettings(ctx.tokens.site_manager, ctx.siteId, settings);
    expect(status).toBe(400);
    expect(body.error.message).toContain('two tariffs start on 2026-01-01');
  });
});

describe('organization isolation', () => {
  it("answers 404 to another organization's admin", async () => {
    const read = await call(fixture.app, ctx.outsiderToken, 'GET', settingsPath(ctx.siteId));
    const write = await putSettings(ctx.outsiderToken, ctx.siteId, validSettings);
    expect(read.status).toBe(404);
    expect(write.status).toBe(404);
    expect(write.body.error.code).toBe('not_found');
  });

  it("answers 404 to a site manager for another organization's site", async () => {
    const read = await call(fixture.app, ctx.tokens.site_manager, 'GET', settingsPath(ctx.foreignSiteId));
    const write = await putSettings(ctx.tokens.site_manager, ctx.foreignSiteId, validSettings);
    expect(read.status).toBe(404);
    expect(write.status).toBe(404);
  });

  it('answers 404 to a site manager for an ungranted site', async () => {
    const write = await putSettings(ctx.tokens.site_manager, ctx.otherSiteId, validSettings);
    expect(write.status).toBe(404);
  });

  it("hides the settings row from another organization's scope", async () => {
    const [other] = await asOwner(fixture, (tx) => tx<{ organization_id: string }[]>`SELECT organization_id FROM sites WHERE id = ${ctx.foreignSiteId}`);
    const scope = { all: false as const, organizationIds: [other!.organization_id] };
    const visible = await inTenantScope(fixture.sql, scope, (tx) => tx`SELECT site_id FROM site_energy_settings WHERE site_id = ${ctx.siteId}`);
    expect(visible).toHaveLength(0);
    const insert = inTenantScope(fixture.sql, scope, (tx) => tx`
      INSERT INTO site_energy_settings (site_id, organization_id, settings) VALUES (${ctx.siteId}, ${ctx.organizationId}, '{}'::jsonb)`);
    await expect(insert).rejects.toThrow(/row-level security/);
  });
});

describe('organization currency', () => {
  it('rejects a new currency while tariffs use the old one', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.org_admin, 'PATCH', `/api/organizations/${ctx.organizationId}`, { currency: 'USD' });

    expect(status).toBe(409);
    expect(body.error.code).toBe('currency_in_use');
    expect(body.error.message).toContain('cannot change from EUR to USD');
    expect(body.error.message).toContain('site "Plant A" (tariff from 2026-01-01 in EUR)');
  });

  it('changes once no tariff is left and shows in the settings', async () => {
    const cleared = await putSettings(ctx.tokens.site_manager, ctx.siteId, { ...validSettings, tariffs: [] });
    expect(cleared.status).toBe(200);

    const { status, body } = await call(fixture.app, ctx.tokens.org_admin, 'PATCH', `/api/organizations/${ctx.organizationId}`, { currency: 'USD' });
    expect(status).toBe(200);
    expect(body.currency).toBe('USD');
    const read = await call(fixture.app, ctx.tokens.viewer, 'GET', settingsPath(ctx.siteId));
    expect(read.body.currency).toBe('USD');

    const usd = await putSettings(ctx.tokens.site_manager, ctx.siteId, { ...validSettings, tariffs: [{ validFrom: '2026-01-01', tariff: tariff({ currency: 'USD' }) }] });
    expect(usd.status, JSON.stringify(usd.body)).toBe(200);
  });
});

describe('OpenAPI document', () => {
  it('describes both routes', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.platform_admin, 'GET', '/api/openapi.json');
    expect(status).toBe(200);
    expect(Object.keys(body.paths[settingsPath('{siteId}')])).toEqual(['get', 'put']);
    expect(body.paths[settingsPath('{siteId}')].put.responses['422']).toBeDefined();
  });
});
