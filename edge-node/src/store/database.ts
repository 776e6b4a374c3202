import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations';

export type SqliteDatabase = Database.Database;

/**
 * Opens (and migrates) the edge node's SQLite database.
 *
 * Durability: WAL with `synchronous = FULL` makes every commit fsync the WAL, so a committed
 * transaction survives a power cut. The writer commits at most every `commitIntervalMs` (1 s by
 * default), so a power cut loses the samples of the open transaction: about one second. With
 * `synchronous = NORMAL` the WAL is only synced at checkpoints and a power cut could lose many
 * seconds of commits; the fsync once per second costs little next to the batch it commits.
 * Readers never block the writer in WAL mode.
 */
export function openDatabase(path: string): SqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    migrate(db);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
