import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database';
import { migrate, SCHEMA_VERSION } from '../../src/store/migrations';

let dataDir: string;

afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** Returns user_version of a database file, opened read-only. */
function userVersion(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('schema snapshot before migration', () => {
  it('copies an older database before migrating it', () => {
    dataDir = mkdtempSync(join(tmpdir(), 'snapshot-'));
    const path = join(dataDir, 'edge.db');
    const old = new Database(path);
    migrate(old, 3);
    old.close();

    openDatabase(path).close();

    const snapshot = join(dataDir, 'backups', 'edge.db.schema-3');
    expect(existsSync(snapshot)).toBe(true);
    expect(userVersion(snapshot)).toBe(3);
    expect(userVersion(path)).toBe(SCHEMA_VERSION);
  });

  it('takes no snapshot of a new or current database', () => {
    dataDir = mkdtempSync(join(tmpdir(), 'snapshot-'));
    const path = join(dataDir, 'edge.db');
    openDatabase(path).close();
    openDatabase(path).close();
    expect(existsSync(join(dataDir, 'backups'))).toBe(false);
  });

  it('keeps the newest two snapshots', () => {
    dataDir = mkdtempSync(join(tmpdir(), 'snapshot-'));
    const path = join(dataDir, 'edge.db');
    const db = new Database(path);
    for (const target of [1, 2, 3, 4]) migrate(db, target);
    db.close();
    expect(readdirSync(join(dataDir, 'backups')).sort()).toEqual(['edge.db.schema-2', 'edge.db.schema-3']);
  });
});
