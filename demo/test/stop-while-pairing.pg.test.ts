import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDemoDatabase } from '../src/database';
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL } from '../src/options';
import { CLOUD_BIN } from '../src/paths';
import { deleteKeysWithPrefix, RedisConnection } from '../src/redis-client';
import { spareTcpPort, spawnDemo } from './run-demo-cli';

/*
 * Ctrl+C while `pnpm demo` pairs an edge, against the shared Postgres and Redis with a private
 * database, Redis key prefix and data folder. The signal goes to the demo's whole process group, as
 * a terminal sends it, so the pairing command gets it too. No simulator runs yet at that point.
 * The second case signals the demo and its hub only, as when Ctrl+C comes just before the demo starts
 * the pairing command, so that command must be ended by the demo.
 */

/** Seconds `edge-node pair` keeps retrying an unreachable hub, as the demo passes it with `--wait`. */
const PAIR_WAIT_S = 30;

const adminUrl = process.env.DEMO_DATABASE_URL || DEFAULT_DATABASE_URL;
const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
const suffix = randomBytes(4).toString('hex');
const database = `simtestlab_demo_stop_${suffix}`;
const redisPrefix = `demo-stop-${suffix}:`;
const dataDir = mkdtempSync(join(tmpdir(), 'demo-stop-'));
const secondDataDir = mkdtempSync(join(tmpdir(), 'demo-stop-'));

/** Returns the pid of the demo's hub process, a direct child running `cloud.mjs start`. */
function hubPid(demoPid: number): number {
  const lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(demoPid)], { encoding: 'utf8' }).split('\n');
  const hub = lines.find((line) => line.includes(CLOUD_BIN) && line.trimEnd().endsWith(' start'));
  if (hub === undefined) throw new Error(`no hub process under the demo (pid ${demoPid}):\n${lines.join('\n')}`);
  return Number(hub.trim().split(/\s+/)[0]);
}

afterAll(async () => {
  await dropDemoDatabase(adminUrl, database);
  await dropDemoDatabase(adminUrl, `${database}_b`);
  const redis = await RedisConnection.open(redisUrl, 3000);
  try {
    await deleteKeysWithPrefix(redis, redisPrefix);
  } finally {
    redis.close();
  }
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(secondDataDir, { recursive: true, force: true });
}, 60_000);

describe('pnpm demo stop', () => {
  it('exits 0 on Ctrl+C while pairing', async () => {
    const args = ['--api-only', '--hub-port', String(await spareTcpPort()), '--edge-ports', `${await spareTcpPort()},${await spareTcpPort()}`];
    const demo = spawnDemo([...args, '--data', dataDir, '--database', database, '--redis-prefix', redisPrefix], { DEMO_DATABASE_URL: adminUrl, REDIS_URL: redisUrl }, true);
    let stdout = '';
    let stderr = '';
    let signalled = false;
    demo.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    demo.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (signalled || !stdout.includes('pairing the edge of Demo Site A')) return;
      signalled = true;
      process.kill(-demo.pid!, 'SIGINT');
    });
    const [code] = (await once(demo, 'exit')) as [number | null];

    expect(signalled, `the demo never started pairing\nstdout:\n${stdout}\nstderr:\n${stderr}`).toBe(true);
    expect(stderr).not.toContain('pnpm demo failed');
    expect(code).toBe(0);
    expect(stdout).toContain('stopping the demo...');
  }, 120_000);

  it('ends the pairing command it started after the stop', async () => {
    const args = ['--api-only', '--hub-port', String(await spareTcpPort()), '--edge-ports', `${await spareTcpPort()},${await spareTcpPort()}`];
    const options = ['--data', secondDataDir, '--database', `${database}_b`, '--redis-prefix', `${redisPrefix}b:`];
    const demo = spawnDemo([...args, ...options], { DEMO_DATABASE_URL: adminUrl, REDIS_URL: redisUrl }, true);
    let stdout = '';
    let signalledAt: number | null = null;
    demo.stderr!.resume();
    demo.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (signalledAt !== null || !stdout.includes('pairing the edge of Demo Site A')) return;
      signalledAt = Date.now();
      process.kill(hubPid(demo.pid!), 'SIGINT');
      process.kill(demo.pid!, 'SIGINT');
    });
    const [code] = (await once(demo, 'exit')) as [number | null];

    expect(signalledAt, `the demo never started pairing\nstdout:\n${stdout}`).not.toBeNull();
    expect(code).toBe(0);
    // Without the demo ending it, the pairing command retries the stopped hub for its whole wait.
    expect(Date.now() - signalledAt!).toBeLessThan(PAIR_WAIT_S * 1000);
  }, 120_000);
});
