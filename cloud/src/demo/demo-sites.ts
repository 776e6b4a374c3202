import { deviceSchema, type Device } from '@simtestlab/sync';

/*
 * The demo organization and its two sites as `cloud seed-demo` creates them on the hub. The devices
 * repeat the keys, drivers, connections and meter roles of the edges' site files
 * (edge-node/sites/demo-site.yaml for site A, demo-site-b.yaml for site B), because the hub has no
 * YAML reader and no template registry. Points of template and SunSpec devices are left out: the
 * edge sends them to the hub in its point catalog once it runs. A test in demo/test compares these
 * devices with the site files.
 */

/** Name of the organization the demo creates. */
export const DEMO_ORGANIZATION_NAME = 'Demo Energy';

/** A demo site: its key (used in file names such as `<key>.pairing-code`), its hub settings and devices. */
export interface DemoSite {
  key: 'demo-site-a' | 'demo-site-b';
  name: string;
  timeZone: string;
  devices: Device[];
}

const HOST = '127.0.0.1';

/** Builds a SunSpec device, whose points the edge discovers. */
function sunspecDevice(key: string, name: string, port: number, unitId: number, roles: Record<string, string>): Device {
  const connection = { host: HOST, port, unitId, timeoutMs: 1000 };
  return deviceSchema.parse({ key, name, driver: 'modbus-tcp', connection, pollIntervalMs: 5000, roles, sunspec: {} });
}

/** Builds the Eastron SDM630 sub-meter. Its points and its limit of 80 registers per read come from the edge's template. */
function sdm630Device(port: number): Device {
  const connection = { host: HOST, port, unitId: 1, timeoutMs: 1000, maxBlockRegisters: 80 };
  const roles = { total_power: 'consumption', import_energy: 'consumption' };
  return deviceSchema.parse({ key: 'house-submeter', name: 'House sub-meter (Eastron SDM630)', driver: 'modbus-tcp', connection, pollIntervalMs: 5000, roles });
}

function ahuDevice(bacnetPort: number, clientPort: number, name: string): Device {
  return deviceSchema.parse({
    key: 'ahu',
    name,
    driver: 'bacnet',
    connection: { deviceInstance: 2001, address: `${HOST}:${bacnetPort}`, localAddress: HOST, localPort: clientPort, apduTimeoutMs: 1000, retries: 1, covLifetimeS: 300 },
    pollIntervalMs: 10_000,
  });
}

const weatherTopic = 'simtestlab/flexlab/weather';

const weatherStation = deviceSchema.parse({
  key: 'weather',
  name: 'Weather station (FLEXLAB)',
  driver: 'mqtt',
  connection: { staleAfterS: 180 },
  pollIntervalMs: 10_000,
  points: [
    { key: 'outdoor_temp', name: 'Outdoor air temperature', topic: weatherTopic, path: 'oat_C', unit: 'C', dataType: 'float64' },
    { key: 'global_irradiance', name: 'Global horizontal irradiance', topic: weatherTopic, path: 'irradiance.global_Wm2', unit: 'W/m2', dataType: 'float64' },
    { key: 'diffuse_irradiance', name: 'Diffuse horizontal irradiance', topic: weatherTopic, path: 'irradiance.diffuse_Wm2', unit: 'W/m2', dataType: 'float64' },
    { key: 'pv_power', name: 'PV generation (scaled to the test cell)', topic: 'simtestlab/flexlab/pv', path: 'pv_generation_scaled_W', unit: 'W', dataType: 'float64' },
  ],
});

const pvRoles = { 'm103.W': 'pv', 'm103.WH': 'pv' };
const gridRoles = { 'm203.W': 'grid', 'm203.TotWhImp': 'grid', 'm203.TotWhExp': 'grid-export' };

/** The two demo sites, in the order the demo prints them. */
export const DEMO_SITES: readonly DemoSite[] = [
  {
    key: 'demo-site-a',
    name: 'Demo Site A',
    timeZone: 'Europe/Berlin',
    devices: [
      sunspecDevice('pv-inverter-1', 'PV inverter 1 (pecos system 1)', 15502, 1, pvRoles),
      sunspecDevice('pv-inverter-2', 'PV inverter 2 (pecos system 2)', 15502, 2, pvRoles),
      sunspecDevice('grid-meter', 'Grid meter (UCI household)', 15503, 1, gridRoles),
      sdm630Device(15504),
      weatherStation,
      ahuDevice(47809, 47810, 'Air handler (FLEXLAB cell A)'),
    ],
  },
  {
    key: 'demo-site-b',
    name: 'Demo Site B',
    timeZone: 'America/Los_Angeles',
    devices: [
      sunspecDevice('pv-inverter', 'PV inverter (pecos system 1)', 15512, 1, pvRoles),
      sunspecDevice('grid-meter', 'Grid meter (UCI household)', 15513, 1, gridRoles),
      sdm630Device(15514),
      ahuDevice(47819, 47820, 'Air handler (FLEXLAB cell A)'),
    ],
  },
];
