import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import postgres from 'postgres';
import type { DemoOptions } from './options';
import { REPO_ROOT } from './paths';
import { RedisConnection } from './redis-client';

/*
 * Checks what the demo needs before it changes anything: Postgres with the right to create databases
 * and roles, Redis and free ports. Each problem names what is missing and the commands that fix it
 * on Debian or with the repository's compose file.
 */

/** One failed check: what is missing and how to get it. */
export interface PreflightProblem {
  problem: string;
  fix: string[];
}

/** Time one connection attempt may take. */
const CONNECT_TIMEOUT_MS = 3000;

/** Simulator ports of the two demo sites (see edge-node/sites/demo-site.yaml and demo-site-b.yaml). */
const SIMULATOR_TCP_PORTS = [15502, 15503, 15504, 15512, 15513, 15514];
/** BACnet devices and the edges' BACnet clients of site A and site B. */
const BACNET_UDP_PORTS = [47809, 47810, 47819, 47820];

/** Describes a connection error in the usual words: connection refused, timed out, host not found. */
function describeConnectError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ETIMEDOUT' || code === 'CONNECT_TIMEOUT' || /timed? ?out|no response/i.test(String((error as Error).message))) return 'timed out';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  return (error as Error).message ?? String(error);
}

/** Returns `host:port` of a URL, with the scheme's default port when it has none. */
function endpointOf(url: string, defaultPort: number): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || defaultPort}`;
}

/** Starts only Postgres and Redis of the compose file, published on loopback by the override. */
const composeDatabases = `cd ${REPO_ROOT} && docker compose -f docker-compose.yml -f deploy/compose/publish-databases.yml up -d postgres redis`;
/** Superuser URL of the compose file's Postgres (docker-compose.yml sets its password). */
const composeDatabaseUrl = 'postgres://postgres:postgres_superuser_password@127.0.0.1:5432/postgres';

/** Says where an address came from: the variable, or the default when the variable is not set. */
function sourceOf(variable: string, env: NodeJS.ProcessEnv): string {
  return env[variable] ? `from ${variable}` : `the default; set ${variable} to change it`;
}

function postgresFixes(): string[] {
  return [
    'Debian: sudo apt-get install -y postgresql && sudo systemctl start postgresql',
    `        then set a password for the postgres role: sudo -u postgres psql -c "ALTER ROLE postgres PASSWORD 'postgres'"`,
    '        and run: DEMO_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/postgres pnpm demo',
    'Docker: docker run -d --name simtestlab-demo-postgres -p 127.0.0.1:5432:5432 -e POSTGRES_PASSWORD=postgres postgres:16',
    '        and run: DEMO_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/postgres pnpm demo',
    `Compose: ${composeDatabases}`,
    `        and run: DEMO_DATABASE_URL=${composeDatabaseUrl} pnpm demo`,
    'Each of these serves 127.0.0.1:5432; if DEMO_DATABASE_URL names another address, change it to match.',
  ];
}

async function checkPostgres(url: string, env: NodeJS.ProcessEnv): Promise<PreflightProblem | null> {
  if (!/^postgres(ql)?:\/\//.test(url)) return { problem: 'DEMO_DATABASE_URL is invalid: expected a postgres:// URL', fix: [`such as DEMO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres`] };
  const endpoint = endpointOf(url, 5432);
  const source = sourceOf('DEMO_DATABASE_URL', env);
  const sql = postgres(url, { max: 1, connect_timeout: CONNECT_TIMEOUT_MS / 1000, onnotice: () => {} });
  try {
    const [role] = await sql<{ name: string; allowed: boolean }[]>`
      SELECT current_user AS name, rolsuper OR (rolcreatedb AND rolcreaterole) AS allowed FROM pg_roles WHERE rolname = current_user`;
    if (role?.allowed) return null;
    return {
      problem: `Postgres role "${role?.name}" at ${endpoint} (${source}) may not create databases and roles`,
      fix: [`grant it: sudo -u postgres psql -c 'ALTER ROLE "${role?.name}" CREATEDB CREATEROLE'`, 'or set DEMO_DATABASE_URL to a superuser URL'],
    };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === '28P01' || code === '28000') {
      return {
        problem: `Postgres at ${endpoint} (${source}) rejected the login: ${(error as Error).message}`,
        fix: [
          'correct the user and password in DEMO_DATABASE_URL: a role that may create databases and roles, such as',
          '  DEMO_DATABASE_URL=postgres://postgres:PASSWORD@127.0.0.1:5432/postgres pnpm demo',
          `to give the postgres role a password on Debian: sudo -u postgres psql -c "ALTER ROLE postgres PASSWORD 'postgres'"`,
        ],
      };
    }
    return { problem: `Postgres is not reachable at ${endpoint} (${source}): ${describeConnectError(error)}`, fix: postgresFixes() };
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function checkRedis(url: string, env: NodeJS.ProcessEnv): Promise<PreflightProblem | null> {
  const fix = [
    'Debian: sudo apt-get install -y redis-server && sudo systemctl start redis-server',
    'Docker: docker run -d --name simtestlab-demo-redis -p 127.0.0.1:6379:6379 redis:7',
    `Compose: ${composeDatabases}`,
    'Each of these serves 127.0.0.1:6379; if REDIS_URL names another address, change it to match.',
  ];
  if (!/^redis:\/\//.test(url)) return { problem: 'REDIS_URL is invalid: the demo expects a redis:// URL', fix: ['such as REDIS_URL=redis://127.0.0.1:6379'] };
  const endpoint = `${endpointOf(url, 6379)} (${sourceOf('REDIS_URL', env)})`;
  let connection: RedisConnection | undefined;
  try {
    connection = await RedisConnection.open(url, CONNECT_TIMEOUT_MS);
    const reply = await connection.command(['PING']);
    if (reply === 'PONG') return null;
    return { problem: `Redis at ${endpoint} replied to PING with ${JSON.stringify(reply)} instead of PONG`, fix };
  } catch (error) {
    return { problem: `Redis is not reachable at ${endpoint}: ${describeConnectError(error)}`, fix };
  } finally {
    connection?.close();
  }
}

function tcpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function udpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/** Fix for a busy port that no option of the demo moves. */
function stopHolderFix(listCommand: string): string[] {
  return [
    `find the process with: ${listCommand}`,
    'and stop it, such as a running "pnpm start", "pnpm demo" or "edge-node simulate"; the simulator ports are fixed',
    'in edge-node/sites/demo-site.yaml and demo-site-b.yaml, so only one demo runs on a machine at a time',
  ];
}

async function checkPorts(options: DemoOptions): Promise<PreflightProblem[]> {
  const movable = [
    { port: options.hubPort, use: 'the hub (--hub-port)' },
    { port: options.edgePorts[0], use: 'the edge of site A (--edge-ports)' },
    { port: options.edgePorts[1], use: 'the edge of site B (--edge-ports)' },
  ];
  const problems: PreflightProblem[] = [];
  for (const { port, use } of movable) {
    if (await tcpPortFree(port)) continue;
    problems.push({
      problem: `TCP port ${port} on 127.0.0.1, needed by ${use}, is in use`,
      fix: [`find the process with: ss -ltnp 'sport = :${port}'`, 'stop it (such as a running "pnpm start" or "pnpm demo"), or choose other ports with --hub-port and --edge-ports'],
    });
  }
  for (const port of SIMULATOR_TCP_PORTS) {
    if (await tcpPortFree(port)) continue;
    problems.push({ problem: `TCP port ${port} on 127.0.0.1, needed by a Modbus simulator, is in use`, fix: stopHolderFix(`ss -ltnp 'sport = :${port}'`) });
  }
  for (const port of BACNET_UDP_PORTS) {
    if (await udpPortFree(port)) continue;
    problems.push({ problem: `UDP port ${port} on 127.0.0.1, needed by a BACnet simulator or client, is in use`, fix: stopHolderFix(`ss -lunp 'sport = :${port}'`) });
  }
  return problems;
}

/**
 * Runs every check and returns the problems; an empty list means the demo can start. `env` is where
 * the URLs came from, so that messages name their variable.
 */
export async function runPreflight(options: DemoOptions, env: NodeJS.ProcessEnv = process.env): Promise<PreflightProblem[]> {
  const [database, redis, ports] = await Promise.all([checkPostgres(options.adminDatabaseUrl, env), checkRedis(options.redisUrl, env), checkPorts(options)]);
  return [database, redis, ...ports].filter((problem): problem is PreflightProblem => problem !== null);
}

/** Formats the problems for the terminal. */
export function formatProblems(problems: readonly PreflightProblem[]): string {
  const lines = ['The demo cannot start:'];
  for (const { problem, fix } of problems) {
    lines.push(`  - ${problem}`);
    for (const line of fix) lines.push(`      ${line}`);
  }
  return `${lines.join('\n')}\n`;
}
