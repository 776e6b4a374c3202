import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../src/store/database';
import { startShapeSync, type AppliedShapeBatch, type ShapeSync } from '../../src/sync/shape-consumer';
import { loadShapeState } from '../../src/sync/shape-store';
import { makeTempDir, type TempDir } from '../store/support/temp-store';
import { captureLogger, type LogLine } from './support/capture-logger';
import { edgeRevoked, insertDevice, mustRefetch, page, ShapeProtocolServer } from './support/shape-protocol-server';

// These tests run the pinned client against a protocol peer on 127.0.0.1. The end-to-end test
// against the real hub comes with the hub's shape endpoint.

let dir: TempDir;
let db: SqliteDatabase;
let server: ShapeProtocolServer;
let syncs: ShapeSync[];
let applied: AppliedShapeBatch[];
let lines: LogLine[];

beforeEach(async () => {
  dir = makeTempDir('edge-sync-');
  db = openDatabase(`${dir.path}/edge.db`);
  server = await ShapeProtocolServer.start();
  syncs = [];
  applied = [];
  lines = [];
});

afterEach(async () => {
  for (const sync of syncs) sync.stop();
  await server.close();
  db.close();
  dir.remove();
});

function start(): ShapeSync {
  const capture = captureLogger();
  lines = capture.lines;
  const sync = startShapeSync({
    baseUrl: `${server.baseUrl}/`,
    shapes: ['devices'],
    headers: async () => ({ authorization: 'Bearer edge-credential' }),
    db,
    logger: capture.logger,
    onApplied: (batch) => applied.push(batch),
    backoff: { initialDelay: 10, maxDelay: 50, multiplier: 2 },
  });
  syncs.push(sync);
  return sync;
}

const deviceIds = () => db.prepare<[], { id: string }>('SELECT id FROM cloud_devices ORDER BY id').all().map((row) => row.id);

async function waitForRequests(count: number): Promise<void> {
  await vi.waitFor(() => expect(server.requestsOf('devices').length).toBeGreaterThanOrEqual(count), { timeout: 5_000 });
}

async function waitForApplied(count: number): Promise<void> {
  await vi.waitFor(() => expect(applied.length).toBeGreaterThanOrEqual(count), { timeout: 5_000 });
}

describe('startShapeSync', () => {
  it('loads pages and applies at up-to-date', async () => {
    server.push('devices', page({ handle: 'h1', offset: '1_0', messages: [insertDevice('d1'), insertDevice('d2')] }));
    start();

    await waitForRequests(2);
    await vi.waitFor(() => expect(server.heldCount('devices')).toBe(1));
    expect(deviceIds()).toEqual([]);
    expect(loadShapeState(db, 'devices')).toBeUndefined();

    server.push('devices', page({ handle: 'h1', offset: '2_0', messages: [insertDevice('d3')], upToDate: true }));
    await waitForApplied(1);

    expect(deviceIds()).toEqual(['d1', 'd2', 'd3']);
    expect(loadShapeState(db, 'devices')).toMatchObject({ handle: 'h1', offset: '2_0' });
    expect(applied).toEqual([{ shape: 'devices', handle: 'h1', offset: '2_0', refetch: false, applied: 3, skipped: 0 }]);
    const [first, second] = server.requestsOf('devices');
    expect(first?.query.get('offset')).toBe('-1');
    expect(first?.query.has('handle')).toBe(false);
    expect(first?.headers.authorization).toBe('Bearer edge-credential');
    expect(second?.query.get('offset')).toBe('1_0');
    expect(second?.query.get('handle')).toBe('h1');
  });

  it('parses values with the schema header', async () => {
    server.push('devices', page({ handle: 'h1', offset: '1_0', messages: [insertDevice('d1', { unitId: 3 })], upToDate: true }));
    start();
    await waitForApplied(1);

    expect(db.prepare('SELECT node_id, config FROM cloud_devices').get()).toEqual({ node_id: null, config: '{"unitId":3}' });
  });

  it('goes live after up-to-date', async () => {
    server.push('devices', page({ handle: 'h1', offset: '1_0', messages: [insertDevice('d1')], upToDate: true }));
    start();
    await waitForRequests(2);

    const live = server.requestsOf('devices')[1];
    expect(live?.query.get('live')).toBe('true');
    expect(live?.query.get('offset')).toBe('1_0');

    server.push('devices', page({ handle: 'h1', offset: '2_0', messages: [insertDevice('d2')], upToDate: true, live: true }));
    await waitForApplied(2);
    expect(deviceIds()).toEqual(['d1', 'd2']);
  });

  it('resumes from stored handle and offset', async () => {
    server.push('devices', page({ handle: 'h1', offset: '1_0', messages: [insertDevice('d1')], upToDate: true }));
    const first = start();
    await waitForApplied(1);
    await waitForRequests(2);
    first.stop();
    await expect(first.ended).resolves.toBe('stopped');
    // The aborted live request must be gone before the next response is scripted, or it would take it.
    await vi.waitFor(() => expect(server.heldCount('devices')).toBe(0));
    const before = server.requestsOf('devices').length;

    server.push('devices', page({ handle: 'h1', offset: '3_0', messages: [insertDevice('d2')], upToDate: true }));
    start();
    await waitForApplied(2);

    const resumed = server.requestsOf('devices')[before];
    expect(resumed?.query.get('offset')).toBe('1_0');
    expect(resumed?.query.get('handle')).toBe('h1');
    expect(resumed?.query.has('live')).toBe(false);
    expect(deviceIds()).toEqual(['d1', 'd2']);
    expect(loadShapeState(db, 'devices')).toMatchObject({ handle: 'h1', offset: '3_0' });
  });

  it('replaces rows on must-refetch', async () => {
    server.push('devices', page({ handle: 'h1', offset: '1_0', messages: [insertDevice('d1'), insertDevice('d2')], upToDate: true }));
    start();
    await waitForApplied(1);
    await waitForRequests(2);
    const before = server.requestsOf('devices').length;

    server.push('devices', mustRefetch('h2'), page({ handle: 'h2', offset: '5_0', messages: [insertDevice('d3')], upToDate: true }));
    await waitForApplied(2);

    expect(deviceIds()).toEqual(['d3']);
    expect(applied[1]).toMatchObject({ handle: 'h2', offset: '5_0', refetch: true });
    expect(loadShapeState(db, 'devices')).toMatchObject({ handle: 'h2', offset: '5_0' });
    const refetch = server.requestsOf('devices')[before];
    expect(refetch?.query.get('offset')).toBe('-1');
    expect(refetch?.query.get('handle')).toBe('h2');
  });

  it('keeps rows until the refetch reaches up-to-date', async () => {
    server.push('devices', page({ handle: 'h1', offset: '1_0', messages: [insertDevice('d1')], upToDate: true }));
    start();
    await waitForApplied(1);
    await waitForRequests(2);
    const before = server.requestsOf('devices').length;

    server.push('devices', mustRefetch('h2'), page({ handle: 'h2', offset: '4_0', messages: [insertDevice('d2')] }));
    await waitForRequests(before + 2);

    expect(deviceIds()).toEqual(['d1']);
    expect(loadShapeState(db, 'devices')).toMatchObject({ handle: 'h1', offset: '1_0' });
  });

  it('restarts from stored state after a failed store', async () => {
    db.exec(`CREATE TRIGGER fail_d2 BEFORE INSERT ON cloud_devices WHEN NEW.id = 'd2' BEGIN SELECT RAISE(ABORT, 'refused d2'); END`);
    server.push('devices', page({ handle: 'h1', offset: '1_0', messages: [insertDevice('d1'), insertDevice('d2')], upToDate: true }));
    start();
    await waitForRequests(2);

    const failure = lines.find((entry) => entry.msg.includes('failed to store a batch of shape devices'));
    expect(failure?.level).toBe(50);
    expect(deviceIds()).toEqual([]);
    const restarted = server.requestsOf('devices')[1];
    expect(restarted?.query.get('offset')).toBe('-1');
    expect(restarted?.query.has('live')).toBe(false);

    db.exec('DROP TRIGGER fail_d2');
    server.push('devices', page({ handle: 'h1', offset: '1_0', messages: [insertDevice('d1'), insertDevice('d2')], upToDate: true }));
    await waitForApplied(1);
    expect(deviceIds()).toEqual(['d1', 'd2']);
  });

  it('stops on edge_revoked', async () => {
    server.push('devices', edgeRevoked());
    const sync = start();

    await expect(sync.ended).resolves.toBe('revoked');

    const line = lines.find((entry) => entry.msg.includes('Pair the edge with the hub again'));
    expect(line?.level).toBe(50);
    expect(deviceIds()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.requestsOf('devices')).toHaveLength(1);
  });

  it('retries server errors and logs them rate-limited', async () => {
    const unavailable = { status: 503, headers: { 'retry-after': '0' }, body: { error: { code: 'unavailable', message: 'try later' } } };
    server.push('devices', unavailable, unavailable, page({ handle: 'h1', offset: '1_0', messages: [insertDevice('d1')], upToDate: true }));
    start();
    await waitForApplied(1);

    expect(deviceIds()).toEqual(['d1']);
    const failures = lines.filter((entry) => entry.msg.includes('request failed with HTTP 503'));
    expect(failures).toHaveLength(1);
    expect(failures[0]?.consecutiveFailures).toBe(1);
    const recovered = lines.find((entry) => entry.msg.includes('recovered'));
    expect(recovered?.consecutiveFailures).toBe(2);
  });

  it('does not send live requests after stop', async () => {
    server.push('devices', page({ handle: 'h1', offset: '1_0', messages: [insertDevice('d1')], upToDate: true }));
    const sync = start();
    await waitForRequests(2);
    await vi.waitFor(() => expect(server.heldCount('devices')).toBe(1));

    sync.stop();

    await vi.waitFor(() => expect(server.heldCount('devices')).toBe(0));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requestsOf('devices')).toHaveLength(2);
  });
});
