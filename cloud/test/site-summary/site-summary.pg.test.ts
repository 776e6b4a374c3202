import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeEvent, RollupRow, RollupSeries } from '@simtestlab/sync';
import { siteLastValuesKey, uplinkPresenceKey } from '../../src/live/redis-keys';
import { putAlarm } from '../notifications/alarm-seed';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { asOwner, seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { batchOf, minuteRow, pairEdge, upload, type PairedEdge } from '../uploads/paired-edge';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

let fixture: CloudFixture;
let ctx: SiteRoles;
let edge: PairedEdge;
let expectedGridImportWh: number;
let midnightMs: number;
/** Time of the last sample of the newest grid power rollup. */
let powerDataAt: number;
/** Time of the newest stored sample of any point: the counter's current minute. */
let newestDataAt: number;

/** Adds a device with the given points, and meter roles by point key, to a site, as a site manager does. */
async function addDevice(siteId: string, key: string, points: Record<string, unknown>[], roles?: Record<string, string>): Promise<void> {
  const response = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${siteId}/devices`, {
    device: { key, driver: 'modbus-tcp', connection: { host: '127.0.0.1', unitId: 1 }, points, ...(roles ? { roles } : {}) },
  });
  if (response.status !== 201) throw new Error(`adding device ${key} failed with ${response.status}: ${JSON.stringify(response.body)}`);
}

/** Builds a counter's rollup row over [start, end) that grew by `deltaWh`. */
function counterRow(startMs: number, endMs: number, deltaWh: number): RollupRow {
  return [startMs, endMs, 1, 0, 0, 0, 0, startMs + 1000, deltaWh, 0, 1];
}

function deviceStatus(device: string, status: 'online' | 'offline', at: number): EdgeEvent {
  return { id: randomUUID(), kind: 'device_status', at, payload: { device, status, error: null } };
}

beforeAll(async () => {
  fixture = await createCloudFixture('site_summary');
  ctx = await seedSiteRoles(fixture);
  await addDevice(ctx.siteId, 'grid-meter', [
    { key: 'W', address: 0, unit: 'W', role: 'grid' },
    { key: 'ImpWh', address: 2, unit: 'Wh', kind: 'counter', role: 'grid' },
  ]);
  // The PV inverter's role comes from the device's roles map, as templates set it. The map's entry wins
  // over the point's own role, as on the edge, so the point counts as PV and not as consumption.
  await addDevice(ctx.siteId, 'pv', [{ key: 'W', address: 0, unit: 'kW', role: 'consumption' }], { W: 'pv' });
  await addDevice(ctx.siteId, 'spare', [
    { key: 'temp', address: 0 },
    { key: 'idle', address: 2 },
  ]);
  edge = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId);

  const nowMs = Date.now();
  const minuteStart = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  const [today] = await asOwner(fixture, (tx) => tx<{ midnight: Date }[]>`SELECT date_trunc('day', now(), 'Europe/Paris') AS midnight`);
  midnightMs = today!.midnight.getTime();
  // Europe/Paris is a whole number of hours from UTC, so its hours start on UTC hours.
  const hourStart = Math.floor(nowMs / HOUR_MS) * HOUR_MS;

  // Closed hours since midnight, and one hour of yesterday that must not count.
  const hourRows: RollupRow[] = [counterRow(midnightMs - HOUR_MS, midnightMs, 5000)];
  for (let start = midnightMs; start < hourStart; start += HOUR_MS) hourRows.push(counterRow(start, start + HOUR_MS, 1000));
  // Minutes from midnight through the current one, overlapping the hours as an edge uploads them, and one of yesterday.
  const minuteRows: RollupRow[] = [counterRow(midnightMs - MINUTE_MS, midnightMs, 7)];
  for (let start = midnightMs; start <= minuteStart; start += MINUTE_MS) minuteRows.push(counterRow(start, start + MINUTE_MS, 10));
  expectedGridImportWh = ((hourStart - midnightMs) / HOUR_MS) * 1000 + ((minuteStart - hourStart) / MINUTE_MS + 1) * 10;

  const lastMinute = minuteStart - MINUTE_MS;
  powerDataAt = lastMinute + 55_000;
  newestDataAt = minuteStart + 1000;
  const rollups: RollupSeries[] = [
    { point: 'grid-meter.W', resolution: '1m', rows: [minuteRow(lastMinute - MINUTE_MS, 999), minuteRow(lastMinute, 1500)] },
    { point: 'pv.W', resolution: '1m', rows: [minuteRow(lastMinute, 4)] },
    { point: 'spare.temp', resolution: '1m', rows: [minuteRow(minuteStart - 20 * MINUTE_MS, 21.5)] },
    { point: 'legacy.value', resolution: '1m', rows: [minuteRow(lastMinute - 5 * MINUTE_MS, 3)] },
    { point: 'grid-meter.ImpWh', resolution: '1h', rows: hourRows },
    { point: 'grid-meter.ImpWh', resolution: '1m', rows: minuteRows },
  ];
  const events = [
    deviceStatus('grid-meter', 'offline', nowMs - 300_000),
    deviceStatus('grid-meter', 'online', nowMs - 200_000),
    deviceStatus('pv', 'offline', nowMs - 100_000),
  ];
  const response = await upload(fixture, edge, batchOf({ rollups, events }));
  if (response.status !== 200) throw new Error(`upload failed with ${response.status}: ${JSON.stringify(response.body)}`);

  const site = { organizationId: ctx.organizationId, siteId: ctx.siteId, activeSince: new Date(nowMs - HOUR_MS) };
  await putAlarm(fixture, { ...site, ruleId: 'fire', state: 'active_unack', severity: 'critical' });
  await putAlarm(fixture, { ...site, ruleId: 'hot', state: 'active_ack', severity: 'warning' });
  await putAlarm(fixture, { ...site, ruleId: 'blip', state: 'cleared_unack', severity: 'info' });
  await putAlarm(fixture, { ...site, ruleId: 'calm', state: 'normal', severity: 'warning' });
});

afterAll(async () => {
  await fixture?.close();
});

describe('GET /api/sites/{siteId}/summary', () => {
  it('computes KPIs from stored rollups', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/sites/${ctx.siteId}/summary`);
    expect(status).toBe(200);
    expect(body.site).toEqual({ id: ctx.siteId, name: 'Plant A', organizationId: ctx.organizationId, organizationName: 'Acme', timeZone: 'Europe/Paris' });
    expect(body.dayStart).toBe(midnightMs);
    expect(Math.abs(body.generatedAt - Date.now())).toBeLessThan(60_000);
    expect(body.kpis.gridPowerW).toEqual({ value: 1500, quality: 'good' });
    expect(body.kpis.pvPowerW).toEqual({ value: 4000, quality: 'good' });
    expect(body.kpis.consumptionW).toEqual({ value: 5500, quality: 'good' });
    expect(body.kpis.consumptionSource).toBe('balance');
  });

  it('sums counter growth since local midnight', async () => {
    const { body } = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/sites/${ctx.siteId}/summary`);
    expect(body.kpis.energyToday).toEqual({ gridImportWh: expectedGridImportWh, pvWh: null, consumedWh: expectedGridImportWh });
  });

  it('counts alarms, devices and edge contact', async () => {
    const { body } = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/sites/${ctx.siteId}/summary`);
    expect(body.alarms).toEqual({ active: { critical: 1, warning: 1, info: 0, total: 2 }, unacknowledged: 2 });
    expect(body.devices).toMatchObject({ total: 3, online: 1, offline: 1, unknown: 1 });
    expect(body.devices.byDevice).toEqual({ 'grid-meter': 'online', pv: 'offline', spare: 'unknown' });
    expect(body.devices.statusAt).toBeGreaterThan(Date.now() - 120_000);
    expect(body.edge.connected).toBe(false);
    expect(body.edge.lastContactAt).toBeGreaterThan(Date.now() - 60_000);
    expect(body.edge.lastDataAt).toBe(newestDataAt);
  });

  it('reports a live uplink and a newer live value', async () => {
    const presence = uplinkPresenceKey(fixture.redisPrefix, ctx.siteId);
    const lastValues = siteLastValuesKey(fixture.redisPrefix, ctx.siteId);
    await fixture.redis.set(presence, 'test-instance', 'EX', 30);
    await fixture.redis.hset(lastValues, 'grid-meter.W', JSON.stringify({ point: 'grid-meter.W', ts: Date.now(), value: 1600, quality: 'uncertain' }));
    try {
      const { body } = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/sites/${ctx.siteId}/summary`);
      expect(body.edge.connected).toBe(true);
      expect(body.kpis.gridPowerW).toEqual({ value: 1600, quality: 'uncertain' });
      expect(body.kpis.consumptionW).toEqual({ value: 5600, quality: 'uncertain' });
    } finally {
      await fixture.redis.del(presence, lastValues);
    }
  });

  it('is not found for callers without access', async () => {
    for (const token of [ctx.tokens.member, ctx.outsiderToken]) {
      expect((await call(fixture.app, token, 'GET', `/api/sites/${ctx.siteId}/summary`)).status).toBe(404);
    }
    expect((await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/sites/${ctx.otherSiteId}/summary`)).status).toBe(404);
    expect((await call(fixture.app, ctx.tokens.viewer, 'GET', '/api/sites/not-a-uuid/summary')).status).toBe(404);
  });

  it('summarizes a site without data', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.org_admin, 'GET', `/api/sites/${ctx.otherSiteId}/summary`);
    expect(status).toBe(200);
    expect(body.kpis).toEqual({
      gridPowerW: { value: null, quality: null },
      pvPowerW: { value: null, quality: null },
      consumptionW: { value: null, quality: null },
      consumptionSource: null,
      energyToday: { consumedWh: null, pvWh: null, gridImportWh: null },
    });
    expect(body.devices).toEqual({ total: 0, online: 0, offline: 0, unknown: 0, statusAt: null, byDevice: {} });
    expect(body.edge).toEqual({ connected: false, lastContactAt: null, lastDataAt: null });
  });
});

describe('GET /api/site-summaries', () => {
  const names = (body: any) => body.sites.map((summary: any) => summary.site.name);

  it('lists only the sites each caller can open', async () => {
    const viewer = await call(fixture.app, ctx.tokens.viewer, 'GET', '/api/site-summaries');
    expect(viewer.status).toBe(200);
    expect(names(viewer.body)).toEqual(['Plant A']);
    expect(viewer.body.total).toBe(1);
    expect(viewer.body.sites[0].kpis.gridPowerW.value).toBe(1500);

    const member = await call(fixture.app, ctx.tokens.member, 'GET', '/api/site-summaries');
    expect(member.body).toEqual({ sites: [], total: 0 });

    const orgAdmin = await call(fixture.app, ctx.tokens.org_admin, 'GET', '/api/site-summaries');
    expect(names(orgAdmin.body)).toEqual(['Plant A', 'Plant B']);
    const outsider = await call(fixture.app, ctx.outsiderToken, 'GET', '/api/site-summaries');
    expect(names(outsider.body)).toEqual(['Foreign']);
  });

  it('orders platform admins by organization and site name', async () => {
    const { body } = await call(fixture.app, ctx.tokens.platform_admin, 'GET', '/api/site-summaries');
    expect(names(body)).toEqual(['Plant A', 'Plant B', 'Foreign']);
    expect(body.total).toBe(3);
  });

  it('pages with limit and offset', async () => {
    const page = await call(fixture.app, ctx.tokens.platform_admin, 'GET', '/api/site-summaries?limit=1&offset=1');
    expect(names(page.body)).toEqual(['Plant B']);
    expect(page.body.total).toBe(3);
    expect((await call(fixture.app, ctx.tokens.platform_admin, 'GET', '/api/site-summaries?limit=0')).status).toBe(400);
    expect((await call(fixture.app, ctx.tokens.platform_admin, 'GET', '/api/site-summaries?limit=201')).status).toBe(400);
  });

  it('filters by organization the caller belongs to', async () => {
    const own = await call(fixture.app, ctx.tokens.org_admin, 'GET', `/api/site-summaries?organizationId=${ctx.organizationId}`);
    expect(names(own.body)).toEqual(['Plant A', 'Plant B']);
    const foreign = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/site-summaries?organizationId=${randomUUID()}`);
    expect(foreign.status).toBe(404);
  });
});

describe('GET /api/sites/{siteId}/points/latest', () => {
  it('returns the newest stored value of every point', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/sites/${ctx.siteId}/points/latest`);
    expect(status).toBe(200);
    expect(body.siteId).toBe(ctx.siteId);
    const points = body.points.map((entry: any) => entry.point);
    expect(points).toEqual(['grid-meter.W', 'grid-meter.ImpWh', 'pv.W', 'spare.temp', 'spare.idle', 'legacy.value']);
    const byPoint = Object.fromEntries(body.points.map((entry: any) => [entry.point, entry]));
    expect(byPoint['grid-meter.W']).toEqual({ point: 'grid-meter.W', unit: 'W', value: 1500, quality: 'good', ts: powerDataAt, source: 'rollup' });
    expect(byPoint['spare.temp']).toMatchObject({ value: 21.5, quality: 'stale', source: 'rollup' });
    expect(byPoint['spare.idle']).toEqual({ point: 'spare.idle', unit: '', value: null, quality: null, ts: null, source: null });
    expect(byPoint['legacy.value']).toMatchObject({ unit: '', value: 3, quality: 'stale' });
  });

  it('prefers a newer live sample and keeps its quality', async () => {
    const lastValues = siteLastValuesKey(fixture.redisPrefix, ctx.siteId);
    const ts = Date.now();
    await fixture.redis.hset(lastValues, {
      'pv.W': JSON.stringify({ point: 'pv.W', ts, value: null, quality: 'bad', reason: 'timeout' }),
      'grid-meter.W': JSON.stringify({ point: 'grid-meter.W', ts: powerDataAt - HOUR_MS, value: 1, quality: 'good' }),
      'spare.temp': 'not json',
    });
    try {
      const { body } = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/sites/${ctx.siteId}/points/latest`);
      const byPoint = Object.fromEntries(body.points.map((entry: any) => [entry.point, entry]));
      expect(byPoint['pv.W']).toEqual({ point: 'pv.W', unit: 'kW', value: null, quality: 'bad', ts, source: 'live' });
      expect(byPoint['grid-meter.W']).toMatchObject({ value: 1500, source: 'rollup' });
      expect(byPoint['spare.temp']).toMatchObject({ value: 21.5, source: 'rollup' });
    } finally {
      await fixture.redis.del(lastValues);
    }
  });

  it('is not found for callers without access', async () => {
    expect((await call(fixture.app, ctx.tokens.member, 'GET', `/api/sites/${ctx.siteId}/points/latest`)).status).toBe(404);
    expect((await call(fixture.app, ctx.outsiderToken, 'GET', `/api/sites/${ctx.siteId}/points/latest`)).status).toBe(404);
  });
});
