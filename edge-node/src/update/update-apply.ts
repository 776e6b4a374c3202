import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_VERSION } from '../store/migrations';
import { downloadArtifact } from './release-client';
import { checkForUpdate, type UpdateOffer, type UpdateSource } from './update-check';
import { UpdateRejectedError } from './update-errors';
import { acquireUpdateLock } from './update-lock';
import { readPendingUpdate, writePendingUpdate, type PendingUpdate } from './pending-update';
import { failedUpdate, readUpdateState, type FailedUpdate } from './update-state';
import { settlePendingUpdate, type UpdateContext } from './update-settle';

/** Default health URL of the local edge node. */
export const DEFAULT_HEALTH_URL = 'http://127.0.0.1:8080/api/health';

/** Default time the new release has to report its version, in ms. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 60_000;

export interface ApplyOptions extends UpdateSource, UpdateContext {
  /** Architecture whose artifact to install, `process.arch` unless a test sets it. */
  arch: string;
  allowDowngrade: boolean;
  /** Installs a version even though an earlier attempt rolled it back. */
  retryFailed: boolean;
}

/** Outcome of an `applyUpdate` that ended without an error. */
export type ApplyResult =
  | { outcome: 'applied'; from: string; to: string; pruned: string[] }
  | { outcome: 'up-to-date'; version: string }
  | { outcome: 'skipped-failed'; version: string; reason: string };

/** Outcome of `recoverUpdate`: nothing was pending, or the pending update was finished. */
export type RecoverResult = { outcome: 'nothing-pending' } | { outcome: 'finished'; from: string; to: string };

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
  const failed = failedUpdate(readUpdateState(options.stateDir), offer.manifest.version);
  if (failed !== undefined && !options.retryFailed) return failed;
  return 'install';
}

/** Removes what a killed updater left behind, and finishes or rolls back an update it left pending. */
async function cleanUpEarlierRun(context: UpdateContext): Promise<RecoverResult> {
  const leftovers = context.layout.removeLeftovers();
  if (leftovers.length > 0) context.logger.info({ leftovers }, 'removed files an earlier update left behind');
  const pending = readPendingUpdate(context.stateDir);
  if (pending === null) return { outcome: 'nothing-pending' };
  context.logger.warn({ from: pending.from, to: pending.to }, `an earlier update to ${pending.to} did not finish; checking its health`);
  const settled = await settlePendingUpdate(pending, context, false);
  return { outcome: 'finished', from: settled.from, to: settled.to };
}

/**
 * Finishes an update that a killed updater, a power cut or a timeout left pending: waits until the new
 * release stays healthy, or rolls back. Run at boot and before every `update apply`.
 */
export async function recoverUpdate(context: UpdateContext): Promise<RecoverResult> {
  const release = acquireUpdateLock(context.lockFile ?? context.layout.root);
  try {
    return await cleanUpEarlierRun(context);
  } finally {
    release();
  }
}

/**
 * Installs the channel's release: verifies the signature, downloads the artifact for `arch` into the
 * install root and checks its size and SHA-256, unpacks it to `releases/<version>`, writes the pending
 * marker, points `current` at it and restarts the node. Unless the new version stays healthy over the
 * health window, the previous release (and its database schema) comes back and the version is recorded
 * so it is not retried automatically. Keeps the previous release folder and deletes older ones.
 */
export async function applyUpdate(options: ApplyOptions): Promise<ApplyResult> {
  const release = acquireUpdateLock(options.lockFile ?? options.layout.root);
  try {
    await cleanUpEarlierRun(options);
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

  // A `current` whose folder is gone cannot be rolled back to, so it is not offered as one.
  const currentTarget = layout.currentTarget();
  const previous = currentTarget !== null && existsSync(join(currentTarget, 'bin', 'simtestlab-edge')) ? currentTarget : null;
  const pending: PendingUpdate = {
    previous,
    next: releaseDir,
    from: offer.currentVersion,
    to: manifest.version,
    channel: offer.channel,
    schemaVersion: SCHEMA_VERSION,
    keyId: offer.verifiedBy,
    startedAt: new Date().toISOString(),
  };
  writePendingUpdate(options.stateDir, pending);
  layout.swapCurrent(releaseDir);
  logger.info({ from: pending.from, to: pending.to, release: releaseDir }, `switched ${layout.currentLink} to release ${manifest.version}; restarting the edge node`);
  const settled = await settlePendingUpdate(pending, options, true);
  return { outcome: 'applied', ...settled };
}
