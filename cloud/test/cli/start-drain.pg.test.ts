import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { DRAIN_TIMEOUT_MS } from '../../src/service';
import { createCloudFixture, Seed, TEST_PASSWORD, type CloudFixture } from '../support/cloud-fixture';
import { spawnHub, waitForExit, watchLog } from './start-hub';

// The export here is never read, so once the socket buffers are full the hub waits for the reader.
// Its 40,000 rows make about 25 MB of CSV, and the test checks that it was still open at the deadline.

let fixture: CloudFixture;
let keysDir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  fixture = await createCloudFixture('cli_drain');
  const seed = new Seed(fixture);
  const organizationId = await seed.organization('Bulk');
  await seed.user('root@platform.test', { platformAdmin: true });
  await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx`
    INSERT INTO audit_log (organization_id, actor_type, action, target_type, target_id, after)
    SELECT ${organizationId}, 'system', 'bulk.row', 'thing', n::text, jsonb_build_object('padding', repeat('x', 500))
    FROM generate_series(1, 40000) AS n`);
  keysDir = mkdtempSync(join(tmpdir(), 'cloud-cli-drain-'));
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await fixture?.close();
  rmSync(keysDir, { recursive: true, force: true });
});

function request(url: string, options: { agent?: Agent; token?: string } = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` };
    get(url, { agent: options.agent, headers }, resolve).once('error', reject);
  });
}

/**
 * Sends health checks one after the other on one keep-alive connection until a request fails, and
 * resolves with the time of that failure.
 */
async function pollOverKeepAlive(base: string, agent: Agent): Promise<number> {
  for (;;) {
    try {
      const response = await request(`${base}/healthz`, { agent });
      response.resume();
      await new Promise((resolve) => response.once('end', resolve));
    } catch {
      return performance.now();
    }
  }
}

describe('cloud start shutdown', () => {
  it('drains within the deadline', async () => {
    child = spawnHub(fixture, keysDir);
    const log = watchLog(child);
    const { port } = await log.waitFor('cloud hub listening');
    const base = `http://127.0.0.1:${port}`;

    const loginResponse = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'root@platform.test', password: TEST_PASSWORD }),
    });
    const { accessToken } = (await loginResponse.json()) as { accessToken: string };

    const unread = await request(`${base}/api/audit/export.csv`, { token: accessToken });
    expect(unread.statusCode).toBe(200);
    unread.pause();
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    const pollingEnded = pollOverKeepAlive(base, keepAlive);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const signalledAt = performance.now();
    child.kill('SIGTERM');
    const exit = await waitForExit(child);
    const pollingEndedAt = await pollingEnded;
    keepAlive.destroy();
    unread.destroy();

    expect(exit.code).toBe(0);
    expect(exit.elapsedMs).toBeGreaterThanOrEqual(DRAIN_TIMEOUT_MS - 500);
    expect(exit.elapsedMs).toBeLessThan(DRAIN_TIMEOUT_MS + 5_000);
    expect(pollingEndedAt - signalledAt).toBeLessThan(1_000);
    const messages = log.lines.map((line) => line.msg);
    expect(messages).toContain('requests still running at the drain deadline; closing their connections');
    expect(messages).toContain('cloud hub stopped');
    expect(log.stderr()).toBe('');
  }, DRAIN_TIMEOUT_MS + 30_000);
});
