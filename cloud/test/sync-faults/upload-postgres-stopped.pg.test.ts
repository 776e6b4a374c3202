// This import must stay first: it points TEST_POSTGRES_ADMIN_URL at the private server before
// test-database.ts reads it.
import { PRIVATE_POSTGRES_PORT, removePrivatePostgres, startPrivatePostgres, startStoppedPrivatePostgres, stopPrivatePostgres } from './private-postgres';
import { MAX_UPLOADS_IN_FLIGHT } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_RETRY_AFTER_S } from '../../src/uploads/database-unavailable';
import { responseBody } from './fault-proxy';
import { describeRun, expectDrainedOnce, holdUploadsFrom, serveProxiedHub, waitForHeldWindow, type ProxiedHub } from './upload-harness';
import { ackTotals, itemsSentAlongside, readEdgeUploads, repeatedItems, uploadedItems, uploadRequests } from './upload-state';

/*
 * The hub's Postgres server stops while a full window of upload transactions waits inside it. The proxy
 * holds the edge's second and third uploads until the test has locked the tables a batch writes, so
 * both block in the database, then a fast shutdown ends every session. The hub must respond to each
 * with 503 database_unavailable and Retry-After. The edge must send nothing until that long after the
 * response to its oldest batch, and then resend that batch first. Once the server is back, everything
 * must arrive once, with nothing of the interrupted transactions kept. The server is a private
 * instance, so the shared one is never stopped.
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

/**
 * Polls until `expected` sessions wait for a lock, for at most 30 s, and returns the lock each waits
 * for. An upload may wait for the test's lock or for a lock of an upload blocked before it.
 */
async function waitForBlockedUploads(hubState: ProxiedHub, expected: number): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows = await hubState.fixture.db.owner<{ pid: number; lock: string }[]>`
      SELECT DISTINCT pid, locktype || ' ' || coalesce(relation::regclass::text, '') AS lock FROM pg_locks
      WHERE NOT granted AND pid <> pg_backend_pid()`;
    const waiting = rows.map((row) => `${row.pid} ${row.lock}`);
    if (waiting.length >= expected || Date.now() > deadline) return waiting;
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
}

describe('hub Postgres stopped mid-upload', () => {
  it('answers 503 and stores everything once after the restart', async () => {
    const { proxy, dataDir, fixture, ctx } = hub;
    expect(new URL(fixture.db.runtimeUrl).port).toBe(String(PRIVATE_POSTGRES_PORT));
    const { outbox } = await readEdgeUploads(dataDir);
    holdUploadsFrom(proxy, 2);
    const edge = hub.startEdge();
    const { held } = await waitForHeldWindow(proxy, dataDir, 0, outbox.events + outbox.rollups);
    expect(held, 'uploads held before the lock').toHaveLength(MAX_UPLOADS_IN_FLIGHT);

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
    proxy.onRequest = undefined;
    proxy.release();
    const blocked = await waitForBlockedUploads(hub, held.length);
    expect(blocked, `upload transactions blocked on a lock; ${describeRun(proxy, edge)}`).toHaveLength(held.length);
    expect(
      uploadRequests(proxy.requests).filter((request) => request.status === null),
      'uploads in flight',
    ).toEqual(held);

    await stopPrivatePostgres();
    expect(await lockTransaction).toBeInstanceOf(Error);
    for (const interrupted of held) {
      await proxy.waitFor(() => (interrupted.status === null ? undefined : true), `the answer to interrupted upload #${interrupted.id}`);
      expect(interrupted.status, `status of interrupted upload #${interrupted.id}`).toBe(503);
      const answer = responseBody(interrupted.response)!.toString('utf8');
      expect(JSON.parse(answer).error.code).toBe('database_unavailable');
      expect(interrupted.response.toString('latin1')).toMatch(new RegExp(`\r\nretry-after: ${DATABASE_RETRY_AFTER_S}\r\n`, 'i'));
    }

    // While the server is down the edge waits the Retry-After of its oldest batch, then resends that
    // batch first, and the hub responds with 503 again.
    const oldest = held[0]!;
    const oldestItems = uploadedItems(oldest);
    const retry = await proxy.waitFor((current) => {
      const first = uploadRequests(current.requests).find((request) => request.id > held.at(-1)!.id);
      return first?.status === null ? undefined : first;
    }, 'an upload retried while Postgres is down');
    expect(uploadedItems(retry), 'items of the first upload after the interruption').toEqual(oldestItems);
    expect(retry.status).toBe(503);
    const waitedMs = retry.startedAt - oldest.respondedAt!;
    expect(waitedMs, 'wait before the retry, ms').toBeGreaterThanOrEqual(DATABASE_RETRY_AFTER_S * 1000 - 50);
    const later = uploadRequests(proxy.requests).filter((request) => request.id > held.at(-1)!.id);
    expect(later.filter((request) => request.startedAt < retry.startedAt), 'uploads sent before the retry').toEqual([]);

    await startStoppedPrivatePostgres();
    await expectDrainedOnce(fixture, ctx.siteId, hub, edge);
    // The interrupted transactions left nothing behind: the hub counted as duplicates only items that
    // it had committed in an earlier upload. Such an item was in a batch acknowledged while an older
    // batch of the same window failed, so the edge resent it.
    const uploads = uploadRequests(proxy.requests);
    const alongsideItems = itemsSentAlongside(uploads, uploads.filter((request) => request.status !== 200));
    const repeated = repeatedItems(proxy.requests);
    expect(repeated.items.filter((item) => !alongsideItems.has(item)), `items received twice that were not sent alongside a failed upload; ${proxy.describe()}`).toEqual([]);
    const totals = ackTotals(proxy.requests);
    expect(totals.eventsDuplicate, 'events the hub acknowledged as duplicates').toBe(repeated.events);
    expect(totals.rollupsIgnored, 'rollup rows the hub acknowledged as ignored').toBe(repeated.rollups);
    expect(edge.child.exitCode).toBeNull();
  }, 180_000);
});
