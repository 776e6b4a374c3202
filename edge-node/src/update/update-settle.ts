import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Logger } from '../logger';
import { restoreDatabaseAsOwner } from './database-rollback';
import { waitForSteadyHealth, type HealthWaitOptions } from './health-wait';
import type { InstallLayout } from './install-layout';
import { clearPendingUpdate, type PendingUpdate } from './pending-update';
import { runServiceCommand } from './service-command';
import { ServiceCommandError, UpdateRolledBackError } from './update-errors';
import { appendUpdateEvent } from './update-events';
import { recordFailedUpdate } from './update-state';

/** Folders, commands and health settings shared by applying, recovering and rolling back an update. */
export interface UpdateContext {
  layout: InstallLayout;
  dataDir: string;
  stateDir: string;
  /** Lock that keeps two updaters apart; `<install root>/.update.lock` when absent. */
  lockFile?: string;
  restartCommand: string;
  stopCommand: string;
  healthUrl: string;
  health: HealthWaitOptions;
  logger: Logger;
}

/** Outcome of a pending update that ended without an error. */
export interface SettledUpdate {
  from: string;
  to: string;
  pruned: string[];
}

/**
 * Why a pending update is rolled back: the release failed its health check, the restart command failed,
 * or the updater was interrupted. Only the first records the version as failed.
 */
export interface RollbackCause {
  kind: 'release-failed' | 'restart-failed' | 'interrupted';
  reason: string;
}

/**
 * Restarts the node on the pending release when `restart` is set, waits until it stays healthy, then
 * clears the marker and prunes old releases. Otherwise rolls back and throws.
 */
export async function settlePendingUpdate(pending: PendingUpdate, context: UpdateContext, restart: boolean): Promise<SettledUpdate> {
  const { layout, logger } = context;
  if (layout.currentTarget() !== pending.next) {
    return rollBack(pending, context, { kind: 'interrupted', reason: `current does not point at release ${pending.to}, so the update was interrupted` });
  }
  if (restart) {
    const restartFailure = await runServiceCommand(context.restartCommand);
    if (restartFailure !== null) return rollBack(pending, context, { kind: 'restart-failed', reason: `restarting the edge node on release ${pending.to} failed: ${restartFailure}` });
  }
  const health = await waitForSteadyHealth(context.healthUrl, pending.to, context.health);
  if (!health.healthy) {
    const windowText = `${context.health.healthyPolls} good responses over ${context.health.windowMs / 1000} s`;
    const reason = `release ${pending.to} did not report version ${pending.to} at ${context.healthUrl} within ${context.health.timeoutMs / 1000} s and stay healthy (${windowText}; last: ${health.lastSeen})`;
    return rollBack(pending, context, { kind: 'release-failed', reason });
  }

  clearPendingUpdate(context.stateDir);
  const pruned = layout.prune(pending.previous);
  appendUpdateEvent(context.stateDir, 'update.applied', pending.to, { from: pending.from, channel: pending.channel, keyId: pending.keyId, pruned });
  logger.info({ from: pending.from, to: pending.to, pruned }, `release ${pending.to} is running and stayed healthy`);
  return { from: pending.from, to: pending.to, pruned };
}

/**
 * Restores the previous release of a pending update: stops the node, puts back the database snapshot when
 * the new release migrated the database past the schema the previous one opens, points `current` back,
 * restarts the node and deletes the failed release's folder. Records the version as failed only when the
 * release itself failed. Always throws, naming what happened.
 */
export async function rollBack(pending: PendingUpdate, context: UpdateContext, cause: RollbackCause): Promise<never> {
  const { layout, logger } = context;
  const steps: string[] = [];
  const previousUsable = pending.previous !== null && existsSync(join(pending.previous, 'bin', 'simtestlab-edge'));

  if (previousUsable) {
    const stopFailure = await runServiceCommand(context.stopCommand);
    if (stopFailure !== null) logger.error({ to: pending.to }, `stopping the edge node before the rollback failed: ${stopFailure}`);
    try {
      const restored = await restoreDatabaseAsOwner(context.dataDir, pending.schemaVersion);
      if (restored.outcome === 'restored') steps.push(`restored the database snapshot of schema ${restored.to} (the schema ${restored.from} database is kept as ${restored.keptAs})`);
    } catch (error) {
      logger.error({ err: error, to: pending.to }, 'restoring the database for the previous release failed');
      steps.push(`restoring the database failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    layout.swapCurrent(pending.previous!);
    steps.push(`rolled back to ${basename(pending.previous!)}`);
    const restartFailure = await runServiceCommand(context.restartCommand);
    if (restartFailure !== null) {
      logger.error({ previous: pending.previous }, `restarting the restored release failed: ${restartFailure}`);
      steps.push(`restarting it failed: ${restartFailure}`);
    }
    if (layout.removeRelease(pending.next)) steps.push(`deleted ${basename(pending.next)}`);
  } else {
    // Without a complete previous release, pointing `current` back would leave it dangling.
    steps.push(pending.previous === null ? 'no previous release to restore' : `the previous release ${pending.previous} is missing, so ${pending.to} stays active`);
  }

  clearPendingUpdate(context.stateDir);
  if (cause.kind === 'release-failed') recordFailedUpdate(context.stateDir, pending.to, cause.reason);
  appendUpdateEvent(context.stateDir, 'update.rolled_back', pending.to, { from: pending.from, channel: pending.channel, reason: cause.reason, restoredTo: previousUsable ? basename(pending.previous!) : null });
  const summary = `${cause.reason}; ${steps.join('; ')}`;
  logger.error({ from: pending.from, to: pending.to, previous: pending.previous }, summary);
  if (cause.kind === 'restart-failed') throw new ServiceCommandError(`${summary}. The version is not recorded as failed; fix the restart command and run "update apply" again`);
  if (cause.kind === 'interrupted') throw new UpdateRolledBackError(`${summary}. The version is not recorded as failed, so the next run tries it again`);
  throw new UpdateRolledBackError(`${summary}. It will not be installed automatically again; run "update apply --retry-failed" to try it once more`);
}
