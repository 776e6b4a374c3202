import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  edgeEventSchema,
  MAX_UPLOAD_EVENTS,
  MAX_UPLOAD_ROLLUPS,
  type EdgeEvent,
  type RollupRow,
  type RollupSeries,
  type UploadBatch,
} from '@simtestlab/sync';
import type { StoredRollupRow } from '../store/rollup-bucket';
import type { Outbox, OutboxEventRow, OutboxRollupRow } from './outbox';

/** Largest batch to build: event count and rollup row count. */
export interface BatchLimits {
  events: number;
  rollupRows: number;
}

/**
 * Start position of a batch in the outbox: after the last seqs of the batch in flight when the next
 * batch is built while the hub stores that one, else the start of the outbox.
 */
export interface ReadStart {
  eventsAfterSeq: number;
  rollupsAfterSeq: number;
  /** Queue entries read for the batch in flight, which the backlog of the new batch leaves out. */
  eventsInFlight: number;
  rollupsInFlight: number;
}

const FROM_START: ReadStart = { eventsAfterSeq: 0, rollupsAfterSeq: 0, eventsInFlight: 0, rollupsInFlight: 0 };

/** Returns where the batch after `inFlight` starts reading. */
export function readStartAfter(inFlight: PreparedBatch): ReadStart {
  return {
    eventsAfterSeq: inFlight.eventsThroughSeq ?? 0,
    rollupsAfterSeq: inFlight.rollupsThroughSeq ?? 0,
    eventsInFlight: inFlight.entries.events,
    rollupsInFlight: inFlight.entries.rollups,
  };
}

/** A queued item that the contract rejects, such as a bucket stamped before 2000 by a device clock that was never set. */
export interface UnsendableItem {
  kind: 'event' | 'rollup';
  seq: number;
  reason: string;
}

/** A batch ready to send, with the outbox range to delete once the hub acknowledges it. */
export interface PreparedBatch {
  batch: UploadBatch;
  /** Highest event seq read, or null when the batch has no events. The batch contains every queued event up to it. */
  eventsThroughSeq: number | null;
  /** Highest rollup seq read, or null; includes queue entries whose rollup row no longer exists. */
  rollupsThroughSeq: number | null;
  eventCount: number;
  rollupRowCount: number;
  /** Queue entries read, unsendable and replaced ones included. */
  entries: { events: number; rollups: number };
  /** Items left out of the batch. Their seqs are in the range, so the acknowledgement clears them too. */
  unsendable: UnsendableItem[];
}

/** Rollup rows read per statement. The event loop runs between reads, so reading a batch blocks it for one chunk at a time. */
const READ_CHUNK_ROWS = 1000;
/** Bounds of the contract's `epochMsSchema`, checked here without zod because it runs three times per row. */
const MIN_EPOCH_MS = Date.UTC(2000, 0, 1);
const MAX_EPOCH_MS = Date.UTC(2100, 0, 1);

const isEpochMs = (value: number | null) => value === null || (Number.isInteger(value) && value >= MIN_EPOCH_MS && value <= MAX_EPOCH_MS);

/**
 * Builds the next batch from the outbox: events first, oldest first, then, while the event limit is
 * not reached, rollup rows oldest first, grouped into one series per point and resolution. Returns
 * null when the outbox is empty. `backlog` counts what stays queued after this batch, and its
 * `oldestUnsentAt` is null when nothing does.
 */
export async function buildBatch(outbox: Outbox, limits: BatchLimits, sentAt: number, start: ReadStart = FROM_START): Promise<PreparedBatch | null> {
  const eventLimit = Math.min(limits.events, MAX_UPLOAD_EVENTS);
  const eventRows = outbox.readEvents(start.eventsAfterSeq, eventLimit);
  const rollupRows =
    eventRows.length < eventLimit ? await readRollupsInChunks(outbox, start.rollupsAfterSeq, Math.min(limits.rollupRows, MAX_UPLOAD_ROLLUPS)) : [];
  if (eventRows.length === 0 && rollupRows.length === 0) return null;

  const unsendable: UnsendableItem[] = [];
  const events: EdgeEvent[] = [];
  for (const row of eventRows) {
    const event = toEvent(row);
    if (typeof event === 'string') unsendable.push({ kind: 'event', seq: row.seq, reason: event });
    else events.push(event);
  }
  const { series, rowCount } = groupRollups(outbox, rollupRows, unsendable);

  const backlog = outbox.backlog(sentAt);
  const eventsAfter = Math.max(0, backlog.events - start.eventsInFlight - eventRows.length);
  const rollupsAfter = Math.max(0, backlog.rollups - start.rollupsInFlight - rollupRows.length);
  // Once this batch is stored nothing older waits when nothing else is queued. Otherwise the oldest time
  // includes this batch, which overstates the lag by at most the time this batch spans.
  const oldestAfter = eventsAfter + rollupsAfter === 0 ? null : backlog.oldestUnsentAt;
  return {
    batch: {
      batchId: randomUUID(),
      sentAt,
      backlog: {
        events: eventsAfter,
        rollups: rollupsAfter,
        oldestUnsentAt: oldestAfter === null || !isEpochMs(oldestAfter) ? null : oldestAfter,
      },
      events,
      rollups: series,
    },
    eventsThroughSeq: eventRows.at(-1)?.seq ?? null,
    rollupsThroughSeq: rollupRows.at(-1)?.seq ?? null,
    eventCount: events.length,
    rollupRowCount: rowCount,
    entries: { events: eventRows.length, rollups: rollupRows.length },
    unsendable,
  };
}

/**
 * Reads up to `limit` queued rollups oldest first, in chunks with the event loop running between
 * them. A row queued again between two chunks moves to a new seq and can come back in a later chunk.
 * The later copy is newer, and `groupRollups` keeps only it.
 */
async function readRollupsInChunks(outbox: Outbox, startAfterSeq: number, limit: number): Promise<OutboxRollupRow[]> {
  const rows: OutboxRollupRow[] = [];
  let afterSeq = startAfterSeq;
  while (rows.length < limit) {
    const chunkSize = Math.min(READ_CHUNK_ROWS, limit - rows.length);
    const chunk = outbox.readRollups(afterSeq, chunkSize);
    rows.push(...chunk);
    if (chunk.length < chunkSize) break;
    afterSeq = chunk.at(-1)!.seq;
    await yieldToEventLoop();
  }
  return rows;
}

/** NUL and UTF-16 surrogates without their pair, which Postgres text and jsonb cannot store. */
const UNSTORABLE_CHARACTERS = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Replaces characters the hub cannot store with U+FFFD in every string of a parsed payload, so an
 * entry that records a malformed input, such as a login attempt with a broken username, is uploaded
 * instead of blocking the queue.
 */
function storableStrings(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(UNSTORABLE_CHARACTERS, '\ufffd');
  if (Array.isArray(value)) return value.map(storableStrings);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [storableStrings(key) as string, storableStrings(item)]));
  }
  return value;
}

/** Parses a stored event, or returns why the contract would reject it. */
function toEvent(row: OutboxEventRow): EdgeEvent | string {
  let payload: unknown;
  try {
    payload = storableStrings(JSON.parse(row.payload));
  } catch {
    return `event ${row.id}: payload is not JSON`;
  }
  const parsed = edgeEventSchema.safeParse({ id: row.id, kind: row.kind, at: row.at, payload });
  if (!parsed.success) return `event ${row.id}: ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}`;
  return parsed.data;
}

function groupRollups(outbox: Outbox, rows: readonly OutboxRollupRow[], unsendable: UnsendableItem[]): { series: RollupSeries[]; rowCount: number } {
  const byKey = new Map<string, RollupSeries>();
  /** Position of each bucket in its series, so a newer copy of a row replaces the older one. */
  const positions = new Map<string, number>();
  let rowCount = 0;
  for (const queued of rows) {
    // A queue entry without its row (a point removed by hand) has nothing to send; its seq is deleted with the batch.
    if (queued.row === null) continue;
    const point = outbox.pointKey(queued.pointId);
    const tuple = toTuple(queued.row);
    let reason: string | null = null;
    if (point === null) reason = `point id ${queued.pointId} is not in the points table`;
    else if (typeof tuple === 'string') reason = tuple;
    if (reason !== null) {
      unsendable.push({ kind: 'rollup', seq: queued.seq, reason: `${queued.tier} rollup of point ${point ?? queued.pointId} at ${queued.bucketStart}: ${reason}` });
      continue;
    }
    const key = `${queued.tier} ${point}`;
    let series = byKey.get(key);
    if (!series) {
      series = { point: point!, resolution: queued.tier, rows: [] };
      byKey.set(key, series);
    }
    const bucketKey = `${key} ${queued.bucketStart}`;
    const position = positions.get(bucketKey);
    if (position === undefined) {
      positions.set(bucketKey, series.rows.length);
      series.rows.push(tuple as RollupRow);
      rowCount++;
    } else {
      series.rows[position] = tuple as RollupRow;
    }
  }
  return { series: [...byKey.values()], rowCount };
}

/** Returns the wire tuple of a stored rollup row, or why the contract would reject it. */
function toTuple(row: StoredRollupRow): RollupRow | string {
  if (!isEpochMs(row.bucket_start) || !isEpochMs(row.bucket_end) || !isEpochMs(row.last_ts)) {
    return 'a time lies outside 2000 to 2100, as from a device clock that is not set';
  }
  return [
    row.bucket_start,
    row.bucket_end,
    row.count,
    row.sum,
    row.min,
    row.max,
    row.last,
    row.last_ts,
    row.delta,
    row.estimated === 1 ? 1 : 0,
    row.revision,
  ];
}
