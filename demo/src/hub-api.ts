import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

/*
 * The few hub API calls the demo makes, as the web app makes them: log in, and read the site
 * summaries to learn when both edges are online.
 */

const loginResponseSchema = z.object({ accessToken: z.string() });

const siteSummariesSchema = z.object({
  sites: z.array(
    z.object({
      site: z.object({ id: z.string(), name: z.string() }),
      edge: z.object({ connected: z.boolean(), lastContactAt: z.number().nullable() }),
    }),
  ),
});

/** Logs in with email and password; returns the access token. */
export async function loginToHub(hubUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${hubUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`login of ${email} at ${hubUrl} failed with ${response.status}: ${await response.text()}`);
  return loginResponseSchema.parse(await response.json()).accessToken;
}

/** Returns true when GET /healthz returns 200. */
export async function hubIsHealthy(hubUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${hubUrl}/healthz`);
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** Names of the sites whose edge has no open live uplink to the hub. */
async function sitesWithoutEdge(hubUrl: string, token: string, siteIds: readonly string[]): Promise<string[]> {
  const response = await fetch(`${hubUrl}/api/site-summaries?limit=200`, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${hubUrl}/api/site-summaries failed with ${response.status}: ${await response.text()}`);
  const { sites } = siteSummariesSchema.parse(await response.json());
  return siteIds.filter((id) => !sites.some((summary) => summary.site.id === id && summary.edge.connected)).map((id) => sites.find((summary) => summary.site.id === id)?.site.name ?? id);
}

/**
 * Polls the site summaries every second until the edge of every site in `siteIds` is connected.
 * After `timeoutMs` it raises an error naming the sites still offline. `stillRunning` runs on each
 * round, so a crashed edge ends the wait at once.
 */
export async function waitForEdgesOnline(hubUrl: string, token: string, siteIds: readonly string[], timeoutMs: number, stillRunning: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    stillRunning();
    const offline = await sitesWithoutEdge(hubUrl, token, siteIds);
    if (offline.length === 0) return;
    if (Date.now() >= deadline) throw new Error(`the hub did not see the edge of ${offline.join(' and ')} online within ${timeoutMs / 1000} s`);
    await sleep(1000);
  }
}

/** Polls GET /healthz every 250 ms until it returns 200; raises an error after `timeoutMs`. */
export async function waitForHub(hubUrl: string, timeoutMs: number, stillRunning: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await hubIsHealthy(hubUrl))) {
    stillRunning();
    if (Date.now() >= deadline) throw new Error(`the hub at ${hubUrl} did not return 200 from /healthz within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}
