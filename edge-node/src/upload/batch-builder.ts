import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { edgeEventSchema, isUploadEpochMs, MAX_UPLOAD_EVENTS, MAX_UPLOAD_ROLLUPS, type EdgeEvent, type UploadBatch } from '@simtestlab/sync';
import type { Tier } from '../store/time-buckets';
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

/** The rows of one point at one resolution, each a wire tuple `RollupRow` already serialized as JSON. */
export interface QueuedSeries {
  point: string;
  resolution: Tier;
  rows: string[];
}

/** An upload batch as read from the outbox: an `UploadBatch` whose rollup rows are JSON text. */
export type QueuedBatch = Omit<UploadBatch, 'rollups'> & { rollups: QueuedSeries[] };

/** Returns the request body of a batch: the JSON of an `UploadBatch`, with the rollup rows inserted as they were queued. */
export function batchBody(batch: QueuedBatch): string {
  const { rollups, ...rest } = batch;
  const series = rollups.map(({ point, resolution, rows }) => `{"point":${JSON.stringify(point)},"resolution":"${resolution}","rows":[${rows.join(',')}]}`);
  return `${JSON.stringify(rest).slice(0, -1)},"rollups":[${series.join(',')}]}`;
}

/** A batch ready to send, with the outbox range to delete once the hub acknowledges it. */
export interface PreparedBatch {
  batch: QueuedBatch;
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
const isEpochMs = (value: number | null) => value === null || isUploadEpochMs(value);

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
    rollupsThroughSeq: rollupRows.at(-1)?.[0] ?? null,
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
    afterSeq = chunk.at(-1)![0];
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

/** The series of one point at one resolution, created at its first sendable row. */
interface SeriesBuilder {
  /** The `device.point` id, or null when the point id is not in the points table. */
  point: string | null;
  series: QueuedSeries | null;
  /** Index in `series.rows` by bucket start, so a later copy of a bucket replaces the earlier one. */
  rowIndex: Map<number, number>;
}

/** Indexes in `OutboxRollupRow` of the columns that grouping checks. */
const BUCKET_START = 3;
const BUCKET_END = 4;
const LAST_TS = 5;
const ROW = 6;

/**
 * Groups queued rows into one series per point and resolution, in the order of their first sendable
 * row. Series are found by tier and then by numeric point id, which costs less per row than a string key.
 */
function groupRollups(outbox: Outbox, rows: readonly OutboxRollupRow[], unsendable: UnsendableItem[]): { series: QueuedSeries[]; rowCount: number } {
  const builders = new Map<Tier, Map<number, SeriesBuilder>>();
  const series: QueuedSeries[] = [];
  let rowCount = 0;
  for (const queued of rows) {
    // A queue entry without values (its row was gone when the outbox was migrated) has nothing to
    // send. Its seq is deleted with the batch.
    const row = queued[ROW];
    if (row === null) continue;
    const [seq, tier, pointId, bucketStart] = queued;

    let byPoint = builders.get(tier);
    if (byPoint === undefined) {
      byPoint = new Map();
      builders.set(tier, byPoint);
    }
    let builder = byPoint.get(pointId);
    if (builder === undefined) {
      builder = { point: outbox.pointKey(pointId), series: null, rowIndex: new Map() };
      byPoint.set(pointId, builder);
    }

    const reason = builder.point === null ? `point id ${pointId} is not in the points table` : rejectedTimes(queued);
    if (reason !== null) {
      unsendable.push({ kind: 'rollup', seq, reason: `${tier} rollup of point ${builder.point ?? pointId} at ${bucketStart}: ${reason}` });
      continue;
    }

    if (builder.series === null) {
      builder.series = { point: builder.point!, resolution: tier, rows: [] };
      series.push(builder.series);
    }
    const index = builder.rowIndex.get(bucketStart);
    if (index === undefined) {
      builder.rowIndex.set(bucketStart, builder.series.rows.length);
      builder.series.rows.push(row);
      rowCount++;
    } else {
      builder.series.rows[index] = row;
    }
  }
  return { series, rowCount };
}

/**
 * Returns why the contract would reject the times of a queued row, or null when it accepts them.
 * NOTE: the values inside `row` are not checked. A count or revision above 2^31 - 1 or an `estimated`
 * other than 0 or 1, which only a hand-edited database contains, makes the hub reject the whole batch.
 */
function rejectedTimes(queued: OutboxRollupRow): string | null {
  if (!isEpochMs(queued[BUCKET_START]) || !isEpochMs(queued[BUCKET_END]) || !isEpochMs(queued[LAST_TS])) {
    return 'a time lies outside 2000 to 2100, as from a device clock that is not set';
  }
  return null;
}
