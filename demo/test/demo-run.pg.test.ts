import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCounterFile } from '@simtestlab/edge-node/src/simulate/counter-state';
import { dropDemoDatabase } from '../src/database';
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL } from '../src/options';
import { deleteKeysWithPrefix, RedisConnection } from '../src/redis-client';
import { describeProcess, descendantPids, isAlive } from './process-tree';
import { spareTcpPort, spawnDemo } from './run-demo-cli';

/*
 * A full `pnpm demo` run against the shared Postgres and Redis, with a private database, a private
 * Redis key prefix, a temporary data folder and spare HTTP ports. The simulators use the demo's fixed
 * ports (Modbus 15502-15504 and 15512-15514, BACnet 47809-47810 and 47819-47820), which must be free.
 */

const adminUrl = process.env.DEMO_DATABASE_URL || DEFAULT_DATABASE_URL;
const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
const suffix = randomBytes(4).toString('hex');
const database = `simtestlab_demo_test_${suffix}`;
const redisPrefix = `demo-test-${suffix}:`;

/** Time the demo gets to print its summary: migration, hub start, pairing and both edges online. */
const START_TIMEOUT_MS = 110_000;

let dataDir: string;
let demo: ChildProcess;
let stdout = '';
let stderr = '';
let hubUrl: string;
let edgeUrls: string[];
const logins = new Map<string, { email: string; password: string }>();

async function postJson(url: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json().catch(() => null) };
}

async function getJson(url: string, token: string): Promise<any> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${url} returned ${response.status}: ${await response.text()}`);
  return response.json();
}

async function login(role: string): Promise<string> {
  const entry = logins.get(role);
  if (!entry) throw new Error(`the demo printed no ${role} login; output:\n${stdout}`);
  const { status, body } = await postJson(`${hubUrl}/api/auth/login`, { email: entry.email, password: entry.password });
  if (status !== 200) throw new Error(`login of ${entry.email} returned ${status}`);
  return body.accessToken as string;
}

async function demoSites(token: string): Promise<{ id: string; name: string }[]> {
  const { sites } = await getJson(`${hubUrl}/api/sites`, token);
  return (sites as { id: string; name: string }[]).filter((site) => site.name.startsWith('Demo Site '));
}

/** Resolves when the demo printed its summary; rejects with its output when it exits first or times out. */
function waitForSummary(): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo printed no summary within ${START_TIMEOUT_MS / 1000} s\nstdout:\n${stdout}\nstderr:\n${stderr}`)), START_TIMEOUT_MS);
    demo.stdout!.on('data', () => {
      if (!stdout.includes('Press Ctrl+C to stop')) return;
      clearTimeout(timer);
      resolve();
    });
    demo.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code} before its summary\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    });
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'demo-run-'));
  const hubPort = await spareTcpPort();
  const edgePorts = [await spareTcpPort(), await spareTcpPort()];
  hubUrl = `http://127.0.0.1:${hubPort}`;
  edgeUrls = edgePorts.map((port) => `http://127.0.0.1:${port}`);
  demo = spawnDemo(
    ['--api-only', '--hub-port', String(hubPort), '--edge-ports', edgePorts.join(','), '--data', dataDir, '--database', database, '--redis-prefix', redisPrefix, '--online-timeout', '90'],
    { DEMO_DATABASE_URL: adminUrl, REDIS_URL: redisUrl, LOG_LEVEL: 'info' },
  );
  demo.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  demo.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  await waitForSummary();

  const roleLabels: Record<string, string> = { viewer: 'viewer', operator: 'operator', 'site manager': 'site_manager', 'org admin': 'org_admin', 'platform admin': 'platform_admin', developer: 'developer' };
  for (const match of stdout.matchAll(/^ {2}(viewer|operator|site manager|org admin|platform admin|developer) +(\S+@demo\.example\.com) +password (\S+)$/gm)) {
    logins.set(roleLabels[match[1]!]!, { email: match[2]!, password: match[3]! });
  }
}, START_TIMEOUT_MS + 10_000);

afterAll(async () => {
  // The children end with the demo through their IPC channels.
  if (demo !== undefined && demo.exitCode === null && demo.signalCode === null) {
    demo.kill('SIGKILL');
    await once(demo, 'exit');
    await sleep(3000);
  }
  await dropDemoDatabase(adminUrl, database);
  const redis = await RedisConnection.open(redisUrl, 3000);
  try {
    await deleteKeysWithPrefix(redis, redisPrefix);
  } finally {
    redis.close();
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('pnpm demo', () => {
  it('prints the URLs and logins', () => {
    expect(stdout).toContain(`  Cloud hub:  ${hubUrl}/`);
    expect(stdout).toContain(`  Edge of Demo Site A:  ${edgeUrls[0]}/`);
    expect(stdout).toContain(`  Edge of Demo Site B:  ${edgeUrls[1]}/`);
    expect([...logins.keys()].sort()).toEqual(['developer', 'operator', 'org_admin', 'platform_admin', 'site_manager', 'viewer']);
    expect(stdout).toContain('Press Ctrl+C to stop');
    expect(stdout).toContain(`Run "pnpm demo --reset --hub-port ${new URL(hubUrl).port} --edge-ports ${edgeUrls.map((url) => new URL(url).port).join(',')} --database ${database}`);
  });

  it('prints logins that work on the hub', async () => {
    for (const [role, entry] of logins) {
      const { status } = await postJson(`${hubUrl}/api/auth/login`, { email: entry.email, password: entry.password });
      expect(status, `${role} ${entry.email}`).toBe(200);
    }
  });

  it('shows both sites to the org admin', async () => {
    const sites = await demoSites(await login('org_admin'));
    expect(sites.map((site) => site.name).sort()).toEqual(['Demo Site A', 'Demo Site B']);
  });

  it('rejects a control write by the viewer', async () => {
    const token = await login('viewer');
    const siteA = (await demoSites(token)).find((site) => site.name === 'Demo Site A')!;
    const { status } = await postJson(`${hubUrl}/api/sites/${siteA.id}/points/${encodeURIComponent('ahu.zone_cooling_setpoint')}/control`, { value: 24 }, token);
    expect(status).toBe(403);
  });

  it('pairs both edges with the hub', async () => {
    const token = await login('org_admin');
    for (const site of await demoSites(token)) {
      const { edgeNodes } = await getJson(`${hubUrl}/api/sites/${site.id}/edge-nodes`, token);
      expect((edgeNodes as { paired: boolean }[]).some((node) => node.paired), site.name).toBe(true);
    }
  });

  it('receives values from both sites', async () => {
    const token = await login('org_admin');
    const sites = await demoSites(token);
    const waiting = new Set(sites.map((site) => site.name));
    // Rollups arrive once the edge closes a minute, so the first ones can take about a minute.
    const deadline = Date.now() + 100_000;
    while (waiting.size > 0 && Date.now() < deadline) {
      for (const site of sites) {
        const { points } = await getJson(`${hubUrl}/api/sites/${site.id}/points/latest`, token);
        if ((points as { ts: number | null }[]).some((point) => point.ts !== null)) waiting.delete(site.name);
      }
      if (waiting.size > 0) await sleep(2000);
    }
    expect([...waiting]).toEqual([]);
  }, 110_000);

  it('stops every process on SIGINT', async () => {
    const children = descendantPids(demo.pid!);
    // The hub, two edges and their nine simulators (four at site B, five at site A).
    expect(children.length).toBeGreaterThanOrEqual(12);
    const exited = once(demo, 'exit');
    demo.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(stdout).toContain('the demo stopped');
    expect(stderr).not.toContain('did not stop');
    // A grandchild re-parented to init may need a moment to be reaped.
    for (let attempt = 0; attempt < 10 && children.some(isAlive); attempt++) await sleep(500);
    expect(children.filter(isAlive).map(describeProcess)).toEqual([]);

    // The simulators wrote their final energy counters, so the next run counts on from them.
    for (const [edge, file] of [['edge-a', 'sunspec-inverter-15502.json'], ['edge-b', 'sdm630-15514.json']] as const) {
      expect(readCounterFile(join(dataDir, edge, 'simulators', file))?.stoppedCleanly, `${edge}/${file}`).toBe(true);
    }
  }, 40_000);
});
