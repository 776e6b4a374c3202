import type { ManagedProcess } from './managed-process';

/** Pause between two polls, in ms. */
const POLL_INTERVAL_MS = 250;

/** What `waitUntil` polls for, and whom to blame when it never comes. */
export interface WaitOptions {
  /** What is awaited, completing "timed out waiting for ...". */
  description: string;
  timeoutMs: number;
  /** Processes whose state and last output lines the timeout error shows. */
  processes?: ManagedProcess[];
}

/**
 * Polls `check` until it returns a value other than undefined, and returns that value. Fails at once
 * when one of the processes exits, and after `timeoutMs` with the last error `check` threw.
 */
export async function waitUntil<T>(check: () => Promise<T | undefined>, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const processes = options.processes ?? [];
  let lastProblem = 'the condition never held';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    const exited = processes.find((managed) => managed.hasExited);
    if (exited !== undefined) {
      throw new Error(`${exited.name} ended while waiting for ${options.description}. ${exited.describe()}`);
    }
    if (Date.now() > deadline) {
      const details = processes.map((managed) => managed.describe()).join('\n\n');
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.description}; last problem: ${lastProblem}\n\n${details}`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, POLL_INTERVAL_MS));
  }
}

/** Returns the parsed JSON body of `url`; throws with the status and body when the status is not `expectedStatus`. */
export async function fetchJson(url: string, expectedStatus = 200): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  const text = await response.text();
  if (response.status !== expectedStatus) throw new Error(`GET ${url} returned ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}
