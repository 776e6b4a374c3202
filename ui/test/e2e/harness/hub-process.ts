import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess, runToEnd } from './managed-process';
import { CLOUD_BIN, REPO_ROOT } from './paths';
import { spareTcpPort } from './ports';
import { createPrivateDatabase, type PrivateDatabase } from './private-database';
import { checkRedis, deleteRedisKeys, newRedisPrefix, REDIS_URL } from './redis-prefix';
import { fetchJson, waitUntil } from './wait';

/*
 * The cloud hub as a real `cloud start` process on 127.0.0.1, with a private database, a private Redis
 * key prefix and a temporary signing-key folder. The hub keeps its port across `stop` and `start`,
 * so a paired edge finds it again after a simulated outage.
 */

/** Time the hub gets to return 200 from /healthz after its start, generous for a loaded 2-core machine. */
const HUB_READY_TIMEOUT_MS = 90_000;

/** Time `cloud migrate` and `cloud create-admin` may take each. */
const CLI_TIMEOUT_MS = 120_000;

/** A hub whose process can be stopped and started again on the same port and database. */
export interface HubProcess {
  /** `http://127.0.0.1:<port>`, also the hub's PUBLIC_URL. */
  url: string;
  port: number;
  /** The environment `cloud start` runs with. */
  env: NodeJS.ProcessEnv;
  redisPrefix: string;
  /** The running process, or undefined while stopped. */
  process: ManagedProcess | undefined;
  /** Starts the hub process again and waits for /healthz; a no-op while it runs. */
  start(): Promise<void>;
  /** Stops the hub process with SIGTERM (SIGKILL when `kill` is true); Postgres and Redis stay up. */
  stop(options?: { kill?: boolean }): Promise<void>;
  /** Stops the process and removes the database, the Redis keys and the key folder. */
  remove(): Promise<void>;
}

/** The platform admin `createHub` creates with the CLI. */
export interface HubAdmin {
  email: string;
  password: string;
}

/** Extra settings of the hub process. */
export interface HubProcessOptions {
  /** Variables added to the hub's environment, such as LOG_LEVEL or CORS_ORIGINS. */
  env?: Record<string, string>;
}

/** Creates the database and Redis prefix, migrates, creates the platform admin and starts the hub. */
export async function createHub(admin: HubAdmin, options: HubProcessOptions = {}): Promise<HubProcess> {
  await checkRedis();
  const database = await createPrivateDatabase();
  const keysDir = mkdtempSync(join(tmpdir(), 'e2e-hub-keys-'));
  const redisPrefix = newRedisPrefix();
  let hub: HubProcess | undefined;
  try {
    const port = await spareTcpPort();
    const url = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: database.runtimeUrl,
      MIGRATE_DATABASE_URL: database.ownerUrl,
      REDIS_URL,
      REDIS_PREFIX: redisPrefix,
      JWT_KEYS_DIR: keysDir,
      PUBLIC_URL: url,
      HOST: '127.0.0.1',
      PORT: String(port),
      COOKIE_SECURE: 'false',
      CORS_ORIGINS: url,
      LOG_LEVEL: 'info',
      ...options.env,
    };
    await runToEnd({ name: 'cloud migrate', command: process.execPath, args: [CLOUD_BIN, 'migrate'], cwd: REPO_ROOT, env }, CLI_TIMEOUT_MS);
    await runToEnd(
      {
        name: 'cloud create-admin',
        command: process.execPath,
        args: [CLOUD_BIN, 'create-admin', '--email', admin.email, '--name', 'Platform Admin', '--password-stdin'],
        cwd: REPO_ROOT,
        env,
        input: admin.password,
      },
      CLI_TIMEOUT_MS,
    );
    hub = hubProcess(url, port, env, redisPrefix, database, keysDir);
    await hub.start();
    return hub;
  } catch (error) {
    if (hub !== undefined) await hub.remove();
    else await removeHubData(database, redisPrefix, keysDir);
    throw error;
  }
}

function hubProcess(url: string, port: number, env: NodeJS.ProcessEnv, redisPrefix: string, database: PrivateDatabase, keysDir: string): HubProcess {
  const hub: HubProcess = {
    url,
    port,
    env,
    redisPrefix,
    process: undefined,
    start: async () => {
      if (hub.process !== undefined && !hub.process.hasExited) return;
      const started = ManagedProcess.start({ name: `cloud hub on port ${port}`, command: process.execPath, args: [CLOUD_BIN, 'start'], cwd: REPO_ROOT, env });
      hub.process = started;
      await waitUntil(async () => ((await fetchJson(`${url}/healthz`)) as { status?: unknown }).status === 'ok' || undefined, {
        description: `the hub's ${url}/healthz to return {"status":"ok"}`,
        timeoutMs: HUB_READY_TIMEOUT_MS,
        processes: [started],
      });
    },
    stop: async (options = {}) => {
      const running = hub.process;
      hub.process = undefined;
      if (running === undefined) return;
      if (options.kill) await running.kill();
      else await running.stop();
    },
    remove: async () => {
      await hub.stop();
      await removeHubData(database, redisPrefix, keysDir);
    },
  };
  return hub;
}

async function removeHubData(database: PrivateDatabase, redisPrefix: string, keysDir: string): Promise<void> {
  try {
    await deleteRedisKeys(redisPrefix);
  } finally {
    rmSync(keysDir, { recursive: true, force: true });
    await database.drop();
  }
}
