import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudFixture, REDIS_URL, Seed, TEST_PASSWORD, type CloudFixture } from '../support/cloud-fixture';
import { spawnCli } from './run-cli';

let fixture: CloudFixture;
const scratchDirs: string[] = [];
const children: ChildProcess[] = [];

/** Collects the JSON log lines of a running hub and lets a test wait for one of them. */
function watchLog(child: ChildProcess) {
  const lines: { msg: string; [field: string]: unknown }[] = [];
  const waiters: { match: (msg: string) => boolean; resolve: (line: (typeof lines)[number]) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as (typeof lines)[number];
    lines.push(line);
    for (const waiter of waiters.filter((candidate) => candidate.match(line.msg))) waiter.resolve(line);
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return {
    lines,
    stderr: () => stderr,
    waitFor: (msg: string) =>
      new Promise<(typeof lines)[number]>((resolve, reject) => {
        const found = lines.find((line) => line.msg === msg);
        if (found) return resolve(found);
        waiters.push({ match: (candidate) => candidate === msg, resolve });
        child.once('exit', (code) => reject(new Error(`cloud start exited with ${code} before logging "${msg}": ${stderr}`)));
      }),
  };
}

function startHub(keysDir: string): ChildProcess {
  const child = spawnCli(['start'], {
    DATABASE_URL: fixture.db.runtimeUrl,
    REDIS_URL,
    REDIS_PREFIX: fixture.redisPrefix,
    JWT_KEYS_DIR: keysDir,
    PUBLIC_URL: 'https://ems.test',
    COOKIE_SECURE: 'false',
    PORT: '0',
  });
  children.push(child);
  return child;
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
    const keysDir = mkdtempSync(join(tmpdir(), 'cloud-cli-start-'));
    scratchDirs.push(keysDir);
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
    const keysDir = mkdtempSync(join(tmpdir(), 'cloud-cli-start-'));
    scratchDirs.push(keysDir);
    const child = spawnCli(['start'], {
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/ems',
      REDIS_URL,
      JWT_KEYS_DIR: keysDir,
      PUBLIC_URL: 'https://ems.test',
      PORT: '0',
    });
    children.push(child);
    const log = watchLog(child);
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(log.stderr()).toContain('cloud start failed: cannot connect to DATABASE_URL');
  });
});
