import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connect';
import { pruneChangeLog } from '../../src/shapes/shape-log';
import { Seed } from '../support/cloud-fixture';
import { asRuntime, createShapeHarness, pairTestEdge, syncShape, type ShapeClient, type ShapeHarness, type TestEdge } from './shape-harness';

const PAGE_SIZE = 50;
const HOLD_MS = 800;

let harness: ShapeHarness;
let organizationId: string;
let siteId: string;
let otherSiteId: string;
let edge: TestEdge;
let otherEdge: TestEdge;
const clients: ShapeClient[] = [];

function track(client: ShapeClient): ShapeClient {
  clients.push(client);
  return client;
}

async function insertDevices(site: string, keys: string[]): Promise<string[]> {
  return asRuntime(harness.fixture, organizationId, async (tx) => {
    const ids: string[] = [];
    for (const key of keys) {
      const [row] = await tx<{ id: string }[]>`
        INSERT INTO devices (organization_id, site_id, key, driver, config)
        VALUES (${organizationId}, ${site}, ${key}, 'modbus-tcp', ${tx.json({ host: '127.0.0.1', key })})
        RETURNING id`;
      ids.push(row!.id);
    }
    return ids;
  });
}

function keysOf(client: ShapeClient): string[] {
  return [...client.rows.values()].map((row) => row.key as string).sort();
}

beforeAll(async () => {
  harness = await createShapeHarness('shape_sync', { shapePageSize: PAGE_SIZE, shapeLiveHoldMs: HOLD_MS });
  const seed = new Seed(harness.fixture);
  organizationId = await seed.organization();
  siteId = await seed.site(organizationId, 'Plant');
  otherSiteId = await seed.site(organizationId, 'Depot');
  edge = await pairTestEdge(harness.fixture, siteId);
  otherEdge = await pairTestEdge(harness.fixture, otherSiteId);
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

afterAll(async () => {
  await harness?.close();
});

describe('shape sync', () => {
  it('sets the protocol headers on a snapshot', async () => {
    const response = await fetch(`${harness.baseUrl}/api/edge/shapes/site?offset=-1&log=full`, { headers: { Authorization: `Bearer ${await edge.assertion()}` } });
    const body = await response.text();
    expect(response.status, body).toBe(200);
    expect(response.headers.get('electric-handle')).toBe(`site-${siteId}-1`);
    expect(response.headers.get('electric-offset')).toMatch(/^\d+_\d+$/);
    expect(JSON.parse(response.headers.get('electric-schema')!).id).toEqual({ type: 'uuid', pk_index: 0, not_null: true });
    expect(response.headers.has('electric-up-to-date')).toBe(true);
    expect(JSON.parse(body).at(-1)).toEqual({ headers: { control: 'up-to-date' } });
  });

  it('loads the site row with parsed values', async () => {
    const client = track(syncShape(harness, edge, 'site'));
    await client.waitFor(() => client.upToDates > 0);
    const row = client.rows.get(siteId)!;
    expect(row.name).toBe('Plant');
    expect(row.operator_control).toBe(false);
    expect(row.latitude).toBeNull();
    expect(row.organization_id).toBe(organizationId);
  });

  it('pages a snapshot larger than a page', async () => {
    const keys = Array.from({ length: PAGE_SIZE * 2 + 7 }, (_, index) => `paged-${String(index).padStart(3, '0')}`);
    await insertDevices(siteId, keys);
    const client = track(syncShape(harness, edge, 'devices'));
    await client.waitFor(() => client.upToDates > 0);
    expect(keysOf(client)).toEqual(keys);
    expect(client.rows.get([...client.rows.keys()][0]!)!.config).toMatchObject({ host: '127.0.0.1' });
  });

  it('wakes a live request on commit', async () => {
    const client = track(syncShape(harness, edge, 'devices'));
    await client.waitFor(() => client.upToDates > 0);
    // Let the client settle into a held live request before the change commits.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [change] = await asRuntime(harness.fixture, organizationId, (tx) => tx<{ id: string; xid: string }[]>`
      INSERT INTO devices (organization_id, site_id, key, driver, config)
      VALUES (${organizationId}, ${siteId}, 'live-wake', 'modbus-tcp', '{}'::jsonb)
      RETURNING id, pg_current_xact_id()::text AS xid`);
    const committedAt = Date.now();

    // Write transactions in other databases of this cluster can hold the change back. So the hub's
    // latency counts from when the ordering rule lets it be read.
    let readableAt = Date.now();
    for (;;) {
      const [row] = await harness.fixture.sql<{ readable: boolean }[]>`
        SELECT ${change!.xid}::xid8 < pg_snapshot_xmin(pg_current_snapshot()) AS readable`;
      readableAt = Date.now();
      if (row!.readable || client.rows.has(change!.id)) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await client.waitFor(() => client.rows.has(change!.id));
    expect(Date.now() - Math.max(committedAt, readableAt)).toBeLessThan(1_000);
  });

  it('answers a held request with up-to-date on timeout', async () => {
    const get = async (query: string) =>
      fetch(`${harness.baseUrl}/api/edge/shapes/site?${query}`, { headers: { Authorization: `Bearer ${await edge.assertion()}` } });
    const snapshot = await get('offset=-1');
    const handle = snapshot.headers.get('electric-handle')!;
    let offset = snapshot.headers.get('electric-offset')!;

    // Changes the snapshot already shows may be sent again first; the timeout path is the first live
    // response without changes.
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const startedAt = Date.now();
      const response = await get(`offset=${offset}&handle=${handle}&live=true&cursor=7`);
      const body = (await response.json()) as unknown[];
      if (body.length > 1) {
        offset = response.headers.get('electric-offset')!;
        continue;
      }
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(HOLD_MS - 50);
      expect(body).toEqual([{ headers: { control: 'up-to-date' } }]);
      expect(response.headers.get('electric-offset')).toBe(offset);
      expect(response.headers.get('electric-handle')).toBe(handle);
      expect(response.headers.has('electric-up-to-date')).toBe(true);
      expect(response.headers.get('electric-cursor')).not.toBe('7');
      return;
    }
    expect.fail('every live response carried changes; the hold never timed out');
  });

  it('keeps a stream client quiet through timeouts', async () => {
    const client = track(syncShape(harness, edge, 'site'));
    await client.waitFor(() => client.upToDates > 0);
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS * 2.5));
    // Each held request ends in one up-to-date. A server that responded at once would send hundreds.
    expect(client.upToDates).toBeGreaterThanOrEqual(2);
    expect(client.upToDates).toBeLessThanOrEqual(6);
    expect(client.rows.get(siteId)!.name).toBe('Plant');
  });

  it('resumes from a stored handle and offset', async () => {
    const first = syncShape(harness, edge, 'devices');
    await first.waitFor(() => first.upToDates > 0);
    const resume = { handle: first.stream.shapeHandle!, offset: first.stream.lastOffset };
    first.close();

    const [id] = await insertDevices(siteId, ['after-restart']);
    const client = track(syncShape(harness, edge, 'devices', resume));
    await client.waitFor(() => client.rows.has(id!));
    expect(client.changes.map((change) => (change as { key: string }).key)).toEqual([id]);
  });

  it('sends deletes as tombstones', async () => {
    const [id] = await insertDevices(siteId, ['to-delete']);
    const client = track(syncShape(harness, edge, 'devices'));
    await client.waitFor(() => client.rows.has(id!));
    await asRuntime(harness.fixture, organizationId, (tx) => tx`DELETE FROM devices WHERE id = ${id!} AND organization_id = ${organizationId}`);
    await client.waitFor(() => !client.rows.has(id!));
    const tombstone = client.changes.at(-1) as { headers: { operation: string }; value: Record<string, unknown> };
    expect(tombstone.headers.operation).toBe('delete');
    expect(tombstone.value).toEqual({ id, site_id: siteId });
  });

  it('moves a device between site shapes', async () => {
    const [id] = await insertDevices(siteId, ['moving']);
    const fromClient = track(syncShape(harness, edge, 'devices'));
    const toClient = track(syncShape(harness, otherEdge, 'devices'));
    await fromClient.waitFor(() => fromClient.rows.has(id!));
    await toClient.waitFor(() => toClient.upToDates > 0);
    expect(toClient.rows.has(id!)).toBe(false);

    await asRuntime(harness.fixture, organizationId, (tx) => tx`UPDATE devices SET site_id = ${otherSiteId} WHERE id = ${id!} AND organization_id = ${organizationId}`);
    await fromClient.waitFor(() => !fromClient.rows.has(id!));
    await toClient.waitFor(() => toClient.rows.has(id!));
    expect(toClient.rows.get(id!)!.site_id).toBe(otherSiteId);
    expect((fromClient.changes.at(-1) as { headers: { operation: string } }).headers.operation).toBe('delete');
    expect((toClient.changes.at(-1) as { headers: { operation: string } }).headers.operation).toBe('insert');
  });

  it('keeps other sites out of a shape', async () => {
    const [ownId] = await insertDevices(otherSiteId, ['depot-only']);
    const client = track(syncShape(harness, otherEdge, 'devices'));
    await client.waitFor(() => client.rows.has(ownId!));
    const [plantId] = await insertDevices(siteId, ['plant-only']);
    const [laterId] = await insertDevices(otherSiteId, ['depot-later']);
    await client.waitFor(() => client.rows.has(laterId!));
    expect(client.rows.has(plantId!)).toBe(false);
    expect([...client.rows.values()].every((row) => row.site_id === otherSiteId)).toBe(true);
  });

  it('delivers every change of out-of-order commits', async () => {
    const client = track(syncShape(harness, edge, 'devices'));
    await client.waitFor(() => client.upToDates > 0);
    const writers = connectDatabase(harness.fixture.db.runtimeUrl, { max: 12 });
    try {
      const count = 12;
      const releases: (() => void)[] = [];
      const inserted: Promise<string>[] = [];
      for (let index = 0; index < count; index += 1) {
        const released = new Promise<void>((resolve) => releases.push(resolve));
        let started!: () => void;
        const hasInserted = new Promise<void>((resolve) => (started = resolve));
        inserted.push(
          writers.begin(async (tx) => {
            await tx`SELECT set_config('app.organization_ids', ${`{${organizationId}}`}, true)`;
            const [row] = await tx<{ id: string }[]>`
              INSERT INTO devices (organization_id, site_id, key, driver, config)
              VALUES (${organizationId}, ${siteId}, ${`race-${index}`}, 'modbus-tcp', '{}'::jsonb) RETURNING id`;
            started();
            await released;
            return row!.id;
          }),
        );
        // Each transaction takes its id (and xid) before the next one starts.
        await hasInserted;
      }
      // Commit newest first, pausing so live reads run between commits.
      for (const release of releases.reverse()) {
        release();
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      const ids = await Promise.all(inserted);
      await client.waitFor(() => ids.every((id) => client.rows.has(id)));
      expect(ids.filter((id) => !client.rows.has(id))).toEqual([]);
    } finally {
      await writers.end({ timeout: 5 });
    }
  });

  it('forces a refetch after pruning', async () => {
    const [id] = await insertDevices(siteId, ['before-prune']);
    const client = track(syncShape(harness, edge, 'devices'));
    await client.waitFor(() => client.rows.has(id!));
    const handle = client.stream.shapeHandle;

    const deleted = await pruneChangeLog(harness.fixture.sql, new Date(Date.now() + 60_000));
    expect(deleted).toBeGreaterThan(0);
    await client.waitFor(() => client.refetches > 0 && client.rows.has(id!));
    expect(client.stream.shapeHandle).not.toBe(handle);
  });

  it('refetches a resumed stream after pruning', async () => {
    const first = syncShape(harness, edge, 'site');
    await first.waitFor(() => first.upToDates > 0);
    const resume = { handle: first.stream.shapeHandle!, offset: first.stream.lastOffset };
    first.close();

    await asRuntime(harness.fixture, organizationId, (tx) => tx`UPDATE sites SET name = 'Plant North' WHERE id = ${siteId} AND organization_id = ${organizationId}`);
    await pruneChangeLog(harness.fixture.sql, new Date(Date.now() + 60_000));
    const client = track(syncShape(harness, edge, 'site', resume));
    await client.waitFor(() => client.rows.get(siteId)?.name === 'Plant North');
    expect(client.refetches).toBe(1);
  });
});
