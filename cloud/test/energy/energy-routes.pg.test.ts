import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { energyReportTableSchema } from '@simtestlab/sync';
import { MAX_ORGANIZATION_SITES } from '../../src/energy/organization-energy';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { asOwner, seedSiteNode, seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { batchOf, pairEdge, upload } from '../uploads/paired-edge';
import { addDevice, counterRows, flatTariff, HOUR_MS, powerRows, storeEnergySettings } from './energy-seed';

/*
 * Plant A (Europe/Paris) has a grid counter that grows by 1,000 Wh an hour and a PV power point at a
 * steady 2,000 W, uploaded as 15-minute rollups through the edge upload route from 2026-03-26 21:00
 * to 2026-03-30 02:00 UTC. 2026-03-29 is the day Paris moves its clocks forward, so it has 23 hours.
 */

const DATA_FROM = Date.UTC(2026, 2, 26, 21);
const DATA_TO = Date.UTC(2026, 2, 30, 2);
/** Local midnights in Paris: 2026-03-27 and 2026-03-28 start at 23:00 UTC the day before (UTC+1). */
const MARCH_27 = Date.UTC(2026, 2, 26, 23);
const MARCH_28 = Date.UTC(2026, 2, 27, 23);
const MARCH_29 = Date.UTC(2026, 2, 28, 23);
/** 2026-03-30 starts at 22:00 UTC, in summer time (UTC+2). */
const MARCH_30 = Date.UTC(2026, 2, 29, 22);
const GRID_WH_PER_HOUR = 1000;
const PV_W = 2000;

/**
 * Grid import the report books over [start, end): the counter's whole growth. The last reading in the
 * period comes 5 s before the end, and the report splits the growth up to the first reading after the
 * end at the end.
 */
function gridImportWh(start: number, end: number): number {
  return (GRID_WH_PER_HOUR * (end - start)) / HOUR_MS;
}

let fixture: CloudFixture;
let ctx: SiteRoles;
let nodeId: string;

/** Sums a flow over a report's buckets. */
function bucketSum(buckets: Record<string, number>[], flow: string): number {
  return buckets.reduce((total, bucket) => total + bucket[flow]!, 0);
}

beforeAll(async () => {
  fixture = await createCloudFixture('energy_routes');
  ctx = await seedSiteRoles(fixture);
  nodeId = await seedSiteNode(fixture, ctx.siteId, 'Roof');
  await addDevice(fixture, ctx.tokens.site_manager, ctx.siteId, {
    key: 'grid-meter',
    name: 'Grid meter',
    points: [{ key: 'ImpWh', address: 0, unit: 'Wh', kind: 'counter', role: 'grid' }],
  });
  await addDevice(fixture, ctx.tokens.site_manager, ctx.siteId, { key: 'pv', points: [{ key: 'W', address: 0, unit: 'W' }], roles: { W: 'pv' } }, nodeId);
  await storeEnergySettings(fixture, ctx.siteId, { tariffs: [flatTariff(0.25)] });
  // Plant B gets its own zone, so the organization view resolves one local date in two zones.
  await asOwner(fixture, (tx) => tx`UPDATE sites SET time_zone = 'America/New_York' WHERE id = ${ctx.otherSiteId}`);

  const edge = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId);
  const response = await upload(
    fixture,
    edge,
    batchOf({
      rollups: [
        { point: 'grid-meter.ImpWh', resolution: '15m', rows: counterRows(DATA_FROM, DATA_TO, GRID_WH_PER_HOUR, 50_000) },
        { point: 'pv.W', resolution: '15m', rows: powerRows(DATA_FROM, DATA_TO, PV_W) },
      ],
    }),
  );
  if (response.status !== 200) throw new Error(`upload failed with ${response.status}: ${JSON.stringify(response.body)}`);
});

afterAll(async () => {
  await fixture?.close();
});

const reportPath = (siteId: string, query: string) => `/api/energy/sites/${siteId}/report?${query}`;

describe('GET /api/energy/sites/{siteId}/report', () => {
  it('reports a day of counter and power meters', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', reportPath(ctx.siteId, 'period=day&date=2026-03-28'));
    expect(status).toBe(200);
    expect(body.siteName).toBe('Plant A');
    expect(body.timeZone).toBe('Europe/Paris');
    expect(body.period).toMatchObject({ kind: 'day', start: MARCH_28, end: MARCH_29, from: '2026-03-28', to: '2026-03-28', hours: 24 });
    expect(body.sourceResolution).toBe('15m');
    expect(body.totals.gridImportWh).toBeCloseTo(gridImportWh(MARCH_28, MARCH_29), 6);
    expect(body.totals.pvWh).toBeCloseTo(24 * PV_W, 6);
    const meters = Object.fromEntries(body.meters.map((meter: { id: string }) => [meter.id, meter]));
    expect(Object.keys(meters).sort()).toEqual(['grid-meter.ImpWh', 'pv.W']);
    expect(meters['grid-meter.ImpWh']).toMatchObject({ device: 'grid-meter', role: 'grid', method: 'counter', nodeId: null });
    expect(meters['pv.W']).toMatchObject({ device: 'pv', role: 'pv', method: 'power-integration', nodeId });
    expect(meters['pv.W'].coverage).toBeCloseTo(1, 9);
  });

  it('reports the previous period', async () => {
    const { body } = await call(fixture.app, ctx.tokens.viewer, 'GET', reportPath(ctx.siteId, 'period=day&date=2026-03-28'));
    expect(body.previous).not.toBeNull();
    expect(body.previous.period).toMatchObject({ kind: 'day', start: MARCH_27, end: MARCH_28, from: '2026-03-27' });
    expect(body.previous.totals.pvWh).toBeCloseTo(24 * PV_W, 6);
    expect(body.previous.totals.gridImportWh).toBeCloseTo(gridImportWh(MARCH_27, MARCH_28), 6);
    expect(body.previous.netCost).toBeCloseTo((gridImportWh(MARCH_27, MARCH_28) / 1000) * 0.25, 9);
  });

  it('prices grid import with the stored tariff', async () => {
    const { body } = await call(fixture.app, ctx.tokens.viewer, 'GET', reportPath(ctx.siteId, 'period=day&date=2026-03-28'));
    expect(body.cost).not.toBeNull();
    expect(body.cost.currency).toBe('EUR');
    expect(body.cost.importCost).toBeCloseTo((gridImportWh(MARCH_28, MARCH_29) / 1000) * 0.25, 9);
    expect(body.cost.net).toBeCloseTo(body.cost.importCost, 9);
  });

  it('has 23 hourly buckets on the spring DST day', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', reportPath(ctx.siteId, 'period=day&date=2026-03-29&resolution=1h'));
    expect(status).toBe(200);
    expect(body.period).toMatchObject({ start: MARCH_29, end: MARCH_30, hours: 23 });
    expect(body.buckets).toHaveLength(23);
    expect(body.buckets[0].start).toBe(MARCH_29);
    expect(body.buckets[22].end).toBe(MARCH_30);
    // 92 uploaded quarter-hour rows of 2,000 W fall in the day.
    const rowsInDay = powerRows(DATA_FROM, DATA_TO, PV_W).filter(([start]) => start >= MARCH_29 && start < MARCH_30);
    expect(rowsInDay).toHaveLength(92);
    const rowEnergyWh = rowsInDay.reduce((total, row) => total + ((row[3]! / row[2]!) * (row[1] - row[0])) / HOUR_MS, 0);
    expect(body.totals.pvWh).toBeCloseTo(rowEnergyWh, 6);
    expect(bucketSum(body.buckets, 'pvWh')).toBeCloseTo(body.totals.pvWh, 6);
    expect(body.totals.gridImportWh).toBeCloseTo(gridImportWh(MARCH_29, MARCH_30), 6);
    expect(bucketSum(body.buckets, 'gridImportWh')).toBeCloseTo(body.totals.gridImportWh, 6);
  });

  it('hides sites outside the caller access', async () => {
    const cases = [
      { token: ctx.outsiderToken, siteId: ctx.siteId, status: 404 },
      { token: ctx.tokens.org_admin, siteId: ctx.foreignSiteId, status: 404 },
      { token: ctx.tokens.viewer, siteId: ctx.otherSiteId, status: 404 },
      { token: ctx.tokens.member, siteId: ctx.siteId, status: 404 },
      { token: ctx.tokens.viewer, siteId: randomUUID(), status: 404 },
      { token: ctx.tokens.viewer, siteId: 'not-a-uuid', status: 404 },
      { token: ctx.tokens.org_admin, siteId: ctx.siteId, status: 200 },
      { token: ctx.tokens.platform_admin, siteId: ctx.foreignSiteId, status: 200 },
    ];
    for (const { token, siteId, status } of cases) {
      const response = await call(fixture.app, token, 'GET', reportPath(siteId, 'period=day&date=2026-03-28'));
      expect(response.status, `site ${siteId}`).toBe(status);
    }
  });

  it('rejects bad queries naming the parameter', async () => {
    const cases = [
      { query: 'period=decade&date=2026-03-28', parameter: 'period' },
      { query: 'date=2026-03-28', parameter: 'period' },
      { query: 'period=day', parameter: 'date' },
      { query: 'period=day&date=2026-02-30', parameter: 'date' },
      { query: 'period=day&date=28.03.2026', parameter: 'date' },
      { query: 'period=custom&date=2026-03-28&to=2026-03-29', parameter: 'from' },
      { query: 'period=custom&date=2026-03-28&from=2026-03-29&to=2026-03-28', parameter: 'to' },
      { query: 'period=custom&date=2026-03-28&from=2025-01-01&to=2026-03-28', parameter: 'to' },
      { query: 'period=day&date=2026-03-28&resolution=5m', parameter: 'resolution' },
      // A year reads hourly rollups, so 15-minute buckets are finer than the data.
      { query: 'period=year&date=2026-03-28&resolution=15m', parameter: 'resolution' },
    ];
    for (const { query, parameter } of cases) {
      const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', reportPath(ctx.siteId, query));
      expect(status, query).toBe(400);
      expect(body.error.parameter, query).toBe(parameter);
    }
  });
});

describe('GET /api/energy/sites/{siteId}/report.csv', () => {
  const table = energyReportTableSchema.options[0]!;
  const csvPath = (query: string) => `/api/energy/sites/${ctx.siteId}/report.csv?${query}`;

  it('exports a table for operators', async () => {
    const { status, body, headers } = await call(fixture.app, ctx.tokens.operator, 'GET', csvPath(`period=day&date=2026-03-28&table=${table}`));
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/csv');
    expect(headers.get('content-disposition')).toContain(`filename="energy-plant-a-${table}-2026-03-28.csv"`);
    expect(typeof body).toBe('string');
    expect(body.split('\r\n').length).toBeGreaterThan(1);
  });

  it('rejects viewers', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', csvPath(`period=day&date=2026-03-28&table=${table}`));
    expect(status).toBe(403);
    expect(body.error.message).toContain('report.export');
  });

  it('rejects an unknown table', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.operator, 'GET', csvPath('period=day&date=2026-03-28&table=nope'));
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('table');
  });
});

describe('GET /api/energy/organizations/{organizationId}', () => {
  const orgPath = (suffix = '') => `/api/energy/organizations/${ctx.organizationId}${suffix}?period=day&date=2026-03-28`;

  it('lists every site of the organization for an org admin', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.org_admin, 'GET', orgPath());
    expect(status).toBe(200);
    expect(body.organizationId).toBe(ctx.organizationId);
    expect(body.currency).toBe('EUR');
    expect(body.periodKind).toBe('day');
    expect(body.sites.map((site: { siteName: string }) => site.siteName)).toEqual(['Plant A', 'Plant B']);
    const [plantA, plantB] = body.sites;
    expect(plantA.period).toMatchObject({ start: MARCH_28, end: MARCH_29 });
    expect(plantA.totals.pvWh).toBeCloseTo(24 * PV_W, 6);
    expect(plantA.netCost).toBeCloseTo((gridImportWh(MARCH_28, MARCH_29) / 1000) * 0.25, 9);
    // The same local date in New York (UTC-4 on 2026-03-28).
    expect(plantB.timeZone).toBe('America/New_York');
    expect(plantB.period).toMatchObject({ start: Date.UTC(2026, 2, 28, 4), end: Date.UTC(2026, 2, 29, 4) });
    expect(plantB.totals.pvWh).toBe(0);
    expect(body.totals.pvWh).toBeCloseTo(24 * PV_W, 6);
  });

  it("matches each site's own report", async () => {
    // October 2026 has no data, March 2026 has some.
    for (const date of ['2026-10-15', '2026-03-15']) {
      const { body: view } = await call(fixture.app, ctx.tokens.org_admin, 'GET', `/api/energy/organizations/${ctx.organizationId}?period=month&date=${date}`);
      for (const row of view.sites) {
        const { body: report } = await call(fixture.app, ctx.tokens.org_admin, 'GET', reportPath(row.siteId, `period=month&date=${date}`));
        const expected = {
          period: report.period,
          totals: report.totals,
          netCost: report.cost?.net ?? null,
          peakDemand: report.peakDemand,
          selfSufficiencyRatio: report.indicators.selfSufficiencyRatio,
          pvSelfConsumptionRatio: report.indicators.pvSelfConsumptionRatio,
          co2Kg: report.indicators.co2?.gridImportKg ?? null,
        };
        expect(row, `${row.siteName} ${date}`).toMatchObject(expected);
      }
    }
    // October 2026 has no data: no peak and no cost, rather than a 0 kW peak at the month's first quarter hour.
    const { body: empty } = await call(fixture.app, ctx.tokens.org_admin, 'GET', `/api/energy/organizations/${ctx.organizationId}?period=month&date=2026-10-15`);
    expect(empty.sites[0]).toMatchObject({ siteName: 'Plant A', peakDemand: null, netCost: null });
    const { body: march } = await call(fixture.app, ctx.tokens.org_admin, 'GET', `/api/energy/organizations/${ctx.organizationId}?period=month&date=2026-03-15`);
    expect(march.sites[0].peakDemand).toMatchObject({ powerKw: GRID_WH_PER_HOUR / 1000 });
    expect(march.sites[0].netCost).toBeGreaterThan(0);
  });

  it('allows org admins and platform admins only', async () => {
    const cases = [
      { token: ctx.tokens.org_admin, status: 200 },
      { token: ctx.tokens.platform_admin, status: 200 },
      { token: ctx.tokens.site_manager, status: 403 },
      { token: ctx.tokens.viewer, status: 403 },
      { token: ctx.tokens.member, status: 403 },
      { token: ctx.outsiderToken, status: 404 },
    ];
    for (const { token, status } of cases) {
      expect((await call(fixture.app, token, 'GET', orgPath())).status).toBe(status);
      expect((await call(fixture.app, token, 'GET', orgPath('.csv'))).status).toBe(status);
    }
  });

  it('returns 404 for an unknown organization', async () => {
    const { status } = await call(fixture.app, ctx.tokens.platform_admin, 'GET', `/api/energy/organizations/${randomUUID()}?period=day&date=2026-03-28`);
    expect(status).toBe(404);
  });

  it('rejects an organization with too many sites', async () => {
    const organizationId = await asOwner(fixture, async (tx) => {
      const [organization] = await tx<{ id: string }[]>`INSERT INTO organizations (name) VALUES ('Chain') RETURNING id`;
      await tx`
        INSERT INTO sites (organization_id, name, time_zone)
        SELECT ${organization!.id}, 'Store ' || n, 'Europe/Paris' FROM generate_series(1, ${MAX_ORGANIZATION_SITES + 1}) AS n`;
      return organization!.id;
    });
    const { status, body } = await call(fixture.app, ctx.tokens.platform_admin, 'GET', `/api/energy/organizations/${organizationId}?period=day&date=2026-03-28`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('too_many_sites');
    expect(body.error.message).toContain(String(MAX_ORGANIZATION_SITES + 1));
  });

  it('exports the view as CSV', async () => {
    const { status, body, headers } = await call(fixture.app, ctx.tokens.org_admin, 'GET', orgPath('.csv'));
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/csv');
    expect(headers.get('content-disposition')).toContain('filename="energy-acme-2026-03-28.csv"');
    expect(body).toContain('Plant A');
    expect(body).toContain('Plant B');
  });

  it('rejects a bad period and a resolution', async () => {
    const cases = [
      { query: 'period=fortnight&date=2026-03-28', parameter: 'period' },
      { query: 'period=day&date=2026-13-01', parameter: 'date' },
      { query: 'period=day&date=2026-03-28&resolution=1h', parameter: 'resolution' },
    ];
    for (const { query, parameter } of cases) {
      const { status, body } = await call(fixture.app, ctx.tokens.org_admin, 'GET', `/api/energy/organizations/${ctx.organizationId}?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.parameter, query).toBe(parameter);
    }
  });
});
