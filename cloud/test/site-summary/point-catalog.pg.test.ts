import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeEvent, RollupRow } from '@simtestlab/sync';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { asOwner, seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { batchOf, minuteRow, pairEdge, upload } from '../uploads/paired-edge';

// Points that SunSpec discovery finds have no definition on the hub. Their device's `roles` map and
// the edge's point catalog make them count in the site KPIs.

const MINUTE_MS = 60_000;

let fixture: CloudFixture;
let ctx: SiteRoles;
let lastMinute: number;

/** Adds a SunSpec device without points, with meter roles by point key. */
async function addSunspecDevice(key: string, roles: Record<string, string>): Promise<void> {
  const response = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/devices`, {
    device: { key, driver: 'modbus-tcp', connection: { host: '127.0.0.1', unitId: 1 }, sunspec: {}, roles },
  });
  if (response.status !== 201) throw new Error(`adding device ${key} failed with ${response.status}: ${JSON.stringify(response.body)}`);
}

function catalog(device: string, at: number, points: Record<string, unknown>[]): EdgeEvent {
  return { id: randomUUID(), kind: 'point_catalog', at, payload: { device, points } };
}

function counterRow(startMs: number, deltaWh: number): RollupRow {
  return [startMs, startMs + MINUTE_MS, 1, 0, 0, 0, 0, startMs + 1000, deltaWh, 0, 1];
}

beforeAll(async () => {
  fixture = await createCloudFixture('point_catalog');
  ctx = await seedSiteRoles(fixture);
  await addSunspecDevice('inverter', { 'm103.W': 'pv', 'm103.WH': 'pv' });
  await addSunspecDevice('meter', { 'm203.W': 'grid', 'm203.TotWhImp': 'grid' });
  const edge = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId);

  const nowMs = Date.now();
  const minuteStart = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  lastMinute = minuteStart - MINUTE_MS;
  const events = [
    // An older catalog of the inverter with another unit, which the newer one replaces.
    catalog('inverter', nowMs - 120_000, [{ key: 'm103.W', unit: 'kW', kind: 'gauge', dataType: 'int16' }]),
    catalog('inverter', nowMs - 60_000, [
      { key: 'm103.W', unit: 'W', kind: 'gauge', dataType: 'int16', role: 'pv' },
      { key: 'm103.WH', unit: 'Wh', kind: 'counter', dataType: 'uint32', role: 'pv' },
      { key: 'm103.A', unit: 'A', kind: 'gauge', dataType: 'uint16' },
    ]),
    catalog('meter', nowMs - 60_000, [
      { key: 'm203.W', unit: 'kW', kind: 'gauge', dataType: 'int16' },
      { key: 'm203.TotWhImp', unit: 'Wh', kind: 'counter', dataType: 'uint32' },
    ]),
  ];
  const rollups = [
    { point: 'inverter.m103.W', resolution: '1m' as const, rows: [minuteRow(lastMinute, 3000)] },
    { point: 'inverter.m103.A', resolution: '1m' as const, rows: [minuteRow(lastMinute, 12)] },
    { point: 'inverter.m103.WH', resolution: '1m' as const, rows: [counterRow(minuteStart, 250)] },
    { point: 'meter.m203.W', resolution: '1m' as const, rows: [minuteRow(lastMinute, 1.5)] },
    { point: 'meter.m203.TotWhImp', resolution: '1m' as const, rows: [counterRow(minuteStart, 40)] },
  ];
  const response = await upload(fixture, edge, batchOf({ rollups, events }));
  if (response.status !== 200) throw new Error(`upload failed with ${response.status}: ${JSON.stringify(response.body)}`);
});

afterAll(async () => {
  await fixture?.close();
});

describe('point catalog on the hub', () => {
  it('counts discovered points in the KPIs', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/sites/${ctx.siteId}/summary`);
    expect(status).toBe(200);
    expect(body.kpis.pvPowerW).toEqual({ value: 3000, quality: 'good' });
    expect(body.kpis.gridPowerW).toEqual({ value: 1500, quality: 'good' });
  });

  it('counts discovered counters in energy today', async () => {
    const { body } = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/sites/${ctx.siteId}/summary`);
    expect(body.kpis.energyToday.pvWh).toBe(250);
    expect(body.kpis.energyToday.gridImportWh).toBe(40);
  });

  it('gives latest values the catalog unit', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/sites/${ctx.siteId}/points/latest`);
    expect(status).toBe(200);
    const units = Object.fromEntries(body.points.map((entry: any) => [entry.point, entry.unit]));
    expect(units).toEqual({ 'inverter.m103.A': 'A', 'inverter.m103.W': 'W', 'inverter.m103.WH': 'Wh', 'meter.m203.TotWhImp': 'Wh', 'meter.m203.W': 'kW' });
  });

  it('stores the catalog events', async () => {
    const rows = await asOwner(fixture, (tx) => tx<{ count: number }[]>`SELECT count(*)::int AS count FROM edge_events WHERE site_id = ${ctx.siteId} AND kind = 'point_catalog'`);
    expect(rows[0]!.count).toBe(3);
  });
});
