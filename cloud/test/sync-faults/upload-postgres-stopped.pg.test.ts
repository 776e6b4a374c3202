// This import must stay first: it points TEST_POSTGRES_ADMIN_URL at the private server before
// test-database.ts reads it.
import { PRIVATE_POSTGRES_PORT, removePrivatePostgres, startPrivatePostgres, startStoppedPrivatePostgres, stopPrivatePostgres } from './private-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_RETRY_AFTER_S } from '../../src/uploads/database-unavailable';
import { responseBody } from './fault-proxy';
import { describeRun, expectDrainedOnce, serveProxiedHub, type ProxiedHub } from './upload-harness';
import { ackTotals, uploadRequests } from './upload-state';

/*
 * The hub's Postgres server stops while an upload transaction waits inside it: a lock held by the test
 * blocks the batch's inserts, then a fast shutdown ends every session. The hub must respond with 503
 * database_unavailable and Retry-After, and the edge must wait that long before each retry. Once the
 * server is back, everything must arrive once, with nothing of the interrupted transaction kept.
 * The server is a private instance, so the shared one is never stopped.
 */

let hub: ProxiedHub;
let postgresStarted = false;

beforeAll(async () => {
  await startPrivatePostgres();
  postgresStarted = true;
  hub = await serveProxiedHub('upload_pg_stopped');
}, 120_000);

afterAll(async () => {
  try {
    await hub?.close();
  } finally {
    if (postgresStarted) await removePrivatePostgres();
  }
}, 60_000);

/** Polls until an upload transaction waits for the test's lock, for at most 30 s. */
async function waitForBlockedUpload(hubState: ProxiedHub): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [row] = await hubState.fixture.db.owner<{ waiting: number }[]>`
      SELECT count(*)::int AS waiting FROM pg_locks
      WHERE NOT granted AND relation IN ('edge_events'::regclass, 'telemetry_rollups'::regclass)`;
    if (row!.waiting > 0 || Date.now() > deadline) return row!.waiting;
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
}

describe('hub Postgres stopped mid-upload', () => {
  it('answers 503 and stores everything once after the restart', async () => {
    const { proxy, fixture, ctx } = hub;
    expect(new URL(fixture.db.runtimeUrl).port).toBe(String(PRIVATE_POSTGRES_PORT));
    const edge = hub.startEdge();
    await proxy.waitFor((current) => (uploadRequests(current.requests).some((request) => request.status === 200) ? true : undefined), 'a first acknowledged upload');

    let lockTaken!: () => void;
    const locked = new Promise<void>((resolve) => (lockTaken = resolve));
    const lockTransaction = fixture.db.owner
      .begin(async (tx) => {
        await tx`LOCK TABLE edge_events, telemetry_rollups IN SHARE ROW EXCLUSIVE MODE`;
        lockTaken();
        // Holds the lock until the shutdown ends this session.
        await tx`SELECT pg_sleep(600)`;
      })
      .catch((error: unknown) => error);
    await locked;
    expect(await waitForBlockedUpload(hub), `no upload blocked on the lock; ${describeRun(proxy, edge)}`).toBeGreaterThan(0);
    const blocked = uploadRequests(proxy.requests).filter((request) => request.status === null);
    expect(blocked, 'uploads in flight').toHaveLength(1);

    await stopPrivatePostgres();
    expect(await lockTransaction).toBeInstanceOf(Error);
    const interrupted = await proxy.waitFor(() => (blocked[0]!.status === null ? undefined : blocked[0]!), 'the answer to the interrupted upload');
    expect(interrupted.status).toBe(503);
    const answer = responseBody(interrupted.response)!.toString('utf8');
    expect(JSON.parse(answer).error.code).toBe('database_unavailable');
    expect(interrupted.response.toString('latin1')).toMatch(new RegExp(`\r\nretry-after: ${DATABASE_RETRY_AFTER_S}\r\n`, 'i'));

    // While the server is down the edge keeps retrying, each time after the Retry-After.
    const retry = await proxy.waitFor(
      (current) => uploadRequests(current.requests).find((request) => request.id > interrupted.id && request.status !== null),
      'an upload retried while Postgres is down',
    );
    expect(retry.status).toBe(503);
    expect(retry.startedAt - interrupted.respondedAt!).toBeGreaterThanOrEqual(DATABASE_RETRY_AFTER_S * 1000 - 50);

    await startStoppedPrivatePostgres();
    await expectDrainedOnce(fixture, ctx.siteId, hub, edge);
    // The interrupted transaction left nothing behind, so no upload met a row it had already stored.
    const totals = ackTotals(proxy.requests);
    expect(totals.eventsDuplicate).toBe(0);
    expect(totals.rollupsIgnored).toBe(0);
    expect(edge.child.exitCode).toBeNull();
  }, 180_000);
});
