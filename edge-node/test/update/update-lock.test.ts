import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireUpdateLock, UPDATE_LOCK_FILE } from '../../src/update/update-lock';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'update-lock-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('update lock', () => {
  it('is released by its function', () => {
    const release = acquireUpdateLock(root);
    expect(existsSync(join(root, UPDATE_LOCK_FILE))).toBe(true);
    release();
    expect(existsSync(join(root, UPDATE_LOCK_FILE))).toBe(false);
  });

  it('rejects a second updater while a live process holds it', () => {
    const release = acquireUpdateLock(root);
    try {
      expect(() => acquireUpdateLock(root)).toThrow(`another update runs in process ${process.pid}`);
    } finally {
      release();
    }
  });

  it('takes over the lock of an ended process', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid!;
    await new Promise((exited) => child.once('exit', exited));
    writeFileSync(join(root, UPDATE_LOCK_FILE), `${pid}\n`);

    const release = acquireUpdateLock(root);
    release();
    expect(existsSync(join(root, UPDATE_LOCK_FILE))).toBe(false);
  });
});
