import { createServer } from 'node:net';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { requireAction } from '../../src/api/auth-guard';
import { siteSummaryRoutes, siteSummarySchema } from '../../src/api/routes/site-summary';
import { fileAlarmRulesSchema } from '../../src/config/schema';
import { createSilentLogger } from '../../src/logger';
import { startModbusServer, type RunningModbusServer } from '../../src/simulate/modbus/modbus-server';
import { bearer } from '../auth/auth-support';
import { createApiFixture, testSiteConfig, type ApiFixture } from './api-fixture';

let fixture: ApiFixture | undefined;
let modbus: RunningModbusServer | undefined;

afterEach(async () => {
  await fixture?.close();
  await modbus?.close();
  fixture = undefined;
  modbus = undefined;
});

const MINUTE_MS = 60_000;

/**
 * Builds a grid meter whose points set `role` themselves, and a PV inverter in kW whose roles come
 * from the device's `roles` map, as template and SunSpec points get them.
 */
function meteredDevices(ports: { meter: number; pv: number } = { meter: 15031, pv: 15032 }) {
  return [
    {
      key: 'meter',
      name: 'Grid meter',
      driver: 'modbus-tcp',
      pollIntervalMs: 10_000,
      connection: { host: '127.0.0.1', port: ports.meter },
      points: [
        { key: 'powerW', address: 0, unit: 'W', role: 'grid' },
        { key: 'importWh', address: 2, unit: 'Wh', dataType: 'uint32', kind: 'counter', role: 'grid' },
      ],
    },
    {
      key: 'pv',
      driver: 'modbus-tcp',
      pollIntervalMs: 10_000,
      connection: { host: '127.0.0.1', port: ports.pv },
      roles: { acPowerKw: 'pv', energyKwh: 'pv' },
      points: [
        { key: 'acPowerKw', address: 0, unit: 'kW' },
        { key: 'energyKwh', address: 2, unit: 'kWh', dataType: 'uint32', kind: 'counter' },
        { key: 'voltageV', address: 4, unit: 'V' },
      ],
    },
  ];
}

/** Mounts the summary route behind the read guard, as `createApp` does. */
function summaryApp(site: ApiFixture, now?: () => number) {
  const app = new Hono();
  app.use('/api/*', requireAction(site.auth, 'dashboard.view'));
  app.route('/api', siteSummaryRoutes(site.runtime, now === undefined ? {} : { now }));
  return app;
}

async function getSummary(site: ApiFixture, now?: () => number) {
  const response = await summaryApp(site, now).request('/api/site/summary', bearer(site.token));
  expect(response.status).toBe(200);
  return siteSummarySchema.parse(await response.json());
}

/** Feeds the meter and the inverter once a minute over [fromTs, toTs]: 10 Wh and 0.005 kWh of growth per minute. */
function feedCounters(site: ApiFixture, fromTs: number, toTs: number): void {
  for (let ts = fromTs, index = 0; ts <= toTs; ts += MINUTE_MS, index++) {
    site.runtime.ingest(site.device('meter'), ts, [{ point: 'powerW', value: 1500, quality: 'good' }, { point: 'importWh', value: 10_000 + 10 * index, quality: 'good' }], false);
    site.runtime.ingest(site.device('pv'), ts, [{ point: 'acPowerKw', value: 2, quality: 'good' }, { point: 'energyKwh', value: 500 + 0.005 * index, quality: 'good' }], false);
  }
}

describe('GET /api/site/summary KPIs', () => {
  it('computes power from role points', async () => {
    fixture = await createApiFixture(testSiteConfig({ devices: meteredDevices() }));
    const now = Date.now();
    fixture.runtime.ingest(fixture.device('meter'), now, [{ point: 'powerW', value: 1500, quality: 'good' }], false);
    fixture.runtime.ingest(fixture.device('pv'), now, [{ point: 'acPowerKw', value: 2.5, quality: 'good' }, { point: 'voltageV', value: 230, quality: 'good' }], false);

    const summary = await getSummary(fixture);

    expect(summary.site).toEqual({ id: 'api-test', name: 'API test site', timeZone: 'UTC' });
    expect(summary.kpis.gridPowerW).toEqual({ value: 1500, quality: 'good' });
    expect(summary.kpis.pvPowerW).toEqual({ value: 2500, quality: 'good' });
    expect(summary.kpis.consumptionW).toEqual({ value: 4000, quality: 'good' });
    expect(summary.kpis.consumptionSource).toBe('balance');
  });

  it('makes power null when a role point has no value', async () => {
    fixture = await createApiFixture(testSiteConfig({ devices: meteredDevices() }));
    fixture.runtime.ingest(fixture.device('meter'), Date.now(), [{ point: 'powerW', value: 1500, quality: 'good' }], false);

    const summary = await getSummary(fixture);

    expect(summary.kpis.pvPowerW).toEqual({ value: null, quality: 'bad' });
    expect(summary.kpis.consumptionW.value).toBeNull();
    expect(summary.kpis.energyToday).toEqual({ consumedWh: null, pvWh: null, gridImportWh: null });
  });

  it('reports stale power as stale', async () => {
    fixture = await createApiFixture(testSiteConfig({ devices: meteredDevices() }));
    const now = Date.now();
    fixture.runtime.ingest(fixture.device('meter'), now - 5 * MINUTE_MS, [{ point: 'powerW', value: 1500, quality: 'good' }], false);
    fixture.runtime.ingest(fixture.device('pv'), now, [{ point: 'acPowerKw', value: 1, quality: 'good' }], false);

    const summary = await getSummary(fixture, () => now);

    expect(summary.kpis.gridPowerW).toEqual({ value: 1500, quality: 'stale' });
    expect(summary.kpis.consumptionW).toEqual({ value: 2500, quality: 'stale' });
  });

  it('counts energy from local midnight on a daylight-saving day', async () => {
    // Europe/Paris springs forward on 2026-03-29: local midnight is 23:00 UTC the day before, and
    // noon local time is 10:00 UTC, so the local day so far lasts 11 hours.
    fixture = await createApiFixture(testSiteConfig({ devices: meteredDevices(), timeZone: 'Europe/Paris' }));
    const localMidnight = Date.UTC(2026, 2, 28, 23, 0);
    const now = Date.UTC(2026, 2, 29, 10, 0);
    feedCounters(fixture, localMidnight - 2 * 60 * MINUTE_MS, now);
    await fixture.runtime.commit();
    const storedDays = fixture.runtime.db.prepare('SELECT count(*) AS rows FROM rollup_1d WHERE bucket_start = ? AND delta IS NOT NULL').get(localMidnight) as { rows: number };

    const summary = await getSummary(fixture, () => now);

    expect(storedDays.rows).toBe(2);
    expect(summary.dayStart).toBe(localMidnight);
    expect(summary.kpis.energyToday.gridImportWh).toBeCloseTo(11 * 60 * 10, 6);
    expect(summary.kpis.energyToday.pvWh).toBeCloseTo(11 * 60 * 5, 6);
    expect(summary.kpis.energyToday.consumedWh).toBeCloseTo(11 * 60 * 15, 6);
  });

  it('counts samples not committed yet', async () => {
    fixture = await createApiFixture(testSiteConfig({ devices: meteredDevices(), timeZone: 'Asia/Kolkata' }));
    const now = Date.now();
    const first = await getSummary(fixture, () => now);
    const midnight = first.dayStart;
    const last = Math.max(now, midnight + MINUTE_MS);
    // Growth before midnight (100 Wh) belongs to yesterday; growth from midnight on (400 Wh) to today.
    for (const [ts, value] of [[midnight - 10 * MINUTE_MS, 1000], [midnight, 1100], [last, 1500]] as const) {
      fixture.runtime.ingest(fixture.device('meter'), ts, [{ point: 'importWh', value, quality: 'good' }], false);
    }
    const pending = fixture.runtime.writer.pendingCount;

    const summary = await getSummary(fixture, () => last);

    expect(pending).toBe(3);
    expect(new Date(midnight).getUTCMinutes()).toBe(30);
    expect(summary.kpis.energyToday.gridImportWh).toBeCloseTo(400, 6);
    expect(summary.kpis.energyToday.pvWh).toBeNull();
    expect(summary.kpis.energyToday.consumedWh).toBeNull();
  });
});

describe('GET /api/site/summary counts', () => {
  it('counts alarms by severity and acknowledgement', async () => {
    const alarms = fileAlarmRulesSchema.parse([
      { id: 'import-high', name: 'Import high', severity: 'warning', point: 'meter.powerW', condition: { type: 'high', limit: 100 } },
      { id: 'pv-low', name: 'PV low', severity: 'critical', point: 'pv.acPowerKw', condition: { type: 'low', limit: 1 } },
      { id: 'voltage-high', name: 'Voltage high', severity: 'info', point: 'pv.voltageV', condition: { type: 'high', limit: 250 } },
    ]);
    fixture = await createApiFixture({ ...testSiteConfig({ devices: meteredDevices() }), alarms });
    const feed = (device: string, point: string, value: number) => fixture!.runtime.ingest(fixture!.device(device), Date.now(), [{ point, value, quality: 'good' }], false);
    feed('meter', 'powerW', 150);
    feed('pv', 'acPowerKw', 0.5);
    feed('pv', 'voltageV', 230);
    const occurrence = fixture.runtime.alarms.get('import-high')!.occurrence!;
    const actor = { id: 'operator-1', name: 'Operator', role: 'operator' as const, developer: false, origin: 'edge' as const };
    const acknowledged = fixture.runtime.alarms.apply({ ruleId: 'import-high', action: 'acknowledge', body: { occurrence }, actor });

    const both = await getSummary(fixture);
    feed('pv', 'acPowerKw', 3);
    const afterClear = await getSummary(fixture);

    expect(acknowledged.ok).toBe(true);
    expect(both.alarms).toEqual({ active: { total: 2, info: 0, warning: 1, critical: 1 }, unacknowledged: 1 });
    // The cleared PV alarm still waits for an acknowledgement.
    expect(afterClear.alarms).toEqual({ active: { total: 1, info: 0, warning: 1, critical: 0 }, unacknowledged: 1 });
  });

  it('counts devices by status', async () => {
    modbus = await startModbusServer({
      port: 0,
      units: new Map([[1, { holdingRegisters: () => new Map([[0, 1500], [1, 0], [2, 0], [3, 10]]) }]]),
      logger: createSilentLogger(),
    });
    const closedPort = await unusedPort();
    const devices = [
      {
        key: 'online',
        driver: 'modbus-tcp',
        pollIntervalMs: 200,
        connection: { host: '127.0.0.1', port: modbus.port, timeoutMs: 500 },
        points: [{ key: 'powerW', address: 0, unit: 'W', dataType: 'uint16' }],
      },
      {
        // Address 40 is not mapped, so every read of it ends in an exception: online with a bad point.
        key: 'partly-bad',
        driver: 'modbus-tcp',
        pollIntervalMs: 200,
        connection: { host: '127.0.0.1', port: modbus.port, timeoutMs: 500 },
        points: [{ key: 'missing', address: 40, unit: 'W', dataType: 'uint16' }],
      },
      { key: 'unreachable', driver: 'modbus-tcp', pollIntervalMs: 200, connection: { host: '127.0.0.1', port: closedPort, timeoutMs: 500 }, points: [{ key: 'powerW', address: 0 }] },
      { key: 'spare', driver: 'modbus-tcp', enabled: false, connection: { host: '127.0.0.1', port: closedPort }, points: [{ key: 'powerW', address: 0 }] },
    ];
    fixture = await createApiFixture(testSiteConfig({ devices }), { startPollers: true });

    const summary = await waitFor(() => getSummary(fixture!), (body) => body.devices.online === 2 && body.devices.offline === 1, 10_000);

    expect(summary.devices).toEqual({ total: 4, online: 2, offline: 1, unknown: 0, disabled: 1, withBadPoints: 2 });
  });

  it('counts enabled devices without a poller as unknown', async () => {
    fixture = await createApiFixture(testSiteConfig({ devices: meteredDevices() }));

    const summary = await getSummary(fixture);

    expect(summary.devices).toEqual({ total: 2, online: 0, offline: 0, unknown: 2, disabled: 0, withBadPoints: 0 });
  });

  it('leaves points the device does not implement out of bad points', async () => {
    fixture = await createApiFixture(testSiteConfig({ devices: meteredDevices() }));
    const now = Date.now();
    fixture.runtime.ingest(fixture.device('meter'), now, [{ point: 'powerW', value: null, quality: 'bad', reason: 'not_implemented' }], false);
    fixture.runtime.ingest(fixture.device('pv'), now, [{ point: 'voltageV', value: null, quality: 'bad', reason: 'timeout' }], false);

    const summary = await getSummary(fixture);

    expect(summary.devices.withBadPoints).toBe(1);
  });
});

describe('GET /api/site/summary hierarchy', () => {
  it('lists devices without nodes on an unpaired edge', async () => {
    fixture = await createApiFixture(testSiteConfig({ devices: meteredDevices() }));

    const summary = await getSummary(fixture);

    expect(summary.hierarchy).toEqual({
      nodes: [],
      devices: [
        { key: 'meter', name: 'Grid meter', nodeId: null },
        { key: 'pv', name: 'pv', nodeId: null },
      ],
    });
  });

  it('places devices under synced nodes', async () => {
    fixture = await createApiFixture(testSiteConfig({ devices: meteredDevices() }));
    const { db } = fixture.runtime;
    const addNode = db.prepare('INSERT INTO cloud_site_nodes (id, site_id, parent_id, kind, name) VALUES (?, ?, ?, ?, ?)');
    addNode.run('node-building', 'site-1', null, 'building', 'Main building');
    addNode.run('node-pv', 'site-1', 'node-building', 'system', 'Rooftop PV');
    const addDevice = db.prepare("INSERT INTO cloud_devices (id, site_id, node_id, key, driver, config) VALUES (?, 'site-1', ?, ?, 'modbus-tcp', '{}')");
    addDevice.run('device-pv', 'node-pv', 'pv');
    // The meter names a node that has not synced yet, so it counts as not placed.
    addDevice.run('device-meter', 'node-late', 'meter');

    const summary = await getSummary(fixture);

    expect(summary.hierarchy.nodes).toEqual([
      { id: 'node-building', parentId: null, kind: 'building', name: 'Main building' },
      { id: 'node-pv', parentId: 'node-building', kind: 'system', name: 'Rooftop PV' },
    ]);
    expect(summary.hierarchy.devices).toEqual([
      { key: 'meter', name: 'Grid meter', nodeId: null },
      { key: 'pv', name: 'pv', nodeId: 'node-pv' },
    ]);
  });
});

describe('GET /api/site/summary access', () => {
  it('requires a token', async () => {
    fixture = await createApiFixture(testSiteConfig({ devices: meteredDevices() }));

    const response = await summaryApp(fixture).request('/api/site/summary');

    expect(response.status).toBe(401);
  });
});

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Returns a loopback port that nothing listens on: the OS picks it and the probe closes it again. */
function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
