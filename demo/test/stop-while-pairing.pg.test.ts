import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDemoDatabase } from '../src/database';
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL } from '../src/options';
import { deleteKeysWithPrefix, RedisConnection } from '../src/redis-client';
import { spareTcpPort, spawnDemo } from './run-demo-cli';

/*
 * Ctrl+C while `pnpm demo` pairs an edge, against the shared Postgres and Redis with a private
 * database, Redis key prefix and data folder. The signal goes to the demo's whole process group, as
 * a terminal sends it, so the pairing command gets it too. No simulator runs yet at that point.
 */

const adminUrl = process.env.DEMO_DATABASE_URL || DEFAULT_DATABASE_URL;
const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
const suffix = randomBytes(4).toString('hex');
const database = `simtestlab_demo_stop_${suffix}`;
const redisPrefix = `demo-stop-${suffix}:`;
const dataDir = mkdtempSync(join(tmpdir(), 'demo-stop-'));

afterAll(async () => {
  await dropDemoDatabase(adminUrl, database);
  const redis = await RedisConnection.open(redisUrl, 3000);
  try {
    await deleteKeysWithPrefix(redis, redisPrefix);
  } finally {
    redis.close();
  }
  rmSync(dataDir, { recursive: true, force: true });
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
});
