import type { TransactionSql } from '../db/connect';

/** Who made a change and from where; one per request. */
export interface AuditActor {
  actorType: 'user' | 'edge' | 'system';
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/** One change: the action, its target, and the target's state before and after (null when absent). */
export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string | null;
  organizationId: string | null;
  siteId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Appends an audit entry inside the transaction that makes the change, so the entry exists if and only
 * if the change commits.
 */
export async function writeAudit(tx: TransactionSql, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await tx`
    INSERT INTO audit_log (organization_id, site_id, actor_type, actor_id, action, target_type, target_id,
                           before, after, ip, user_agent, request_id)
    VALUES (${entry.organizationId}, ${entry.siteId ?? null}, ${actor.actorType}, ${actor.actorId}, ${entry.action},
            ${entry.targetType}, ${entry.targetId}, ${toJson(tx, entry.before)}, ${toJson(tx, entry.after)},
            ${actor.ip}, ${actor.userAgent}, ${actor.requestId})`;
}

function toJson(tx: TransactionSql, value: unknown) {
  return value === undefined || value === null ? null : tx.json(value as Parameters<TransactionSql['json']>[0]);
}
