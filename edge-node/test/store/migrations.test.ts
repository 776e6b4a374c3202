import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database';
import { migrate } from '../../src/store/migrations';
import { makeTempDir, type TempDir } from './support/temp-store';

/** Migrations the store has so far; raise it together with the list in migrations.ts. */
const MIGRATION_COUNT = 5;

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
});
