import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestJson, startSetupProcess, waitFor, type SetupProcess } from './support/setup-process';

/*
 * Repeated and parallel setup steps against a real `edge-node start` process in setup mode. Every step
 * writes to edge.db while the setup service keeps its connection open, which is where a second
 * connection of the same process used to lose commits and report "database disk image is malformed".
 * NOTE: on this test machine the old code (fs open and close of edge.db, a second connection per admin
 * step) passed the WAL checks too, so they guard the symptom without having reproduced it.
 */

let dir: string;
let dataDir: string;
let edge: SetupProcess | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edge-setup-steps-'));
  dataDir = join(dir, 'data');
});

afterEach(async () => {
  await edge?.stop();
  edge = undefined;
  rmSync(dir, { recursive: true, force: true });
}, 20_000);

async function unlockedProcess(): Promise<{ url: string; token: string }> {
  edge = await startSetupProcess(join(dir, 'site.yaml'), dataDir);
  const unlocked = await requestJson(`${edge.url}/api/setup/unlock`, 'POST', { code: edge.printedCode });
  expect(unlocked.status).toBe(200);
  return { url: edge.url, token: unlocked.body.token };
}

/**
 * Reads edge.db from this (another) process while the node still runs, as `edge-node create-local-admin`
 * or a backup would. The connection is read-write on purpose, because the last connection to close
 * deletes the WAL, and SQLite tells whether it is the last from the POSIX locks of the others.
 */
function readDatabase() {
  const db = new Database(join(dataDir, 'edge.db'));
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      usernames: db.prepare<[], { username: string }>('SELECT username FROM local_accounts ORDER BY username').all().map((row) => row.username),
      actions: db.prepare<[], { action: string }>("SELECT action FROM audit_log WHERE actor_type = 'setup' ORDER BY id").all().map((row) => row.action),
    };
  } finally {
    db.close();
  }
}

const password = 'a long enough password';

describe('setup steps in a real process', { timeout: 60_000 }, () => {
  it('keeps every write of repeated admin and site steps', async () => {
    const { url, token } = await unlockedProcess();
    const statuses: number[] = [];
    for (const username of ['first-a', 'first-b', 'first-c']) {
      statuses.push((await requestJson(`${url}/api/setup/admin`, 'POST', { username, password }, token)).status);
    }
    const walBetweenSteps: boolean[] = [];
    for (const username of ['installer-a', 'installer-b', 'installer-c']) {
      statuses.push((await requestJson(`${url}/api/setup/admin`, 'POST', { username, password }, token)).status);
      readDatabase();
      walBetweenSteps.push(existsSync(join(dataDir, 'edge.db-wal')));
      statuses.push((await requestJson(`${url}/api/setup/standalone`, 'POST', { siteName: `Plant ${username}`, timeZone: 'UTC' }, token)).status);
    }
    const status = await requestJson(`${url}/api/setup/status`, 'GET');

    const stored = readDatabase();

    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200]);
    expect(walBetweenSteps, 'the WAL of the node survives another process closing its connection').toEqual([true, true, true]);
    expect(status.body.steps.admin).toBe(true);
    expect(stored.integrity).toBe('ok');
    expect(stored.usernames).toEqual(['installer-c']);
    expect(stored.actions.filter((action) => action === 'setup.admin_set')).toHaveLength(6);
    expect(stored.actions.filter((action) => action === 'setup.admin_removed')).toHaveLength(5);
    expect(stored.actions.filter((action) => action === 'setup.site_set')).toHaveLength(3);
    expect(stored.actions).toContain('setup.unlocked');
    expect(existsSync(join(dataDir, 'edge.db-wal')), 'the WAL of the open connection').toBe(true);
  });

  it('prints the code but keeps it out of the log', async () => {
    await unlockedProcess();
    const digits = edge!.printedCode.replace('-', '');
    await waitFor('the setup mode log line', async () => (edge!.stdout.some((line) => line.includes('"setup mode: open the setup page')) ? true : undefined));

    const logLines = edge!.stdout.filter((line) => line.startsWith('{'));

    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.filter((line) => line.includes(edge!.printedCode) || line.includes(digits))).toEqual([]);
  });

  it('creates one account for parallel admin steps', async () => {
    const { url, token } = await unlockedProcess();
    const usernames = ['parallel-a', 'parallel-b', 'parallel-c', 'parallel-d'];

    const responses = await Promise.all(usernames.map((username) => requestJson(`${url}/api/setup/admin`, 'POST', { username, password }, token)));
    const stored = readDatabase();

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    expect(stored.integrity).toBe('ok');
    expect(stored.usernames).toHaveLength(1);
    expect(usernames).toContain(stored.usernames[0]);
  });

  it('deletes setup leftovers at a normal start', async () => {
    const configPath = join(dir, 'site.yaml');
    writeFileSync(configPath, 'site: { id: depot, name: Depot, timeZone: UTC }\ndevices: []\n');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'setup-code'), '12345678\n', { mode: 0o600 });
    writeFileSync(join(dataDir, 'setup-progress.json'), '{}\n', { mode: 0o600 });
    const bin = fileURLToPath(new URL('../../bin/edge-node.mjs', import.meta.url));
    const child = spawn(process.execPath, [bin, 'start', '--config', configPath, '--data', dataDir, '--host', '127.0.0.1', '--port', '0'], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor('the edge node to start', async () => (output.includes('edge node for site "Depot" listening') ? true : undefined));

      expect(existsSync(join(dataDir, 'setup-code'))).toBe(false);
      expect(existsSync(join(dataDir, 'setup-progress.json'))).toBe(false);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  });
});
