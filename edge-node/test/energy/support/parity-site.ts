import type { Device } from '@simtestlab/sync';
import { resolveSiteConfig } from '../../../src/config/load';
import type { SiteConfig } from '../../../src/config/schema';

/** The site's zone: 2026-03-29 is its 23-hour day, when clocks jump from 02:00 to 03:00. */
export const SITE_TIME_ZONE = 'Europe/Paris';
/** The name the hub fixture gives the seeded site. */
export const SITE_NAME = 'Plant A';
export const CURRENCY = 'EUR';

/**
 * Nothing listens on port 1 of the loopback address, so the pollers of the running edge node fail to
 * connect. Whatever they record carries the current time, after the fed days.
 */
const UNREACHABLE = { host: '127.0.0.1', port: 1 };

/** Point ids (`device.point`) of the meters the scenario feeds. */
export const POINTS = {
  gridImport: 'grid.importKwh',
  gridExport: 'grid.exportKwh',
  pv: 'pv.acPowerW',
  consumption: 'loads.energyWh',
} as const;

/**
 * The site's devices in the shared device model, sent as they are to the hub's device API and written
 * into the edge's site configuration, so both sides know the same meters. One reading a minute, so a
 * minute between samples is no gap.
 */
export const PARITY_DEVICES = {
  grid: {
    key: 'grid',
    name: 'Grid meter',
    driver: 'modbus-tcp',
    pollIntervalMs: 60_000,
    connection: UNREACHABLE,
    points: [
      { key: 'importKwh', name: 'Grid import', address: 0, unit: 'kWh', dataType: 'float64', kind: 'counter', role: 'grid-import' },
      { key: 'exportKwh', name: 'Grid export', address: 4, unit: 'kWh', dataType: 'float64', kind: 'counter', role: 'grid-export' },
    ],
  },
  pv: {
    key: 'pv',
    name: 'PV inverter',
    driver: 'modbus-tcp',
    pollIntervalMs: 60_000,
    connection: UNREACHABLE,
    // No name, as in many site files, so each side derives the meter's name in the report.
    points: [{ key: 'acPowerW', address: 0, unit: 'W', dataType: 'float32', role: 'pv' }],
  },
  loads: {
    key: 'loads',
    name: 'Building loads',
    driver: 'modbus-tcp',
    pollIntervalMs: 60_000,
    connection: UNREACHABLE,
    points: [{ key: 'energyWh', name: 'Consumption', address: 0, unit: 'Wh', dataType: 'float64', kind: 'counter', role: 'consumption' }],
  },
} satisfies Record<string, Record<string, unknown>>;

export type ParityDeviceKey = keyof typeof PARITY_DEVICES;

/** The building node the hub places the `loads` device under. */
export const BUILDING_NAME = 'Main building';

/** Every day of the week, for time-of-use periods that apply daily. */
const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Import prices per kWh of the time-of-use tariff, by local wall-clock period. */
export const PRICES = { peak: 0.3, offPeak: 0.12, default: 0.18, feedIn: 0.07, demandPerKw: 9.5 } as const;

/** Grams of CO2 per kWh imported. */
export const EMISSION_FACTOR_G_PER_KWH = 56;

/**
 * The site's energy settings as a site manager saves them in the hub. The one time-of-use tariff is in
 * the organization's currency: peak 08:00 to 20:00, off-peak 00:00 to 06:00 and the default price
 * between, with a feed-in price and a demand charge. An emission factor and one virtual meter follow.
 */
export const PARITY_ENERGY_SETTINGS = {
  tariffs: [
    {
      validFrom: '2026-01-01',
      tariff: {
        currency: CURRENCY,
        timeZone: SITE_TIME_ZONE,
        import: {
          kind: 'time-of-use',
          defaultPricePerKwh: PRICES.default,
          seasons: [
            {
              name: 'all year',
              from: '01-01',
              to: '12-31',
              periods: [
                { name: 'off-peak', days: EVERY_DAY, from: '00:00', to: '06:00', pricePerKwh: PRICES.offPeak },
                { name: 'peak', days: EVERY_DAY, from: '08:00', to: '20:00', pricePerKwh: PRICES.peak },
              ],
            },
          ],
        },
        export: { pricePerKwh: PRICES.feedIn },
        demand: { pricePerKw: PRICES.demandPerKw, intervalMinutes: 15 },
      },
    },
  ],
  virtualMeters: [{ id: 'net_import', name: 'Net grid import', unit: 'kWh', formula: `${POINTS.gridImport} - ${POINTS.gridExport}` }],
  gridEmissionFactorGPerKwh: EMISSION_FACTOR_G_PER_KWH,
  nightWindow: { fromHour: 0, toHour: 5 },
};

/**
 * Builds the edge's site configuration for the hub's site: the same id, name, zone and devices, uploads
 * without a rate limit and a short idle wait, so the test drains the outbox quickly. It has no `energy`
 * section, so the edge reads its energy settings only from the synced shape.
 */
export function paritySiteConfig(siteId: string): SiteConfig {
  return resolveSiteConfig({
    site: { id: siteId, name: SITE_NAME, timeZone: SITE_TIME_ZONE },
    storage: { commitIntervalMs: 10_000 },
    cloud: { upload: { maxRowsPerSecond: 0, idleIntervalMs: 100 } },
    devices: Object.values(PARITY_DEVICES),
  });
}

/** Returns the configured device `key` of `config`, for feeding readings through the runtime. */
export function configuredDevice(config: SiteConfig, key: ParityDeviceKey): Device {
  const device = config.devices.find((candidate) => candidate.key === key);
  if (device === undefined) throw new Error(`device "${key}" is missing from the parity site configuration`);
  return device;
}
