import { readSiteDocument } from './edge-config';
import { DEMO_SITE_FILE } from './paths';
import { spareUdpPort } from './ports';
import type { RunningSimulator, SimulatorKind } from './simulators';

/*
 * The site file of the stack's edge node: the devices and alarm rules of the demo site
 * (edge-node/sites/demo-site.yaml) whose simulators run, pointed at the simulators' ports and polled
 * faster, plus alarm rules that are active soon after the start.
 */

/** A site file as `edge-node start --config` reads it (JSON is valid YAML). Fields follow docs/site-config.md. */
export interface SiteFile {
  site: { id: string; name: string; timeZone: string };
  mqtt?: { url: string };
  storage?: Record<string, unknown>;
  cloud?: Record<string, unknown>;
  devices: Record<string, unknown>[];
  alarms?: Record<string, unknown>[];
}

/** Settings of the generated site file. */
export interface SiteFileSettings {
  siteId: string;
  siteName: string;
  pollIntervalMs: number;
  brokerUrl: string;
  /** Site id in the weather station's MQTT topics, `simtestlab/<mqttSite>/...`. */
  mqttSite: string;
}

/** The simulator that serves each device of the demo site. */
const simulatorOfDevice: Record<string, SimulatorKind> = {
  'pv-inverter-1': 'sunspec-inverter',
  'pv-inverter-2': 'sunspec-inverter',
  'grid-meter': 'sunspec-meter',
  'house-submeter': 'sdm630',
  weather: 'mqtt-weather',
  ahu: 'bacnet-ahu',
};

/** The demo's weather topics start with this; the stack replaces `flexlab` with its own MQTT site id. */
const DEMO_TOPIC_PREFIX = 'simtestlab/flexlab/';

type Json = Record<string, unknown>;

function asObject(value: unknown, location: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${DEMO_SITE_FILE}: expected an object at ${location}, got ${JSON.stringify(value)}`);
  return value as Json;
}

/** Points the device's connection at its simulator and sets the stack's poll interval. */
async function retarget(device: Json, simulator: RunningSimulator, settings: SiteFileSettings): Promise<Json> {
  const connection = asObject(device.connection, `device ${String(device.key)}.connection`);
  const result: Json = { ...device, pollIntervalMs: settings.pollIntervalMs };
  switch (simulator.kind) {
    case 'mqtt-weather': {
      const points = Array.isArray(device.points) ? device.points.map((point) => asObject(point, `device ${String(device.key)}.points`)) : [];
      result.points = points.map((point) => ({
        ...point,
        ...(typeof point.topic === 'string' ? { topic: point.topic.replace(DEMO_TOPIC_PREFIX, `simtestlab/${settings.mqttSite}/`) } : {}),
      }));
      return result;
    }
    case 'bacnet-ahu':
      // The edge's BACnet client needs its own UDP port: on one host it must not share the device's.
      result.connection = { ...connection, address: `${simulator.host}:${simulator.port}`, localAddress: '127.0.0.1', localPort: await spareUdpPort() };
      return result;
    default:
      result.connection = { ...connection, host: simulator.host, port: simulator.port };
      return result;
  }
}

/** Returns the device key an alarm rule watches: the device of its point, or of its device_offline condition. */
function deviceOfRule(rule: Json): string | undefined {
  if (typeof rule.point === 'string') return rule.point.split('.')[0];
  const condition = asObject(rule.condition, `alarm ${String(rule.id)}.condition`);
  return typeof condition.device === 'string' ? condition.device : undefined;
}

/**
 * Alarm rules that raise within seconds of the start, so alarm pages and acknowledgement tests have
 * an active alarm: the replayed zone is always warmer than 5 °C, and the outdoor air warmer than -40 °C.
 */
function quickAlarms(deviceKeys: Set<string>): Json[] {
  const alarms: Json[] = [];
  if (deviceKeys.has('ahu')) {
    alarms.push({ id: 'zone-above-5c', name: 'Zone above 5 °C', severity: 'warning', point: 'ahu.zone_temp', condition: { type: 'high', limit: 5, deadband: 0.5 } });
  }
  if (deviceKeys.has('weather')) {
    alarms.push({ id: 'outdoor-above-minus-40c', name: 'Outdoor air above -40 °C', severity: 'info', point: 'weather.outdoor_temp', condition: { type: 'high', limit: -40 } });
  }
  return alarms;
}

/** Builds the site file from the demo site for the running simulators. */
export async function buildSiteFile(simulators: RunningSimulator[], settings: SiteFileSettings): Promise<SiteFile> {
  const demo = asObject(await readSiteDocument(DEMO_SITE_FILE), 'the top level');
  const demoDevices = Array.isArray(demo.devices) ? demo.devices.map((device, index) => asObject(device, `devices[${index}]`)) : [];
  const devices: Json[] = [];
  for (const device of demoDevices) {
    const key = String(device.key);
    const kind = simulatorOfDevice[key];
    if (kind === undefined) throw new Error(`the demo site's device "${key}" has no simulator in the end-to-end harness; add it to simulatorOfDevice in edge-site.ts`);
    const simulator = simulators.find((running) => running.kind === kind);
    if (simulator !== undefined) devices.push(await retarget(device, simulator, settings));
  }
  const deviceKeys = new Set(devices.map((device) => String(device.key)));
  const demoAlarms = Array.isArray(demo.alarms) ? demo.alarms.map((rule, index) => asObject(rule, `alarms[${index}]`)) : [];
  const alarms = demoAlarms.filter((rule) => deviceKeys.has(deviceOfRule(rule) ?? ''));
  return {
    site: { id: settings.siteId, name: settings.siteName, timeZone: 'Europe/Paris' },
    mqtt: { url: settings.brokerUrl },
    storage: { commitIntervalMs: 500 },
    devices,
    alarms: [...alarms, ...quickAlarms(deviceKeys)],
  };
}
