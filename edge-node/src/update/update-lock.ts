import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UpdateRejectedError } from './update-errors';

/**
 * Default update lock. It lives under /run, a tmpfs, so a lock left by a power cut is gone after the
 * reboot, and a lock of a killed updater is detected by its process id and start time.
 */
export const DEFAULT_UPDATE_LOCK_FILE = '/run/simtestlab-edge-update.lock';

/** Name of the lock file when the lock path given is a folder. */
export const UPDATE_LOCK_FILE = '.update.lock';

/**
 * Age in ms below which an empty or half-written lock file counts as held: its creator is between
 * creating and writing it. Older ones were left by an updater that died in that moment.
 */
const UNWRITTEN_LOCK_GRACE_MS = 5_000;

/** Owner of a lock: process id and start time in clock ticks since boot, null where /proc has none. */
interface LockOwner {
  pid: number;
  startTime: number | null;
}

/**
 * Returns the start time of process `pid` in clock ticks since boot (field 22 of /proc/<pid>/stat), or
 * null when the process does not exist or /proc is not available.
 */
export function processStartTime(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name in field 2 may contain spaces and parentheses, so fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTime = Number(fields[19]);
  return Number.isInteger(startTime) ? startTime : null;
}

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

/** Parses `<pid> <start time>`, or a bare `<pid>` of an older updater; null for anything else. */
function parseOwner(text: string): LockOwner | null {
  const match = /^(\d+)(?: (\d+))?\n?$/.exec(text);
  if (match === null) return null;
  return { pid: Number(match[1]), startTime: match[2] === undefined ? null : Number(match[2]) };
}

function formatOwner(owner: LockOwner): string {
  return owner.startTime === null ? `${owner.pid}\n` : `${owner.pid} ${owner.startTime}\n`;
}

/** Checks whether the owner still runs: same pid and, where both are known, same start time. */
function ownerRuns(owner: LockOwner): boolean {
  if (!processExists(owner.pid)) return false;
  if (owner.startTime === null) return true;
  const startTime = processStartTime(owner.pid);
  // A different start time means the pid was reused by another process after the updater ended.
  return startTime === null || startTime === owner.startTime;
}

/** Creates `path` only if it does not exist, writes `content` and flushes it. */
function createExclusive(path: string, content: string): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Reads a file, or returns null when it does not exist. */
function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Returns the lock file for `lockPath`: the path itself, or `.update.lock` inside it when it is a folder. */
function resolveLockFile(lockPath: string): string {
  try {
    if (statSync(lockPath).isDirectory()) return join(lockPath, UPDATE_LOCK_FILE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return lockPath;
}

/** Builds the error for a lock another updater holds, naming its process when the lock file has one. */
function heldError(path: string, content: string): UpdateRejectedError {
  const owner = parseOwner(content);
  if (owner === null) return new UpdateRejectedError(`another updater is taking the update lock ${path} right now; wait for it to finish`);
  return new UpdateRejectedError(`another update runs in process ${owner.pid} (${path}); wait for it to finish`);
}

/**
 * Takes the update lock, so the timer and a manual run never install at the same time, and returns the
 * function that releases it. The lock file contains the process id and start time of its owner.
 * A lock whose owner no longer runs is taken over: only the updater that creates the takeover guard
 * `<lock>.takeover` exclusively replaces it, by renaming a fresh lock file over it, and checks that
 * the lock is its own afterwards. `lockPath` is the lock file, or a folder to keep `.update.lock` in.
 */
export function acquireUpdateLock(lockPath: string = DEFAULT_UPDATE_LOCK_FILE, now: () => number = Date.now): () => void {
  const path = resolveLockFile(lockPath);
  const own = formatOwner({ pid: process.pid, startTime: processStartTime(process.pid) });
  const release = () => {
    // Another updater may have taken over after this one was judged dead; its lock stays.
    if (readIfExists(path) === own) rmSync(path, { force: true });
  };

  try {
    createExclusive(path, own);
    return release;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES') {
      throw new UpdateRejectedError(`cannot create the update lock ${path} (${code}): its folder ${dirname(path)} is missing or not writable; run as root or pass --lock-file`, {
        cause: error,
      });
    }
    if (code !== 'EEXIST') throw error;
  }

  const seen = readIfExists(path);
  if (seen === null) return acquireUpdateLock(lockPath, now);
  const owner = parseOwner(seen);
  if (owner === null && now() - statSync(path).mtimeMs < UNWRITTEN_LOCK_GRACE_MS) throw heldError(path, seen);
  if (owner !== null && ownerRuns(owner)) throw heldError(path, seen);

  takeOver(path, seen, own);
  return release;
}

/** Replaces the stale lock `path`, whose content was `stale`, with `own`, under the takeover guard. */
function takeOver(path: string, stale: string, own: string): void {
  const guard = `${path}.takeover`;
  try {
    createExclusive(guard, own);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // NOTE: an updater killed during the few microseconds of a takeover leaves the guard behind. It then
    // blocks takeovers until someone deletes it or, under /run, until the next reboot.
    throw new UpdateRejectedError(`another updater is taking over the stale update lock ${path} right now (guard ${guard}); wait for it to finish`);
  }
  try {
    const current = readIfExists(path);
    // Changed or gone since it was judged stale: another updater finished a takeover meanwhile.
    if (current !== stale) throw heldError(path, current ?? '');
    const fresh = `${path}.${randomBytes(6).toString('hex')}`;
    createExclusive(fresh, own);
    renameSync(fresh, path);
    const after = readIfExists(path);
    if (after !== own) throw heldError(path, after ?? '');
  } finally {
    rmSync(guard, { force: true });
  }
}
