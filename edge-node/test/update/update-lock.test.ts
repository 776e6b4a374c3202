import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireUpdateLock, processStartTime, UPDATE_LOCK_FILE } from '../../src/update/update-lock';

const EDGE_NODE_DIR = resolve(import.meta.dirname, '../..');

let root: string;
let lockFile: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'update-lock-'));
  lockFile = join(root, 'update.lock');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Returns the pid of a process that has ended. */
async function endedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid!;
  await new Promise((exited) => child.once('exit', exited));
  return pid;
}

/** Runs `count` processes that try to take the lock at the same moment and hold it for a second. */
async function raceForLock(count: number): Promise<string[]> {
  const script = `
    import { acquireUpdateLock } from './src/update/update-lock.ts';
    const start = Number(process.argv[2]);
    while (Date.now() < start) {}
    try {
      const release = acquireUpdateLock(process.argv[1]);
      console.log('held');
      setTimeout(release, 1000);
    } catch (error) {
      console.log('rejected: ' + error.message);
    }`;
  const start = Date.now() + 4000;
  const runs = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, lockFile, String(start)], { cwd: EDGE_NODE_DIR });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise<string>((done) => child.once('exit', () => done(output.trim())));
  });
  return Promise.all(runs);
}

describe('update lock', () => {
  it('is released by its function', () => {
    const release = acquireUpdateLock(lockFile);
    expect(readFileSync(lockFile, 'utf8')).toBe(`${process.pid} ${processStartTime(process.pid)}\n`);
    release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('keeps .update.lock inside a folder', () => {
    const release = acquireUpdateLock(root);
    expect(existsSync(join(root, UPDATE_LOCK_FILE))).toBe(true);
    release();
    expect(existsSync(join(root, UPDATE_LOCK_FILE))).toBe(false);
  });

  it('rejects a second updater while a live process holds it', () => {
    const release = acquireUpdateLock(lockFile);
    try {
      expect(() => acquireUpdateLock(lockFile)).toThrow(`another update runs in process ${process.pid}`);
    } finally {
      release();
    }
  });

  it('takes over the lock of an ended process', async () => {
    writeFileSync(lockFile, `${await endedPid()}\n`);
    const release = acquireUpdateLock(lockFile);
    expect(readFileSync(lockFile, 'utf8')).toContain(`${process.pid} `);
    release();
    expect(existsSync(lockFile)).toBe(false);
    expect(existsSync(`${lockFile}.takeover`)).toBe(false);
  });

  it('takes over a lock whose pid was reused', () => {
    // This process's pid with another start time: the updater that wrote it ended and the pid came back.
    writeFileSync(lockFile, `${process.pid} ${processStartTime(process.pid)! + 1}\n`);
    const release = acquireUpdateLock(lockFile);
    expect(readFileSync(lockFile, 'utf8')).toBe(`${process.pid} ${processStartTime(process.pid)}\n`);
    release();
  });

  it('treats a fresh empty lock as held', () => {
    writeFileSync(lockFile, '');
    expect(() => acquireUpdateLock(lockFile)).toThrow(`another updater is taking the update lock ${lockFile} right now`);
  });

  it('takes over an old empty lock', () => {
    writeFileSync(lockFile, '');
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lockFile, minuteAgo, minuteAgo);
    acquireUpdateLock(lockFile)();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('releases only its own lock', () => {
    const release = acquireUpdateLock(lockFile);
    writeFileSync(lockFile, '1 1\n');
    release();
    expect(readFileSync(lockFile, 'utf8')).toBe('1 1\n');
  });

  it('names a missing lock folder', () => {
    const missing = join(root, 'absent', 'update.lock');
    expect(() => acquireUpdateLock(missing)).toThrow(`cannot create the update lock ${missing} (ENOENT): its folder ${join(root, 'absent')} is missing or not writable`);
  });

  it('is held by one of several processes racing for a stale lock', { timeout: 60_000 }, async () => {
    for (let round = 0; round < 3; round++) {
      writeFileSync(lockFile, `${await endedPid()}\n`);
      const outputs = await raceForLock(6);
      expect(outputs.filter((output) => output === 'held'), outputs.join('\n')).toHaveLength(1);
      expect(outputs.filter((output) => output.startsWith('rejected: '))).toHaveLength(5);
    }
  });
});
