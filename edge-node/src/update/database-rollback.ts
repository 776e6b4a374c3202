import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { BACKUPS_FOLDER, schemaSnapshotPath } from '../store/database-snapshot';

const execFileAsync = promisify(execFile);

/** Outcome of a rollback for the database in the data folder. */
export const databaseRestoreSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('not-needed'), schemaVersion: z.number().int().nullable() }),
  z.object({ outcome: z.literal('restored'), from: z.number().int(), to: z.number().int(), keptAs: z.string() }),
]);
export type DatabaseRestore = z.infer<typeof databaseRestoreSchema>;

/** Reads `PRAGMA user_version` of a database without migrating or changing it. */
function readSchemaVersion(path: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

/**
 * Puts back the snapshot taken before the database was migrated past `knownVersion`, when `<data>/edge.db`
 * has a newer schema than the release being restored can open. The newer database, with its WAL, is kept
 * in `backups/` as `edge.db.rolled-back-schema-<version>`. The edge node must be stopped.
 */
export function restoreDatabaseForSchema(dataDir: string, knownVersion: number): DatabaseRestore {
  const database = join(dataDir, 'edge.db');
  if (!existsSync(database)) return { outcome: 'not-needed', schemaVersion: null };
  const version = readSchemaVersion(database);
  if (version <= knownVersion) return { outcome: 'not-needed', schemaVersion: version };

  const snapshot = schemaSnapshotPath(database, knownVersion);
  if (!existsSync(snapshot)) {
    throw new Error(`${database} has schema ${version}, newer than the restored release opens (${knownVersion}), and there is no snapshot ${snapshot}; restore a backup of edge.db by hand`);
  }
  const keptAs = join(dataDir, BACKUPS_FOLDER, `edge.db.rolled-back-schema-${version}`);
  for (const suffix of ['', '-wal', '-shm']) {
    rmSync(`${keptAs}${suffix}`, { force: true });
    if (existsSync(`${database}${suffix}`)) renameSync(`${database}${suffix}`, `${keptAs}${suffix}`);
  }
  const restoring = `${database}.restoring`;
  copyFileSync(snapshot, restoring);
  renameSync(restoring, database);
  return { outcome: 'restored', from: version, to: knownVersion, keptAs };
}

/**
 * Runs `restoreDatabaseForSchema` as the owner of the data folder. The updater runs as root, and the data
 * folder belongs to the service user, so the work happens in a child process with that user's ids: it can
 * reach nothing the service user cannot, and the files it creates belong to that user.
 */
export async function restoreDatabaseAsOwner(dataDir: string, knownVersion: number): Promise<DatabaseRestore> {
  const owner = lstatSync(dataDir);
  if (owner.isSymbolicLink()) throw new Error(`data folder ${dataDir} is a symlink; pass the folder itself with --data`);
  if (process.getuid?.() !== 0 || owner.uid === 0) return restoreDatabaseForSchema(dataDir, knownVersion);

  const script = process.argv[1];
  if (script === undefined) throw new Error('cannot find the edge-node program to restore the database as the service user');
  const { stdout } = await execFileAsync(process.execPath, [...process.execArgv, script, 'update', 'restore-database', '--data', dataDir, '--schema', String(knownVersion)], {
    uid: owner.uid,
    gid: owner.gid,
    cwd: '/',
    timeout: 600_000,
  });
  return databaseRestoreSchema.parse(JSON.parse(stdout.trim().split('\n').at(-1)!));
}
