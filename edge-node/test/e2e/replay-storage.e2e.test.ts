import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSiteConfig } from '../../src/config/load';
import { createSilentLogger } from '../../src/logger';
import { startEdgeNode, type RunningEdgeNode } from '../../src/runtime/start-edge-node';
import type { DatasetRow } from '../../src/simulate/datasets/delimited-text';
import { FLEXLAB_AHU_DEVICE_INSTANCE } from '../../src/simulate/bacnet/flexlab-ahu';
import { startSimulator, type RunningSimulator } from '../../src/simulate/simulators';
import type { RawHistoryRow } from '../../src/store/history';
import { requireSharedBroker, SHARED_BROKER_URL, uniqueTestId } from '../simulate/mqtt-test-broker';

/**
 * Every shipped data file replayed through its simulator (Modbus TCP, MQTT, BACnet/IP), polled by a
 * real edge node and read back
 * from its database: each stored value equals the source value after the device's scaling. The UCI
 * replay starts ten minutes before its two missing minutes (11:23 and 11:24), five seconds at 120x, which must be stored
 * as bad samples with the meter offline, then online again.
 */

const SPEED = 120;
const ROW_MS = 60_000 / SPEED;
const POLL_INTERVAL_MS = 100;
/** A value is compared with the rows served from this long before the edge stamped it. */
const SERVE_WINDOW_MS = 250;
const RUN_MS = 9_000;
const MINUTE_MS = 60_000;
/** UDP ports of the BACnet device and the edge's client: they must differ, and no other test file uses them. */
const BACNET_DEVICE_PORT = 25950;
const BACNET_CLIENT_PORT = 25951;
const site = uniqueTestId('replay');

let dataDir: string;
let node: RunningEdgeNode;
const simulators = new Map<string, RunningSimulator>();

const portOf = (simulator: RunningSimulator) => Number(simulator.endpoint.split(':').at(-1));

function modbusDevice(key: string, template: string, simulator: string, unitId = 1) {
  return {
    key,
    driver: 'modbus-tcp',
    template,
    pollIntervalMs: POLL_INTERVAL_MS,
    connection: { host: '127.0.0.1', port: portOf(simulators.get(simulator)!), unitId, timeoutMs: 200 },
  };
}

beforeAll(async () => {
  await requireSharedBroker();
  dataDir = mkdtempSync(join(tmpdir(), 'edge-replay-'));
  simulators.set('meter', await startSimulator('sunspec-meter', { port: 0, speed: SPEED, startOffsetMs: (11 * 60 + 13) * MINUTE_MS }));
  simulators.set('sdm630', await startSimulator('sdm630', { port: 0, speed: SPEED, startOffsetMs: 12 * 60 * MINUTE_MS }));
  simulators.set('inverter', await startSimulator('sunspec-inverter', { port: 0, speed: SPEED, startOffsetMs: 11 * 60 * MINUTE_MS }));
  simulators.set('weather', await startSimulator('mqtt-weather', { brokerUrl: SHARED_BROKER_URL, site, speed: SPEED, startOffsetMs: 12 * 60 * MINUTE_MS }));
  simulators.set('ahu', await startSimulator('bacnet-ahu', { port: BACNET_DEVICE_PORT, speed: SPEED, startOffsetMs: 9 * 60 * MINUTE_MS }));

  const config = resolveSiteConfig({
    site: { id: 'replay', name: 'Replay check', timeZone: 'Europe/Paris' },
    mqtt: { url: SHARED_BROKER_URL },
    storage: { commitIntervalMs: 100 },
    devices: [
      modbusDevice('grid', 'sunspec', 'meter'),
      modbusDevice('submeter', 'eastron-sdm630', 'sdm630'),
      modbusDevice('pv1', 'sunspec', 'inverter', 1),
      modbusDevice('pv2', 'sunspec', 'inverter', 2),
      {
        key: 'ahu',
        driver: 'bacnet',
        template: 'flexlab-ahu',
        pollIntervalMs: POLL_INTERVAL_MS,
        connection: {
          deviceInstance: FLEXLAB_AHU_DEVICE_INSTANCE,
          address: `127.0.0.1:${BACNET_DEVICE_PORT}`,
          localPort: BACNET_CLIENT_PORT,
          apduTimeoutMs: 300,
          retries: 0,
        },
      },
      {
        key: 'weather',
        driver: 'mqtt',
        pollIntervalMs: 1000,
        points: [
          { key: 'oat', topic: `simtestlab/${site}/weather`, path: 'oat_C', unit: 'C', dataType: 'float64' },
          { key: 'pv', topic: `simtestlab/${site}/pv`, path: 'pv_generation_scaled_W', unit: 'W', dataType: 'float64' },
        ],
      },
    ],
  });
  node = await startEdgeNode({ config, dataDir, port: 0, logger: createSilentLogger() });
  await new Promise((resolve) => setTimeout(resolve, RUN_MS));
  await node.runtime.commit();
}, 60_000);

afterAll(async () => {
  await node?.stop();
  for (const simulator of simulators.values()) await simulator.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

function stored(pointId: string): RawHistoryRow[] {
  const point = node.runtime.registry.get(pointId);
  if (!point) throw new Error(`point ${pointId} was never registered`);
  return node.runtime.history.raw(point.id, 0, Date.now() + 1, 100_000);
}

/** Source rows the simulator served between `ts - SERVE_WINDOW_MS` and `ts`. */
function rowsServedBefore(simulator: string, ts: number): DatasetRow[] {
  const replay = simulators.get(simulator)!.replay;
  const rows: DatasetRow[] = [];
  for (let at = ts - SERVE_WINDOW_MS; at <= ts; at += ROW_MS / 4) {
    const row = replay.frame(at).row;
    if (row && !rows.includes(row)) rows.push(row);
  }
  const last = replay.frame(ts).row;
  if (last && !rows.includes(last)) rows.push(last);
  return rows;
}

/** Returns the power of ten a SunSpec scale-factor point held when the value was stored. */
function scaleStep(scaleFactorPoint: string): number {
  const factors = stored(scaleFactorPoint).filter((row) => row.quality === 'good');
  expect(factors.length, `samples of ${scaleFactorPoint}`).toBeGreaterThan(0);
  return 10 ** (factors.at(-1)!.value as number);
}

interface ReplayCase {
  point: string;
  simulator: string;
  source: (row: DatasetRow) => number | null | undefined;
  tolerance: number | (() => number);
}

const cases: ReplayCase[] = [
  { point: 'grid.m203.W', simulator: 'meter', source: (row) => row.values.Global_active_power! * 1000, tolerance: () => scaleStep('grid.m203.W_SF') / 2 },
  { point: 'grid.m203.PhV', simulator: 'meter', source: (row) => row.values.Voltage, tolerance: () => scaleStep('grid.m203.V_SF') / 2 },
  { point: 'grid.m203.A', simulator: 'meter', source: (row) => row.values.Global_intensity, tolerance: () => scaleStep('grid.m203.A_SF') / 2 },
  { point: 'submeter.total_power', simulator: 'sdm630', source: (row) => row.values.Global_active_power! * 1000, tolerance: 1e-3 },
  { point: 'submeter.l1_voltage', simulator: 'sdm630', source: (row) => row.values.Voltage, tolerance: 1e-4 },
  { point: 'pv1.m103.W', simulator: 'inverter', source: (row) => row.values.Sys1Wac_Avg, tolerance: () => scaleStep('pv1.m103.W_SF') / 2 },
  { point: 'pv2.m103.W', simulator: 'inverter', source: (row) => row.values.Sys2Wac_Avg, tolerance: () => scaleStep('pv2.m103.W_SF') / 2 },
  { point: 'pv1.m103.DCV', simulator: 'inverter', source: (row) => row.values.Sys1Vdc_Avg, tolerance: () => scaleStep('pv1.m103.DCV_SF') / 2 },
  { point: 'weather.oat', simulator: 'weather', source: (row) => row.values.oat_C, tolerance: 0 },
  { point: 'weather.pv', simulator: 'weather', source: (row) => row.values.pv_generation_scaled_W, tolerance: 0 },
  // BACnet REAL values are float32. Zone and supply air temperatures come by change of value, so
  // the stored value may lag the device by up to the objects' COV increment of 0.1.
  { point: 'ahu.zone_temp', simulator: 'ahu', source: (row) => row.values['RA-ZAT'], tolerance: 0.1 + 1e-5 },
  { point: 'ahu.supply_air_temp', simulator: 'ahu', source: (row) => row.values['RA-AHU-SAT'], tolerance: 0.1 + 1e-5 },
  { point: 'ahu.supply_airflow', simulator: 'ahu', source: (row) => row.values['RA-SupAirFlow'], tolerance: 1e-4 },
  { point: 'ahu.zone_cooling_setpoint', simulator: 'ahu', source: (row) => row.values['RA-ZONE-COOLING-SP'], tolerance: 1e-5 },
];

describe('replay into storage', () => {
  it.each(cases)('stores $point as served', ({ point, simulator, source, tolerance }) => {
    const samples = stored(point).filter((sample) => sample.quality === 'good');
    const allowed = typeof tolerance === 'number' ? tolerance : tolerance();
    const rowsSeen = new Set<DatasetRow>();

    for (const sample of samples) {
      const candidates = rowsServedBefore(simulator, sample.ts);
      const match = candidates.find((row) => {
        const expected = source(row);
        return expected !== null && expected !== undefined && Math.abs((sample.value as number) - expected) <= allowed;
      });
      expect(match, `${point} = ${sample.value} at ${new Date(sample.ts).toISOString()}, source ${candidates.map(source).join(' or ')}`).toBeDefined();
      rowsSeen.add(match!);
    }
    expect(samples.length, `good samples of ${point}`).toBeGreaterThanOrEqual(5);
    expect(rowsSeen.size, `source rows behind ${point}`).toBeGreaterThanOrEqual(3);
  });

  it('stores the missing minutes as bad samples', () => {
    const meterReplay = simulators.get('meter')!.replay;
    const samples = stored('grid.m203.W');
    // A reply served just before the gap may be stamped a few ms into it. The bad sample of the
    // failed poll is stamped at least one request timeout (200 ms) after the gap began.
    const inGap = samples.filter((sample) => meterReplay.frame(sample.ts).row === undefined && meterReplay.frame(sample.ts - 50).row === undefined);

    expect(inGap.length, 'samples stamped inside the gap').toBeGreaterThan(0);
    for (const sample of inGap) {
      expect(sample.quality).toBe('bad');
      expect(sample.value).toBeNull();
      expect(sample.reason).toBe('timeout');
    }
  });

  it('marks the meter offline and online again', () => {
    const events = node.runtime.db
      .prepare<[string], { status: string }>('SELECT status FROM device_events WHERE device_key = ? ORDER BY ts')
      .all('grid')
      .map((event) => event.status);

    expect(events).toEqual(['online', 'offline', 'online']);
  });
});
