import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
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
  if (path !== ':memory:') restrictToOwner(path);
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

/**
 * Creates the database file readable by its owner only, and tightens an existing one. It contains the
 * argon2id hashes of the users who may log in, so other local users must not read it. SQLite gives
 * the -wal and -shm files the permissions of the database file.
 *
 * An existing file is only chmod-ed, never opened: closing any descriptor of a file releases every
 * POSIX advisory lock this process holds on it (fcntl semantics), including those of an open SQLite
 * connection. The next connection that closes then believes it is the last one and deletes the WAL
 * with commits that the first connection still needs, and the database reports "disk image is
 * malformed" (see "How To Corrupt An SQLite Database File", section 2.2, on sqlite.org).
 */
function restrictToOwner(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) createEmptyFile(path);
  chmodSync(path, 0o600);
}

/** Creates an empty file with mode 0600; a file created by someone else in the meantime is left alone. */
function createEmptyFile(path: string): void {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  closeSync(descriptor);
}
