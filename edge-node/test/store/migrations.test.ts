import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database';
import { migrate } from '../../src/store/migrations';
import { makeTempDir, type TempDir } from './support/temp-store';

/** Migrations the store has so far; raise it together with the list in migrations.ts. */
const MIGRATION_COUNT = 11;

let dir: TempDir;

beforeEach(() => {
  dir = makeTempDir();
});

afterEach(() => {
  dir.remove();
});

const tableNames = (db: Database.Database) =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .all()
    .map((row) => row.name);

describe('migrations', () => {
  it('bring a fresh database to the latest version', () => {
    const db = openDatabase(`${dir.path}/fresh.db`);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATION_COUNT);
      expect(tableNames(db)).toEqual(
        expect.arrayContaining(['samples', 'rollup_1m', 'rollup_15m', 'rollup_1h', 'rollup_1d', 'counter_state', 'meta', 'points']),
      );
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true }), 'synchronous = FULL').toBe(2);
    } finally {
      db.close();
    }
  });

  it('leave a migrated database and its data alone on reopen', () => {
    const path = `${dir.path}/reopen.db`;
    const first = openDatabase(path);
    first.prepare('INSERT INTO samples (ts, point_id, value, quality) VALUES (1, 1, 2.5, 0)').run();
    first.close();

    const second = openDatabase(path);
    try {
      expect(second.pragma('user_version', { simple: true })).toBe(MIGRATION_COUNT);
      expect(second.prepare('SELECT value FROM samples').get()).toEqual({ value: 2.5 });
    } finally {
      second.close();
    }
  });

  it('apply to a raw connection at version 0', () => {
    const db = new Database(`${dir.path}/raw.db`);
    try {
      migrate(db);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATION_COUNT);
      migrate(db);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATION_COUNT);
    } finally {
      db.close();
    }
  });

  it('reject a database from a newer edge node, naming both versions', () => {
    const path = `${dir.path}/newer.db`;
    const newerVersion = MIGRATION_COUNT + 5;
    const seed = new Database(path);
    seed.pragma(`user_version = ${newerVersion}`);
    seed.close();

    expect(() => openDatabase(path)).toThrow(
      new RegExp(`schema version ${newerVersion}\\b.*\\(${MIGRATION_COUNT}\\)`),
    );

    const after = new Database(path);
    try {
      expect(after.pragma('user_version', { simple: true }), 'version left as it was').toBe(newerVersion);
      expect(tableNames(after), 'no tables created').toEqual([]);
    } finally {
      after.close();
    }
  });

  it('fill queued rollups from their rows', () => {
    const db = new Database(`${dir.path}/outbox.db`);
    try {
      // Version 5 queued only the key of a rollup row.
      migrate(db, 5);
      const bucketStart = Date.parse('2026-03-02T10:00:00Z');
      db.prepare(
        `INSERT INTO rollup_1m (point_id, bucket_start, bucket_end, count, sum, min, max, last, last_ts, delta, estimated, revision)
         VALUES (1, ?, ?, 6, 15, 0.5, 4.5, 4, ?, 2.5, 1, 3)`,
      ).run(bucketStart, bucketStart + 60_000, bucketStart + 50_000);
      db.prepare(
        `INSERT INTO rollup_1h (point_id, bucket_start, bucket_end, count, sum, min, max, last, last_ts, delta, estimated, revision)
         VALUES (1, ?, ?, 360, NULL, NULL, NULL, NULL, NULL, NULL, 0, 1)`,
      ).run(bucketStart, bucketStart + 3_600_000);
      const queue = db.prepare('INSERT INTO upload_rollups (tier, point_id, bucket_start) VALUES (?, ?, ?)');
      queue.run('1m', 1, bucketStart);
      queue.run('1h', 1, bucketStart);
      // Point 2 has no 1 min row: a queue entry whose row was deleted by hand.
      queue.run('1m', 2, bucketStart);

      migrate(db);

      const queued = db.prepare('SELECT * FROM upload_rollups ORDER BY seq').all() as Record<string, unknown>[];
      expect(queued[0]).toEqual({
        seq: 1,
        tier: '1m',
        point_id: 1,
        bucket_start: bucketStart,
        bucket_end: bucketStart + 60_000,
        last_ts: bucketStart + 50_000,
        row: expect.any(String),
      });
      expect(JSON.parse(queued[0]!.row as string), 'the 1 min tuple').toEqual([bucketStart, bucketStart + 60_000, 6, 15, 0.5, 4.5, 4, bucketStart + 50_000, 2.5, 1, 3]);
      expect(queued[1], 'the 1 h entry').toMatchObject({ tier: '1h', bucket_end: bucketStart + 3_600_000, last_ts: null });
      expect(JSON.parse(queued[1]!.row as string), 'the 1 h tuple').toEqual([bucketStart, bucketStart + 3_600_000, 360, null, null, null, null, null, null, 0, 1]);
      expect(queued[2], 'the entry without a row').toEqual({ seq: 3, tier: '1m', point_id: 2, bucket_start: bucketStart, bucket_end: null, last_ts: null, row: null });
      const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'upload_rollups'").all();
      expect(indexes, 'one key, ordered by time').toHaveLength(1);
    } finally {
      db.close();
    }
  });
});
