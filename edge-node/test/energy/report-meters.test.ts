import { defaultSiteEnergySettings, modbusPointSchema, periodRange, reportRowWindow } from '@simtestlab/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { loadReportMeters, siteMeterPoints } from '../../src/energy/report-meters';
import { buildSiteEnergyReport } from '../../src/energy/site-energy-report';
import { createEnergySite, energySiteConfig, feedReadings, readingsEvery, type EnergySite } from './support/energy-site';

let site: EnergySite | undefined;

afterEach(async () => {
  await site?.close();
  site = undefined;
});

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_START = Date.UTC(2026, 4, 4);
const day = periodRange('day', DAY_START + 12 * HOUR_MS, 'UTC');

const BUILDING_ID = '0f6b8a41-2f2c-4c3e-9d7e-6a3c1b2d4e5f';
const MISSING_NODE_ID = '3a9d2c10-5b7e-4f61-8e2a-1c4d5e6f7a8b';

/**
 * A meter whose point sets role `grid` and whose `roles` map makes it `grid-import`, a point without a
 * role, and a heat pump meter with a `consumption` power point.
 */
const devices = [
  {
    key: 'meter',
    name: 'Main meter',
    driver: 'modbus-tcp',
    pollIntervalMs: 60_000,
    connection: { host: '127.0.0.1', port: 15031 },
    roles: { importWh: 'grid-import' },
    points: [
      { key: 'importWh', name: 'Import', address: 0, unit: 'Wh', dataType: 'uint32', kind: 'counter', role: 'grid' },
      { key: 'voltageV', address: 2, unit: 'V' },
      { key: 'reactiveVar', address: 4, unit: 'var' },
    ],
  },
  {
    key: 'heatpump',
    driver: 'modbus-tcp',
    pollIntervalMs: 60_000,
    connection: { host: '127.0.0.1', port: 15032 },
    points: [{ key: 'powerW', address: 0, unit: 'W', role: 'consumption' }],
  },
  {
    key: 'boiler',
    driver: 'modbus-tcp',
    pollIntervalMs: 60_000,
    connection: { host: '127.0.0.1', port: 15033 },
    points: [{ key: 'powerW', address: 0, unit: 'W', role: 'consumption' }],
  },
];

const active = (virtualMeters: { id: string; name: string; unit: 'Wh' | 'W'; formula: string }[] = []) => ({
  currency: null,
  settings: { ...defaultSiteEnergySettings, virtualMeters },
  source: 'site-file' as const,
});

describe('siteMeterPoints', () => {
  it('takes a role from the roles map first', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));

    const roles = Object.fromEntries(siteMeterPoints(site.runtime.config.devices, site.runtime.registry).map(({ point, role }) => [point.key, role]));

    expect(roles).toEqual({
      'meter.importWh': 'grid-import',
      'meter.voltageV': null,
      'meter.reactiveVar': null,
      'heatpump.powerW': 'consumption',
      'boiler.powerW': 'consumption',
    });
  });

  it('leaves out points of devices not in the site file', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));
    site.runtime.registry.registerPoints('removed', [modbusPointSchema.parse({ key: 'powerW', address: 0, unit: 'W', role: 'pv' })], 60_000);

    const keys = siteMeterPoints(site.runtime.config.devices, site.runtime.registry).map(({ point }) => point.key);

    expect(site.runtime.registry.get('removed.powerW')).toBeDefined();
    expect(keys).not.toContain('removed.powerW');
  });
});

describe('counter rollover values', () => {
  it('come from the configured data type', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));
    // A counter found by discovery: the store has its rollover value, but the hub has no scale for it.
    site.runtime.registry.registerPoints('meter', [modbusPointSchema.parse({ key: 'discoveredWh', address: 8, unit: 'Wh', dataType: 'uint32', kind: 'counter' })], 60_000);

    const points = siteMeterPoints(site.runtime.config.devices, site.runtime.registry).map((entry) => ({ ...entry, nodeId: null }));
    const rolloverAt = Object.fromEntries(loadReportMeters(site.runtime.history, points, day).map((meter) => [meter.id, meter.rolloverAt]));

    expect(rolloverAt['meter.importWh']).toBe(2 ** 32);
    expect(rolloverAt['heatpump.powerW']).toBeUndefined();
    expect(site.runtime.registry.get('meter.discoveredWh')!.rolloverAt).toBe(2 ** 32);
    expect(rolloverAt['meter.discoveredWh']).toBeUndefined();
  });
});

describe('buildSiteEnergyReport meters', () => {
  it('reads role points and the points virtual meters name', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));

    const plain = buildSiteEnergyReport(site.runtime, active(), day);
    const withVirtual = buildSiteEnergyReport(site.runtime, active([{ id: 'reactive', name: 'Reactive', unit: 'W', formula: '{meter.reactiveVar}' }]), day);

    expect(plain.meters.map((meter) => meter.id).sort()).toEqual(['boiler.powerW', 'heatpump.powerW', 'meter.importWh']);
    expect(withVirtual.meters.map((meter) => meter.id).sort()).toEqual(['boiler.powerW', 'heatpump.powerW', 'meter.importWh', 'meter.reactiveVar']);
  });

  it('places meters at the nodes of their synced devices', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));
    site.sync('site_nodes', [{ id: BUILDING_ID, site_id: 's1', parent_id: null, kind: 'building', name: 'Main building' }]);
    site.sync('devices', [
      { id: 'd-heatpump', site_id: 's1', node_id: BUILDING_ID, key: 'heatpump', driver: 'modbus-tcp', config: { roles: { powerW: 'consumption' } } },
      { id: 'd-boiler', site_id: 's1', node_id: MISSING_NODE_ID, key: 'boiler', driver: 'modbus-tcp', config: { roles: { powerW: 'consumption' } } },
    ]);

    const report = buildSiteEnergyReport(site.runtime, active(), day);
    const nodeIds = Object.fromEntries(report.meters.map((meter) => [meter.id, meter.nodeId]));

    expect(nodeIds).toEqual({ 'meter.importWh': null, 'heatpump.powerW': BUILDING_ID, 'boiler.powerW': null });
    expect(report.hierarchy.nodes.map((node) => [node.id, node.meterIds])).toEqual([[BUILDING_ID, ['heatpump.powerW']]]);
  });
});

describe('loadReportMeters', () => {
  it('maps the rollup rows of the window', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));
    // 1 kW from 01:30 to 02:30, one reading a minute, and one reading before the window starts.
    await feedReadings(site, 'heatpump', {
      powerW: [{ ts: DAY_START - 3 * HOUR_MS, value: 5 }, ...readingsEvery(DAY_START + 90 * MINUTE_MS, DAY_START + 150 * MINUTE_MS, MINUTE_MS, () => 1000)],
    });
    const points = siteMeterPoints(site.runtime.config.devices, site.runtime.registry)
      .filter(({ point }) => point.key === 'heatpump.powerW')
      .map((entry) => ({ ...entry, nodeId: null }));

    const [meter] = loadReportMeters(site.runtime.history, points, day);
    const window = reportRowWindow(day);

    expect(window.resolution).toBe('15m');
    expect(window.from).toBeGreaterThan(DAY_START - 3 * HOUR_MS);
    expect(meter).toMatchObject({ id: 'heatpump.powerW', device: 'heatpump', name: 'heatpump powerW', role: 'consumption', unit: 'W', kind: 'gauge', nodeId: null });
    expect(meter!.rows).toHaveLength(4);
    expect(meter!.rows[0]).toEqual({
      start: DAY_START + 90 * MINUTE_MS,
      end: DAY_START + 105 * MINUTE_MS,
      count: 15,
      sum: 15_000,
      last: 1000,
      lastTs: DAY_START + 104 * MINUTE_MS,
    });
  });

  it('includes buckets not committed yet', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));
    const meter = site.device('meter');
    for (let minute = 0; minute < 20; minute++) {
      site.runtime.ingest(meter, DAY_START + minute * MINUTE_MS, [{ point: 'importWh', value: 1000 + 5 * minute, quality: 'good' }], false);
    }
    const points = siteMeterPoints(site.runtime.config.devices, site.runtime.registry)
      .filter(({ point }) => point.key === 'meter.importWh')
      .map((entry) => ({ ...entry, nodeId: null }));

    const pending = loadReportMeters(site.runtime.history, points, day)[0]!.rows;
    await site.runtime.commit();
    const committed = loadReportMeters(site.runtime.history, points, day)[0]!.rows;

    expect(pending).toEqual([
      { start: DAY_START, end: DAY_START + 15 * MINUTE_MS, count: 15, sum: 15 * 1000 + 5 * 105, last: 1070, lastTs: DAY_START + 14 * MINUTE_MS },
      { start: DAY_START + 15 * MINUTE_MS, end: DAY_START + 30 * MINUTE_MS, count: 5, sum: 5 * 1000 + 5 * 85, last: 1095, lastTs: DAY_START + 19 * MINUTE_MS },
    ]);
    expect(committed).toEqual(pending);
  });
});

const SITE_ID = '7c1e4b2a-9d3f-4a5e-8b6c-0d1e2f3a4b5c';
const HUB_DEVICE_IDS = {
  meter: '1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b',
  heatpump: '2c3d4e5f-6071-4829-9bac-1d2e3f4a5b6c',
  pv: '3d4e5f60-7182-493a-acbd-2e3f4a5b6c7d',
} as const;

/** The test devices plus a PV inverter whose site file gives its point no role. */
const devicesWithPv = [...devices, { key: 'pv', driver: 'modbus-tcp', pollIntervalMs: 60_000, connection: { host: '127.0.0.1', port: 15034 }, points: [{ key: 'acPowerW', address: 0, unit: 'W' }] }];

/** A synced `devices` row of the hub with the given config. */
const hubDevice = (key: keyof typeof HUB_DEVICE_IDS, config: Record<string, unknown> = {}) => ({ id: HUB_DEVICE_IDS[key], site_id: SITE_ID, node_id: null, key, driver: 'modbus-tcp', config });

let pointIdSequence = 0;
/** A synced `points` row of the hub. Its config has no `role` when `role` is undefined. */
const hubPoint = (device: keyof typeof HUB_DEVICE_IDS, key: string, role?: unknown) => ({
  id: `4e5f6071-8293-4a4b-8cde-${String(++pointIdSequence).padStart(12, '0')}`,
  site_id: SITE_ID,
  device_id: HUB_DEVICE_IDS[device],
  key,
  position: 0,
  config: { key, address: 0, unit: 'W', ...(role === undefined ? {} : { role }) },
});

const reportRoles = (report: ReturnType<typeof buildSiteEnergyReport>) => Object.fromEntries(report.meters.map((meter) => [meter.id, meter.role]));
const roleWarnings = (target: EnergySite) => target.logLines.filter((line) => line.level === 40 && line.msg.includes('synced meter role'));

describe('meter roles synced from the hub', () => {
  it('uses a role that only the synced point sets', async () => {
    site = await createEnergySite(energySiteConfig({ devices: devicesWithPv, timeZone: 'UTC' }));
    const before = reportRoles(buildSiteEnergyReport(site.runtime, active(), day));
    site.sync('devices', [hubDevice('pv')]);
    site.sync('points', [hubPoint('pv', 'acPowerW', 'pv')]);

    const after = reportRoles(buildSiteEnergyReport(site.runtime, active(), day));

    expect(before['pv.acPowerW']).toBeUndefined();
    expect(after['pv.acPowerW']).toBe('pv');
  });

  it("takes the hub's roles map over its point role and the site file's role", async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));
    site.sync('devices', [hubDevice('meter', { roles: { importWh: 'grid-export', voltageV: null } })]);
    site.sync('points', [hubPoint('meter', 'importWh', 'grid'), hubPoint('meter', 'reactiveVar', 'consumption')]);

    const report = reportRoles(buildSiteEnergyReport(site.runtime, active(), day));

    expect(report['meter.importWh']).toBe('grid-export');
    // A null map entry falls back to the point's own role, which the synced reactiveVar point sets.
    expect(report['meter.reactiveVar']).toBe('consumption');
    expect(report['meter.voltageV']).toBeUndefined();
  });

  it('leaves a listed device without roles where the hub sets none', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));
    site.sync('devices', [hubDevice('heatpump')]);
    site.sync('points', [hubPoint('heatpump', 'powerW')]);

    const report = reportRoles(buildSiteEnergyReport(site.runtime, active(), day));

    expect(report['heatpump.powerW']).toBeUndefined();
    expect(report['meter.importWh']).toBe('grid-import');
  });

  it('keeps the site file roles of a device the hub does not list', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));
    site.sync('devices', [hubDevice('meter', { roles: { importWh: 'grid-export' } })]);

    const report = reportRoles(buildSiteEnergyReport(site.runtime, active(), day));

    expect(report).toEqual({ 'meter.importWh': 'grid-export', 'heatpump.powerW': 'consumption', 'boiler.powerW': 'consumption' });
  });

  it('ignores and logs a synced role that is not a meter role', async () => {
    site = await createEnergySite(energySiteConfig({ devices: devicesWithPv, timeZone: 'UTC' }));
    site.sync('devices', [hubDevice('meter', { roles: { importWh: 'grid-imprt' } }), hubDevice('pv')]);
    site.sync('points', [hubPoint('meter', 'importWh', 'grid-import'), hubPoint('pv', 'acPowerW', 42)]);

    const report = reportRoles(buildSiteEnergyReport(site.runtime, active(), day));
    const warnings = roleWarnings(site);

    // The invalid map entry hides the point's valid role, as the hub's COALESCE of the two does.
    expect(report['meter.importWh']).toBeUndefined();
    expect(report['pv.acPowerW']).toBeUndefined();
    expect(report['heatpump.powerW']).toBe('consumption');
    expect(warnings.map(({ device, point, role }) => ({ device, point, role }))).toEqual([
      { device: 'meter', point: 'importWh', role: 'grid-imprt' },
      { device: 'pv', point: 'acPowerW', role: 42 },
    ]);
    expect(warnings[0]!.msg).toContain('"grid-imprt"');
    expect(warnings[0]!.msg).toContain('meter.importWh');
  });
});
