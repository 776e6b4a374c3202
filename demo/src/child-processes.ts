import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './paths';

/*
 * The hub and edge processes of the demo. Each writes its output to a log file in the data folder, so
 * the terminal shows only the demo's summary. Each gets an IPC channel and the exit-with-parent
 * preload, so it shuts down when the demo process dies, even by SIGKILL.
 */

const exitWithParent = fileURLToPath(new URL('./exit-with-parent.mjs', import.meta.url));

/** Time a child gets to stop after SIGTERM before it gets SIGKILL; the hub drains requests for up to 10 s. */
const STOP_TIMEOUT_MS = 15_000;

/** A started child process and where its output goes. */
export interface DemoChild {
  name: string;
  process: ChildProcess;
  logFile: string;
}

/** Error for a command the demo runs to its end that failed. `signal` is the signal that ended it, if any. */
export class ChildFailedError extends Error {
  override name = 'ChildFailedError';

  constructor(
    message: string,
    readonly signal: NodeJS.Signals | null = null,
  ) {
    super(message);
  }
}

/** Starts `node <script> <args>` with its output appended to `logFile`. */
export function startChild(name: string, script: string, args: readonly string[], env: NodeJS.ProcessEnv, logFile: string): DemoChild {
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(process.execPath, ['--import', exitWithParent, script, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', log, log, 'ipc'] });
    return { name, process: child, logFile };
  } finally {
    closeSync(log);
  }
}

/** Returns the log part of a failure message: the log file, or a note that it is empty, as after a command ended by a signal. */
function logHint(logFile: string): string {
  return existsSync(logFile) && statSync(logFile).size > 0 ? `see ${logFile}` : `its log ${logFile} is empty`;
}

/**
 * Runs a child to its end; a non-zero exit raises ChildFailedError that points at the log. When `stop`
 * aborts, the child gets SIGTERM, and a child is not started once `stop` has aborted.
 */
export async function runChild(name: string, script: string, args: readonly string[], env: NodeJS.ProcessEnv, logFile: string, stop?: AbortSignal): Promise<void> {
  if (stop?.aborted) throw new ChildFailedError(`${name} not started because the demo is stopping`, 'SIGTERM');
  const child = startChild(name, script, args, env, logFile);
  const onStop = () => child.process.kill('SIGTERM');
  stop?.addEventListener('abort', onStop, { once: true });
  try {
    const [code, signal] = (await once(child.process, 'exit')) as [number | null, NodeJS.Signals | null];
    if (code !== 0) throw new ChildFailedError(`${name} failed (${signal ?? `exit code ${code}`}); ${logHint(logFile)}`, signal);
  } finally {
    stop?.removeEventListener('abort', onStop);
  }
}

/** Sends SIGTERM to a running child, waits for its exit, and sends SIGKILL when it is still running after the timeout. */
async function stopChild({ name, process: child, logFile }: DemoChild): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    process.stderr.write(`${name} did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM; killing it (see ${logFile})\n`);
    child.kill('SIGKILL');
  }, STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Stops the children in the reverse order of their start, so the edges end before the hub they talk
 * to. A hub stopped while edges still poll it finished those requests after its shutdown and then
 * sometimes kept running.
 */
export async function stopChildren(children: readonly DemoChild[]): Promise<void> {
  for (const child of [...children].reverse()) await stopChild(child);
}
