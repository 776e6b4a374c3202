import { pointId as makePointId, type EdgeEventKind } from '@simtestlab/sync';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../store/database';
import { tiers, type Tier } from '../store/time-buckets';
import { QUEUED_ROLLUP_COLUMNS } from './outbox-writer';

/**
 * A count that took longer than this (ms) is reused for `RECOUNT_INTERVAL_MS`, minus the rows deleted
 * since. `count(*)` walks the whole index on the thread that polls devices: about 40 ms for 4.3 million
 * rows on the 2-core development machine.
 */
const SLOW_COUNT_MS = 5;
const RECOUNT_INTERVAL_MS = 10_000;

/**
 * Nominal length of a bucket of each tier, added to the oldest queued bucket start to give the time its
 * data was complete. A day is taken as 24 h, so on a daylight-saving day the time is off by an hour.
 */
const TIER_LENGTH_MS: Record<Tier, number> = { '1m': 60_000, '15m': 15 * 60_000, '1h': 3_600_000, '1d': 86_400_000 };

/** A queued event as stored; `payload` is JSON text. */
export interface OutboxEventRow {
  seq: number;
  id: string;
  kind: EdgeEventKind;
  at: number;
  payload: string;
}

/**
 * A queued rollup row as `readRollups` returns it: seq, tier, point id, the three times, and the wire
 * tuple as JSON. The times after the bucket start and `row` are null only in an entry that an older edge
 * queued without values and whose row was gone when the migration copied the values in.
 */
export type OutboxRollupRow = [
  seq: number,
  tier: Tier,
  pointId: number,
  bucketStart: number,
  bucketEnd: number | null,
  lastTs: number | null,
  row: string | null,
];

/** Size of the outbox. `oldestUnsentAt` is the earliest event time or end of a queued bucket, epoch ms UTC. */
export interface OutboxBacklog {
  rollups: number;
  events: number;
  oldestUnsentAt: number | null;
}

/**
 * Reads and clears the upload outbox on the main thread's connection. WAL mode lets these reads run
 * while the commit worker writes. Each read is one prepared statement over an indexed range, so its
 * cost grows with the rows read, not with the length of the backlog.
 */
export class Outbox {
  private readonly selectEvents: Statement<[number, number], OutboxEventRow>;
  private readonly selectRollups: Statement<[number, number], OutboxRollupRow>;
  private readonly selectPoint: Statement<[number], { device_key: string; key: string }>;
  private readonly countEvents: Statement<[], { count: number }>;
  private readonly countRollups: Statement<[], { count: number }>;
  private readonly oldestEvent: Statement<[], { oldest: number | null }>;
  private readonly oldestRollup: Statement<[Tier], { oldest: number | null }>;
  private readonly deleteEvents: Statement<[number]>;
  private readonly deleteRollups: Statement<[number]>;
  private readonly pointKeys = new Map<number, string>();
  private counted: { at: number; costMs: number; rollups: number; events: number } | undefined;

  constructor(private readonly db: SqliteDatabase) {
    this.selectEvents = db.prepare('SELECT seq, id, kind, at, payload FROM upload_events WHERE seq > ? ORDER BY seq LIMIT ?');
    // Each entry carries its values, so a read is one range of the seq key and touches no tier table.
    this.selectRollups = db.prepare<[number, number], OutboxRollupRow>(`SELECT seq, tier, ${QUEUED_ROLLUP_COLUMNS} FROM upload_rollups WHERE seq > ? ORDER BY seq LIMIT ?`).raw();
    this.selectPoint = db.prepare('SELECT device_key, key FROM points WHERE id = ?');
    this.countEvents = db.prepare('SELECT count(*) AS count FROM upload_events');
    this.countRollups = db.prepare('SELECT count(*) AS count FROM upload_rollups');
    // Separate statements, so each min() reads one end of its index.
    this.oldestEvent = db.prepare('SELECT min(at) AS oldest FROM upload_events');
    this.oldestRollup = db.prepare('SELECT min(bucket_start) AS oldest FROM upload_rollups WHERE tier = ?');
    this.deleteEvents = db.prepare('DELETE FROM upload_events WHERE seq <= ?');
    this.deleteRollups = db.prepare('DELETE FROM upload_rollups WHERE seq <= ?');
  }

  /** Reads the oldest `limit` queued events after `afterSeq`, in queue order. */
  readEvents(afterSeq: number, limit: number): OutboxEventRow[] {
    return limit > 0 ? this.selectEvents.all(afterSeq, limit) : [];
  }

  /** Reads the oldest `limit` queued rollup rows after `afterSeq`, in queue order, each with the values it was queued with. */
  readRollups(afterSeq: number, limit: number): OutboxRollupRow[] {
    return limit > 0 ? this.selectRollups.all(afterSeq, limit) : [];
  }

  /** Returns the `device.point` id of a stored point, or null when the point is unknown. */
  pointKey(pointId: number): string | null {
    let key = this.pointKeys.get(pointId);
    if (key === undefined) {
      const point = this.selectPoint.get(pointId);
      if (!point) return null;
      key = makePointId(point.device_key, point.key);
      this.pointKeys.set(pointId, key);
    }
    return key;
  }

  /**
   * Counts the queued rows and finds the oldest one. The oldest time is exact but on daylight-saving days. The counts are
   * exact for a small backlog; for a large one they may leave out rows queued in the last 10 s.
   */
  backlog(nowMs = Date.now()): OutboxBacklog {
    const counted = this.counted;
    const reusable = counted !== undefined && counted.costMs > SLOW_COUNT_MS && nowMs - counted.at < RECOUNT_INTERVAL_MS;
    if (!reusable) {
      const started = performance.now();
      const events = this.countEvents.get()!.count;
      const rollups = this.countRollups.get()!.count;
      this.counted = { at: nowMs, costMs: performance.now() - started, rollups, events };
    }
    const oldest = [this.oldestEvent.get()!.oldest];
    for (const tier of tiers) {
      const start = this.oldestRollup.get(tier)!.oldest;
      oldest.push(start === null ? null : start + TIER_LENGTH_MS[tier]);
    }
    const times = oldest.filter((value): value is number => value !== null);
    return { rollups: this.counted!.rollups, events: this.counted!.events, oldestUnsentAt: times.length > 0 ? Math.min(...times) : null };
  }

  /**
   * Deletes the queued rows up to and including the given seqs, in one transaction, after the hub
   * acknowledged a batch that carried them. A batch is always a prefix of its table by seq, read
   * oldest first. A row queued later gets a seq above every existing one, because SQLite picks max + 1,
   * even for INSERT OR REPLACE. So this deletes exactly the rows sent, and a row queued again while the
   * batch was in flight has moved above the range and stays.
   */
  deleteSent(eventsThroughSeq: number | null, rollupsThroughSeq: number | null): void {
    const deleted = this.db.transaction(() => ({
      events: eventsThroughSeq === null ? 0 : this.deleteEvents.run(eventsThroughSeq).changes,
      rollups: rollupsThroughSeq === null ? 0 : this.deleteRollups.run(rollupsThroughSeq).changes,
    }))();
    if (this.counted) {
      this.counted.events = Math.max(0, this.counted.events - deleted.events);
      this.counted.rollups = Math.max(0, this.counted.rollups - deleted.rollups);
    }
  }
}
