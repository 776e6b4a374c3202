import { randomUUID } from 'node:crypto';
import { MAX_UPLOAD_BODY_BYTES } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenantScope } from '../../src/db/scope';
import { call, createCloudFixture, Seed, type CloudFixture } from '../support/cloud-fixture';
import { asOwner, seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { batchOf, minuteRow, pairEdge, upload, uploadRaw, type PairedEdge } from './paired-edge';

let fixture: CloudFixture;
let ctx: SiteRoles;
let edge: PairedEdge;

const T0 = Date.UTC(2026, 10, 3, 10, 0);

beforeAll(async () => {
  fixture = await createCloudFixture('uploads');
  ctx = await seedSiteRoles(fixture);
  edge = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId);
});

afterAll(async () => {
  await fixture?.close();
});

interface StoredRollup {
  site_id: string;
  organization_id: string;
  bucket_start: Date;
  last: number;
  revision: number;
}

function storedRollups(point: string): Promise<StoredRollup[]> {
  return asOwner(fixture, (tx) => tx<StoredRollup[]>`
    SELECT site_id, organization_id, bucket_start, last, revision FROM telemetry_point_rollups WHERE point = ${point} ORDER BY bucket_start`);
}

describe('upload route', () => {
  it('stores a batch once when it is sent twice', async () => {
    const point = `meter-${randomUUID()}.W`;
    const eventId = randomUUID();
    const batch = batchOf({
      events: [{ id: eventId, kind: 'audit', at: T0, payload: { action: 'login' } }],
      rollups: [{ point, resolution: '1m', rows: [minuteRow(T0, 1), minuteRow(T0 + 60_000, 2)] }],
    });

    const first = await upload(fixture, edge, batch);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ batchId: batch.batchId, eventsStored: 1, eventsDuplicate: 0, rollupsStored: 2, rollupsIgnored: 0 });

    const second = await upload(fixture, edge, batch);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ eventsStored: 0, eventsDuplicate: 1, rollupsStored: 0, rollupsIgnored: 2 });
    expect(await storedRollups(point)).toHaveLength(2);
    const events = await asOwner(fixture, (tx) => tx`SELECT at, payload FROM edge_events WHERE id = ${eventId}`);
    expect(events).toEqual([{ at: new Date(T0), payload: { action: 'login' } }]);
  });

  it('keeps the higher revision', async () => {
    const point = `meter-${randomUUID()}.W`;
    await upload(fixture, edge, batchOf({ rollups: [{ point, resolution: '1m', rows: [minuteRow(T0, 1, 2)] }] }));

    const higher = await upload(fixture, edge, batchOf({ rollups: [{ point, resolution: '1m', rows: [minuteRow(T0, 5, 3)] }] }));
    expect(higher.body).toMatchObject({ rollupsStored: 1, rollupsIgnored: 0 });
    const equal = await upload(fixture, edge, batchOf({ rollups: [{ point, resolution: '1m', rows: [minuteRow(T0, 7, 3)] }] }));
    expect(equal.body).toMatchObject({ rollupsStored: 0, rollupsIgnored: 1 });
    const lower = await upload(fixture, edge, batchOf({ rollups: [{ point, resolution: '1m', rows: [minuteRow(T0, 9, 1)] }] }));
    expect(lower.body).toMatchObject({ rollupsStored: 0, rollupsIgnored: 1 });

    const [row] = await storedRollups(point);
    expect(row!.last).toBe(5);
    expect(row!.revision).toBe(3);
  });

  it('adds the same new series from two uploads at once', async () => {
    for (let round = 0; round < 5; round++) {
      const points = Array.from({ length: 300 }, (_, index) => `meter-${randomUUID()}.W${index}`);
      const series = (start: number) => points.map((point) => ({ point, resolution: '1m' as const, rows: [minuteRow(start, 1)] }));
      const [first, second] = await Promise.all([
        upload(fixture, edge, batchOf({ rollups: series(T0) })),
        upload(fixture, edge, batchOf({ rollups: series(T0 + 60_000).reverse() })),
      ]);

      expect([first.status, second.status], `round ${round}`).toEqual([200, 200]);
      const [stored] = await asOwner(fixture, (tx) => tx<{ series: number; rows: number }[]>`
        SELECT count(DISTINCT series_id)::int AS series, count(*)::int AS rows FROM telemetry_point_rollups WHERE point = ANY(${points})`);
      expect(stored, `round ${round}`).toEqual({ series: 300, rows: 600 });
    }
  });

  it('keeps one row for a bucket sent twice in a batch', async () => {
    const point = `meter-${randomUUID()}.W`;
    const rows = [minuteRow(T0, 1, 1), minuteRow(T0, 4, 2), minuteRow(T0, 6, 2)];
    const { status, body } = await upload(fixture, edge, batchOf({ rollups: [{ point, resolution: '1m', rows }] }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ rollupsStored: 1, rollupsIgnored: 2 });
    const [row] = await storedRollups(point);
    expect(row!.last).toBe(4);
  });

  it('stores rows at the edge site, not a site in the body', async () => {
    const point = `meter-${randomUUID()}.W`;
    const batch = { ...batchOf({ rollups: [{ point, resolution: '1m', rows: [minuteRow(T0, 1)] }] }), siteId: ctx.foreignSiteId };
    const rejected = await upload(fixture, edge, batch);
    expect(rejected.status).toBe(400);

    await upload(fixture, edge, batchOf({ rollups: [{ point, resolution: '1m', rows: [minuteRow(T0, 1)] }] }));
    const [row] = await storedRollups(point);
    expect(row!.site_id).toBe(ctx.siteId);
    expect(row!.organization_id).toBe(ctx.organizationId);
  });

  it('creates partitions for past and future months', async () => {
    const point = `meter-${randomUUID()}.W`;
    const january2025 = Date.UTC(2025, 0, 15, 8, 0);
    const november2026 = Date.UTC(2026, 10, 30, 23, 59);
    const { status } = await upload(fixture, edge, batchOf({ rollups: [{ point, resolution: '1m', rows: [minuteRow(january2025, 1), minuteRow(november2026, 2)] }] }));
    expect(status).toBe(200);

    const partitions = await asOwner(fixture, (tx) => tx<{ name: string }[]>`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'telemetry_rollups'::regclass ORDER BY 1`);
    expect(partitions.map((partition) => partition.name)).toEqual(expect.arrayContaining(['telemetry_rollups_2025_01', 'telemetry_rollups_2026_11']));
    const rows = await storedRollups(point);
    expect(rows.map((row) => row.bucket_start.getTime())).toEqual([january2025, november2026]);
  });

  it('keeps partitions and deletes from the runtime role', async () => {
    await upload(fixture, edge, batchOf({ rollups: [{ point: 'meter.W', resolution: '1m', rows: [minuteRow(T0, 1)] }] }));
    const scope = { all: false as const, organizationIds: [ctx.organizationId] };
    await expect(inTenantScope(fixture.sql, scope, (tx) => tx`SELECT count(*) FROM telemetry_partitions.telemetry_rollups_2026_11`)).rejects.toThrow(/permission denied/);
    await expect(inTenantScope(fixture.sql, scope, (tx) => tx`DELETE FROM telemetry_rollups`)).rejects.toThrow(/permission denied/);
    await expect(inTenantScope(fixture.sql, scope, (tx) => tx`DELETE FROM edge_events`)).rejects.toThrow(/permission denied/);
    await expect(inTenantScope(fixture.sql, scope, (tx) => tx`UPDATE edge_events SET kind = 'audit'`)).rejects.toThrow(/permission denied/);
  });

  it('hides rollups of other organizations', async () => {
    await upload(fixture, edge, batchOf({ rollups: [{ point: 'meter.W', resolution: '1m', rows: [minuteRow(T0, 1)] }] }));
    const rows = await inTenantScope(fixture.sql, { all: false, organizationIds: [randomUUID()] }, (tx) => tx`SELECT 1 FROM telemetry_rollups`);
    expect(rows).toHaveLength(0);
    const own = await inTenantScope(fixture.sql, { all: false, organizationIds: [ctx.organizationId] }, (tx) => tx`SELECT 1 FROM telemetry_rollups`);
    expect(own.length).toBeGreaterThan(0);
  });

  it('removes telemetry with its site', async () => {
    const siteId = await new Seed(fixture).site(ctx.organizationId, 'Short-lived');
    const doomed = await pairEdge(fixture.app, ctx.tokens.org_admin, siteId);
    const eventId = randomUUID();
    const batch = batchOf({
      events: [{ id: eventId, kind: 'device_status', at: T0, payload: { status: 'online' } }],
      rollups: [{ point: 'meter.W', resolution: '1m', rows: [minuteRow(T0, 1)] }],
    });
    expect((await upload(fixture, doomed, batch)).status).toBe(200);

    const deleted = await call(fixture.app, ctx.tokens.org_admin, 'DELETE', `/api/sites/${siteId}`);
    expect(deleted.status).toBe(204);
    const [left] = await asOwner(fixture, (tx) => tx<{ rollups: number; events: number; statuses: number }[]>`
      SELECT (SELECT count(*)::int FROM telemetry_point_rollups WHERE site_id = ${siteId}) AS rollups,
             (SELECT count(*)::int FROM edge_events WHERE site_id = ${siteId}) AS events,
             (SELECT count(*)::int FROM site_sync_status WHERE site_id = ${siteId}) AS statuses`);
    expect(left).toEqual({ rollups: 0, events: 0, statuses: 0 });
  });

  it('stores point ids with special characters', async () => {
    const point = `dev "q" \\ {x}, NULL ${randomUUID()}.W`;
    const { status } = await upload(fixture, edge, batchOf({ rollups: [{ point, resolution: '1m', rows: [minuteRow(T0, -1.5e-7)] }] }));
    expect(status).toBe(200);
    const [row] = await storedRollups(point);
    expect(row!.last).toBe(-1.5e-7);
  });

  it('keeps edge times as sent', async () => {
    const point = `meter-${randomUUID()}.W`;
    const sentAt = Date.now() - 3_600_000;
    await upload(fixture, edge, batchOf({ sentAt, rollups: [{ point, resolution: '15m', rows: [[T0, T0 + 900_000, 1, 1, 1, 1, 1, T0 + 1_234, 0.5, 1, 1]] }] }));
    const [row] = await asOwner(fixture, (tx) => tx`SELECT bucket_start, bucket_end, last_ts, delta, estimated FROM telemetry_point_rollups WHERE point = ${point}`);
    expect(row).toEqual({ bucket_start: new Date(T0), bucket_end: new Date(T0 + 900_000), last_ts: new Date(T0 + 1_234), delta: 0.5, estimated: true });
  });

  it('rejects a malformed row naming its path', async () => {
    const point = `meter-${randomUUID()}.W`;
    const row = minuteRow(T0, 1);
    row[2] = -1;
    const { status, body } = await upload(fixture, edge, batchOf({ rollups: [{ point, resolution: '1m', rows: [minuteRow(T0, 1), row] }] }));
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.parameter).toBe('rollups.0.rows.1.2');
    expect(await storedRollups(point)).toHaveLength(0);
  });

  it('rejects a count beyond a Postgres integer', async () => {
    const row = minuteRow(T0, 1);
    row[2] = 2 ** 31;
    const { status, body } = await upload(fixture, edge, batchOf({ rollups: [{ point: 'meter.W', resolution: '1m', rows: [row] }] }));
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('rollups.0.rows.0.2');
  });

  it('rejects a body over the limit with 413', async () => {
    const padding = 'x'.repeat(MAX_UPLOAD_BODY_BYTES);
    const { status, body, headers } = await uploadRaw(fixture, edge, JSON.stringify({ ...batchOf(), padding }));
    expect(status).toBe(413);
    expect(headers.get('connection')).toBe('close');
    expect(body.error.code).toBe('body_too_large');
    expect(body.error.message).toContain(String(MAX_UPLOAD_BODY_BYTES));
    expect(body.error.message).toContain('split');
  });

  it('accepts a body over the global limit', async () => {
    const point = `meter-${randomUUID()}.W`;
    const rows = Array.from({ length: 8_000 }, (_, index) => minuteRow(T0 + index * 60_000, index));
    const body = JSON.stringify(batchOf({ rollups: [{ point, resolution: '1m', rows }] }));
    expect(body.length).toBeGreaterThan(512 * 1024);
    const response = await uploadRaw(fixture, edge, body);
    expect(response.status).toBe(200);
    expect(response.body.rollupsStored).toBe(8_000);
  });

  it('rejects a revoked edge with 401', async () => {
    const revoked = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId);
    const revoke = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/edge-nodes/${revoked.id}/revoke`);
    expect(revoke.status).toBeLessThan(300);
    const { status, body } = await upload(fixture, revoked, batchOf());
    expect(status).toBe(401);
    expect(body.error.code).toBe('edge_revoked');
  });

  it('takes uploads only from the newest edge of a site', async () => {
    const replacement = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId);

    const superseded = await upload(fixture, edge, batchOf());
    expect(superseded.status).toBe(409);
    expect(superseded.body.error.code).toBe('edge_superseded');
    expect(superseded.body.error.message).toContain(replacement.id);
    expect((await upload(fixture, replacement, batchOf())).status).toBe(200);

    const revoke = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/edge-nodes/${replacement.id}/revoke`);
    expect(revoke.status).toBeLessThan(300);
    expect((await upload(fixture, edge, batchOf())).status).toBe(200);
  });

  it('rejects a batch without an edge assertion', async () => {
    const { status } = await call(fixture.app, null, 'POST', '/api/edge/uploads', batchOf());
    expect(status).toBe(401);
  });
});
