import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSiteEnergySettings, periodRangeFromQuery, previousPeriod, reportRowWindow } from '@simtestlab/sync';
import { HttpError } from '../../src/api/http-error';
import { inTenantScope, type TenantScope } from '../../src/db/scope';
import { loadEnergyReportInput, readReportSites, type ReportRanges } from '../../src/energy/report-input';
import { createSilentLogger } from '../../src/logger';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteNode, seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { batchOf, pairEdge, upload } from '../uploads/paired-edge';
import { addDevice, counterRows, flatTariff, powerRows, QUARTER_MS, storeEnergySettings } from './energy-seed';

/*
 * The loader on its own, under the row-level security of a caller's scope: which points it reads, the
 * rows it maps, and the settings it falls back to.
 */

const DATA_FROM = Date.UTC(2026, 2, 26, 21);
const DATA_TO = Date.UTC(2026, 2, 30, 2);
const logger = createSilentLogger();

let fixture: CloudFixture;
let ctx: SiteRoles;
let nodeId: string;
let ranges: ReportRanges;

function scopeOf(organizationId: string): TenantScope {
  return { all: false, organizationIds: [organizationId] };
}

async function load(siteId: string, scope: TenantScope, options: { maxRows?: number; maxDemandRows?: number } = {}, loadRanges: ReportRanges = ranges) {
  return inTenantScope(fixture.sql, scope, async (tx) => {
    const [site] = await readReportSites(tx, [siteId]);
    if (site === undefined) return null;
    return loadEnergyReportInput(tx, logger, site, loadRanges, options);
  });
}

beforeAll(async () => {
  fixture = await createCloudFixture('energy_report_input');
  ctx = await seedSiteRoles(fixture);
  nodeId = await seedSiteNode(fixture, ctx.siteId, 'Hall');
  // The roles map's entry wins over the point's own role, as on the edge.
  await addDevice(fixture, ctx.tokens.site_manager, ctx.siteId, {
    key: 'grid-meter',
    points: [{ key: 'ImpWh', address: 0, unit: 'Wh', dataType: 'uint32', scale: 0.5, kind: 'counter', role: 'grid', name: 'Grid import' }],
    roles: { ImpWh: 'grid-import' },
  });
  await addDevice(
    fixture,
    ctx.tokens.site_manager,
    ctx.siteId,
    {
      key: 'spare',
      name: 'Spare feeder',
      points: [
        { key: 'W', address: 0, unit: 'W' },
        { key: 'aux', address: 2, unit: 'W' },
        { key: 'temp', address: 4, unit: 'C' },
      ],
    },
    nodeId,
  );
  // A SunSpec device has no point definitions on the hub: its roles map and the edge's catalog describe them.
  const inverter = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/devices`, {
    device: { key: 'inverter', driver: 'modbus-tcp', connection: { host: '127.0.0.1', unitId: 1 }, sunspec: {}, roles: { 'm103.W': 'pv' } },
  });
  if (inverter.status !== 201) throw new Error(`adding the inverter failed with ${inverter.status}: ${JSON.stringify(inverter.body)}`);
  await storeEnergySettings(fixture, ctx.siteId, {
    tariffs: [flatTariff(0.3)],
    virtualMeters: [{ id: 'spare-and-dc', name: 'Spare and DC', unit: 'W', formula: '{spare.W} * 2 + {inverter.m103.DCW}' }],
  });
  await storeEnergySettings(fixture, ctx.otherSiteId, { tariffs: 'not a list' });

  const edge = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId);
  const response = await upload(
    fixture,
    edge,
    batchOf({
      events: [
        {
          id: randomUUID(),
          kind: 'point_catalog',
          at: DATA_TO,
          payload: {
            device: 'inverter',
            points: [
              { key: 'm103.W', unit: 'W', kind: 'gauge', dataType: 'int16', role: 'pv' },
              { key: 'm103.DCW', name: 'DC power', unit: 'W', kind: 'gauge', dataType: 'int16' },
              { key: 'm103.ACW', unit: 'W', kind: 'gauge', dataType: 'int16' },
              { key: 'm103.A', unit: 'A', kind: 'gauge', dataType: 'uint16' },
            ],
          },
        },
      ],
      rollups: [
        { point: 'grid-meter.ImpWh', resolution: '15m', rows: counterRows(DATA_FROM, DATA_TO, 1000, 10_000) },
        { point: 'spare.W', resolution: '15m', rows: powerRows(DATA_FROM, DATA_TO, 500) },
        { point: 'spare.aux', resolution: '15m', rows: powerRows(DATA_FROM, DATA_TO, 7) },
        { point: 'spare.W', resolution: '1h', rows: [[DATA_FROM, DATA_FROM + 3_600_000, 720, 360_000, 500, 500, 500, DATA_FROM + 3_595_000, null, 0, 1]] },
      ],
    }),
  );
  if (response.status !== 200) throw new Error(`upload failed with ${response.status}: ${JSON.stringify(response.body)}`);
  const range = periodRangeFromQuery({ period: 'day', date: '2026-03-28' }, 'Europe/Paris');
  ranges = { range, previous: previousPeriod(range) };
});

afterAll(async () => {
  await fixture?.close();
});

describe('loadEnergyReportInput', () => {
  it('reads role and formula points', async () => {
    const input = await load(ctx.siteId, scopeOf(ctx.organizationId));
    expect(input?.meters.map((meter) => meter.id)).toEqual(['grid-meter.ImpWh', 'spare.W', 'inverter.m103.W', 'inverter.m103.DCW']);
    const [grid, spare, pv, dc] = input!.meters;
    expect(grid).toMatchObject({ device: 'grid-meter', name: 'Grid import', role: 'grid-import', unit: 'Wh', kind: 'counter', nodeId: null });
    expect(spare).toMatchObject({ device: 'spare', name: 'Spare feeder W', role: null, unit: 'W', kind: 'gauge', nodeId });
    expect(pv).toMatchObject({ device: 'inverter', name: 'inverter m103.W', role: 'pv', unit: 'W', nodeId: null });
    expect(dc).toMatchObject({ device: 'inverter', name: 'DC power', role: null, unit: 'W' });
    expect(input!.nodes).toEqual([{ id: nodeId, parentId: null, kind: 'building', name: 'Hall' }]);
  });

  it('passes the rollover value of configured counters', async () => {
    const input = await load(ctx.siteId, scopeOf(ctx.organizationId));
    const rolloverAt = Object.fromEntries(input!.meters.map((meter) => [meter.id, meter.rolloverAt]));

    // A uint32 register in steps of 0.5 Wh wraps at 2^31 Wh, as the edge store computes it.
    expect(rolloverAt['grid-meter.ImpWh']).toBe(2 ** 31);
    expect(rolloverAt['spare.W']).toBeUndefined();
    expect(rolloverAt['inverter.m103.W']).toBeUndefined();
  });

  it('maps rollups of the report window', async () => {
    const input = await load(ctx.siteId, scopeOf(ctx.organizationId));
    const window = reportRowWindow(ranges.range);
    expect(window.resolution).toBe('15m');
    const expected = powerRows(DATA_FROM, DATA_TO, 500)
      .filter(([start]) => start >= window.from && start < window.to)
      .map(([start, end, count, sum, , , last, lastTs]) => ({ start, end, count, sum, last, lastTs }));
    const spare = input!.meters[1]!;
    expect(spare.rows).toEqual(expected);
    expect(spare.rows.length).toBe(Math.ceil((Math.min(window.to, DATA_TO) - Math.max(window.from, DATA_FROM)) / QUARTER_MS));
    // The window reaches one row past the period's end, so the report can split a counter's growth at the end.
    expect(spare.rows.at(-1)!.start).toBe(ranges.range.end);
  });

  it('reads the previous window in the same query', async () => {
    const input = await load(ctx.siteId, scopeOf(ctx.organizationId));
    const window = reportRowWindow(ranges.previous!);
    const previous = input!.previous!;
    expect(previous.range).toEqual(ranges.previous);
    const rows = previous.meters[0]!.rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.start >= window.from && row.start < window.to)).toBe(true);
    expect(rows[0]!.start).toBe(Math.max(window.from, DATA_FROM));
  });

  it('passes the stored settings and currency', async () => {
    const input = await load(ctx.siteId, scopeOf(ctx.organizationId));
    expect(input!.currency).toBe('EUR');
    expect(input!.settings.tariffs).toEqual([flatTariff(0.3)]);
    expect(input!.site).toEqual({ id: ctx.siteId, name: 'Plant A', timeZone: 'Europe/Paris' });
  });

  it('uses defaults for settings that no longer parse', async () => {
    const input = await load(ctx.otherSiteId, scopeOf(ctx.organizationId));
    expect(input!.settings).toEqual(defaultSiteEnergySettings);
  });

  it('rejects a report beyond the row limit', async () => {
    const error = await load(ctx.siteId, scopeOf(ctx.organizationId), { maxRows: 100 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    expect((error as HttpError).details.parameter).toBe('period');
  });

  it('reads no demand rows for a day', async () => {
    const input = await load(ctx.siteId, scopeOf(ctx.organizationId));
    expect(input!.demandMeters).toBeUndefined();
    expect(input!.previous!.demandMeters).toBeUndefined();
  });

  it('reads grid import quarter hours for a year', async () => {
    const year = periodRangeFromQuery({ period: 'year', date: '2026-03-28' }, 'Europe/Paris');
    const input = await load(ctx.siteId, scopeOf(ctx.organizationId), {}, { range: year, previous: previousPeriod(year) });

    expect(input!.meters.find((meter) => meter.id === 'grid-meter.ImpWh')!.rows).toEqual([]);
    expect(input!.demandMeters!.map((meter) => meter.id)).toEqual(['grid-meter.ImpWh']);
    expect(input!.demandMeters![0]!.rows).toHaveLength((DATA_TO - DATA_FROM) / QUARTER_MS);
    expect(input!.previous!.demandMeters!.map((meter) => ({ id: meter.id, rows: meter.rows.length }))).toEqual([{ id: 'grid-meter.ImpWh', rows: 0 }]);
  });

  it('skips demand rows beyond their limit', async () => {
    const year = periodRangeFromQuery({ period: 'year', date: '2026-03-28' }, 'Europe/Paris');
    const input = await load(ctx.siteId, scopeOf(ctx.organizationId), { maxDemandRows: 1000 }, { range: year, previous: previousPeriod(year) });

    expect(input!.meters.map((meter) => meter.id)).toContain('grid-meter.ImpWh');
    expect(input!.demandMeters).toBeUndefined();
    expect(input!.previous!.demandMeters).toBeUndefined();
  });

  it('reads nothing of another organization', async () => {
    const otherOrganization = await inTenantScope(fixture.db.owner, { all: true }, async (tx) => {
      const [row] = await tx<{ organization_id: string }[]>`SELECT organization_id FROM sites WHERE id = ${ctx.foreignSiteId}`;
      return row!.organization_id;
    });
    expect(await load(ctx.siteId, scopeOf(otherOrganization))).toBeNull();
    const site = await inTenantScope(fixture.sql, scopeOf(ctx.organizationId), async (tx) => (await readReportSites(tx, [ctx.siteId]))[0]!);
    const input = await inTenantScope(fixture.sql, scopeOf(otherOrganization), (tx) => loadEnergyReportInput(tx, logger, site, ranges));
    expect(input.meters).toEqual([]);
    expect(input.nodes).toEqual([]);
    expect(input.settings).toEqual(defaultSiteEnergySettings);
  });
});
