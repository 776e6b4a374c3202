import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { createLocalAdmin } from '../auth/local-admin';
import { loadSiteConfig } from '../config/load';
import { createLogger, type Logger } from '../logger';
import { isBrokerReachable, startEmbeddedBroker, type EmbeddedBroker } from '../simulate/embedded-broker';
import { startEdgeNode, type RunningEdgeNode } from '../runtime/start-edge-node';
import { parsePort, stopOnSignals } from './start';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const edgeNodeBin = fileURLToPath(new URL('../../bin/edge-node.mjs', import.meta.url));
const demoSiteFile = fileURLToPath(new URL('../../sites/demo-site.yaml', import.meta.url));
/** Local account the demo creates, with a new random password on every start. */
const DEMO_USERNAME = 'demo-admin';

const help = `Usage: edge-node demo [options]

Starts the demo site: simulated devices that replay real measurements (two SunSpec PV inverters,
a SunSpec grid meter, an SDM630 sub-meter, an MQTT weather station and a BACnet/IP air handler),
each as its own process, and an edge node that polls them. The API requires login: the demo sets a
new random password for the local account "${DEMO_USERNAME}" on every start and prints it.

Options:
  --port N        HTTP port of the edge node (default: 8080)
  --data DIR      folder for the database (default: <repo>/data)
  --speed X       replay speed, 1 = real time (default: 12, so each 5 s poll sees the next
                  one-minute row of the recorded data)
  --broker URL    MQTT broker for the weather station (default: mqtt://127.0.0.1:1883; when it does
                  not answer, an embedded broker is started)
  --host ADDRESS  address the simulators listen on (default: 127.0.0.1)
  --simulators-only
                  run the simulators without an edge node (the compose file runs the edge node
                  in its own container)
  -h, --help      show this help
`;

/**
 * Simulators of the demo site, with the ports the demo site file polls. The inverters start at 10:00
 * of their recorded day, so the demo opens with the PV systems producing.
 */
const simulators = [
  { kind: 'sunspec-inverter', args: ['--port', '15502', '--offset-min', '600'] },
  { kind: 'sunspec-meter', args: ['--port', '15503'] },
  { kind: 'sdm630', args: ['--port', '15504'] },
  // UDP; the edge's BACnet client binds 47810 on the same host, see demo-site.yaml.
  { kind: 'bacnet-ahu', args: ['--port', '47809'] },
] as const;

/** Starts `edge-node simulate ...` as a child process and waits for the line that reports its endpoint. */
async function spawnSimulator(kind: string, args: readonly string[], logger: Logger): Promise<ChildProcess> {
  // The IPC channel ends the simulator when this process dies, even by SIGKILL.
  const child = spawn(process.execPath, [edgeNodeBin, 'simulate', kind, ...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const lines = createInterface({ input: child.stdout! });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator ${kind} did not start within 20 s`)), 20_000);
    lines.on('line', (line) => {
      if (!line.trimStart().startsWith('{')) return;
      clearTimeout(timer);
      logger.info({ simulator: kind, started: line }, 'simulator started');
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator ${kind} exited with code ${code} before it started`));
    });
  });
  await ready;
  return child;
}

export async function runDemoCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      data: { type: 'string', default: `${repoRoot}data` },
      speed: { type: 'string', default: '12' },
      broker: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      host: { type: 'string', default: '127.0.0.1' },
      'simulators-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  const logger = createLogger({ name: 'demo' });
  const common = ['--speed', values.speed, '--host', values.host];
  const children: ChildProcess[] = [];
  let broker: EmbeddedBroker | undefined;
  let brokerUrl = values.broker;
  if (!(await isBrokerReachable(brokerUrl, 1500))) {
    const embedded = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, logger });
    broker = embedded;
    brokerUrl = embedded.url;
    logger.warn({ requested: values.broker, embedded: brokerUrl }, 'no MQTT broker responded: started an embedded broker (aedes) for the demo');
  }
  const stopChildren = async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)));
    await broker?.stop();
  };
  try {
    for (const simulator of simulators) children.push(await spawnSimulator(simulator.kind, [...simulator.args, ...common], logger));
    children.push(await spawnSimulator('mqtt-weather', ['--broker', brokerUrl, '--speed', values.speed], logger));
  } catch (error) {
    await stopChildren();
    throw error;
  }

  if (values['simulators-only']) {
    process.stdout.write(`demo simulators running on ${values.host}; MQTT broker ${brokerUrl}. Press Ctrl+C to stop.\n`);
    stopOnSignals(stopChildren);
    return;
  }

  const config = loadSiteConfig(demoSiteFile);
  config.mqtt = { url: brokerUrl };
  let node: RunningEdgeNode;
  const password = randomBytes(18).toString('base64url');
  try {
    await createLocalAdmin(values.data, { username: DEMO_USERNAME, password, replace: true, actorId: 'demo' });
    node = await startEdgeNode({ config, dataDir: values.data, port: parsePort(values.port, 8080), logger });
  } catch (error) {
    await stopChildren();
    throw error;
  }
  const loginBody = JSON.stringify({ username: DEMO_USERNAME, password });
  process.stdout.write(
    [
      '',
      `SimTestLab EMS demo site "${config.site.name}" is running.`,
      `  web app:      ${node.url}/ (log in with the account below)`,
      `  login:        user "${DEMO_USERNAME}", password ${password} (new on every start)`,
      `                curl -s -X POST ${node.url}/api/auth/login -H 'Content-Type: application/json' -d '${loginBody}'`,
      `  REST API:     ${node.url}/api/devices with the header "Authorization: Bearer <accessToken from the login>"`,
      `  live stream:  ${node.url.replace('http', 'ws')}/ws?access_token=<accessToken>`,
      `  metrics:      ${node.url}/metrics (no login from this machine)`,
      `  database:     ${values.data}`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  stopOnSignals(async () => {
    await node.stop();
    await stopChildren();
  });
}
