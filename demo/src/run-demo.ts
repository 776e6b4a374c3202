import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { demoLoginsFileSchema, type DemoLoginsFile } from '@simtestlab/cloud/src/demo/logins-file';
import { ChildFailedError, runChild, startChild, stopChildren, type DemoChild } from './child-processes';
import { dropDemoDatabase, ensureDemoDatabase } from './database';
import { loginToHub, waitForEdgesOnline, waitForHub } from './hub-api';
import { resetCommand, type DemoOptions } from './options';
import { CLOUD_BIN, EDGE_BIN } from './paths';
import { deleteKeysWithPrefix, RedisConnection } from './redis-client';
import { formatSummary, type EdgeSummary } from './summary';

/*
 * The steps of `pnpm demo` after the preflight: database, migration, hub, seed, pairing, edges, and
 * the wait until the hub sees both edges. The started processes run until SIGINT or SIGTERM. When
 * one of them exits on its own, the demo stops the others too.
 */

/** Time the hub gets to return 200 from /healthz after its start. */
const HUB_READY_TIMEOUT_MS = 90_000;
/**
 * Time the demo waits for its own SIGINT or SIGTERM handler after a command it runs was ended by one
 * of those signals. Ctrl+C reaches the whole process group, so the command's exit can arrive first.
 */
const STOP_SIGNAL_GRACE_MS = 2_000;
/** Seconds `edge-node pair` waits for the code file and for the hub. */
const PAIR_WAIT_S = 30;

/** A demo edge: its site key (as in the pairing-code file names) and the `edge-node demo --site` letter. */
const edgeSites = [
  { key: 'demo-site-a', letter: 'a' },
  { key: 'demo-site-b', letter: 'b' },
] as const;

/** Raised when Ctrl+C or SIGTERM arrived while the demo was still starting. */
class StopRequestedError extends Error {
  override name = 'StopRequestedError';
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function resetDemo(options: DemoOptions): Promise<void> {
  print(`resetting: dropping database ${options.databaseName} and its roles, Redis keys ${options.redisPrefix}*, and ${options.dataDir}`);
  await dropDemoDatabase(options.adminDatabaseUrl, options.databaseName);
  const redis = await RedisConnection.open(options.redisUrl, 3000);
  try {
    await deleteKeysWithPrefix(redis, options.redisPrefix);
  } finally {
    redis.close();
  }
  rmSync(options.dataDir, { recursive: true, force: true });
}

function isStopSignal(signal: NodeJS.Signals | null): boolean {
  return signal === 'SIGINT' || signal === 'SIGTERM';
}

/** Resolves when `stopped` does or after `timeoutMs`, whichever comes first. */
async function waitForStop(stopped: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([stopped, timeout]);
  clearTimeout(timer);
}

function readLogins(dataDir: string): DemoLoginsFile {
  return demoLoginsFileSchema.parse(JSON.parse(readFileSync(join(dataDir, 'logins.json'), 'utf8')));
}

/**
 * Runs the demo until a stop request and returns the exit code. That is 0 after Ctrl+C or SIGTERM,
 * and 1 when a step failed or a process of the demo exited on its own.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const children: DemoChild[] = [];
  let stopRequested = false;
  let wakeOnStop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (wakeOnStop = resolve));
  // Ends a command the demo is running to its end, such as `edge-node pair`, which would otherwise
  // keep retrying a hub that is already stopping.
  const stopCommands = new AbortController();
  const onSignal = () => {
    if (stopRequested) return;
    stopRequested = true;
    print('\nstopping the demo...');
    stopCommands.abort();
    wakeOnStop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const checkRunning = () => {
    if (stopRequested) throw new StopRequestedError('stop requested');
    const exited = children.find(({ process: child }) => child.exitCode !== null || child.signalCode !== null);
    if (exited) throw new ChildFailedError(`${exited.name} exited (${exited.process.signalCode ?? `exit code ${exited.process.exitCode}`}); see ${exited.logFile}`);
  };

  try {
    await startDemo(options, children, checkRunning, stopCommands.signal);
    const firstExit = Promise.race(
      children.map(({ process: child, name, logFile }) =>
        new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`${name} exited (${signal ?? `exit code ${code}`}); see ${logFile}`))),
      ),
    );
    const outcome = await Promise.race([stopped.then(() => null), firstExit]);
    if (outcome !== null) {
      process.stderr.write(`pnpm demo failed: ${outcome}; stopping the demo\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    // A Ctrl+C also reaches the commands the demo runs to their end (they share the terminal's
    // process group), so their failure after a stop request is part of the stop.
    if (error instanceof ChildFailedError && isStopSignal(error.signal) && !stopRequested) await waitForStop(stopped, STOP_SIGNAL_GRACE_MS);
    if (error instanceof StopRequestedError || stopRequested) return 0;
    process.stderr.write(`pnpm demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await stopChildren(children);
    if (children.length > 0) print('the demo stopped');
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function startDemo(options: DemoOptions, children: DemoChild[], checkRunning: () => void, stop: AbortSignal): Promise<void> {
  if (options.reset) await resetDemo(options);
  const { dataDir } = options;
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });

  print(`preparing database ${options.databaseName}`);
  const database = await ensureDemoDatabase(options.adminDatabaseUrl, options.databaseName, dataDir);
  const hubUrl = `http://127.0.0.1:${options.hubPort}`;
  const hubEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.runtimeUrl,
    MIGRATE_DATABASE_URL: database.ownerUrl,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: options.redisPrefix,
    JWT_KEYS_DIR: join(dataDir, 'keys'),
    PUBLIC_URL: hubUrl,
    CORS_ORIGINS: hubUrl,
    HOST: '127.0.0.1',
    PORT: String(options.hubPort),
    // Plain HTTP on this machine only.
    COOKIE_SECURE: 'false',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
  await runChild('cloud migrate', CLOUD_BIN, ['migrate'], hubEnv, join(logDir, 'cloud-migrate.log'), stop);
  checkRunning();

  print(`starting the cloud hub on ${hubUrl}`);
  children.push(startChild('the cloud hub', CLOUD_BIN, ['start'], hubEnv, join(logDir, 'cloud-hub.log')));
  await waitForHub(hubUrl, HUB_READY_TIMEOUT_MS, checkRunning);

  print('seeding the demo organization, sites and users');
  await runChild('cloud seed-demo', CLOUD_BIN, ['seed-demo', '--out', dataDir], hubEnv, join(logDir, 'cloud-seed-demo.log'), stop);
  const logins = readLogins(dataDir);
  checkRunning();

  const edges: EdgeSummary[] = [];
  for (const [index, site] of edgeSites.entries()) {
    const edgeData = join(dataDir, `edge-${site.letter}`);
    const codeFile = join(dataDir, `${site.key}.pairing-code`);
    const siteName = logins.sites.find((candidate) => candidate.key === site.key)?.name ?? site.key;
    mkdirSync(edgeData, { recursive: true });
    if (!existsSync(join(edgeData, 'cloud-credential.json')) && !existsSync(codeFile)) {
      throw new Error(`the hub has a paired edge for "${siteName}", but ${edgeData} contains no credential; run "${resetCommand(options)}" to start over`);
    }
    print(`pairing the edge of ${siteName}`);
    const edgeLog = join(logDir, `edge-${site.letter}.log`);
    const pairArgs = ['pair', '--cloud', hubUrl, '--code-file', codeFile, '--if-unpaired', '--wait', String(PAIR_WAIT_S), '--data', edgeData];
    await runChild(`edge-node pair (${siteName})`, EDGE_BIN, pairArgs, process.env, edgeLog, stop);
    checkRunning();

    const port = options.edgePorts[index]!;
    print(`starting the edge of ${siteName} on http://127.0.0.1:${port}`);
    const edgeArgs = ['demo', '--site', site.letter, '--port', String(port), '--data', edgeData, '--local-admin', 'keep'];
    // The simulators keep their energy counters next to the edge's data, so a second run counts on
    // instead of starting the meters again, which the edge would book as a meter reset.
    const edgeEnv = { ...process.env, SIMTESTLAB_SIMULATOR_STATE_DIR: join(edgeData, 'simulators') };
    children.push(startChild(`the edge of ${siteName}`, EDGE_BIN, edgeArgs, edgeEnv, edgeLog));
    edges.push({ siteName, url: `http://127.0.0.1:${port}`, localAdminPassword: '' });
  }

  print('waiting until the hub sees both edges online');
  const orgAdmin = logins.logins.find((login) => login.role === 'org_admin')!;
  const token = await loginToHub(hubUrl, orgAdmin.email, orgAdmin.password);
  await waitForEdgesOnline(hubUrl, token, logins.sites.map((site) => site.id), options.onlineTimeoutS * 1000, checkRunning);
  for (const [index, site] of edgeSites.entries()) {
    edges[index]!.localAdminPassword = readFileSync(join(dataDir, `edge-${site.letter}`, 'demo-admin.password'), 'utf8').trim();
  }
  process.stdout.write(formatSummary(hubUrl, edges, logins, dataDir, resetCommand(options)));
}
