import { randomUUID } from 'node:crypto';
import type { EdgeEventKind } from '@simtestlab/sync';
import type { Statement } from 'better-sqlite3';
import { auditEventPayload, listAuditEntries } from '../audit/audit-log';
import type { Logger } from '../logger';
import type { SqliteDatabase } from '../store/database';
import { tiers, type Tier } from '../store/time-buckets';
import { QUEUE_EVENT_SQL, UPLOAD_QUEUE_ENABLED_SQL, UPLOAD_QUEUE_META_KEY, type QueuedEvent } from './event-queue';

/** A REAL column, or NULL when it contains an infinity, which the contract rejects. SQLite stores no NaN. */
const finite = (column: string) => `CASE WHEN abs(${column}) <= 1.7976931348623157e308 THEN ${column} END`;

/**
 * The wire tuple `RollupRow` of a stored rollup row as JSON, built by SQLite over the columns of a
 * rollup table. SQLite 3.53, which better-sqlite3 12 bundles, writes each REAL with as many digits as
 * it takes to read back the same double, so the hub stores the values the edge has (a test checks it).
 * An infinite value, as the sum of a register that reads +Inf, is sent as null: SQLite would write it as
 * 9.0e+999, and one such row would make the hub reject the whole batch.
 */
export const ROLLUP_ROW_JSON = `json_array(bucket_start, bucket_end, count, ${['sum', 'min', 'max', 'last'].map(finite).join(', ')}, last_ts, ${finite('delta')}, estimated, revision)`;

/**
 * Columns of a queued rollup entry after its tier, in the order of `QueuedRollupValues`. `row` is the
 * wire tuple as JSON, so the uploader neither converts each value nor serializes it again. The three
 * times are kept as numbers to check them against the contract's range without parsing `row`.
 */
export const QUEUED_ROLLUP_COLUMNS = 'point_id, bucket_start, bucket_end, last_ts, row';

/** The same columns selected from a rollup table. */
export const ROLLUP_TABLE_COLUMNS = `point_id, bucket_start, bucket_end, last_ts, ${ROLLUP_ROW_JSON}`;

/** A rollup row as queued, in the order of `QUEUED_ROLLUP_COLUMNS`. */
export type QueuedRollupValues = [pointId: number, bucketStart: number, bucketEnd: number, lastTs: number | null, row: string];

/** `RETURNING` clause of a rollup upsert that yields the row as `QueuedRollupValues`. */
export const RETURNING_QUEUED_ROLLUP = `RETURNING ${ROLLUP_TABLE_COLUMNS}`;

/**
 * Prepared statements that queue rollup rows and events for upload. Call them inside the transaction
 * that writes the row or the event, so the outbox contains exactly what was committed.
 */
export class OutboxWriter {
  private readonly readEnabled: Statement<[], { enabled: number }>;
  private readonly insertRollup: Statement<[Tier, ...QueuedRollupValues]>;
  private readonly insertEvent: Statement<[string, EdgeEventKind, number, string]>;

  constructor(db: SqliteDatabase) {
    this.readEnabled = db.prepare(UPLOAD_QUEUE_ENABLED_SQL);
    const placeholders = QUEUED_ROLLUP_COLUMNS.split(', ').map(() => '?');
    // REPLACE gives a row queued again a new seq, so an upload in flight cannot delete it.
    this.insertRollup = db.prepare(`INSERT OR REPLACE INTO upload_rollups (tier, ${QUEUED_ROLLUP_COLUMNS}) VALUES (?, ${placeholders.join(', ')})`);
    this.insertEvent = db.prepare(QUEUE_EVENT_SQL);
  }

  /** Returns whether the edge queues uploads. Read it once per transaction, because pairing can turn it on at any time. */
  enabled(): boolean {
    return this.readEnabled.get() !== undefined;
  }

  /** Queues a rollup row with the values it was stored with, replacing an older entry of the same bucket. */
  queueRollup(tier: Tier, row: QueuedRollupValues): void {
    this.insertRollup.run(tier, ...row);
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
          `INSERT OR IGNORE INTO upload_rollups (tier, ${QUEUED_ROLLUP_COLUMNS})
           SELECT ?, ${ROLLUP_TABLE_COLUMNS} FROM rollup_${tier} ORDER BY bucket_start`,
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
