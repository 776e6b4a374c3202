import { randomUUID } from 'node:crypto';
import type { EdgeEventKind } from '@simtestlab/sync';
import type { Statement } from 'better-sqlite3';
import { auditEventPayload, listAuditEntries } from '../audit/audit-log';
import type { Logger } from '../logger';
import type { SqliteDatabase } from '../store/database';
import { tiers, type Tier } from '../store/time-buckets';
import { QUEUE_EVENT_SQL, UPLOAD_QUEUE_ENABLED_SQL, UPLOAD_QUEUE_META_KEY, type QueuedEvent } from './event-queue';

/**
 * Prepared statements that queue rollup rows and events for upload. Call them inside the transaction
 * that writes the row or the event, so the outbox contains exactly what was committed.
 */
export class OutboxWriter {
  private readonly readEnabled: Statement<[], { enabled: number }>;
  private readonly insertRollup: Statement<[Tier, number, number]>;
  private readonly insertEvent: Statement<[string, EdgeEventKind, number, string]>;

  constructor(db: SqliteDatabase) {
    this.readEnabled = db.prepare(UPLOAD_QUEUE_ENABLED_SQL);
    // REPLACE gives a row queued again a new seq, so an upload in flight cannot delete it.
    this.insertRollup = db.prepare('INSERT OR REPLACE INTO upload_rollups (tier, point_id, bucket_start) VALUES (?, ?, ?)');
    this.insertEvent = db.prepare(QUEUE_EVENT_SQL);
  }

  /** Returns whether the edge queues uploads. Read it once per transaction, because pairing can turn it on at any time. */
  enabled(): boolean {
    return this.readEnabled.get() !== undefined;
  }

  queueRollup(tier: Tier, pointId: number, bucketStart: number): void {
    this.insertRollup.run(tier, pointId, bucketStart);
  }

  /** Queues an event under a new UUID, which the hub uses to drop resends. */
  queueEvent(event: QueuedEvent): void {
    this.insertEvent.run(randomUUID(), event.kind, event.at, JSON.stringify(event.payload));
  }
}

/**
 * Turns the outbox on, once: sets the meta flag and, in the same transaction, queues every rollup row
 * and every audit entry the edge already holds, oldest first. Does nothing when the flag is already
 * set. Returns how many rows it queued, or null when the outbox was already on.
 *
 * Device status history from before pairing is not queued: it is local diagnostics that can reach
 * years, while audit entries are few and the hub keeps the audit log.
 */
export function enableUploadQueue(db: SqliteDatabase, logger: Logger): { rollups: number; events: number } | null {
  const enable = db.transaction(() => {
    if (db.prepare(UPLOAD_QUEUE_ENABLED_SQL).get() !== undefined) return null;
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(UPLOAD_QUEUE_META_KEY, String(Date.now()));
    let rollups = 0;
    for (const tier of tiers) {
      rollups += db
        .prepare(
          `INSERT OR IGNORE INTO upload_rollups (tier, point_id, bucket_start)
           SELECT ?, point_id, bucket_start FROM rollup_${tier} ORDER BY bucket_start`,
        )
        .run(tier).changes;
    }
    const insertEvent = db.prepare(QUEUE_EVENT_SQL);
    const audit = listAuditEntries(db, { limit: -1 });
    for (const entry of audit) insertEvent.run(randomUUID(), 'audit', entry.atMs, JSON.stringify(auditEventPayload(entry)));
    return { rollups, events: audit.length };
  });
  const queued = enable();
  if (queued) logger.info(queued, 'upload outbox enabled: queued the rollup rows and audit entries stored before pairing');
  return queued;
}
