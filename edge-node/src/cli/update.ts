import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ReleaseChannel } from '@simtestlab/sync';
import { HubClient } from '../cloud/hub-client';
import { HubUnreachableError } from '../cloud/hub-errors';
import { createLogger } from '../logger';
import { restoreDatabaseForSchema } from '../update/database-rollback';
import { DEFAULT_HEALTH_WINDOW_MS, DEFAULT_HEALTHY_POLLS } from '../update/health-wait';
import { DEFAULT_INSTALL_ROOT, InstallLayout } from '../update/install-layout';
import { readPendingUpdate } from '../update/pending-update';
import { DEFAULT_KEYS_DIR } from '../update/release-signature';
import { DEFAULT_RESTART_COMMAND, DEFAULT_STOP_COMMAND } from '../update/service-command';
import { applyUpdate, DEFAULT_HEALTH_TIMEOUT_MS, DEFAULT_HEALTH_URL, recoverUpdate } from '../update/update-apply';
import { checkForUpdate, type UpdateOffer } from '../update/update-check';
import { loadUpdateCredential } from '../update/update-credential';
import { appendUpdateEvent, readUpdateEvents } from '../update/update-events';
import { UpdateRejectedError, UpdateRolledBackError } from '../update/update-errors';
import { DEFAULT_UPDATE_LOCK_FILE } from '../update/update-lock';
import { rollBack, type UpdateContext } from '../update/update-settle';
import { DEFAULT_UPDATE_STATE_DIR, failedUpdate, parseChannel, readUpdateChannel, readUpdateState, UPDATE_CHANNEL_FILE, type FailedUpdate } from '../update/update-state';

const help = `Usage: edge-node update check|apply|recover [options]

Updates this edge node to the signed release its cloud hub offers on the release channel.

  check   print the running and the offered version and whether the manifest's signature verifies
  apply   download, verify and install the offered release, restart the node and wait until it reports
          the new version; without that in time, restore the previous release and record the failure,
          so the timer does not try that version again
  recover finish an update that an interrupted updater left pending (run at boot): wait until the new
          release stays healthy, or roll back

Options:
  --data DIR               data folder with the hub credential (default: ./data)
  --install-root DIR       folder with releases/<version>/ and the current symlink
                           (default: ${DEFAULT_INSTALL_ROOT})
  --state-dir DIR          the updater's own folder: failed versions, the pending update and the
                           events the edge node imports into its audit log (default: ${DEFAULT_UPDATE_STATE_DIR})
  --lock-file FILE         lock that keeps two updaters apart, on a tmpfs so a reboot clears it
                           (default: ${DEFAULT_UPDATE_LOCK_FILE})
  --channel NAME           stable or beta (default: the word in <data>/${UPDATE_CHANNEL_FILE}, else stable)
  --keys-dir DIR           folder of the trusted ed25519 public keys, <key id>.pub
                           (default: ${DEFAULT_KEYS_DIR})
  --restart-command CMD    shell command that restarts the node (default: ${DEFAULT_RESTART_COMMAND})
  --stop-command CMD       shell command that stops the node before a rollback restores its database
                           (default: ${DEFAULT_STOP_COMMAND})
  --health-url URL         health endpoint that reports the running version (default: ${DEFAULT_HEALTH_URL})
  --health-timeout SECONDS time the new release has to report its version (default: ${DEFAULT_HEALTH_TIMEOUT_MS / 1000})
  --health-window SECONDS  time the new release must then stay healthy, over ${DEFAULT_HEALTHY_POLLS} good responses
                           (default: ${DEFAULT_HEALTH_WINDOW_MS / 1000})
  --allow-downgrade        install an offered release older than the running one
  --retry-failed           install a version even though an earlier attempt was rolled back
  -h, --help               show this help

Versions are ordered by SemVer 2.0.0 precedence: build metadata (the part after "+") is ignored, so
1.2.0+build.2 counts as the same version as 1.2.0 and is not installed over it.

Exit codes:
  0   done; for check: up to date (the offered version is the running one or older)
  1   any other error, invalid option values included
  2   unknown option, or an option given without its value (the help follows the message)
  3   refused: the release's signature, protocol, version or artifact was rejected, another update
      holds the update lock, or check found a version that was rolled back before; nothing was installed
  4   rolled back: the new release did not become healthy and the previous one runs again
  5   the cloud hub is unreachable or did not respond in time; the next run tries again
  10  check only: an update is available and passes every check before the download
`;

/** Parses a time option as whole seconds from `min` to 3600, in ms. */
function parseSeconds(option: string, text: string, min: number): number {
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < min || seconds > 3600) throw new Error(`${option}: invalid value "${text}", expected whole seconds from ${min} to 3600`);
  return seconds * 1000;
}

/**
 * Rolls back a pending update when systemd stops the updater (SIGTERM), so the node does not stay on a
 * release whose health was never confirmed, then exits with 143.
 */
function rollBackOnSigterm(context: UpdateContext): void {
  process.once('SIGTERM', () => {
    const exit = () => process.exit(143);
    const pending = readPendingUpdate(context.stateDir);
    if (pending === null) exit();
    else rollBack(pending, context, { kind: 'interrupted', reason: `the updater was stopped (SIGTERM) while installing ${pending.to}` }).catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      exit();
    });
  });
}

/** Exit codes of `update`, listed in its help. */
export const UPDATE_EXIT_CODES = {
  upToDate: 0,
  error: 1,
  usage: 2,
  refused: 3,
  rolledBack: 4,
  hubUnreachable: 5,
  updateAvailable: 10,
} as const;

/** Result line and exit code of `update check`. */
interface CheckVerdict {
  line: string;
  exitCode: number;
}

/** Decides what `update check` reports: the same checks `update apply` makes before downloading. */
function judgeOffer(offer: UpdateOffer, failed: FailedUpdate | undefined): CheckVerdict {
  const version = offer.manifest.version;
  if (offer.signatureProblem !== null) {
    return { line: `refused: the manifest of ${version} does not verify, so it will not be installed`, exitCode: UPDATE_EXIT_CODES.refused };
  }
  if (offer.protocolProblem !== null) {
    return { line: `refused: the hub does not serve the edge protocol of ${version}, so it will not be installed`, exitCode: UPDATE_EXIT_CODES.refused };
  }
  if (offer.order === 0) return { line: 'up to date: this node runs the offered version', exitCode: UPDATE_EXIT_CODES.upToDate };
  if (offer.order < 0) {
    return { line: 'up to date: the offered version is older than the running one ("update apply --allow-downgrade" installs it)', exitCode: UPDATE_EXIT_CODES.upToDate };
  }
  if (failed !== undefined) {
    return {
      line: `refused: ${version} was rolled back on ${failed.at} (${failed.reason}); "update apply --retry-failed" tries it again`,
      exitCode: UPDATE_EXIT_CODES.refused,
    };
  }
  return { line: `update available: "update apply" installs ${version}`, exitCode: UPDATE_EXIT_CODES.updateAvailable };
}

/** Returns the version of the last `update.available` event, so a repeated check does not record it again. */
function lastAvailableVersion(stateDir: string): string | undefined {
  return readUpdateEvents(stateDir)
    .events.filter((event) => event.action === 'update.available')
    .at(-1)?.version;
}

/** Describes an offer in the lines `update check` prints. */
function describeOffer(offer: UpdateOffer, verdict: CheckVerdict): string {
  const { manifest } = offer;
  const lines = [
    `channel:    ${offer.channel}`,
    `running:    ${offer.currentVersion}`,
    `offered:    ${manifest.version} (released ${manifest.releasedAt}, edge protocol ${manifest.protocolVersion})`,
    `signature:  ${offer.verifiedBy === null ? `NOT verified: ${offer.signatureProblem}` : `verified with key ${offer.verifiedBy}`}`,
    ...(offer.protocolProblem === null ? [] : [`protocol:   ${offer.protocolProblem}`]),
    ...(manifest.notes === undefined ? [] : [`notes:      ${manifest.notes}`]),
    `result:     ${verdict.line}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Returns the exit code for an error of `update`, or null for an unexpected error (exit code 1). */
function exitCodeFor(error: unknown): number | null {
  if (error instanceof UpdateRejectedError) return UPDATE_EXIT_CODES.refused;
  if (error instanceof UpdateRolledBackError) return UPDATE_EXIT_CODES.rolledBack;
  if (error instanceof HubUnreachableError) return UPDATE_EXIT_CODES.hubUnreachable;
  return null;
}

/** Runs `edge-node update`, printing an error and setting the exit code the help lists. */
export async function runUpdateCommand(argv: string[]): Promise<void> {
  try {
    await runUpdate(argv);
  } catch (error) {
    const parseError = (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') === true;
    const exitCode = parseError ? UPDATE_EXIT_CODES.usage : exitCodeFor(error);
    if (exitCode === null) throw error;
    process.stderr.write(parseError ? `${(error as Error).message}\n\n${help}` : `${(error as Error).message}\n`);
    process.exitCode = exitCode;
  }
}

async function runUpdate(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string', default: './data' },
      'install-root': { type: 'string', default: DEFAULT_INSTALL_ROOT },
      'state-dir': { type: 'string', default: DEFAULT_UPDATE_STATE_DIR },
      'lock-file': { type: 'string', default: DEFAULT_UPDATE_LOCK_FILE },
      'stop-command': { type: 'string', default: DEFAULT_STOP_COMMAND },
      'health-window': { type: 'string' },
      schema: { type: 'string' },
      channel: { type: 'string' },
      'keys-dir': { type: 'string', default: DEFAULT_KEYS_DIR },
      'restart-command': { type: 'string', default: DEFAULT_RESTART_COMMAND },
      'health-url': { type: 'string', default: DEFAULT_HEALTH_URL },
      'health-timeout': { type: 'string' },
      'allow-downgrade': { type: 'boolean', default: false },
      'retry-failed': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  const [action, ...extra] = positionals;
  if (action === 'restore-database') {
    // Internal: the rollback runs this as the data folder's owner, see restoreDatabaseAsOwner.
    if (values.schema === undefined || !/^\d+$/.test(values.schema)) throw new Error(`--schema: invalid value "${values.schema ?? ''}", expected the schema version to restore`);
    process.stdout.write(`${JSON.stringify(restoreDatabaseForSchema(resolve(values.data), Number(values.schema)))}\n`);
    return;
  }
  if (action !== 'check' && action !== 'apply' && action !== 'recover') {
    throw new Error(`${action === undefined ? 'a subcommand is required' : `unknown subcommand "${action}"`}: use check, apply or recover\n\n${help}`);
  }
  if (extra.length > 0) throw new Error(`unexpected argument "${extra[0]}"\n\n${help}`);
  if (!URL.canParse(values['health-url'])) throw new Error(`--health-url: "${values['health-url']}" is not a URL; expected something like ${DEFAULT_HEALTH_URL}`);

  const dataDir = resolve(values.data);
  const stateDir = resolve(values['state-dir']);
  const layout = new InstallLayout(values['install-root']);
  const context: UpdateContext = {
    layout,
    dataDir,
    stateDir,
    lockFile: resolve(values['lock-file']),
    restartCommand: values['restart-command'],
    stopCommand: values['stop-command'],
    healthUrl: values['health-url'],
    health: {
      timeoutMs: values['health-timeout'] === undefined ? DEFAULT_HEALTH_TIMEOUT_MS : parseSeconds('--health-timeout', values['health-timeout'], 1),
      healthyPolls: DEFAULT_HEALTHY_POLLS,
      windowMs: values['health-window'] === undefined ? DEFAULT_HEALTH_WINDOW_MS : parseSeconds('--health-window', values['health-window'], 0),
    },
    logger: createLogger({ name: 'edge-updater' }),
  };

  if (action === 'recover') {
    rollBackOnSigterm(context);
    const recovered = await recoverUpdate(context);
    process.stdout.write(recovered.outcome === 'finished' ? `finished the update from ${recovered.from} to ${recovered.to}\n` : 'no update was pending\n');
    return;
  }

  const channel: ReleaseChannel = values.channel === undefined ? readUpdateChannel(dataDir) : parseChannel(values.channel, '--channel');
  const client = await HubClient.create(loadUpdateCredential(dataDir));
  const source = { client, channel, keysDir: resolve(values['keys-dir']), layout };

  if (action === 'check') {
    const offer = await checkForUpdate(source);
    const verdict = judgeOffer(offer, failedUpdate(readUpdateState(stateDir), offer.manifest.version));
    process.stdout.write(describeOffer(offer, verdict));
    if (verdict.exitCode === UPDATE_EXIT_CODES.updateAvailable && lastAvailableVersion(stateDir) !== offer.manifest.version) {
      appendUpdateEvent(stateDir, 'update.available', offer.manifest.version, { running: offer.currentVersion, channel, keyId: offer.verifiedBy });
    }
    process.exitCode = verdict.exitCode;
    return;
  }

  rollBackOnSigterm(context);
  const result = await applyUpdate({
    ...source,
    ...context,
    arch: process.arch,
    allowDowngrade: values['allow-downgrade'],
    retryFailed: values['retry-failed'],
  });
  if (result.outcome === 'applied') process.stdout.write(`updated from ${result.from} to ${result.to} on channel ${channel}\n`);
  else if (result.outcome === 'up-to-date') process.stdout.write(`already running ${result.version}, the current release on channel ${channel}\n`);
  else process.stdout.write(`skipping ${result.version}: it was rolled back before (${result.reason}); run with --retry-failed to try it again\n`);
}
