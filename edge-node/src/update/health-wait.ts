import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';

/** Pause between two health requests while waiting for a new release. */
const HEALTH_POLL_INTERVAL_MS = 500;

/** Maximum time one health request may take. */
const HEALTH_REQUEST_TIMEOUT_MS = 5_000;

const healthVersionSchema = z.object({ version: z.string() });

/** Outcome of waiting for a release: reported healthy, or the last thing the health URL returned. */
export type HealthWait = { healthy: true } | { healthy: false; lastSeen: string };

/**
 * Polls `url` until it returns 200 with `version` equal to `expected`, or `timeoutMs` passes. Any other
 * response, a connection failure included, is retried, because the node is expected to be restarting.
 */
export async function waitForVersion(url: string, expected: string, timeoutMs: number, now: () => number = Date.now): Promise<HealthWait> {
  const deadline = now() + timeoutMs;
  let lastSeen = 'no response yet';
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(HEALTH_REQUEST_TIMEOUT_MS) });
      const body: unknown = await response.json().catch(() => null);
      const parsed = healthVersionSchema.safeParse(body);
      if (response.status === 200 && parsed.success && parsed.data.version === expected) return { healthy: true };
      lastSeen = parsed.success ? `HTTP ${response.status} with version ${parsed.data.version}` : `HTTP ${response.status} without a version`;
    } catch (error) {
      lastSeen = `no response: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`;
    }
    if (now() + HEALTH_POLL_INTERVAL_MS > deadline) return { healthy: false, lastSeen };
    await delay(HEALTH_POLL_INTERVAL_MS);
  }
}
