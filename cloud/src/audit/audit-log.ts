import type { TransactionSql } from '../db/connect';

/** Actor of a change and where it came from, one per request. */
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

/** Maximum stored length of a User-Agent header. Longer ones are cut to it, as refresh tokens store them. */
export const MAX_USER_AGENT_LENGTH = 500;

/** Text that replaces a URL password in audit entries. */
export const AUDIT_REDACTION = '[redacted]';

/**
 * Replaces the password of a URL with `replacement` and keeps the user name. Text that is not a URL with
 * a password is returned unchanged.
 */
export function replaceUrlPassword(text: string, replacement: string): string {
  if (!text.includes('@') || !URL.canParse(text)) return text;
  const url = new URL(text);
  if (url.password === '') return text;
  // Built by hand because the URL password setter would percent-encode the brackets of AUDIT_REDACTION.
  return `${url.protocol}//${url.username}:${replacement}@${url.host}${url.pathname}${url.search}${url.hash}`;
}

/**
 * Copies a before or after state with the password of every URL-valued string replaced, at any depth of
 * plain objects and arrays. Audit entries are read and exported by site managers and admins, so they
 * must not keep connection secrets even when a caller forgot to remove them.
 */
function redactUrlPasswords(value: unknown): unknown {
  if (typeof value === 'string') return replaceUrlPassword(value, AUDIT_REDACTION);
  if (Array.isArray(value)) return value.map(redactUrlPasswords);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactUrlPasswords(item)]));
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Appends an audit entry inside the transaction that makes the change, so the entry exists if and only
 * if the change commits. URL passwords in the before and after states are replaced by AUDIT_REDACTION,
 * and the User-Agent is cut to MAX_USER_AGENT_LENGTH characters.
 */
export async function writeAudit(tx: TransactionSql, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await tx`
    INSERT INTO audit_log (organization_id, site_id, actor_type, actor_id, action, target_type, target_id,
                           before, after, ip, user_agent, request_id)
    VALUES (${entry.organizationId}, ${entry.siteId ?? null}, ${actor.actorType}, ${actor.actorId}, ${entry.action},
            ${entry.targetType}, ${entry.targetId}, ${toJson(tx, entry.before)}, ${toJson(tx, entry.after)},
            ${actor.ip}, ${actor.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null}, ${actor.requestId})`;
}

function toJson(tx: TransactionSql, value: unknown) {
  return value === undefined || value === null ? null : tx.json(redactUrlPasswords(value) as Parameters<TransactionSql['json']>[0]);
}
