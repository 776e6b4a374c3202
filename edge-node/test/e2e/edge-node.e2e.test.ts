import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample, SamplesMessage } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSiteConfig } from '../../src/config/load';
import { createSilentLogger } from '../../src/logger';
import { startEdgeNode, type RunningEdgeNode } from '../../src/runtime/start-edge-node';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/simulate/embedded-broker';
import { startSimulator, type RunningSimulator } from '../../src/simulate/simulators';
import { createLocalAdmin } from '../../src/auth/local-admin';
import { bearer, loginOverHttp, TEST_ADMIN } from '../auth/auth-support';
import { LiveTestClient } from '../live/live-test-client';

/**
 * The whole edge node against the shipped simulators: a SunSpec inverter and an SDM630 meter on
 * Modbus TCP, and the FLEXLAB weather station on an embedded MQTT broker, all on 127.0.0.1 with
 * free ports. Replays run at 60x from noon, so a new data set minute arrives every second.
 */

const SPEED = 60;
const NOON_OFFSET_MS = 12 * 3_600_000;
const POLL_INTERVAL_MS = 500;

let dataDir: string;
let broker: EmbeddedBroker;
const simulators: RunningSimulator[] = [];
let node: RunningEdgeNode;
let client: LiveTestClient;
let token: string;

const portOf = (simulator: RunningSimulator) => Number(simulator.endpoint.split(':').at(-1));

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${node.url}${path}`, bearer(token));
  if (response.status !== 200) throw new Error(`GET ${path} returned ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Collects samples from the live client until every point in `points` has `distinctValues` values. */
async function collectUntilChanged(points: readonly string[], distinctValues: number, timeoutMs: number): Promise<Map<string, Sample[]>> {
  const byPoint = new Map<string, Sample[]>(points.map((point) => [point, []]));
  const changed = () => points.every((point) => new Set(byPoint.get(point)!.map((sample) => sample.value)).size >= distinctValues);
  const deadline = Date.now() + timeoutMs;
  const timedOut = () => {
    const summary = points.map((point) => `${point}: ${byPoint.get(point)!.map((sample) => sample.value).join(' ')}`).join('; ');
    return new Error(`values did not change within ${timeoutMs} ms: ${summary}`);
  };
  while (!changed()) {
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) throw timedOut();
    const frame = await client.nextOfType('samples', remainingMs).catch(() => undefined);
    if (frame === undefined) throw timedOut();
    for (const sample of frame.samples) byPoint.get(sample.point)?.push(sample);
  }
  return byPoint;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'edge-e2e-'));
  broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
  const replay = { speed: SPEED, startOffsetMs: NOON_OFFSET_MS };
  simulators.push(await startSimulator('sunspec-inverter', { port: 0, ...replay }));
  simulators.push(await startSimulator('sdm630', { port: 0, ...replay }));
  simulators.push(await startSimulator('mqtt-weather', { brokerUrl: broker.url, site: 'e2e', ...replay }));
  const [inverter, meter] = simulators;

  const config = resolveSiteConfig({
    site: { id: 'e2e-site', name: 'End-to-end site', timeZone: 'Europe/Paris' },
    mqtt: { url: broker.url },
    storage: { commitIntervalMs: 200 },
    devices: [
      { key: 'pv', driver: 'modbus-tcp', template: 'sunspec', pollIntervalMs: POLL_INTERVAL_MS, connection: { host: '127.0.0.1', port: portOf(inverter!), unitId: 1, timeoutMs: 1000 } },
      { key: 'submeter', driver: 'modbus-tcp', template: 'eastron-sdm630', pollIntervalMs: POLL_INTERVAL_MS, connection: { host: '127.0.0.1', port: portOf(meter!), unitId: 1, timeoutMs: 1000 } },
      {
        key: 'weather',
        driver: 'mqtt',
        pollIntervalMs: 1000,
        points: [
          { key: 'outdoor_temp', topic: 'simtestlab/e2e/weather', path: 'oat_C', unit: 'C', dataType: 'float64' },
          { key: 'global_irradiance', topic: 'simtestlab/e2e/weather', path: 'irradiance.global_Wm2', unit: 'W/m2', dataType: 'float64' },
        ],
      },
    ],
  });
  await createLocalAdmin(dataDir, { ...TEST_ADMIN, replace: false, actorId: 'e2e-test' });
  node = await startEdgeNode({ config, dataDir, port: 0, logger: createSilentLogger() });
  token = await loginOverHttp(node.url);

  // Subscribe at once, before SunSpec discovery has named the inverter's points.
  client = await LiveTestClient.connect(`${node.url.replace('http', 'ws')}/ws`, { token });
  await client.nextOfType('hello');
  client.send({ type: 'subscribe', devices: ['pv', 'submeter', 'weather'] });
}, 60_000);

afterAll(async () => {
  await client?.close();
  await node?.stop();
  for (const simulator of simulators) await simulator.stop();
  await broker?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

describe('edge node end to end', () => {
  it('accepts device subscriptions before discovery', async () => {
    const subscribed = await client.nextOfType('subscribed');

    expect(subscribed.unknown).toEqual([]);
  });

  it('streams values that change', { timeout: 30_000 }, async () => {
    const points = ['pv.m103.W', 'pv.m103.PhVphA', 'submeter.total_power', 'submeter.l1_voltage', 'weather.outdoor_temp'];

    const byPoint = await collectUntilChanged(points, 3, 25_000);

    for (const point of points) {
      const samples = byPoint.get(point)!;
      expect(samples.every((sample) => sample.quality === 'good'), `quality of ${point}`).toBe(true);
      expect(samples.every((sample) => typeof sample.value === 'number' && Number.isFinite(sample.value)), `values of ${point}`).toBe(true);
      const timestamps = samples.map((sample) => sample.ts);
      expect(timestamps, `timestamps of ${point}`).toEqual([...timestamps].sort((a, b) => a - b));
    }
    expect(client.invalidFrames).toEqual([]);
  });

  it('shows last values with good quality', async () => {
    const { points } = await getJson<{ points: Array<{ id: string; value: unknown; quality: string | null; ts: number | null }> }>('/api/points');
    const byId = new Map(points.map((point) => [point.id, point]));

    for (const id of ['pv.m103.W', 'pv.m1.SN', 'submeter.total_power', 'weather.outdoor_temp']) {
      const point = byId.get(id);
      expect(point, id).toBeDefined();
      expect(point!.quality, `quality of ${id}`).toBe('good');
      expect(Date.now() - point!.ts!, `age of ${id}`).toBeLessThan(10_000);
    }
    expect(byId.get('pv.m1.SN')!.value).toBe('PECOS-SYS1');
    expect(typeof byId.get('pv.m103.W')!.value).toBe('number');
  });

  it('reports the devices online', async () => {
    const { devices } = await getJson<{ devices: Array<{ key: string; status: string; stats: { polls: number } }> }>('/api/devices');
    const health = await getJson<{ status: string; devices: { total: number; online: number } }>('/api/health');

    expect(devices.map((device) => [device.key, device.status])).toEqual([
      ['pv', 'online'],
      ['submeter', 'online'],
      ['weather', 'online'],
    ]);
    expect(health.status).toBe('ok');
    expect(health.devices).toMatchObject({ total: 3, online: 3 });
  });

  it('stores history', async () => {
    // Commits run every 200 ms; wait for one more before reading.
    await new Promise((resolve) => setTimeout(resolve, 400));

    const raw = await getJson<{ rows: Array<{ ts: number; value: number; quality: string }> }>('/api/points/submeter.total_power/history');
    const minutes = await getJson<{ rows: Array<{ count: number; open: boolean }> }>('/api/points/submeter.total_power/history?resolution=1m');
    const csv = await (await fetch(`${node.url}/api/points/pv.m103.W/history.csv`, bearer(token))).text();

    expect(raw.rows.length).toBeGreaterThanOrEqual(3);
    expect(raw.rows.every((row) => row.quality === 'good')).toBe(true);
    expect(minutes.rows.length).toBeGreaterThanOrEqual(1);
    expect(minutes.rows.reduce((total, row) => total + row.count, 0)).toBeGreaterThanOrEqual(raw.rows.length);
    expect(csv.trimEnd().split('\n').length).toBeGreaterThanOrEqual(4);
  });

  it('marks a stopped meter offline, then online', { timeout: 30_000 }, async () => {
    const meter = simulators[1]!;
    const port = portOf(meter);

    await meter.stop();
    const offline = await client.next((message) => message.type === 'device-status' && message.device === 'submeter' && message.status === 'offline', 10_000);
    const badFrame = await client.next(
      (message): message is SamplesMessage =>
        message.type === 'samples' && message.samples.some((sample) => sample.point === 'submeter.total_power' && sample.quality === 'bad'),
      5000,
    );
    const badSample = badFrame.samples.find((sample) => sample.point === 'submeter.total_power');
    const offlineHealth = await getJson<{ status: string; devices: { offline: string[] } }>('/api/health');
    simulators[1] = await startSimulator('sdm630', { port, speed: SPEED, startOffsetMs: NOON_OFFSET_MS });
    const online = await client.next((message) => message.type === 'device-status' && message.device === 'submeter' && message.status === 'online', 20_000);
    const { events } = await getJson<{ events: Array<{ status: string }> }>('/api/devices/submeter/events');

    expect(offline).toMatchObject({ type: 'device-status', device: 'submeter', status: 'offline' });
    expect(badSample).toMatchObject({ value: null, quality: 'bad', reason: 'connection' });
    expect(offlineHealth).toMatchObject({ status: 'degraded', devices: { offline: ['submeter'] } });
    expect(online).toMatchObject({ type: 'device-status', device: 'submeter', status: 'online' });
    expect(events.map((event) => event.status).slice(0, 3)).toEqual(['online', 'offline', 'online']);
  });

  it('exposes poll metrics', async () => {
    const text = await (await fetch(`${node.url}/metrics`)).text();

    expect(text).toMatch(/^edge_device_online\{device="pv"\} 1$/m);
    expect(text).toMatch(/^edge_ws_clients 1$/m);
    const stored = Number(/^edge_samples_stored_total (\d+)$/m.exec(text)?.[1]);
    expect(stored).toBeGreaterThan(10);
  });
});
