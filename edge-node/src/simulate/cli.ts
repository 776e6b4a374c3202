import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { Logger } from '../logger';
import { isBrokerReachable, startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker';
import { defaultModbusPorts, simulatorKinds, startSimulator, type RunningSimulator, type SimulatorKind } from './simulators';
import { StopRequests } from './stop-request';

const help = `Usage: edge-node simulate <kind> [options]

Replays real measurements shipped in edge-node/datasets as a device.

Kinds:
  sunspec-inverter  pecos PV systems 1 and 2 (Albuquerque, 2015-11-11) as SunSpec inverters
                    (models 1 and 103), system 1 at --unit-id and system 2 at the next id
  sunspec-meter     UCI household (near Paris, 2006-12-21) as a SunSpec meter (models 1 and 203)
  sdm630            UCI household on the Eastron SDM630 register map (input registers, float32)
  em24              UCI household on the Carlo Gavazzi EM24 register map
  mqtt-weather      FLEXLAB weather and PV (California, 2020-07-21) published as JSON to
                    simtestlab/<site>/weather and simtestlab/<site>/pv
  bacnet-ahu        FLEXLAB cell A air handler and zone (California, 2020-02-13) as BACnet/IP
                    device 2001: analog inputs, commandable setpoints, COV

Options:
  --host ADDRESS    address a Modbus or BACnet simulator listens on (default: 127.0.0.1)
  --port N          TCP port of a Modbus simulator, 0 for any free port (defaults: inverter ${defaultModbusPorts['sunspec-inverter']},
                    SunSpec meter ${defaultModbusPorts['sunspec-meter']}, SDM630 ${defaultModbusPorts.sdm630}, EM24 ${defaultModbusPorts.em24}); UDP
                    port of bacnet-ahu (default: 47809; 0 is not allowed)
  --unit-id N       Modbus unit id, 1-247 (default: 1)
  --speed X         replay speed, dataset seconds per second: 1 is real time, 60 replays a minute
                    per second (default: 1)
  --offset-min N    start N minutes into the data set (default: 0)
  --broker URL      MQTT broker of mqtt-weather (default: mqtt://127.0.0.1:1883)
  --start-broker    with mqtt-weather: start an embedded broker on the --broker port when nothing
                    answers there
  --site ID         site id in the MQTT topics (default: flexlab)
  --retain          publish MQTT messages as retained
  -h, --help        show this help

Environment:
  SIMTESTLAB_SIMULATOR_STATE_DIR
                    folder where the Modbus simulators keep their energy counters
                    (<kind>-<port>.json), so a restarted simulator counts on instead of starting
                    its meters again, which the edge would book as a meter reset

On start the command prints one JSON line with the endpoint, then logs to stderr. It stops on
SIGINT or SIGTERM, and when it was spawned with an IPC channel (Node child_process, 'ipc' in
stdio), also when that channel closes, as it does when the parent exits. The data loops at its end;
gaps in the data are served as no answer (Modbus) or no message (MQTT).
`;

function parseNumberOption(name: string, text: string | undefined, check: (value: number) => boolean, expected: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !check(value)) throw new Error(`--${name}: invalid value "${text}", expected ${expected}`);
  return value;
}

/** Returns the counter file option of a Modbus simulator when a state folder is set; the others keep no counters. */
function counterFileOption(kind: SimulatorKind, port: number | undefined, stateDir: string | undefined): { counterFile?: string } {
  if (stateDir === undefined || stateDir === '' || kind === 'mqtt-weather' || kind === 'bacnet-ahu') return {};
  return { counterFile: join(stateDir, `${kind}-${port ?? defaultModbusPorts[kind]}.json`) };
}

/** Creates the simulator logger: JSON lines on stderr, so stdout carries only the start line. */
function createStderrLogger(): Logger {
  return pino({ name: 'simulate', level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
}

/** Prints the start line: one JSON object with the simulator's endpoint, on stdout. */
function printStartLine(simulator: RunningSimulator, broker: EmbeddedBroker | undefined): void {
  process.stdout.write(
    `${JSON.stringify({
      simulator: simulator.kind,
      endpoint: simulator.endpoint,
      ...(simulator.unitIds ? { unitIds: simulator.unitIds } : {}),
      ...(simulator.topics ? { topics: simulator.topics } : {}),
      speed: simulator.replay.speed,
      ...(broker ? { embeddedBroker: broker.url } : {}),
    })}\n`,
  );
}

/** Starts an embedded broker on the URL's port when no broker responds there, and returns it if it did. */
async function ensureBroker(brokerUrl: string, logger: Logger): Promise<EmbeddedBroker | undefined> {
  if (await isBrokerReachable(brokerUrl, 1500)) return undefined;
  const url = new URL(brokerUrl);
  if (url.protocol !== 'mqtt:') throw new Error(`--start-broker: only mqtt:// URLs can be served by the embedded broker, got "${brokerUrl}"`);
  const broker = await startEmbeddedBroker({ host: url.hostname, port: Number(url.port || 1883), logger });
  logger.warn({ url: broker.url }, 'no MQTT broker responded: started an embedded broker');
  return broker;
}

/**
 * Runs `edge-node simulate <kind>` until SIGINT, SIGTERM or, when the process has an IPC channel,
 * until that channel closes. Prints one JSON line with the endpoint once the simulator runs. Throws
 * an Error naming the option for invalid arguments.
 */
export async function runSimulateCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string' },
      'unit-id': { type: 'string' },
      speed: { type: 'string' },
      'offset-min': { type: 'string' },
      broker: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      'start-broker': { type: 'boolean', default: false },
      site: { type: 'string' },
      retain: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  const [kind, ...extra] = positionals;
  if (kind === undefined || !(simulatorKinds as readonly string[]).includes(kind) || extra.length > 0) {
    throw new Error(`expected one simulator kind (${simulatorKinds.join(', ')}), got "${positionals.join(' ')}"\n\n${help}`);
  }

  const port = parseNumberOption('port', values.port, (v) => Number.isInteger(v) && v >= 0 && v <= 65535, 'a port from 0 to 65535');
  const unitId = parseNumberOption('unit-id', values['unit-id'], (v) => Number.isInteger(v) && v >= 1 && v <= 247, 'an integer from 1 to 247');
  const speed = parseNumberOption('speed', values.speed, (v) => Number.isFinite(v) && v > 0, 'a positive number');
  const offsetMin = parseNumberOption('offset-min', values['offset-min'], (v) => Number.isFinite(v) && v >= 0, 'minutes, 0 or more');

  const logger = createStderrLogger();
  // The IPC channel is watched from here on, so a parent that dies while the simulator starts still
  // stops it. Signals keep their default action (exit at once) until the simulator runs.
  const stopRequests = new StopRequests();
  stopRequests.watchParent();
  let broker: EmbeddedBroker | undefined;
  let simulator: RunningSimulator | undefined;
  try {
    broker = kind === 'mqtt-weather' && values['start-broker'] ? await ensureBroker(values.broker, logger) : undefined;
    simulator = await startSimulator(kind as SimulatorKind, {
      host: values.host,
      brokerUrl: values.broker,
      retain: values.retain,
      logger,
      ...(port === undefined ? {} : { port }),
      ...(unitId === undefined ? {} : { unitId }),
      ...(speed === undefined ? {} : { speed }),
      ...(offsetMin === undefined ? {} : { startOffsetMs: offsetMin * 60_000 }),
      ...counterFileOption(kind as SimulatorKind, port, process.env.SIMTESTLAB_SIMULATOR_STATE_DIR),
      ...(values.site === undefined ? {} : { site: values.site }),
    });
    // Signal handlers come before the start line, because a parent may send SIGTERM as soon as it
    // reads the line. The line is skipped once the parent is gone, because a write to its closed
    // stdout pipe fails with EPIPE.
    stopRequests.watchSignals();
    if (stopRequests.requested === undefined) printStartLine(simulator, broker);
    logger.info({ simulator: simulator.kind, endpoint: simulator.endpoint }, 'simulator started');

    const reason = await stopRequests.wait();
    logger.info({ simulator: simulator.kind, reason }, 'stopping simulator');
  } finally {
    await simulator?.stop();
    await broker?.stop();
    stopRequests.dispose();
  }
  logger.info({ simulator: simulator.kind }, 'simulator stopped');
}
