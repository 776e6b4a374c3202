/** Time the node gets to leave setup mode and serve its site after finish. */
export const NODE_START_TIMEOUT_MS = 60_000;

const POLL_INTERVAL_MS = 1_000;

/** Options of `waitForRunningNode`, with the clock and the pause injectable for tests. */
export interface WaitForNodeOptions {
  timeoutMs?: number;
  intervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Calls `isRunning` until it returns true or `timeoutMs` passed, and returns whether the node runs. A
 * failed check counts as not running, because the node returns 503 or drops connections while it
 * switches from setup to its site.
 */
export async function waitForRunningNode(isRunning: () => Promise<boolean>, options: WaitForNodeOptions = {}): Promise<boolean> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + (options.timeoutMs ?? NODE_START_TIMEOUT_MS);
  for (;;) {
    const running = await isRunning().catch(() => false);
    if (running) return true;
    if (now() >= deadline) return false;
    await sleep(options.intervalMs ?? POLL_INTERVAL_MS);
  }
}
