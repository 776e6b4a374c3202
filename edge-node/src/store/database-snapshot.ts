import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type Database from 'better-sqlite3';

/** Folder next to the database that contains the snapshots taken before schema migrations. */
export const BACKUPS_FOLDER = 'backups';

/** Number of schema snapshots kept; older ones are deleted. */
const KEPT_SNAPSHOTS = 2;

/** Returns the path of the snapshot of `databasePath` at schema `version`: `<folder>/backups/<name>.schema-<version>`. */
export function schemaSnapshotPath(databasePath: string, version: number): string {
  return join(dirname(databasePath), BACKUPS_FOLDER, `${basename(databasePath)}.schema-${version}`);
}

/**
 * Copies the database with `VACUUM INTO` before it is migrated from schema `fromVersion` to a newer one,
 * so an updater that rolls back to the previous release can restore a database that release can open.
 * Keeps the newest two snapshots. Skips in-memory and new (schema 0) databases.
 */
export function snapshotBeforeMigration(db: Database.Database, fromVersion: number): string | null {
  if (fromVersion === 0 || db.memory || db.name === '' || db.name === ':memory:') return null;
  const target = schemaSnapshotPath(db.name, fromVersion);
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  // VACUUM INTO refuses an existing file, such as one left by an earlier run of the same migration.
  rmSync(target, { force: true });
  db.prepare('VACUUM INTO ?').run(target);
  pruneSnapshots(db.name);
  return target;
}

/** Deletes all but the newest snapshots of `databasePath`, ordered by schema version. */
function pruneSnapshots(databasePath: string): void {
  const prefix = `${basename(databasePath)}.schema-`;
  const folder = join(dirname(databasePath), BACKUPS_FOLDER);
  const versions = readdirSync(folder)
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => Number(name.slice(prefix.length)))
    .sort((a, b) => b - a);
  for (const version of versions.slice(KEPT_SNAPSHOTS)) rmSync(join(folder, `${prefix}${version}`), { force: true });
}
