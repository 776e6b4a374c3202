import type { Context } from 'hono';
import type { TransactionSql } from '../db/connect';
import { inTenantScope, type TenantScope } from '../db/scope';
import { writeAudit, type AuditActor, type AuditEntry } from '../audit/audit-log';
import type { AppDeps, AppEnv } from './env';

/** Tools of a change handler: the scoped transaction, the audit writer and the permission notifier. */
export interface Change {
  tx: TransactionSql;
  audit(entry: AuditEntry): Promise<void>;
  /** Raises the user's permissions version now and announces the change once the transaction commits. */
  permissionsChanged(userId: string): Promise<void>;
}

/** Builds the audit actor of the current request. */
export function requestActor(c: Context<AppEnv>): AuditActor {
  return {
    actorType: 'user',
    actorId: c.var.caller?.userId ?? null,
    ip: c.var.clientIp,
    userAgent: c.req.header('user-agent') ?? null,
    requestId: c.var.requestId,
  };
}

/**
 * Runs a change in one transaction scoped to the caller's organizations (or `scope`), with its audit
 * entries. Permission caches are invalidated and permission-changed events published only after the
 * commit, so no subscriber can reload the old state.
 */
export async function runChange<T>(
  deps: AppDeps,
  c: Context<AppEnv>,
  work: (change: Change) => Promise<T>,
  scope: TenantScope = c.var.caller.scope,
): Promise<T> {
  return runAuditedChange(deps, requestActor(c), scope, work, c.var.logger);
}

/** Does what `runChange` does for an actor outside a request (the CLI, a set-password link). */
export async function runAuditedChange<T>(
  deps: Pick<AppDeps, 'sql' | 'logger'> & { permissions: Pick<AppDeps['permissions'], 'invalidate'> },
  actor: AuditActor,
  scope: TenantScope,
  work: (change: Change) => Promise<T>,
  logger = deps.logger,
): Promise<T> {
  const changedUsers = new Set<string>();
  const result = await inTenantScope(deps.sql, scope, (tx) =>
    work({
      tx,
      audit: (entry) => writeAudit(tx, actor, entry),
      permissionsChanged: async (userId) => {
        await tx`UPDATE users SET permissions_version = permissions_version + 1, updated_at = now() WHERE id = ${userId}`;
        changedUsers.add(userId);
      },
    }),
  );
  for (const userId of changedUsers) {
    try {
      await deps.permissions.invalidate(userId);
    } catch (error) {
      logger.error({ err: error, userId }, 'permission change committed but the cache invalidation failed; instances may use the old permissions until the cached entry expires (up to 10 min)');
    }
  }
  return result;
}
