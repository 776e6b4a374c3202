import type { SampleValue } from '@simtestlab/sync';
import type { Statement } from 'better-sqlite3';
import { OutboxWriter, RETURNING_QUEUED_ROLLUP, type QueuedRollupValues } from '../upload/outbox-writer';
import type { SqliteDatabase } from './database';
import type { RollupBucket } from './rollup-bucket';
import { forEachSample, type SampleColumns } from './sample-batch';
import { tiers, type Tier } from './time-buckets';

/** Columns of one rollup row in `CommitBatch.rollups`; NaN stands for NULL. */
const ROLLUP_COLUMNS = 11;

/**
 * Everything one commit writes, in one transaction: the raw samples, the rollup buckets that
 * closed, the new close watermarks, the durable counter state, device status changes and last values.
 * Built on the main thread by `SampleWriter.prepareCommit`, applied there or in the commit worker.
 * When the upload outbox is on, the same transaction queues each written rollup row and each device
 * status change for upload.
 */
export interface CommitBatch {
  samples: SampleColumns;
  /** Closed buckets per tier, `ROLLUP_COLUMNS` numbers a row. */
  rollups: Array<{ tier: Tier; rows: Float64Array }>;
  /** `meta` table entries (close watermarks). */
  meta: Array<[string, string]>;
  /** Durable counter readings: point id, ts, value triples. */
  counters: Float64Array;
  deviceEvents: Array<{ ts: number; device: string; status: string; error: string | null }>;
  pointStates: Array<{ pointId: number; ts: number; value: SampleValue; quality: number }>;
}

/** Packs closed buckets into the row layout of `CommitBatch.rollups`. */
export function packRollupRows(buckets: readonly RollupBucket[]): Float64Array {
  const rows = new Float64Array(buckets.length * ROLLUP_COLUMNS);
  buckets.forEach((bucket, index) => {
    const fields = [
      bucket.pointId,
      bucket.start,
      bucket.end,
      bucket.count,
      bucket.sum,
      bucket.min,
      bucket.max,
      bucket.last,
      bucket.lastTs,
      bucket.delta,
      bucket.estimated ? 1 : 0,
    ];
    rows.set(fields.map((field) => field ?? Number.NaN), index * ROLLUP_COLUMNS);
  });
  return rows;
}

const orNull = (value: number) => (Number.isNaN(value) ? null : value);

/** Unpacks rollup rows of a batch, for reads that must see buckets whose commit is under way. */
export function unpackRollupRows(rows: Float64Array): RollupBucket[] {
  const buckets: RollupBucket[] = [];
  for (let offset = 0; offset < rows.length; offset += ROLLUP_COLUMNS) {
    buckets.push({
      pointId: rows[offset]!,
      start: rows[offset + 1]!,
      end: rows[offset + 2]!,
      count: rows[offset + 3]!,
      sum: orNull(rows[offset + 4]!),
      min: orNull(rows[offset + 5]!),
      max: orNull(rows[offset + 6]!),
      last: orNull(rows[offset + 7]!),
      lastTs: orNull(rows[offset + 8]!),
      delta: orNull(rows[offset + 9]!),
      estimated: rows[offset + 10] === 1,
    });
  }
  return buckets;
}

/** Rows a batch adds or changes, for the writer's statistics. */
export function rollupRowCount(batch: CommitBatch): number {
  return batch.rollups.reduce((sum, { rows }) => sum + rows.length / ROLLUP_COLUMNS, 0);
}

/** The prepared statements of a commit on one connection, and the transaction that applies a batch. */
export class CommitStatements {
  private readonly insertSample: Statement;
  private readonly upserts: Record<Tier, Statement>;
  /** The same upserts returning the merged row, for the outbox. */
  private readonly queuingUpserts: Record<Tier, Statement<unknown[], QueuedRollupValues>>;
  private readonly saveMeta: Statement;
  private readonly saveCounter: Statement;
  private readonly insertDeviceEvent: Statement;
  private readonly updateDeviceStatus: Statement;
  private readonly savePointState: Statement;
  private readonly outbox: OutboxWriter;
  readonly apply: (batch: CommitBatch) => void;

  constructor(db: SqliteDatabase) {
    // NOTE: a second sample with the same (ts, point) replaces the first row but both reach the
    // rollups. The runtime never produces one: each device stamps strictly increasing times.
    this.insertSample = db.prepare('INSERT OR REPLACE INTO samples (ts, point_id, value, quality) VALUES (?, ?, ?, ?)');
    this.upserts = Object.fromEntries(tiers.map((tier) => [tier, db.prepare(upsertSql(tier))])) as Record<Tier, Statement>;
    this.queuingUpserts = Object.fromEntries(
      tiers.map((tier) => [tier, db.prepare<unknown[], QueuedRollupValues>(`${upsertSql(tier)} ${RETURNING_QUEUED_ROLLUP}`).raw()]),
    ) as Record<Tier, Statement<unknown[], QueuedRollupValues>>;
    this.saveMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.saveCounter = db.prepare(
      'INSERT INTO counter_state (point_id, ts, value) VALUES (?, ?, ?) ON CONFLICT (point_id) DO UPDATE SET ts = excluded.ts, value = excluded.value',
    );
    this.insertDeviceEvent = db.prepare('INSERT INTO device_events (ts, device_key, status, error) VALUES (?, ?, ?, ?)');
    this.updateDeviceStatus = db.prepare('UPDATE devices SET status = ?, status_ts = ?, status_error = ? WHERE key = ?');
    this.savePointState = db.prepare(
      `INSERT INTO point_state (point_id, ts, value, quality) VALUES (?, ?, ?, ?)
       ON CONFLICT (point_id) DO UPDATE SET ts = excluded.ts, value = excluded.value, quality = excluded.quality`,
    );
    this.outbox = new OutboxWriter(db);
    this.apply = db.transaction((batch: CommitBatch) => this.write(batch));
  }

  private write(batch: CommitBatch): void {
    const queueUploads = this.outbox.enabled();
    forEachSample(batch.samples, (pointId, ts, value, quality) => this.insertSample.run(ts, pointId, value, quality));
    for (const { tier, rows } of batch.rollups) {
      const upsert = this.upserts[tier];
      const queuingUpsert = this.queuingUpserts[tier];
      for (let offset = 0; offset < rows.length; offset += ROLLUP_COLUMNS) {
        const params = [
          rows[offset],
          rows[offset + 1],
          rows[offset + 2],
          rows[offset + 3],
          orNull(rows[offset + 4]!),
          orNull(rows[offset + 5]!),
          orNull(rows[offset + 6]!),
          orNull(rows[offset + 7]!),
          orNull(rows[offset + 8]!),
          orNull(rows[offset + 9]!),
          rows[offset + 10],
        ];
        // Every upsert inserts the row or raises its revision, so each one queues the row again, with
        // the values SQLite merged it to.
        if (queueUploads) this.outbox.queueRollup(tier, queuingUpsert.get(...params)!);
        else upsert.run(...params);
      }
    }
    for (const [key, value] of batch.meta) this.saveMeta.run(key, value);
    for (let offset = 0; offset < batch.counters.length; offset += 3) {
      this.saveCounter.run(batch.counters[offset], batch.counters[offset + 1], batch.counters[offset + 2]);
    }
    for (const event of batch.deviceEvents) {
      this.insertDeviceEvent.run(event.ts, event.device, event.status, event.error);
      this.updateDeviceStatus.run(event.status, event.ts, event.error, event.device);
      if (queueUploads) {
        this.outbox.queueEvent({ kind: 'device_status', at: event.ts, payload: { device: event.device, status: event.status, error: event.error } });
      }
    }
    for (const state of batch.pointStates) this.savePointState.run(state.pointId, state.ts, state.value, state.quality);
  }
}

function upsertSql(tier: Tier): string {
  return `
    INSERT INTO rollup_${tier} (point_id, bucket_start, bucket_end, count, sum, min, max, last, last_ts, delta, estimated)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (point_id, bucket_start) DO UPDATE SET
      count = count + excluded.count,
      sum = CASE WHEN excluded.sum IS NULL THEN sum WHEN sum IS NULL THEN excluded.sum ELSE sum + excluded.sum END,
      min = CASE WHEN min IS NULL OR excluded.min < min THEN excluded.min ELSE min END,
      max = CASE WHEN max IS NULL OR excluded.max > max THEN excluded.max ELSE max END,
      last = CASE WHEN excluded.last_ts IS NOT NULL AND (last_ts IS NULL OR excluded.last_ts >= last_ts) THEN excluded.last ELSE last END,
      last_ts = CASE WHEN excluded.last_ts IS NOT NULL AND (last_ts IS NULL OR excluded.last_ts >= last_ts) THEN excluded.last_ts ELSE last_ts END,
      delta = CASE WHEN excluded.delta IS NULL THEN delta WHEN delta IS NULL THEN excluded.delta ELSE delta + excluded.delta END,
      estimated = max(estimated, excluded.estimated),
      revision = revision + 1`;
}
