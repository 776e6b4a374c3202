import { ManagedProcess } from './managed-process';
import { EDGE_NODE_BIN, EDGE_NODE_DIR } from './paths';
import { spareUdpPort } from './ports';
import { waitUntil } from './wait';

/*
 * The device simulators of `edge-node simulate`, each its own process, replaying the real data sets of
 * edge-node/datasets. Modbus simulators take a port from the OS; the BACnet one gets a spare UDP port
 * because it does not take port 0; the weather station publishes to the MQTT broker under a topic
 * prefix unique to the stack.
 */

/** Simulator kinds the stack can run, as `edge-node simulate` names them. */
export const simulatorKinds = ['sunspec-inverter', 'sunspec-meter', 'sdm630', 'mqtt-weather', 'bacnet-ahu'] as const;
export type SimulatorKind = (typeof simulatorKinds)[number];

/** Time a simulator gets to print its endpoint. */
const SIMULATOR_READY_TIMEOUT_MS = 60_000;

/** Replay settings shared by every simulator of a stack. */
export interface ReplaySettings {
  /** Data set seconds replayed per second. */
  speed: number;
  /** Minutes into the data sets where the replay starts. */
  offsetMin: number;
  /** MQTT broker of the weather station. */
  brokerUrl: string;
  /** Site id in the weather station's topics, `simtestlab/<mqttSite>/weather`. */
  mqttSite: string;
}

/** A running simulator: its process and where it listens. */
export interface RunningSimulator {
  kind: SimulatorKind;
  process: ManagedProcess;
  /** The endpoint the simulator printed: `host:port` for Modbus and BACnet, the broker URL for MQTT. */
  endpoint: string;
  /** Host of a Modbus or BACnet simulator. */
  host: string;
  /** TCP port (Modbus) or UDP port (BACnet); 0 for the MQTT weather station. */
  port: number;
}

async function kindArguments(kind: SimulatorKind, replay: ReplaySettings): Promise<string[]> {
  switch (kind) {
    case 'mqtt-weather':
      return ['--broker', replay.brokerUrl, '--site', replay.mqttSite];
    case 'bacnet-ahu':
      return ['--host', '127.0.0.1', '--port', String(await spareUdpPort())];
    default:
      return ['--host', '127.0.0.1', '--port', '0'];
  }
}

/** Parses the endpoint line a simulator prints on start, `{"simulator": ..., "endpoint": "host:port", ...}`. */
function parseEndpoint(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  const endpoint = (parsed as { endpoint?: unknown }).endpoint;
  return typeof endpoint === 'string' ? endpoint : undefined;
}

/** Starts one simulator and waits for the line naming its endpoint. */
export async function startSimulator(kind: SimulatorKind, replay: ReplaySettings): Promise<RunningSimulator> {
  const args = [EDGE_NODE_BIN, 'simulate', kind, '--speed', String(replay.speed), '--offset-min', String(replay.offsetMin), ...(await kindArguments(kind, replay))];
  const simulator = ManagedProcess.start({ name: `simulator ${kind}`, command: process.execPath, args, cwd: EDGE_NODE_DIR });
  let endpoint: string | undefined;
  const stopListening = simulator.onLine((line) => (endpoint ??= parseEndpoint(line)));
  try {
    const found = await waitUntil(async () => endpoint ?? simulator.lastLines(200).map(parseEndpoint).find((parsed) => parsed !== undefined), {
      description: `simulator ${kind} to print its endpoint`,
      timeoutMs: SIMULATOR_READY_TIMEOUT_MS,
      processes: [simulator],
    });
    const hostAndPort = /^([^/]+):(\d+)$/.exec(found);
    if (kind !== 'mqtt-weather' && hostAndPort === null) throw new Error(`simulator ${kind} printed the endpoint "${found}", expected host:port`);
    return { kind, process: simulator, endpoint: found, host: hostAndPort?.[1] ?? '', port: Number(hostAndPort?.[2] ?? 0) };
  } catch (error) {
    await simulator.stop();
    throw error;
  } finally {
    stopListening();
  }
}
