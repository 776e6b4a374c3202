import type { ChangeMessage, Row } from '@electric-sql/client';
import type { MeterRole } from '@simtestlab/sync';
import { resolveSiteConfig } from '../src/config/load';
import type { SiteConfig } from '../src/config/schema';
import type { Logger } from '../src/logger';
import type { EdgeRuntime } from '../src/runtime/edge-runtime';
import { applyShapeBatch } from '../src/sync/shape-store';

/**
 * The synthetic site of the energy report benchmark: 10 meters in Europe/Paris, each with a kWh
 * energy counter and a W power gauge, so 20 meter points with roles, placed under four hierarchy nodes.
 */
export const energyBenchSite = {
  timeZone: 'Europe/Paris',
  deviceCount: 10,
  currency: 'EUR',
} as const;

export const energyBenchPointCount = energyBenchSite.deviceCount * 2;

const counterRoles: readonly MeterRole[] = ['grid-import', 'grid-export', 'pv', 'consumption'];
const gaugeRoles: readonly MeterRole[] = ['pv', 'ev', 'consumption', 'battery', 'grid'];

const SITE_ID = '00000000-0000-4000-8000-000000000001';
/** Two buildings, each with one area. Device n is placed under node n % 4. */
const nodes = [
  { id: '00000000-0000-4000-8000-000000000101', parent_id: null, kind: 'building', name: 'Building A' },
  { id: '00000000-0000-4000-8000-000000000102', parent_id: null, kind: 'building', name: 'Building B' },
  { id: '00000000-0000-4000-8000-000000000103', parent_id: '00000000-0000-4000-8000-000000000101', kind: 'area', name: 'Workshop' },
  { id: '00000000-0000-4000-8000-000000000104', parent_id: '00000000-0000-4000-8000-000000000102', kind: 'area', name: 'Offices' },
] as const;

export function energyDeviceKey(index: number): string {
  return `meter-${String(index + 1).padStart(2, '0')}`;
}

/** Time-of-use import prices with a feed-in price and a 15 min demand charge, one virtual meter, in EUR. */
const energySettings = {
  currency: energyBenchSite.currency,
  tariffs: [
    {
      validFrom: '2020-01-01',
      tariff: {
        currency: energyBenchSite.currency,
        timeZone: energyBenchSite.timeZone,
        import: {
          kind: 'time-of-use',
          defaultPricePerKwh: 0.18,
          seasons: [
            {
              name: 'all year',
              from: '01-01',
              to: '12-31',
              periods: [
                { name: 'off-peak', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '06:00', pricePerKwh: 0.12 },
                { name: 'peak', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '20:00', pricePerKwh: 0.3 },
              ],
            },
          ],
        },
        export: { pricePerKwh: 0.07 },
        demand: { pricePerKw: 9.5, intervalMinutes: 15 },
      },
    },
  ],
  virtualMeters: [{ id: 'net_import', name: 'Net grid import', unit: 'kWh', formula: `{${energyDeviceKey(0)}.energyKwh} - {${energyDeviceKey(1)}.energyKwh}` }],
  gridEmissionFactorGPerKwh: 56,
};

/**
 * Builds the site file of the benchmark site. `pollIntervalMs` is the sample cadence the store is
 * written at. The devices are never polled, and nothing listens on port 1.
 */
export function energyBenchConfig(pollIntervalMs: number): SiteConfig {
  const devices = Array.from({ length: energyBenchSite.deviceCount }, (_, index) => ({
    key: energyDeviceKey(index),
    name: `Meter ${index + 1}`,
    driver: 'modbus-tcp',
    pollIntervalMs,
    connection: { host: '127.0.0.1', port: 1 },
    points: [
      { key: 'energyKwh', address: 0, unit: 'kWh', dataType: 'float64', kind: 'counter', role: counterRoles[index % counterRoles.length] },
      { key: 'powerW', address: 4, unit: 'W', dataType: 'float32', role: gaugeRoles[index % gaugeRoles.length] },
    ],
  }));
  return resolveSiteConfig({
    site: { id: SITE_ID, name: 'Energy bench site', timeZone: energyBenchSite.timeZone },
    // The stored periods lie months or years in the past, so retention keeps every tier for 10 years.
    storage: { commitIntervalMs: 10_000, retention: { rawDays: 3650, '1mDays': 3650, '15mDays': 3650, '1hDays': 3650, '1dDays': 3650 } },
    devices,
    energy: energySettings,
  });
}

/** Stores the hierarchy nodes and the device placements as the hub's shapes deliver them. */
export function syncEnergyBenchHierarchy(runtime: EdgeRuntime, logger: Logger): void {
  const change = (value: Record<string, unknown>): ChangeMessage<Row> => ({ key: `"${String(value.id)}"`, value: value as Row, headers: { operation: 'insert' } });
  const options = { handle: 'bench', refetch: false, logger };
  applyShapeBatch(runtime.db, 'site_nodes', nodes.map((node) => change({ ...node, site_id: SITE_ID })), { ...options, offset: '1_0' });
  const devices = runtime.config.devices.map((device, index) =>
    change({
      id: `00000000-0000-4000-8000-${String(200 + index).padStart(12, '0')}`,
      site_id: SITE_ID,
      node_id: nodes[index % nodes.length]!.id,
      key: device.key,
      driver: device.driver,
      // The hub's roles win for the devices it lists, so the synced rows carry the same roles as the site file.
      config: { roles: { ...Object.fromEntries(device.points.flatMap((point) => (point.role === undefined ? [] : [[point.key, point.role]]))), ...device.roles } },
    }),
  );
  applyShapeBatch(runtime.db, 'devices', devices, { ...options, offset: '2_0' });
}

const HOUR_MS = 3_600_000;

/**
 * Readings of device `index` at `ts`. The counter grows by 2 + `index` kWh an hour, so energy falls
 * into every tariff period, and the gauge follows a daily curve in W, 0 or more. `stepsSince` is the
 * number of samples since the first one.
 */
export function energyBenchReadings(index: number, ts: number, stepsSince: number, cadenceMs: number): { point: string; value: number; quality: 'good' }[] {
  const hourOfDay = ((ts + HOUR_MS) % (24 * HOUR_MS)) / HOUR_MS;
  const daily = Math.max(0, Math.sin(((hourOfDay - 6) / 24) * 2 * Math.PI));
  const kwhPerHour = 2 + index;
  const counter = 10_000 * (index + 1) + (stepsSince * kwhPerHour * cadenceMs) / HOUR_MS;
  return [
    { point: 'energyKwh', value: counter, quality: 'good' },
    { point: 'powerW', value: Math.round(1000 * (index + 1) * (0.2 + daily)), quality: 'good' },
  ];
}
