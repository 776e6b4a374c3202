import { randomUUID } from 'node:crypto';
import type { EdgeEventKind } from '@simtestlab/sync';
import type { SqliteDatabase } from '../store/database';

/**
 * `meta` key whose presence turns the upload outbox on. It is set once, when an edge with a pairing
 * credential starts (see `enableUploadQueue`), and stays set. An unpaired edge queues nothing, so its
 * outbox never grows.
 */
export const UPLOAD_QUEUE_META_KEY = 'upload.queueEnabled';

export const UPLOAD_QUEUE_ENABLED_SQL = `SELECT 1 AS enabled FROM meta WHERE key = '${UPLOAD_QUEUE_META_KEY}'`;
export const QUEUE_EVENT_SQL = 'INSERT INTO upload_events (id, kind, at, payload) VALUES (?, ?, ?, ?)';

/** An event to queue; `at` is epoch ms UTC and `payload` becomes a JSON object. */
export interface QueuedEvent {
  kind: EdgeEventKind;
  at: number;
  payload: Record<string, unknown>;
}

/**
 * Queues one event under a new UUID when the outbox is on, for callers outside the commit path (audit
 * entries, point catalogs). Returns whether the event was queued.
 */
export function queueEventIfEnabled(db: SqliteDatabase, event: QueuedEvent): boolean {
  if (db.prepare(UPLOAD_QUEUE_ENABLED_SQL).get() === undefined) return false;
  db.prepare(QUEUE_EVENT_SQL).run(randomUUID(), event.kind, event.at, JSON.stringify(event.payload));
  return true;
}
