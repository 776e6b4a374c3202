import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_READY_TIMEOUT_MS } from '../../src/service';
import { createCloudFixture, Seed, TEST_PASSWORD, type CloudFixture } from '../support/cloud-fixture';
import { spawnHub, waitForExit, watchLog } from './start-hub';

let fixture: CloudFixture;
const scratchDirs: string[] = [];
const children: ChildProcess[] = [];

function startHub(keysDir: string, env: Record<string, string> = {}): ChildProcess {
  const child = spawnHub(fixture, keysDir, env);
  children.push(child);
  return child;
}

function scratchKeysDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-cli-start-'));
  scratchDirs.push(dir);
  return dir;
}

/** Returns a loopback port that nothing listens on, because the system handed it out and it was closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

beforeAll(async () => {
  fixture = await createCloudFixture('cli_start');
  await new Seed(fixture).user('root@platform.test', { platformAdmin: true });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await fixture?.close();
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

describe('cloud start', () => {
  it('serves HTTP and exits 0 on SIGTERM', async () => {
    const keysDir = scratchKeysDir();
    const child = startHub(keysDir);
    const log = watchLog(child);

    const created = await log.waitFor('JWT_KEYS_DIR contained no signing key; created the first one');
    expect(readdirSync(keysDir)).toEqual([expect.stringContaining(String(created.kid))]);
    const { port } = await log.waitFor('cloud hub listening');
    const base = `http://127.0.0.1:${port}`;

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const loginResponse = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'root@platform.test', password: TEST_PASSWORD }),
    });
    expect(loginResponse.status).toBe(200);
    const { accessToken } = (await loginResponse.json()) as { accessToken: string };
    const csv = await fetch(`${base}/api/audit/export.csv`, { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(csv.status).toBe(200);
    expect(await csv.text()).toMatch(/^id,at,organizationId,/);

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(log.lines.map((line) => line.msg)).toContain('cloud hub stopped');
    expect(log.stderr()).toBe('');
  });

  it('exits 1 when Postgres cannot be reached', async () => {
    const child = startHub(scratchKeysDir(), { DATABASE_URL: `postgres://nobody@127.0.0.1:${await closedPort()}/ems` });
    const log = watchLog(child);
    const { code, elapsedMs } = await waitForExit(child);
    expect(code).toBe(1);
    expect(elapsedMs).toBeLessThan(10_000);
    expect(log.stderr()).toContain('cloud start failed: cannot connect to DATABASE_URL');
  });

  it('exits 1 when Redis cannot be reached', async () => {
    const child = startHub(scratchKeysDir(), { REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    const log = watchLog(child);
    const { code, elapsedMs } = await waitForExit(child);
    expect(code).toBe(1);
    // A generous bound: it shows that the start gives up instead of waiting for Redis forever, on a busy machine too.
    expect(elapsedMs).toBeLessThan(REDIS_READY_TIMEOUT_MS + 20_000);
    expect(log.stderr()).toContain(`cloud start failed: cannot connect to REDIS_URL within ${REDIS_READY_TIMEOUT_MS / 1000} s: connect ECONNREFUSED`);
  });

  it('ends on SIGTERM during startup', async () => {
    // A server that accepts connections and never replies, so Redis never becomes ready.
    const sockets: Socket[] = [];
    const silentRedis = createServer((socket) => sockets.push(socket));
    silentRedis.listen(0, '127.0.0.1');
    await once(silentRedis, 'listening');
    try {
      const child = startHub(scratchKeysDir(), { REDIS_URL: `redis://127.0.0.1:${(silentRedis.address() as AddressInfo).port}` });
      const log = watchLog(child);
      await log.waitFor('signing keys loaded');
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill('SIGTERM');
      const { signal, elapsedMs } = await waitForExit(child);
      expect(signal).toBe('SIGTERM');
      expect(elapsedMs).toBeLessThan(2_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      silentRedis.close();
    }
  });
});
