import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateRejectedError } from './update-errors';

/** File in the install root that marks an update in progress; it contains the updater's process id. */
export const UPDATE_LOCK_FILE = '.update.lock';

/** Checks whether process `pid` exists on this machine. */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the update lock of `installRoot`, so the timer and a manual run never install at the same time,
 * and returns the function that releases it. A lock left by a process that no longer exists, such as
 * an updater that systemd killed, is taken over.
 */
export function acquireUpdateLock(installRoot: string): () => void {
  const path = join(installRoot, UPDATE_LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && processExists(holder)) {
      throw new UpdateRejectedError(`another update runs in process ${holder} (${path}); wait for it to finish`);
    }
    rmSync(path, { force: true });
  }
  throw new UpdateRejectedError(`cannot take the update lock ${path}; another updater keeps recreating it`);
}
