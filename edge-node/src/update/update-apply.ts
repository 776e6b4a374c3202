import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../logger';
import { waitForVersion } from './health-wait';
import { downloadArtifact } from './release-client';
import { checkForUpdate, type UpdateOffer, type UpdateSource } from './update-check';
import { UpdateRejectedError, UpdateRolledBackError } from './update-errors';
import { writeUpdateAudit } from './update-audit';
import { acquireUpdateLock } from './update-lock';
import { failedUpdate, readUpdateState, recordFailedUpdate, type FailedUpdate } from './update-state';

const execFileAsync = promisify(execFile);

/** Default command that restarts the edge node after `current` changed. */
export const DEFAULT_RESTART_COMMAND = 'systemctl restart simtestlab-edge.service';

/** Default health URL of the local edge node. */
export const DEFAULT_HEALTH_URL = 'http://127.0.0.1:8080/api/health';

/** Default time the new release has to report its version, in ms. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 60_000;

/** Maximum time the restart command may run. */
const RESTART_TIMEOUT_MS = 120_000;

export interface ApplyOptions extends UpdateSource {
  dataDir: string;
  /** Architecture whose artifact to install, `process.arch` unless a test sets it. */
  arch: string;
  allowDowngrade: boolean;
  /** Installs a version even though an earlier attempt rolled it back. */
  retryFailed: boolean;
  restartCommand: string;
  healthUrl: string;
  healthTimeoutMs: number;
  logger: Logger;
}

/** Outcome of an `applyUpdate` that ended without an error. */
export type ApplyResult =
  | { outcome: 'applied'; from: string; to: string; pruned: string[] }
  | { outcome: 'up-to-date'; version: string }
  | { outcome: 'skipped-failed'; version: string; reason: string };

/** Runs the restart command with /bin/sh; returns null on success or the failure. */
async function restart(command: string): Promise<string | null> {
  try {
    await execFileAsync('/bin/sh', ['-c', command], { timeout: RESTART_TIMEOUT_MS });
    return null;
  } catch (error) {
    const failure = error as Error & { stderr?: string };
    return `restart command "${command}" failed: ${(failure.stderr ?? '').trim() || failure.message}`;
  }
}

/** Rejects a release before anything is downloaded: signature, protocol and version order. */
function rejectEarly(offer: UpdateOffer, options: ApplyOptions): FailedUpdate | 'install' | 'same' {
  if (offer.signatureProblem !== null) throw new UpdateRejectedError(offer.signatureProblem);
  if (offer.protocolProblem !== null) throw new UpdateRejectedError(offer.protocolProblem);
  if (offer.order === 0) return 'same';
  if (offer.order < 0 && !options.allowDowngrade) {
    throw new UpdateRejectedError(
      `release ${offer.manifest.version} on channel ${offer.channel} is older than the running ${offer.currentVersion}; rejecting the downgrade (pass --allow-downgrade to install it anyway)`,
    );
  }
  const failed = failedUpdate(readUpdateState(options.dataDir), offer.manifest.version);
  if (failed !== undefined && !options.retryFailed) return failed;
  return 'install';
}

/**
 * Installs the channel's release: verifies the signature, downloads the artifact for `arch` into the
 * install root and checks its size and SHA-256, unpacks it to `releases/<version>`, points `current`
 * at it and restarts the node. When the health URL does not report the new version within the timeout,
 * `current` goes back to the previous release, the node restarts again, and the version is recorded so
 * it is not retried automatically. Keeps the previous release folder and deletes older ones.
 */
export async function applyUpdate(options: ApplyOptions): Promise<ApplyResult> {
  const release = acquireUpdateLock(options.layout.root);
  try {
    return await installOffer(options);
  } finally {
    release();
  }
}

async function installOffer(options: ApplyOptions): Promise<ApplyResult> {
  const { layout, logger } = options;
  const offer = await checkForUpdate(options);
  const { manifest } = offer;
  const decision = rejectEarly(offer, options);
  if (decision === 'same') return { outcome: 'up-to-date', version: manifest.version };
  if (decision !== 'install') return { outcome: 'skipped-failed', version: manifest.version, reason: decision.reason };

  const artifact = manifest.artifacts.find((entry) => entry.arch === options.arch);
  if (artifact === undefined) {
    throw new UpdateRejectedError(`release ${manifest.version} has no artifact for ${options.arch} (it has ${manifest.artifacts.map((entry) => entry.arch).join(', ')}); nothing was installed`);
  }

  const download = layout.temporaryDownloadPath(artifact.file);
  let releaseDir: string;
  try {
    const downloaded = await downloadArtifact(options.client, offer.channel, artifact, download);
    if (downloaded.size !== artifact.size) {
      throw new UpdateRejectedError(`artifact ${artifact.file} has ${downloaded.size} bytes, but its manifest states ${artifact.size}; rejecting it`);
    }
    if (downloaded.sha256 !== artifact.sha256) {
      throw new UpdateRejectedError(`artifact ${artifact.file} has SHA-256 ${downloaded.sha256}, but its manifest states ${artifact.sha256}; rejecting it`);
    }
    releaseDir = await layout.unpack(download, manifest.version);
  } finally {
    rmSync(download, { force: true });
  }

  const previous = layout.currentTarget();
  const from = offer.currentVersion;
  layout.swapCurrent(releaseDir);
  logger.info({ from, to: manifest.version, release: releaseDir }, `switched ${layout.currentLink} to release ${manifest.version}; restarting the edge node`);
  const restartFailure = await restart(options.restartCommand);
  const health = restartFailure === null ? await waitForVersion(options.healthUrl, manifest.version, options.healthTimeoutMs) : { healthy: false as const, lastSeen: restartFailure };

  if (health.healthy) {
    const pruned = layout.prune(previous);
    writeUpdateAudit(options.dataDir, 'update.applied', manifest.version, { from, channel: offer.channel, keyId: offer.verifiedBy, pruned });
    logger.info({ from, to: manifest.version, pruned }, `release ${manifest.version} is running and healthy`);
    return { outcome: 'applied', from, to: manifest.version, pruned };
  }

  const reason = `release ${manifest.version} did not report version ${manifest.version} at ${options.healthUrl} within ${options.healthTimeoutMs / 1000} s (last: ${health.lastSeen})`;
  let restored = 'no previous release to restore';
  if (previous !== null) {
    layout.swapCurrent(previous);
    restored = `rolled back to ${basename(previous)}`;
    const rollbackRestartFailure = await restart(options.restartCommand);
    if (rollbackRestartFailure !== null) logger.error({ previous }, `restarting the restored release failed: ${rollbackRestartFailure}`);
  }
  recordFailedUpdate(options.dataDir, manifest.version, reason);
  writeUpdateAudit(options.dataDir, 'update.rolled_back', manifest.version, { from, channel: offer.channel, reason, restoredTo: previous === null ? null : basename(previous) });
  logger.error({ from, to: manifest.version, previous }, `${reason}; ${restored}`);
  throw new UpdateRolledBackError(`${reason}; ${restored}. It will not be installed automatically again; run "update apply --retry-failed" to try it once more`);
}
