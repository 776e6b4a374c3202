import type { ControlErrorCode, ControlLease, ControlSource, ControlValue, SampleValue } from '@simtestlab/sync';
import { writeAuditEntry, type AuditActorType } from '../audit/audit-log';
import type { SiteActor } from '../access/site-actor';
import type { SqliteDatabase } from '../store/database';
import { queueEventIfEnabled } from '../upload/event-queue';

/** Audit actions of device control: a user's write or release, and the releases the edge applies itself. */
export type ControlAuditAction = 'control.write' | 'control.release' | 'control.lease_expired' | 'control.link_lost_release';

/** One command or release, accepted or refused, as the audit entry and the `control` upload event record it. */
export interface ControlRecord {
  action: ControlAuditAction;
  at: number;
  /** The user who sent the command; null for a release the edge applied itself. */
  actor: SiteActor | null;
  /** Whose command or lease it concerns: the actor, or the holder of the lease that ended. */
  userId: string;
  userName: string;
  source: ControlSource;
  point: string;
  oldValue: SampleValue | undefined;
  /** Value requested or written; null for a BACnet relinquish. */
  newValue: ControlValue | null;
  readBack?: SampleValue;
  result: 'ok' | ControlErrorCode;
  message: string;
  /** Lease in force after the command, when it changed one. */
  lease?: ControlLease | null;
  /** Why the edge applied a release itself: the lease ended, the link to the hub closed, the edge restarted. */
  reason?: string;
}

function actorType(actor: SiteActor | null): AuditActorType {
  if (actor === null) return 'system';
  return actor.origin === 'cloud' ? 'cloud' : 'user';
}

/**
 * Writes the audit entry of a command and queues the matching `control` upload event, in one
 * transaction with `change` (the lease update), and returns the audit entry's id.
 */
export function recordControl(db: SqliteDatabase, record: ControlRecord, change: () => void = () => undefined): number {
  const details = {
    user: { id: record.userId, name: record.userName },
    source: record.source,
    point: record.point,
    oldValue: record.oldValue ?? null,
    newValue: record.newValue,
    ...(record.readBack === undefined ? {} : { readBack: record.readBack }),
    result: record.result,
    message: record.message,
    ...(record.lease === undefined ? {} : { lease: record.lease }),
    ...(record.reason === undefined ? {} : { reason: record.reason }),
  };
  return db.transaction(() => {
    change();
    const auditId = writeAuditEntry(db, {
      atMs: record.at,
      actorType: actorType(record.actor),
      actorId: record.actor?.id ?? null,
      action: record.action,
      targetType: 'point',
      targetId: record.point,
      details,
    });
    queueEventIfEnabled(db, { kind: 'control', at: record.at, payload: { auditId, action: record.action, ...details } });
    return auditId;
  })();
}
