import { readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createSigningKey, isSigningKeyFile } from '../auth/signing-keys';
import { loadServiceConfig } from '../config/config';
import { createLogger, type Logger } from '../logger';
import { createCloudService, DRAIN_TIMEOUT_MS, REDIS_READY_TIMEOUT_MS } from '../service';
import { parseCommandLine } from './command-line';

const help = `Usage: cloud start

Runs the cloud hub's HTTP API until SIGINT or SIGTERM. Then it closes the live WebSockets with code
1001, stops accepting connections, lets requests in progress finish for up to ${DRAIN_TIMEOUT_MS / 1000} s before it closes
their connections, closes Redis and Postgres, and exits with code 0. Startup fails with code 1 when Postgres cannot be reached, or Redis
within ${REDIS_READY_TIMEOUT_MS / 1000} s. Logs JSON lines on standard output. When JWT_KEYS_DIR contains no signing key, it
creates the first one and logs that.

Environment:
  DATABASE_URL        postgres:// URL of the runtime role (required)
  DATABASE_POOL_SIZE  Postgres connections in the pool, 1 to 200 (default: 10)
  REDIS_URL           redis:// or rediss:// URL (required)
  REDIS_PREFIX        prefix of every Redis key and channel, at most 64 characters (default: empty)
  JWT_KEYS_DIR        folder of the ES256 signing keys (required)
  JWT_ISSUER          iss claim of access tokens (default: simtestlab-ems-cloud)
  JWT_AUDIENCE        aud claim of access tokens (default: simtestlab-ems)
  PUBLIC_URL          origin of the web app, such as https://ems.example.com (required)
  CORS_ORIGINS        comma-separated origins allowed by CORS and by the Origin check of requests
                      that use the refresh cookie (default: empty)
  HOST                address to listen on (default: 127.0.0.1)
  PORT                TCP port, 0 for any free port (default: 8080)
  TRUST_PROXY         true to take the client IP from X-Forwarded-For; only behind your own reverse
                      proxy (default: false)
  COOKIE_SECURE       false to drop the Secure attribute of the refresh cookie, for plain-HTTP
                      development only (default: true)
  API_DOCS_ACCESS     who may read /api/openapi.json: developers (developers and platform admins)
                      or public (default: developers)
  ELECTRIC_URL        http(s) base URL of an Electric service on the same Postgres; when set, the hub
                      proxies table-backed shapes to it (default: unset, the hub serves them)
  ELECTRIC_SECRET     Electric's API secret, sent as its secret parameter (default: unset)
  RELEASES_DIR        folder of signed edge releases (<channel>.manifest.json and the artifacts it
                      names) that edges download from /api/edge/releases (default: unset, so no releases)
  LIVE_HIGH_WATER_BYTES
                      bytes queued in a browser's live socket above which only the latest sample
                      per point is kept, at least 1024 (default: 1000000)
  LIVE_SLOW_CLIENT_TIMEOUT_MS
                      milliseconds a browser's live socket may stay above the high-water mark
                      before the hub closes it, at least 100 (default: 10000)
  INGEST_CONCURRENCY  edge uploads one instance stores at once, 1 to 64; beyond it an edge gets
                      503 hub_busy (default: 4)
  CLOCK_SKEW_THRESHOLD_MS
                      difference between an edge's clock and the hub's, in milliseconds, above
                      which the site's sync status flags it (default: 30000)
  WEBHOOK_ALLOW_PRIVATE
                      true to allow http:// and non-public hosts in webhook URLs, for tests and
                      labs only (default: false)
  WEBHOOK_TIMEOUT_MS  time one webhook request may take, 100 to 60000 (default: 10000)
  WEBHOOK_MAX_ATTEMPTS
                      attempts of one webhook delivery, the first included, 1 to 50 (default: 8)
  WEBHOOK_BACKOFF_BASE_MS
                      window of the first retry delay of a webhook delivery (default: 30000)
  WEBHOOK_MAX_BACKOFF_MS
                      longest delay between two attempts of a delivery (default: 3600000)
  NOTIFICATION_POLL_INTERVAL_MS
                      pause between two rounds of the notification worker (default: 5000)
  LOG_LEVEL           pino log level (default: info)

Options:
  -h, --help  show this help
`;

/** Creates the first signing key when the folder is missing or contains none, so a new install starts. */
async function ensureSigningKey(dir: string, logger: Logger): Promise<void> {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`JWT_KEYS_DIR "${dir}" cannot be read`, { cause: error });
    files = [];
  }
  if (files.some(isSigningKeyFile)) return;
  const kid = await createSigningKey(dir);
  logger.info({ kid, dir }, 'JWT_KEYS_DIR contained no signing key; created the first one');
}

/**
 * How long the process may run on after the service stopped. `stop` closes every socket, connection and
 * timer it opened, so anything still holding the event loop after this is a leak. It is logged with
 * the resource types Node reports, and the process exits instead of running on without serving.
 */
const EXIT_GRACE_MS = 5_000;

/** Exits the process when it has not ended by itself EXIT_GRACE_MS after the service stopped. */
function exitIfStillRunning(logger: Logger): void {
  const timer = setTimeout(() => {
    logger.warn({ resources: process.getActiveResourcesInfo(), exitGraceMs: EXIT_GRACE_MS }, 'the process is still running after the cloud hub stopped; exiting');
    process.exit();
  }, EXIT_GRACE_MS);
  // Unreferenced, so a process that ends by itself does not wait for it.
  timer.unref();
}

/** Resolves with the name of the first SIGINT or SIGTERM; a second one ends the process at once. */
function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export async function runStartCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(help, () => parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } } }));
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  const config = loadServiceConfig();
  const logger = createLogger();
  await ensureSigningKey(config.JWT_KEYS_DIR, logger);

  // Until the service listens, a stop signal keeps its default action and ends the process at once.
  // A handler installed earlier would only wait for a startup that may never finish.
  const service = await createCloudService(config, logger);
  try {
    await service.listen();
  } catch (error) {
    await service.stop();
    throw error;
  }
  const signal = await waitForStopSignal();
  logger.info({ signal }, 'stop signal received; stopping the cloud hub');
  await service.stop();
  exitIfStillRunning(logger);
}
