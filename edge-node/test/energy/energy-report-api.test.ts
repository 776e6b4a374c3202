import { energyReportSchema, type EnergyReport } from '@simtestlab/sync';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { requireAction } from '../../src/api/auth-guard';
import { energyRoutes } from '../../src/api/routes/energy';
import { createEnergySite, energySiteConfig, feedReadings, readingsEvery, type EnergySite } from './support/energy-site';

let site: EnergySite | undefined;

afterEach(async () => {
  await site?.close();
  site = undefined;
});

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const PARIS = 'Europe/Paris';

/** 2026-01-15 in Paris (UTC+1): local midnight is 23:00 UTC the day before. */
const DAY_START = Date.UTC(2026, 0, 14, 23);
const DAY_END = DAY_START + 24 * HOUR_MS;

/**
 * A grid meter whose import counter sets its role itself, and a PV inverter whose power point gets its
 * role from the device's `roles` map.
 */
const devices = [
  {
    key: 'grid',
    name: 'Grid meter',
    driver: 'modbus-tcp',
    pollIntervalMs: 60_000,
    connection: { host: '127.0.0.1', port: 15031 },
    points: [{ key: 'importWh', name: 'Grid import', address: 0, unit: 'Wh', dataType: 'uint32', kind: 'counter', role: 'grid-import' }],
  },
  {
    key: 'pv',
    driver: 'modbus-tcp',
    pollIntervalMs: 60_000,
    connection: { host: '127.0.0.1', port: 15032 },
    roles: { acPowerW: 'pv' },
    points: [{ key: 'acPowerW', address: 0, unit: 'W' }],
  },
];

const flatTariff = {
  currency: 'EUR',
  tariffs: [{ validFrom: '2026-01-01', tariff: { currency: 'EUR', timeZone: PARIS, import: { kind: 'flat', pricePerKwh: 0.25 } } }],
};

/** Minutes since local midnight in Paris, for instants of a day without a daylight-saving change. */
const localMinute = (ts: number, dayStart: number) => (((ts - dayStart) % (24 * HOUR_MS)) + 24 * HOUR_MS) % (24 * HOUR_MS) / MINUTE_MS;

/**
 * Feeds one reading a minute over [from, to). The import counter grows 10 Wh a minute (600 W) from
 * 06:00 to 22:00 local time and is flat at night. PV produces 1200 W from 08:00 to 16:00 and 0 W
 * otherwise. Both are flat at each midnight, so a day's totals do not depend on how the counter's
 * growth around midnight is split.
 */
async function feedDays(target: EnergySite, from: number, to: number): Promise<void> {
  const importedMinutes = (ts: number) => {
    const daysBefore = Math.floor((ts - from) / (24 * HOUR_MS));
    const today = Math.min(Math.max(localMinute(ts, from) - 6 * 60, 0), 16 * 60);
    return daysBefore * 16 * 60 + today;
  };
  await feedReadings(target, 'grid', { importWh: readingsEvery(from, to, MINUTE_MS, (ts) => 50_000 + 10 * importedMinutes(ts)) });
  await feedReadings(target, 'pv', {
    acPowerW: readingsEvery(from, to, MINUTE_MS, (ts) => {
      const minute = localMinute(ts, from);
      return minute >= 8 * 60 && minute < 16 * 60 ? 1200 : 0;
    }),
  });
}

async function getReport(target: EnergySite, query: string, token?: string): Promise<EnergyReport> {
  const response = await target.get(`/api/energy/report?${query}`, token);
  const body = (await response.json()) as unknown;
  expect(response.status, JSON.stringify(body)).toBe(200);
  return energyReportSchema.parse(body);
}

async function getError(target: EnergySite, path: string): Promise<{ status: number; error: { code: string; message: string; parameter?: string } }> {
  const response = await target.get(path);
  const body = (await response.json()) as { error: { code: string; message: string; parameter?: string } };
  return { status: response.status, error: body.error };
}

describe('GET /api/energy/report', () => {
  it('reports a day from a counter and a power meter', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS, energy: flatTariff }));
    await feedDays(site, DAY_START - 24 * HOUR_MS, DAY_END);

    const report = await getReport(site, 'period=day&date=2026-01-15');

    expect(report.period).toEqual({ kind: 'day', start: DAY_START, end: DAY_END, from: '2026-01-15', to: '2026-01-15', hours: 24 });
    expect(report.resolution).toBe('1h');
    expect(report.sourceResolution).toBe('15m');
    expect(report.buckets).toHaveLength(24);
    expect(report.totals.gridImportWh).toBeCloseTo(16 * 600, 6);
    expect(report.totals.pvWh).toBeCloseTo(8 * 1200, 6);
    expect(report.totals.consumptionWh).toBeCloseTo(16 * 600 + 8 * 1200, 6);
    expect(report.consumptionSource).toBe('balance');
    expect(report.buckets[12]).toMatchObject({ start: DAY_START + 12 * HOUR_MS, end: DAY_START + 13 * HOUR_MS });
    expect(report.buckets[12]!.gridImportWh).toBeCloseTo(600, 6);
    expect(report.buckets[12]!.pvWh).toBeCloseTo(1200, 6);
    expect(report.buckets[3]!.gridImportWh).toBeCloseTo(0, 6);
    expect(report.buckets[3]!.pvWh).toBeCloseTo(0, 6);
  });

  it('lists the meters with their roles and methods', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS, energy: flatTariff }));
    await feedDays(site, DAY_START - 24 * HOUR_MS, DAY_END);

    const report = await getReport(site, 'period=day&date=2026-01-15');
    const meters = new Map(report.meters.map((meter) => [meter.id, meter]));

    expect([...meters.keys()].sort()).toEqual(['grid.importWh', 'pv.acPowerW']);
    expect(meters.get('grid.importWh')).toMatchObject({ device: 'grid', name: 'Grid import', role: 'grid-import', unit: 'Wh', nodeId: null, method: 'counter' });
    expect(meters.get('grid.importWh')!.energyWh).toBeCloseTo(9600, 6);
    expect(meters.get('pv.acPowerW')).toMatchObject({ device: 'pv', name: 'pv acPowerW', role: 'pv', unit: 'W', method: 'power-integration' });
    expect(meters.get('pv.acPowerW')!.energyWh).toBeCloseTo(9600, 6);
  });

  it('prices the import and compares with the previous day', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS, energy: flatTariff }));
    await feedDays(site, DAY_START - 24 * HOUR_MS, DAY_END);

    const report = await getReport(site, 'period=day&date=2026-01-15');

    expect(report.cost?.currency).toBe('EUR');
    expect(report.cost?.importCost).toBeCloseTo(9.6 * 0.25, 9);
    expect(report.previous?.period).toMatchObject({ kind: 'day', from: '2026-01-14', to: '2026-01-14', hours: 24 });
    expect(report.previous?.totals.gridImportWh).toBeCloseTo(9600, 6);
    expect(report.previous?.totals.pvWh).toBeCloseTo(9600, 6);
    expect(report.previous?.netCost).toBeCloseTo(2.4, 9);
  });

  it('gives a daylight-saving day 23 hourly buckets', async () => {
    // Europe/Paris springs forward on 2026-03-29: the day runs from 23:00 UTC on the 28th to 22:00 UTC
    // on the 29th. The import runs from 01:00 CET (00:00 UTC) to 05:00 CEST (03:00 UTC), three real hours.
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS }));
    const dayStart = Date.UTC(2026, 2, 28, 23);
    const dayEnd = Date.UTC(2026, 2, 29, 22);
    const importFrom = Date.UTC(2026, 2, 29, 0);
    const importTo = Date.UTC(2026, 2, 29, 3);
    const importWh = (ts: number) => 10 * (Math.min(Math.max(ts, importFrom), importTo) - importFrom) / MINUTE_MS;
    await feedReadings(site, 'grid', { importWh: readingsEvery(dayStart - 2 * HOUR_MS, dayEnd, MINUTE_MS, importWh) });

    const hourly = await getReport(site, 'period=day&date=2026-03-29');
    const quarterHours = await getReport(site, 'period=day&date=2026-03-29&resolution=15m');

    expect(hourly.period).toMatchObject({ start: dayStart, end: dayEnd, hours: 23 });
    expect(hourly.buckets).toHaveLength(23);
    expect(hourly.buckets.map((bucket) => bucket.start)).toEqual(Array.from({ length: 23 }, (_, i) => dayStart + i * HOUR_MS));
    // The report reads one counter reading per quarter hour, the last of its 15-minute rollup (at :14,
    // :29, ...), and splits the growth between two readings in proportion to time. From 23:59 to 00:14
    // UTC the counter grows 140 Wh, and the minute before 00:00 UTC gets 1/15 of it. From 02:59 to
    // 03:14 UTC it grows 10 Wh, and the 14 minutes after 03:00 UTC get 14/15 of it.
    const beforeStartWh = 140 / 15;
    const afterEndWh = (10 * 14) / 15;
    const expectedWh = [beforeStartWh, 600 - beforeStartWh, 600, 600 - afterEndWh, afterEndWh];
    hourly.buckets.slice(0, 5).forEach((bucket, i) => expect(bucket.gridImportWh, `bucket ${i}`).toBeCloseTo(expectedWh[i]!, 6));
    expect(hourly.buckets.slice(5).every((bucket) => bucket.gridImportWh === 0)).toBe(true);
    expect(hourly.totals.gridImportWh).toBeCloseTo(1800, 6);
    expect(quarterHours.buckets).toHaveLength(92);
    expect(quarterHours.totals.gridImportWh).toBeCloseTo(1800, 6);
  });

  it('includes samples not committed yet', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS }));
    const pv = site.device('pv');
    for (let ts = DAY_START + 10 * HOUR_MS; ts < DAY_START + 11 * HOUR_MS; ts += MINUTE_MS) {
      site.runtime.ingest(pv, ts, [{ point: 'acPowerW', value: 3000, quality: 'good' }], false);
    }
    const pending = site.runtime.writer.pendingCount;

    const report = await getReport(site, 'period=day&date=2026-01-15');

    expect(pending).toBe(60);
    expect(report.totals.pvWh).toBeCloseTo(3000, 6);
  });

  it('defaults the date to today in the site zone', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'Pacific/Kiritimati' }));
    // 2026-01-15T12:00Z is already 2026-01-16 02:00 in Kiritimati (UTC+14).
    const app = new Hono();
    app.use('/api/*', requireAction(site.auth, 'dashboard.view'));
    app.route('/api', energyRoutes(site.runtime, { now: () => Date.UTC(2026, 0, 15, 12) }));

    const response = await app.request('/api/energy/report?period=week', { headers: { Authorization: `Bearer ${site.tokens.viewer}` } });
    const report = energyReportSchema.parse(await response.json());

    expect(response.status).toBe(200);
    expect(report.period).toMatchObject({ kind: 'week', from: '2026-01-12', to: '2026-01-18', hours: 168 });
    expect(report.resolution).toBe('1d');
    expect(report.buckets).toHaveLength(7);
  });
});

describe('GET /api/energy/report errors', () => {
  const cases: [string, string, string, RegExp][] = [
    ['an unknown period', 'period=fortnight&date=2026-01-15', 'period', /day, week, month, year, custom/],
    ['a missing period', 'date=2026-01-15', 'period', /day, week, month, year, custom/],
    ['an impossible date', 'period=day&date=2026-02-30', 'date', /invalid calendar date/],
    ['a date in another form', 'period=day&date=15.01.2026', 'date', /YYYY-MM-DD/],
    ['a custom period without from', 'period=custom&to=2026-01-20', 'from', /from as YYYY-MM-DD/],
    ['a custom period that ends first', 'period=custom&from=2026-01-20&to=2026-01-10', 'to', /before from/],
    ['an unknown resolution', 'period=day&resolution=5m', 'resolution', /15m, 1h, 1d, 1mo/],
  ];

  it.each(cases)('rejects %s', async (_name, query, parameter, message) => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS }));

    const { status, error } = await getError(site, `/api/energy/report?${query}`);

    expect(status).toBe(400);
    expect(error.code).toBe('invalid_parameter');
    expect(error.parameter).toBe(parameter);
    expect(error.message).toMatch(message);
  });

  it('rejects a resolution too fine for the period', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS }));

    const { status, error } = await getError(site, '/api/energy/report?period=year&date=2026-01-15&resolution=15m');

    expect(status).toBe(400);
    expect(error.code).toBe('invalid_parameter');
    expect(error.message).toMatch(/resolution 15m is finer than the 1h rollups/);
    expect(error.parameter).toBe('resolution');
  });

  it('rejects a custom period over 366 days', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS }));

    const { status, error } = await getError(site, '/api/energy/report?period=custom&from=2025-01-01&to=2026-01-15');

    expect(status).toBe(400);
    expect(error.message).toMatch(/^custom period from 2025-01-01 to 2026-01-15 spans 380 local days, more than the maximum of 366/);
    expect(error.parameter).toBe('to');
  });
});

describe('energy routes access', () => {
  it('lets a viewer read the report and the settings', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS }));

    const report = await site.get('/api/energy/report?period=day&date=2026-01-15', site.tokens.viewer);
    const settings = await site.get('/api/energy/settings', site.tokens.viewer);

    expect(report.status).toBe(200);
    expect(settings.status).toBe(200);
  });

  it('requires a token', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS }));

    const responses = await Promise.all(
      ['/api/energy/report?period=day&date=2026-01-15', '/api/energy/report.csv?table=buckets&period=day', '/api/energy/settings'].map((path) => site!.app.request(path)),
    );

    expect(responses.map((response) => response.status)).toEqual([401, 401, 401]);
  });
});

describe('GET /api/energy/report.csv', () => {
  it('sends a table to an operator as an attachment', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS, energy: flatTariff }));
    await feedDays(site, DAY_START - 24 * HOUR_MS, DAY_END);

    const response = await site.get('/api/energy/report.csv?table=buckets&period=day&date=2026-01-15', site.tokens.operator);
    const records = (await response.text()).trimEnd().split('\r\n');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="energy-energy-test-buckets-day-2026-01-15.csv"');
    expect(records).toHaveLength(25);
    expect(records[0]).toContain('grid_import_kwh');
    expect(records[13]).toContain('2026-01-15T12:00:00+01:00');
    expect(records[13]).toContain(',0.600,');
  });

  it('names both days of a custom period in the file name', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS }));

    const response = await site.get('/api/energy/report.csv?table=meters&period=custom&from=2026-01-10&to=2026-01-15', site.tokens.operator);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="energy-energy-test-meters-custom-2026-01-10_2026-01-15.csv"');
  });

  it('lets the local admin export', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS }));

    const response = await site.get('/api/energy/report.csv?table=meters&period=day&date=2026-01-15', site.tokens.admin);

    expect(response.status).toBe(200);
  });

  it('rejects a viewer', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS }));

    const response = await site.get('/api/energy/report.csv?table=buckets&period=day&date=2026-01-15', site.tokens.viewer);
    const body = (await response.json()) as { error: { code: string; message: string } };

    expect(response.status).toBe(403);
    expect(body.error.code).toBe('forbidden');
    expect(body.error.message).toContain('report.export');
  });

  it('rejects an unknown table, naming the tables', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: PARIS }));

    const { status, error } = await getError(site, '/api/energy/report.csv?table=totals&period=day&date=2026-01-15');

    expect(status).toBe(400);
    expect(error.parameter).toBe('table');
    expect(error.message).toMatch(/buckets/);
  });
});
