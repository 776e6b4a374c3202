import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';

/** Pause between two health requests while waiting for a new release to come up. */
const HEALTH_POLL_INTERVAL_MS = 500;

/** Maximum time one health request may take. */
const HEALTH_REQUEST_TIMEOUT_MS = 5_000;

/** Default number of consecutive good health responses a new release must give. */
export const DEFAULT_HEALTHY_POLLS = 3;

/** Default time those good responses must span, in ms, so a release that starts and then dies is caught. */
export const DEFAULT_HEALTH_WINDOW_MS = 20_000;

const healthVersionSchema = z.object({ version: z.string() });

/** Outcome of waiting for a release: reported healthy, or the last thing the health URL returned. */
export type HealthWait = { healthy: true } | { healthy: false; lastSeen: string };

/** How long and how strictly to wait for a new release. */
export interface HealthWaitOptions {
  /** Time the release has to give its first good response, in ms. */
  timeoutMs: number;
  /** Consecutive good responses needed, the first included. */
  healthyPolls: number;
  /** Time from the first to the last of those responses, in ms. */
  windowMs: number;
}

/** Requests `url` once; returns null when it reports `expected` with 200, else what it returned. */
async function pollHealth(url: string, expected: string): Promise<string | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(HEALTH_REQUEST_TIMEOUT_MS) });
    const body: unknown = await response.json().catch(() => null);
    const parsed = healthVersionSchema.safeParse(body);
    if (response.status === 200 && parsed.success && parsed.data.version === expected) return null;
    return parsed.success ? `HTTP ${response.status} with version ${parsed.data.version}` : `HTTP ${response.status} without a version`;
  } catch (error) {
    return `no response: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`;
  }
}

/**
 * Polls `url` until it returns 200 with `version` equal to `expected`, or `timeoutMs` passes. Any other
 * response, a connection failure included, is retried, because the node is expected to be restarting.
 */
export async function waitForVersion(url: string, expected: string, timeoutMs: number, now: () => number = Date.now): Promise<HealthWait> {
  return waitForSteadyHealth(url, expected, { timeoutMs, healthyPolls: 1, windowMs: 0 }, now);
}

/**
 * Waits until `url` reports `expected` in `healthyPolls` consecutive responses that span at least
 * `windowMs`. A bad response after a good one starts the count again, so a release that comes up and then
 * crashes is not taken for healthy. Gives up `timeoutMs + windowMs` after the start.
 */
export async function waitForSteadyHealth(url: string, expected: string, options: HealthWaitOptions, now: () => number = Date.now): Promise<HealthWait> {
  const deadline = now() + options.timeoutMs + options.windowMs;
  const steadyIntervalMs = options.healthyPolls > 1 ? Math.max(HEALTH_POLL_INTERVAL_MS, options.windowMs / (options.healthyPolls - 1)) : HEALTH_POLL_INTERVAL_MS;
  let lastSeen = 'no response yet';
  let goodSince: number | null = null;
  let goodPolls = 0;
  let wasHealthy = false;
  for (;;) {
    const problem = await pollHealth(url, expected);
    if (problem === null) {
      goodSince ??= now();
      goodPolls++;
      wasHealthy = true;
      if (goodPolls >= options.healthyPolls && now() - goodSince >= options.windowMs) return { healthy: true };
    } else {
      lastSeen = wasHealthy ? `healthy at first, then ${problem}` : problem;
      goodSince = null;
      goodPolls = 0;
    }
    const pause = goodSince === null ? HEALTH_POLL_INTERVAL_MS : steadyIntervalMs;
    if (now() + pause > deadline) return { healthy: false, lastSeen: goodSince === null ? lastSeen : `healthy for ${Math.round((now() - goodSince) / 1000)} s only` };
    await delay(pause);
  }
}
