import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { writePendingUpdate } from '../../src/update/pending-update';

// A rollback as root restores the database in a child process that runs as the data folder's owner.

const execFileAsync = promisify(execFile);
const EDGE_NODE_DIR = resolve(import.meta.dirname, '../..');
/** The `nobody` account of Debian, which owns the data folder here as the service user does in the package. */
const SERVICE_UID = 65534;
const workDir = mkdtempSync(join(tmpdir(), 'database-rollback-'));

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function createDatabase(path: string, userVersion: number): void {
  const db = new Database(path);
  db.pragma(`user_version = ${userVersion}`);
  db.close();
}

function userVersion(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('database rollback as root', { timeout: 60_000 }, () => {
  it('restores the snapshot as the data owner', async () => {
    if (process.getuid?.() !== 0) throw new Error('this test needs root, as the update service runs: run it as root');
    chmodSync(workDir, 0o755);
    const dataDir = join(workDir, 'data');
    mkdirSync(join(dataDir, 'backups'), { recursive: true });
    createDatabase(join(dataDir, 'edge.db'), 3);
    createDatabase(join(dataDir, 'backups', 'edge.db.schema-2'), 2);
    for (const path of [dataDir, join(dataDir, 'backups'), join(dataDir, 'edge.db'), join(dataDir, 'backups', 'edge.db.schema-2')]) chownSync(path, SERVICE_UID, SERVICE_UID);

    const root = join(workDir, 'opt');
    for (const version of ['1.0.0', '1.1.0']) {
      mkdirSync(join(root, 'releases', version, 'bin'), { recursive: true });
      writeFileSync(join(root, 'releases', version, 'bin', 'simtestlab-edge'), '#!/bin/sh\n', { mode: 0o755 });
    }
    symlinkSync(join(root, 'releases', '1.0.0'), join(root, 'current'));
    const stateDir = join(workDir, 'state');
    // current does not point at the new release, as when the updater was killed during its own rollback.
    writePendingUpdate(stateDir, {
      previous: join(root, 'releases', '1.0.0'),
      next: join(root, 'releases', '1.1.0'),
      from: '1.0.0',
      to: '1.1.0',
      channel: 'stable',
      schemaVersion: 2,
      startedAt: new Date().toISOString(),
    });

    const argv = ['bin/edge-node.mjs', 'update', 'recover', '--data', dataDir, '--install-root', root, '--lock-file', join(root, 'update.lock'), '--state-dir', stateDir, '--restart-command', 'true', '--stop-command', 'true'];
    const { stdout, stderr } = await execFileAsync(process.execPath, argv, { cwd: EDGE_NODE_DIR, env: { ...process.env, LOG_LEVEL: 'warn' } }).catch((error: { stdout: string; stderr: string }) => error);
    expect(stderr).toContain('restored the database snapshot of schema 2');
    expect(stdout).not.toContain('finished the update');
    expect(userVersion(join(dataDir, 'edge.db'))).toBe(2);
    expect(statSync(join(dataDir, 'edge.db')).uid).toBe(SERVICE_UID);
    expect(statSync(join(dataDir, 'backups', 'edge.db.rolled-back-schema-3')).uid).toBe(SERVICE_UID);
    expect(existsSync(join(root, 'releases', '1.1.0'))).toBe(false);
  });
});
