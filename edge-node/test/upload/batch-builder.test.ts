import type { RollupRow } from '@simtestlab/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Tier } from '../../src/store/time-buckets';
import { buildBatch, readStartAfter, type PreparedBatch } from '../../src/upload/batch-builder';
import { OutboxWriter, type QueuedRollupValues } from '../../src/upload/outbox-writer';
import { makeTempDir, type TempDir } from '../store/support/temp-store';
import { openUploadStore, queuedRollups, type UploadTestStore } from './support/upload-store';

const MINUTE_MS = 60_000;
const START_TS = Date.parse('2026-03-02T10:00:00Z');
const LIMITS = { events: 100, rollupRows: 5_000 };

let dir: TempDir;
let store: UploadTestStore;
let queue: OutboxWriter;

beforeEach(() => {
  dir = makeTempDir('edge-upload-');
  store = openUploadStore(`${dir.path}/edge.db`);
  queue = new OutboxWriter(store.db);
});

afterEach(() => {
  store.close();
  dir.remove();
});

/** Returns the wire tuple of a 1 min row starting `minute` minutes after `START_TS`. */
function minuteTuple(_pointId: number, minute: number, revision = 1): RollupRow {
  const start = START_TS + minute * MINUTE_MS;
  return [start, start + MINUTE_MS, 6, 6 * minute, minute - 1, minute + 1, minute, start + 50_000, null, 0, revision];
}

/** Returns a tuple as the outbox queues it for `pointId`. */
function queuedTuple(pointId: number, tuple: RollupRow): QueuedRollupValues {
  return [pointId, tuple[0], tuple[1], tuple[7], JSON.stringify(tuple)];
}

/** Returns the queued values of a 1 min row of `pointId` starting `minute` minutes after `START_TS`. */
const minuteRow = (pointId: number, minute: number, revision = 1): QueuedRollupValues => queuedTuple(pointId, minuteTuple(pointId, minute, revision));

/** Returns the series of a batch with each row parsed back into its tuple. */
const parsedSeries = (prepared: PreparedBatch) => prepared.batch.rollups.map((series) => ({ ...series, rows: series.rows.map((row) => JSON.parse(row) as RollupRow) }));

function queueMinutes(tier: Tier, pointId: number, minutes: number): void {
  for (let minute = 0; minute < minutes; minute++) queue.queueRollup(tier, minuteRow(pointId, minute));
}

describe('buildBatch', () => {
  it('groups rows into one series per point and tier', async () => {
    queue.queueRollup('1m', minuteRow(store.ids.power, 0));
    queue.queueRollup('1m', minuteRow(store.ids.voltage, 0));
    queue.queueRollup('15m', minuteRow(store.ids.power, 0));
    queue.queueRollup('1m', minuteRow(store.ids.power, 1));

    const prepared = (await buildBatch(store.outbox, LIMITS, START_TS))!;

    expect(parsedSeries(prepared)).toEqual([
      { point: 'meter.power', resolution: '1m', rows: [minuteTuple(store.ids.power, 0), minuteTuple(store.ids.power, 1)] },
      { point: 'meter.voltage', resolution: '1m', rows: [minuteTuple(store.ids.voltage, 0)] },
      { point: 'meter.power', resolution: '15m', rows: [minuteTuple(store.ids.power, 0)] },
    ]);
    expect(prepared.rollupRowCount).toBe(4);
    expect(prepared.rollupsThroughSeq).toBe(Math.max(...queuedRollups(store.db).map((row) => row.seq)));
  });

  it('sends estimated as 0 or 1', async () => {
    const tuple = minuteTuple(store.ids.energy, 0);
    tuple[9] = 1;
    queue.queueRollup('1m', queuedTuple(store.ids.energy, tuple));

    const prepared = (await buildBatch(store.outbox, LIMITS, START_TS))!;

    expect(parsedSeries(prepared)[0]!.rows[0]![9]).toBe(1);
  });

  it('keeps the later copy of a bucket', async () => {
    // More rows than one read chunk, so the read yields to the event loop after the first chunk and
    // the first bucket is queued again before the second chunk is read.
    queueMinutes('1m', store.ids.power, 1_500);

    const pending = buildBatch(store.outbox, LIMITS, START_TS);
    queue.queueRollup('1m', minuteRow(store.ids.power, 0, 2));
    const prepared = (await pending)!;

    const [series] = parsedSeries(prepared);
    expect(prepared.batch.rollups).toHaveLength(1);
    expect(series!.rows).toHaveLength(1_500);
    expect(series!.rows[0], 'the first bucket in its first place, at revision 2').toEqual(minuteTuple(store.ids.power, 0, 2));
    expect(series!.rows[1_499]).toEqual(minuteTuple(store.ids.power, 1_499));
    expect(prepared.rollupRowCount).toBe(1_500);
    expect(prepared.entries.rollups, 'both copies read').toBe(1_501);
  });

  it('leaves out rows the contract rejects', async () => {
    const unsetClockTs = 120_000;
    queue.queueRollup('1m', minuteRow(store.ids.power, 0));
    queue.queueRollup('1m', queuedTuple(store.ids.voltage, [unsetClockTs, unsetClockTs + MINUTE_MS, 1, 230, 230, 230, 230, unsetClockTs, null, 0, 1]));
    queue.queueRollup('1m', minuteRow(999, 0));
    const [, badTime, unknownPoint] = queuedRollups(store.db);

    const prepared = (await buildBatch(store.outbox, LIMITS, START_TS))!;

    expect(parsedSeries(prepared)).toEqual([{ point: 'meter.power', resolution: '1m', rows: [minuteTuple(store.ids.power, 0)] }]);
    expect(prepared.unsendable).toEqual([
      { kind: 'rollup', seq: badTime!.seq, reason: expect.stringMatching(/^1m rollup of point meter\.voltage at 120000: a time lies outside 2000 to 2100/) },
      { kind: 'rollup', seq: unknownPoint!.seq, reason: `1m rollup of point 999 at ${START_TS}: point id 999 is not in the points table` },
    ]);
    expect(prepared.rollupRowCount).toBe(1);
    expect(prepared.rollupsThroughSeq).toBe(unknownPoint!.seq);
  });

  it('skips an entry without values', async () => {
    // The shape of an entry whose row was gone when the outbox got its value columns.
    store.db.prepare("INSERT INTO upload_rollups (tier, point_id, bucket_start) VALUES ('1m', ?, ?)").run(store.ids.power, START_TS);
    queue.queueRollup('1m', minuteRow(store.ids.voltage, 0));
    store.db.prepare("INSERT INTO upload_rollups (tier, point_id, bucket_start) VALUES ('1m', ?, ?)").run(store.ids.energy, START_TS);

    const prepared = (await buildBatch(store.outbox, LIMITS, START_TS))!;

    expect(parsedSeries(prepared)).toEqual([{ point: 'meter.voltage', resolution: '1m', rows: [minuteTuple(store.ids.voltage, 0)] }]);
    expect(prepared.unsendable).toEqual([]);
    expect(prepared.entries.rollups).toBe(3);
    expect(prepared.rollupsThroughSeq).toBe(Math.max(...queuedRollups(store.db).map((row) => row.seq)));
  });

  it('reports the backlog left after the batch', async () => {
    queueMinutes('1m', store.ids.power, 30);
    const limits = { events: 100, rollupRows: 10 };

    const first = (await buildBatch(store.outbox, limits, START_TS))!;
    const second = (await buildBatch(store.outbox, limits, START_TS, readStartAfter(first)))!;

    expect(first.batch.backlog).toEqual({ events: 0, rollups: 20, oldestUnsentAt: START_TS + MINUTE_MS });
    expect(parsedSeries(second)[0]!.rows[0]).toEqual(minuteTuple(store.ids.power, 10));
    expect(second.batch.backlog.rollups).toBe(10);
  });

  it('returns null for an empty outbox', async () => {
    expect(await buildBatch(store.outbox, LIMITS, START_TS)).toBeNull();
  });
});
