import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAuditEntries, writeAuditEntry } from '../../src/audit/audit-log';
import { createSilentLogger } from '../../src/logger';
import { applyRetention } from '../../src/store/retention';
import { enableUploadQueue, ROLLUP_ROW_JSON } from '../../src/upload/outbox-writer';
import { addSample, meterSample } from '../store/support/sample-stream';
import { makeTempDir, readRollupRows, type TempDir } from '../store/support/temp-store';
import { feedPowerMinutes, openUploadStore, queuedEvents, queuedRollups, tupleOf, type UploadTestStore } from './support/upload-store';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const START_TS = Date.parse('2026-03-02T10:00:00Z');

let dir: TempDir;
let store: UploadTestStore | undefined;

beforeEach(() => {
  dir = makeTempDir('edge-upload-');
});

afterEach(() => {
  store?.close();
  store = undefined;
  dir.remove();
});

function open(options: { queue?: boolean } = {}): UploadTestStore {
  store = openUploadStore(`${dir.path}/edge.db`, options);
  return store;
}

describe('commit queues uploads', () => {
  it('queues each written 1 min row', () => {
    const { db, ids } = open();
    feedPowerMinutes(store!, START_TS, 3);

    const queued = queuedRollups(db, '1m');
    expect(queued.map((row) => row.point_id)).toEqual([ids.power, ids.power, ids.power]);
    expect(queued.map((row) => row.bucket_start)).toEqual([START_TS, START_TS + MINUTE_MS, START_TS + 2 * MINUTE_MS]);
  });

  it('queues a row again with a new seq when its revision rises', () => {
    const { db, ids } = open();
    feedPowerMinutes(store!, START_TS, 3);
    const before = queuedRollups(db, '1m').find((row) => row.bucket_start === START_TS)!;

    // A late sample for the first minute merges into the stored row and raises its revision.
    addSample(store!, meterSample('power', START_TS + 30_000, 100));
    store!.commitAt(START_TS + 3 * MINUTE_MS + 6_000);

    const stored = readRollupRows(db, '1m', ids.power).find((row) => row.bucket_start === START_TS)!;
    expect(stored.revision).toBe(2);
    const after = queuedRollups(db, '1m').filter((row) => row.bucket_start === START_TS);
    expect(after).toHaveLength(1);
    expect(after[0]!.seq).toBeGreaterThan(Math.max(...queuedRollups(db, '1m').filter((row) => row.bucket_start !== START_TS).map((row) => row.seq)));
    expect(after[0]!.seq).not.toBe(before.seq);
  });

  it('queues the merged row after a second commit', () => {
    const { db, ids } = open();
    feedPowerMinutes(store!, START_TS, 3);

    // The late sample commits as a partial bucket that SQLite merges into the stored row.
    addSample(store!, meterSample('power', START_TS + 30_000, 100));
    store!.commitAt(START_TS + 3 * MINUTE_MS + 6_000);

    const stored = readRollupRows(db, '1m', ids.power).find((row) => row.bucket_start === START_TS)!;
    expect(stored).toMatchObject({ count: 7, max: 100, revision: 2 });
    const [queued] = queuedRollups(db, '1m').filter((row) => row.bucket_start === START_TS);
    expect(queued!.tier).toBe('1m');
    expect(JSON.parse(queued!.row!)).toEqual(tupleOf(stored));
  });

  it('queues each row with its values', () => {
    const { db } = open();
    feedPowerMinutes(store!, START_TS, 3);
    store!.commitAt(START_TS + DAY_MS);

    for (const tier of ['1m', '15m', '1h', '1d'] as const) {
      const stored = readRollupRows(db, tier);
      const queued = queuedRollups(db, tier).map((entry) => JSON.parse(entry.row!));
      expect(stored.length, `${tier} rows`).toBeGreaterThan(0);
      expect(queued, `${tier} entries`).toEqual(expect.arrayContaining(stored.map(tupleOf)));
      expect(queued, `${tier} entries`).toHaveLength(stored.length);
    }
  });

  it('queues a device status change', () => {
    const { db, writer } = open();
    writer.addDeviceEvent({ ts: START_TS, device: 'meter', status: 'offline', error: 'timed out' });
    store!.commitAt(START_TS);

    const [event] = queuedEvents(db);
    expect(event!.kind).toBe('device_status');
    expect(event!.at).toBe(START_TS);
    expect(JSON.parse(event!.payload)).toEqual({ device: 'meter', status: 'offline', error: 'timed out' });
    expect(event!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('queues nothing while the outbox is off', () => {
    const { db, writer } = open({ queue: false });
    feedPowerMinutes(store!, START_TS, 3);
    writer.addDeviceEvent({ ts: START_TS, device: 'meter', status: 'online', error: null });
    store!.commitAt(START_TS + 4 * MINUTE_MS);
    writeAuditEntry(db, { actorType: 'system', actorId: null, action: 'edge.started' });

    expect(queuedRollups(db)).toEqual([]);
    expect(queuedEvents(db)).toEqual([]);
  });
});

describe('queued row JSON', () => {
  it('reads back the same doubles', () => {
    const { db, ids } = open();
    const awkward = [0.1 + 0.2, 1 / 3, 1e-7, 123_456_789.123_456_79, -2.5e300];
    db.prepare(
      `INSERT INTO rollup_1m (point_id, bucket_start, bucket_end, count, sum, min, max, last, last_ts, delta, estimated, revision)
       VALUES (?, ?, ?, 5, ?, ?, ?, ?, ?, ?, 0, 1)`,
    ).run(ids.power, START_TS, START_TS + MINUTE_MS, ...awkward.slice(0, 4), START_TS + 1, awkward[4]);

    const { row } = db.prepare<[], { row: string }>(`SELECT ${ROLLUP_ROW_JSON} AS row FROM rollup_1m`).get()!;

    expect(JSON.parse(row)).toEqual([START_TS, START_TS + MINUTE_MS, 5, ...awkward.slice(0, 4), START_TS + 1, awkward[4], 0, 1]);
  });
});

describe('queued row JSON of infinite values', () => {
  it('sends null for an infinity', () => {
    const { db, ids } = open();
    db.prepare(
      `INSERT INTO rollup_1m (point_id, bucket_start, bucket_end, count, sum, min, max, last, last_ts, delta, estimated, revision)
       VALUES (?, ?, ?, 2, ?, ?, ?, ?, ?, ?, 0, 1)`,
    ).run(ids.power, START_TS, START_TS + MINUTE_MS, Infinity, 1.5, Infinity, -Infinity, START_TS + 1, Infinity);

    const { row } = db.prepare<[], { row: string }>(`SELECT ${ROLLUP_ROW_JSON} AS row FROM rollup_1m`).get()!;

    expect(JSON.parse(row)).toEqual([START_TS, START_TS + MINUTE_MS, 2, null, 1.5, null, null, START_TS + 1, null, 0, 1]);
  });
});

describe('enableUploadQueue', () => {
  it('queues stored rollups and audit entries once', () => {
    const { db } = open({ queue: false });
    feedPowerMinutes(store!, START_TS, 3);
    writeAuditEntry(db, { actorType: 'cli', actorId: 'root', action: 'edge.paired', details: { siteId: 'site-1' } });
    const stored = (['1m', '15m', '1h', '1d'] as const).reduce((sum, tier) => sum + readRollupRows(db, tier).length, 0);

    const queued = enableUploadQueue(db, createSilentLogger());

    expect(queued).toEqual({ rollups: stored, events: 1 });
    expect(queuedRollups(db)).toHaveLength(stored);
    for (const tier of ['1m', '15m', '1h', '1d'] as const) {
      const values = queuedRollups(db, tier).map((entry) => JSON.parse(entry.row!));
      const rows = readRollupRows(db, tier);
      expect(values, `${tier} values`).toEqual(expect.arrayContaining(rows.map(tupleOf)));
      expect(values, `${tier} values`).toHaveLength(rows.length);
    }
    const [event] = queuedEvents(db);
    expect(event!.kind).toBe('audit');
    expect(JSON.parse(event!.payload)).toMatchObject({ action: 'edge.paired', actorType: 'cli', actorId: 'root', details: { siteId: 'site-1' } });
    expect(enableUploadQueue(db, createSilentLogger()), 'second call').toBeNull();
    expect(queuedRollups(db)).toHaveLength(stored);
    expect(queuedEvents(db)).toHaveLength(1);
  });
});

describe('writeAuditEntry', () => {
  it('queues the entry as an audit event', () => {
    const { db } = open();
    const id = writeAuditEntry(db, { atMs: START_TS, actorType: 'user', actorId: 'u-1', action: 'auth.login', targetType: 'edge_session', details: { ip: '127.0.0.1' } });

    const [event] = queuedEvents(db);
    expect(event!.kind).toBe('audit');
    expect(event!.at).toBe(START_TS);
    expect(JSON.parse(event!.payload)).toEqual({
      auditId: id,
      actorType: 'user',
      actorId: 'u-1',
      action: 'auth.login',
      targetType: 'edge_session',
      targetId: null,
      details: { ip: '127.0.0.1' },
    });
  });

  it('writes no entry when queueing it fails', () => {
    const { db } = open();
    db.exec("CREATE TEMP TRIGGER fail_queue BEFORE INSERT ON upload_events BEGIN SELECT RAISE(ABORT, 'queue broken'); END");

    expect(() => writeAuditEntry(db, { actorType: 'system', actorId: null, action: 'edge.started' })).toThrow(/queue broken/);
    expect(listAuditEntries(db)).toEqual([]);
  });

  it('queues nothing when the caller transaction rolls back', () => {
    const { db } = open();
    const change = db.transaction(() => {
      writeAuditEntry(db, { actorType: 'system', actorId: null, action: 'edge.started' });
      throw new Error('change failed');
    });

    expect(() => change()).toThrow(/change failed/);
    expect(listAuditEntries(db)).toEqual([]);
    expect(queuedEvents(db)).toEqual([]);
  });
});

describe('retention with the outbox', () => {
  const retention = { rawDays: 7, '1mDays': 31, '15mDays': 180, '1hDays': 730, '1dDays': 3650 };
  const nowTs = START_TS + 40 * DAY_MS;

  it('keeps old rows until the hub acknowledged them', () => {
    const { db, outbox, ids } = open();
    feedPowerMinutes(store!, START_TS, 2);
    const starts = () => readRollupRows(db, '1m', ids.power).map((row) => row.bucket_start);

    applyRetention(db, retention, nowTs);
    expect(starts(), 'unsent rows kept').toEqual([START_TS, START_TS + MINUTE_MS]);

    const sent = queuedRollups(db, '1m').find((row) => row.bucket_start === START_TS)!;
    outbox.deleteSent(null, sent.seq);
    applyRetention(db, retention, nowTs);
    expect(starts(), 'the acknowledged row deleted').toEqual([START_TS + MINUTE_MS]);
  });
});
