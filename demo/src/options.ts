import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './paths';

/** Settings of one demo run, from the command line and the environment. */
export interface DemoOptions {
  hubPort: number;
  edgePorts: [number, number];
  /** Folder of the demo's files: the hub's signing keys, logins.json, pairing codes and edge data. */
  dataDir: string;
  /** Superuser (or CREATEDB and CREATEROLE) URL used to create the demo database and its roles. */
  adminDatabaseUrl: string;
  databaseName: string;
  redisUrl: string;
  redisPrefix: string;
  reset: boolean;
  /** Run without the web app: no build and no check of ui/dist. */
  apiOnly: boolean;
  /** Seconds to wait for both edges to be online on the hub. */
  onlineTimeoutS: number;
}

/** A wrong command line; main prints the message and the help, then exits with 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const DEFAULT_HUB_PORT = 8090;
const DEFAULT_EDGE_PORTS = '8081,8082';
const DEFAULT_ONLINE_TIMEOUT_S = 120;
const DEFAULT_DATABASE_NAME = 'simtestlab_demo';
const DEFAULT_REDIS_PREFIX = 'simtestlab-demo:';
const DEFAULT_DATA_DIR = resolve(`${REPO_ROOT}data/demo`);

export const help = `Usage: pnpm demo [options]   (or: node demo/bin/demo.mjs [options])

Runs the cloud hub and two paired edge nodes with simulated devices on this machine: creates the
database, migrates it, seeds the organization "Demo Energy" with one user per role, pairs the edges
of "Demo Site A" and "Demo Site B", waits until the hub sees both online and prints the URLs and
logins. Ctrl+C stops everything. Running it again reuses the database, logins and pairings.

Needs Postgres and Redis. Builds the web app (ui/dist) first when it is missing or older than its
sources, unless --api-only is given.

Options:
  --hub-port N          HTTP port of the hub (default: 8090)
  --edge-ports A,B      HTTP ports of the edges of site A and site B (default: 8081,8082)
  --data DIR            folder for keys, logins, pairing codes and edge databases (default: <repo>/data/demo)
  --database NAME       database to create and use; its roles are NAME_owner and NAME_app
                        (default: simtestlab_demo)
  --redis-prefix TEXT   prefix of the hub's Redis keys and channels (default: simtestlab-demo:)
  --reset               drop the database, its roles, the Redis keys and the data folder first
  --api-only            run without the built web app (the APIs work; pages show "not built")
  --online-timeout S    seconds to wait for both edges to be online on the hub (default: 120)
  -h, --help            show this help

Environment:
  DEMO_DATABASE_URL  Postgres URL of a role that may create databases and roles
                     (default: ${DEFAULT_DATABASE_URL})
  REDIS_URL          Redis URL (default: ${DEFAULT_REDIS_URL})
`;

function parsePort(text: string, option: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`${option}: invalid port "${text}", expected 1 to 65535`);
  return port;
}

/** Parses the command line; returns null for --help. */
export function parseDemoOptions(argv: string[], env: NodeJS.ProcessEnv): DemoOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'hub-port': { type: 'string', default: String(DEFAULT_HUB_PORT) },
        'edge-ports': { type: 'string', default: DEFAULT_EDGE_PORTS },
        data: { type: 'string', default: DEFAULT_DATA_DIR },
        database: { type: 'string', default: DEFAULT_DATABASE_NAME },
        'redis-prefix': { type: 'string', default: DEFAULT_REDIS_PREFIX },
        reset: { type: 'boolean', default: false },
        'api-only': { type: 'boolean', default: false },
        'online-timeout': { type: 'string', default: String(DEFAULT_ONLINE_TIMEOUT_S) },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return null;

  const edgePorts = values['edge-ports'].split(',').map((part) => part.trim());
  if (edgePorts.length !== 2) throw new UsageError(`--edge-ports: invalid value "${values['edge-ports']}", expected two ports separated by a comma, such as 8081,8082`);
  if (!/^[a-z_][a-z0-9_]{0,50}$/.test(values.database)) {
    throw new UsageError(`--database: invalid name "${values.database}", expected lowercase letters, digits and "_" (at most 51), starting with a letter or "_"`);
  }
  if (values['redis-prefix'].length > 64) throw new UsageError('--redis-prefix: at most 64 characters');
  const onlineTimeoutS = Number(values['online-timeout']);
  if (!Number.isInteger(onlineTimeoutS) || onlineTimeoutS < 1) throw new UsageError(`--online-timeout: invalid value "${values['online-timeout']}", expected whole seconds, 1 or more`);

  const hubPort = parsePort(values['hub-port'], '--hub-port');
  const edgePortA = parsePort(edgePorts[0]!, '--edge-ports');
  const edgePortB = parsePort(edgePorts[1]!, '--edge-ports');
  if (edgePortA === edgePortB) throw new UsageError(`--edge-ports: both edges have port ${edgePortA}, expected two different ports, such as 8081,8082`);
  if (hubPort === edgePortA || hubPort === edgePortB) throw new UsageError(`--hub-port ${hubPort} is also in --edge-ports; the hub and each edge need their own port`);

  return {
    hubPort,
    edgePorts: [edgePortA, edgePortB],
    dataDir: resolve(values.data),
    adminDatabaseUrl: env.DEMO_DATABASE_URL || DEFAULT_DATABASE_URL,
    databaseName: values.database,
    redisUrl: env.REDIS_URL || DEFAULT_REDIS_URL,
    redisPrefix: values['redis-prefix'],
    reset: values.reset,
    apiOnly: values['api-only'],
    onlineTimeoutS,
  };
}

/**
 * Returns the command that starts this demo over: `pnpm demo --reset` with every option of this run
 * that differs from its default, so it resets the database, Redis keys and data folder in use.
 */
export function resetCommand(options: DemoOptions): string {
  const words = ['pnpm demo --reset'];
  if (options.hubPort !== DEFAULT_HUB_PORT) words.push(`--hub-port ${options.hubPort}`);
  if (options.edgePorts.join(',') !== DEFAULT_EDGE_PORTS) words.push(`--edge-ports ${options.edgePorts.join(',')}`);
  if (options.databaseName !== DEFAULT_DATABASE_NAME) words.push(`--database ${options.databaseName}`);
  if (options.redisPrefix !== DEFAULT_REDIS_PREFIX) words.push(`--redis-prefix ${shellQuote(options.redisPrefix)}`);
  if (options.dataDir !== DEFAULT_DATA_DIR) words.push(`--data ${shellQuote(options.dataDir)}`);
  if (options.apiOnly) words.push('--api-only');
  if (options.onlineTimeoutS !== DEFAULT_ONLINE_TIMEOUT_S) words.push(`--online-timeout ${options.onlineTimeoutS}`);
  return words.join(' ');
}

/** Quotes a value for a POSIX shell when it contains anything but safe characters. */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}
