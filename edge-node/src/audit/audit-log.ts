import type { SqliteDatabase } from '../store/database';
import { queueEventIfEnabled } from '../upload/event-queue';

/**
 * Kind of actor: a local `user` of the edge API, an OS user running a `cli` command, the edge itself
 * (`system`), a change that arrived from the `cloud` hub, or the installer in first-boot `setup`
 * (who has the setup code but no account yet).
 */
export type AuditActorType = 'user' | 'cli' | 'system' | 'cloud' | 'setup';

/** One audit entry as written. `atMs` defaults to now; `details` is stored as a JSON object. */
export interface AuditEntryInput {
  atMs?: number;
  actorType: AuditActorType;
  actorId: string | null;
  /** Dotted verb, such as `edge.paired`. */
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

/** A stored audit entry. */
export interface AuditEntry {
  id: number;
  atMs: number;
  actorType: AuditActorType;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
}

interface AuditRow {
  id: number;
  at: number;
  actor_type: AuditActorType;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: string;
}

/**
 * Appends an entry to the edge's audit log and returns its id. Call it inside the transaction that
 * makes the change, where there is one, so the entry exists exactly when the change commits. When the
 * upload outbox is on, the same transaction queues the entry for upload to the hub.
 */
export function writeAuditEntry(db: SqliteDatabase, entry: AuditEntryInput): number {
  const write = db.transaction(() => {
    const row: Omit<AuditRow, 'id'> = {
      at: entry.atMs ?? Date.now(),
      actor_type: entry.actorType,
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    };
    const result = db
      .prepare(
        `INSERT INTO audit_log (at, actor_type, actor_id, action, target_type, target_id, details)
         VALUES (@at, @actor_type, @actor_id, @action, @target_type, @target_id, @details)`,
      )
      .run(row);
    const id = Number(result.lastInsertRowid);
    queueEventIfEnabled(db, { kind: 'audit', at: row.at, payload: auditEventPayload(entryFromRow({ id, ...row })) });
    return id;
  });
  return write();
}

/** Returns the upload payload of an audit entry: the entry with its local id as `auditId`, without its time, which is the event's `at`. */
export function auditEventPayload(entry: AuditEntry): Record<string, unknown> {
  const { id, atMs: _atMs, ...fields } = entry;
  return { auditId: id, ...fields };
}

function entryFromRow(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    atMs: row.at,
    actorType: row.actor_type,
    actorId: row.actor_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}

/** Lists audit entries oldest first, optionally only those of one action; a negative `limit` lists all. */
export function listAuditEntries(db: SqliteDatabase, options: { action?: string; limit?: number } = {}): AuditEntry[] {
  const rows = db
    .prepare<[string | null, string | null, number], AuditRow>(
      `SELECT id, at, actor_type, actor_id, action, target_type, target_id, details FROM audit_log
       WHERE (? IS NULL OR action = ?) ORDER BY id LIMIT ?`,
    )
    .all(options.action ?? null, options.action ?? null, options.limit ?? 1000);
  return rows.map(entryFromRow);
}
