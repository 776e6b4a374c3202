import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { createLocalAdmin } from '../auth/local-admin';
import { findLocalAccount } from '../auth/local-accounts';
import { loadSiteConfig } from '../config/load';
import { createLogger, type Logger } from '../logger';
import { isBrokerReachable, startEmbeddedBroker, type EmbeddedBroker } from '../simulate/embedded-broker';
import { startEdgeNode, type RunningEdgeNode } from '../runtime/start-edge-node';
import { openDatabase } from '../store/database';
import { parsePort, stopOnSignals } from './start';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const edgeNodeBin = fileURLToPath(new URL('../../bin/edge-node.mjs', import.meta.url));
/** Local account the demo creates. */
const DEMO_USERNAME = 'demo-admin';
/** File in the data folder that keeps the demo account's password for `--local-admin keep`. */
const PASSWORD_FILE = 'demo-admin.password';

type SimulatorSpec = { kind: string; args: readonly string[] };

/** A demo site: its site file and the simulators with the ports that file polls. */
interface DemoSite {
  siteFile: string;
  simulators: readonly SimulatorSpec[];
  /** Whether the site has the MQTT weather station, which needs a broker. */
  weatherStation: boolean;
}

const demoSites: Record<'a' | 'b', DemoSite> = {
  a: {
    siteFile: fileURLToPath(new URL('../../sites/demo-site.yaml', import.meta.url)),
    // The inverters start at 10:00 of their recorded day, so the demo opens with the PV systems producing.
    simulators: [
      { kind: 'sunspec-inverter', args: ['--port', '15502', '--offset-min', '600'] },
      { kind: 'sunspec-meter', args: ['--port', '15503'] },
      { kind: 'sdm630', args: ['--port', '15504'] },
      // UDP; the edge's BACnet client binds 47810 on the same host, see demo-site.yaml.
      { kind: 'bacnet-ahu', args: ['--port', '47809'] },
    ],
    weatherStation: true,
  },
  b: {
    siteFile: fileURLToPath(new URL('../../sites/demo-site-b.yaml', import.meta.url)),
    // Other ports than site A's, so both demo sites run on one machine; the edge's BACnet client binds 47820.
    simulators: [
      { kind: 'sunspec-inverter', args: ['--port', '15512', '--offset-min', '720'] },
      { kind: 'sunspec-meter', args: ['--port', '15513', '--offset-min', '120'] },
      { kind: 'sdm630', args: ['--port', '15514', '--offset-min', '120'] },
      { kind: 'bacnet-ahu', args: ['--port', '47819', '--offset-min', '120'] },
    ],
    weatherStation: false,
  },
};

const localAdminModes = ['new', 'keep', 'none'] as const;
type LocalAdminMode = (typeof localAdminModes)[number];

const help = `Usage: edge-node demo [options]

Starts a demo site: simulated devices that replay real measurements, each as its own process, and an
edge node that polls them. Site a (edge-node/sites/demo-site.yaml) has two SunSpec PV inverters, a
SunSpec grid meter, an SDM630 sub-meter, an MQTT weather station and a BACnet/IP air handler. Site b
(edge-node/sites/demo-site-b.yaml) has one inverter, the meters and the air handler on other ports
(Modbus 15512-15514, BACnet 47819, its client on 47820), so both sites run on one machine.
The API requires login with the local account "${DEMO_USERNAME}" (see --local-admin); an edge paired
with "edge-node pair" also accepts the hub's users of its site.

Options:
  --site a|b      demo site to run (default: a)
  --port N        HTTP port of the edge node (default: 8080)
  --data DIR      folder for the database and the simulators' energy counters (default: <repo>/data;
                  SIMTESTLAB_SIMULATOR_STATE_DIR moves the counters)
  --local-admin new|keep|none
                  new: set a new random password for "${DEMO_USERNAME}" on every start (default);
                  keep: reuse the password kept in <data>/${PASSWORD_FILE}, creating the account
                  and the file when missing; none: leave the local accounts alone
  --speed X       replay speed, 1 = real time (default: 12, so each 5 s poll sees the next
                  one-minute row of the recorded data)
  --broker URL    MQTT broker for the weather station of site a (default: mqtt://127.0.0.1:1883;
                  when it does not answer, an embedded broker is started)
  --host ADDRESS  address the simulators listen on (default: 127.0.0.1)
  --simulators-only
                  run the simulators without an edge node (the compose file runs the edge node
                  in its own container)
  -h, --help      show this help
`;

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

/** Parses --site into a demo site key. */
function parseSite(text: string): 'a' | 'b' {
  if (text === 'a' || text === 'b') return text;
  throw new Error(`--site: invalid value "${text}", expected a or b`);
}

function parseLocalAdminMode(text: string): LocalAdminMode {
  if ((localAdminModes as readonly string[]).includes(text)) return text as LocalAdminMode;
  throw new Error(`--local-admin: invalid value "${text}", expected ${localAdminModes.join(', ')}`);
}

/**
 * Prepares the local account "demo-admin" for `mode` and returns its password, or null for `none`.
 * With `keep`, the password comes from <data>/demo-admin.password when the account exists.
 */
async function prepareLocalAdmin(dataDir: string, mode: LocalAdminMode): Promise<string | null> {
  if (mode === 'none') return null;
  const passwordFile = join(dataDir, PASSWORD_FILE);
  if (mode === 'keep' && existsSync(passwordFile)) {
    const db = openDatabase(join(dataDir, 'edge.db'));
    const exists = (() => {
      try {
        return findLocalAccount(db, DEMO_USERNAME) !== undefined;
      } finally {
        db.close();
      }
    })();
    if (exists) return readFileSync(passwordFile, 'utf8').trim();
  }
  const password = randomBytes(18).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  await createLocalAdmin(dataDir, { username: DEMO_USERNAME, password, replace: true, actorId: 'demo' });
  if (mode === 'keep') writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  return password;
}

export async function runDemoCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      site: { type: 'string', default: 'a' },
      port: { type: 'string' },
      data: { type: 'string', default: `${repoRoot}data` },
      'local-admin': { type: 'string', default: 'new' },
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
  const site = demoSites[parseSite(values.site)];
  const localAdmin = parseLocalAdminMode(values['local-admin']);
  const port = parsePort(values.port, 8080);
  const logger = createLogger({ name: 'demo' });
  // The simulators keep their energy counters in this folder, so a restarted demo continues them
  // instead of restarting at the dataset's first value, which the edge would book as a meter reset.
  process.env.SIMTESTLAB_SIMULATOR_STATE_DIR ??= join(values.data, 'simulators');
  const common = ['--speed', values.speed, '--host', values.host];
  const children: ChildProcess[] = [];
  let broker: EmbeddedBroker | undefined;
  let brokerUrl = values.broker;
  if (site.weatherStation && !(await isBrokerReachable(brokerUrl, 1500))) {
    const embedded = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, logger });
    broker = embedded;
    brokerUrl = embedded.url;
    logger.warn({ requested: values.broker, embedded: brokerUrl }, 'no MQTT broker responded: started an embedded broker (aedes) for the demo');
  }
  const stopChildren = async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode === null && child.signalCode === null ? once(child, 'exit') : undefined)));
    await broker?.stop();
  };
  try {
    for (const simulator of site.simulators) children.push(await spawnSimulator(simulator.kind, [...simulator.args, ...common], logger));
    if (site.weatherStation) children.push(await spawnSimulator('mqtt-weather', ['--broker', brokerUrl, '--speed', values.speed], logger));
  } catch (error) {
    await stopChildren();
    throw error;
  }

  if (values['simulators-only']) {
    const brokerText = site.weatherStation ? `; MQTT broker ${brokerUrl}` : '';
    process.stdout.write(`demo simulators of site ${values.site} running on ${values.host}${brokerText}. Press Ctrl+C to stop.\n`);
    stopOnSignals(stopChildren);
    return;
  }

  const config = loadSiteConfig(site.siteFile);
  if (site.weatherStation) config.mqtt = { url: brokerUrl };
  let node: RunningEdgeNode;
  let password: string | null;
  try {
    password = await prepareLocalAdmin(values.data, localAdmin);
    node = await startEdgeNode({ config, dataDir: values.data, port, logger });
  } catch (error) {
    await stopChildren();
    throw error;
  }
  process.stdout.write(startedMessage(config.site.name, node.url, values.data, password, localAdmin));
  stopOnSignals(async () => {
    await node.stop();
    await stopChildren();
  });
}

function startedMessage(siteName: string, url: string, dataDir: string, password: string | null, mode: LocalAdminMode): string {
  const loginLines =
    password === null
      ? ['  login:        an existing local account, or a hub user of the site when the edge is paired']
      : [
          `  login:        user "${DEMO_USERNAME}", password ${password}${mode === 'new' ? ' (new on every start)' : ''}`,
          `                curl -s -X POST ${url}/api/auth/login -H 'Content-Type: application/json' -d '${JSON.stringify({ username: DEMO_USERNAME, password })}'`,
        ];
  return [
    '',
    `SimTestLab EMS demo site "${siteName}" is running.`,
    `  web app:      ${url}/ (log in with the account below)`,
    ...loginLines,
    `  REST API:     ${url}/api/devices with the header "Authorization: Bearer <accessToken from the login>"`,
    `  live stream:  ${url.replace('http', 'ws')}/ws?access_token=<accessToken>`,
    `  metrics:      ${url}/metrics (no login from this machine)`,
    `  database:     ${dataDir}`,
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}
