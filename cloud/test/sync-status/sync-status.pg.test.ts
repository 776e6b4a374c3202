import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type CloudApp } from '../../src/api/app';
import { connectDatabase } from '../../src/db/connect';
import { uplinkPresenceKey } from '../../src/live/redis-keys';
import { DATABASE_RETRY_AFTER_S } from '../../src/uploads/database-unavailable';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { batchOf, pairEdge, type PairedEdge } from '../uploads/paired-edge';
import { signAssertion } from '../edge-pairing/edge-keys';

let fixture: CloudFixture;
let ctx: SiteRoles;
let edge: PairedEdge;
let app: CloudApp;
const logLines: { level: number; msg: string; siteId?: string; clockSkewMs?: number }[] = [];

beforeAll(async () => {
  fixture = await createCloudFixture('sync_status');
  ctx = await seedSiteRoles(fixture);
  edge = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  app = createApp({ ...fixture.deps, logger: pino({ level: 'warn' }, sink) });
});

afterAll(async () => {
  await fixture?.close();
});

async function uploadFrom(sentAt: number, backlog = { rollups: 0, events: 0, oldestUnsentAt: null as number | null }) {
  const assertion = await signAssertion(edge.keys, edge.id);
  const response = await app.request('/api/edge/uploads', {
    method: 'POST',
    headers: { Authorization: `Bearer ${assertion}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(batchOf({ sentAt, backlog })),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { clockSkewMs: number; receivedAt: number };
}

function skewWarnings() {
  return logLines.filter((line) => line.level === 40 && line.msg.includes('clock of the edge'));
}

describe('sync status', () => {
  it('is empty before any upload', async () => {
    const { status, body } = await call(app, ctx.tokens.viewer, 'GET', `/api/sites/${ctx.siteId}/sync-status`);
    expect(status).toBe(200);
    expect(body).toEqual({
      siteId: ctx.siteId,
      lastContactAt: null,
      lastAckAt: null,
      backlog: { rollups: 0, events: 0 },
      oldestUnsentAt: null,
      lagMs: 0,
      clockSkewMs: null,
      clockSkewFlagged: false,
      liveConnected: false,
    });
  });

  it('counts an edge call as contact', async () => {
    const before = Date.now();
    const assertion = await signAssertion(edge.keys, edge.id);
    const self = await app.request('/api/edge/me', { headers: { Authorization: `Bearer ${assertion}` } });
    expect(self.status).toBe(200);

    const { body } = await call(app, ctx.tokens.viewer, 'GET', `/api/sites/${ctx.siteId}/sync-status`);
    expect(body.lastContactAt).toBeGreaterThanOrEqual(before - 1_000);
    expect(body.lastAckAt).toBeNull();
  });

  it('reports backlog, lag and a flagged skew', async () => {
    const oldestUnsentAt = Date.now() - 600_000;
    const ack = await uploadFrom(Date.now() - 45_000, { rollups: 1_200, events: 3, oldestUnsentAt });
    expect(ack.clockSkewMs).toBeGreaterThanOrEqual(45_000);

    const { body } = await call(app, ctx.tokens.viewer, 'GET', `/api/sites/${ctx.siteId}/sync-status`);
    expect(body.backlog).toEqual({ rollups: 1_200, events: 3 });
    expect(body.oldestUnsentAt).toBe(oldestUnsentAt);
    expect(body.lagMs).toBeGreaterThanOrEqual(600_000);
    expect(body.clockSkewMs).toBe(ack.clockSkewMs);
    expect(body.clockSkewFlagged).toBe(true);
    expect(body.lastAckAt).toBe(ack.receivedAt);
    expect(body.lastContactAt).toBe(ack.receivedAt);
  });

  it('warns once when the skew becomes flagged', async () => {
    const before = skewWarnings().length;
    await uploadFrom(Date.now() + 3_600_000);
    expect(skewWarnings()).toHaveLength(before);

    await uploadFrom(Date.now());
    const { body } = await call(app, ctx.tokens.viewer, 'GET', `/api/sites/${ctx.siteId}/sync-status`);
    expect(body.clockSkewFlagged).toBe(false);
    expect(body.lagMs).toBe(0);

    await uploadFrom(Date.now() - 120_000);
    const warnings = skewWarnings();
    expect(warnings).toHaveLength(before + 1);
    expect(warnings.at(-1)!.siteId).toBe(ctx.siteId);
    expect(warnings.at(-1)!.clockSkewMs).toBeGreaterThanOrEqual(120_000);
  });

  it('reports the live uplink from Redis', async () => {
    const key = uplinkPresenceKey(fixture.redisPrefix, ctx.siteId);
    await fixture.redis.set(key, 'instance-1', 'PX', 10_000);
    const { body } = await call(app, ctx.tokens.viewer, 'GET', `/api/sites/${ctx.siteId}/sync-status`);
    expect(body.liveConnected).toBe(true);
    await fixture.redis.del(key);
  });

  it('hides sites the caller cannot open', async () => {
    const cases = [
      { token: ctx.tokens.viewer, site: ctx.otherSiteId },
      { token: ctx.outsiderToken, site: ctx.siteId },
      { token: ctx.tokens.member, site: ctx.siteId },
    ];
    for (const { token, site } of cases) {
      const { status } = await call(app, token, 'GET', `/api/sites/${site}/sync-status`);
      expect(status).toBe(404);
    }
    const { status } = await call(app, ctx.tokens.org_admin, 'GET', `/api/sites/${ctx.siteId}/sync-status`);
    expect(status).toBe(200);
  });

  it('lists the sites the caller can open', async () => {
    const viewer = await call(app, ctx.tokens.viewer, 'GET', '/api/sync-status');
    expect(viewer.status).toBe(200);
    expect(viewer.body.sites.map((status: { siteId: string }) => status.siteId)).toEqual([ctx.siteId]);
    expect(viewer.body.sites[0].lastAckAt).not.toBeNull();

    const admin = await call(app, ctx.tokens.org_admin, 'GET', '/api/sync-status');
    expect(admin.body.sites.map((status: { siteId: string }) => status.siteId).sort()).toEqual([ctx.siteId, ctx.otherSiteId].sort());
    const outsider = await call(app, ctx.outsiderToken, 'GET', '/api/sync-status');
    expect(outsider.body.sites.map((status: { siteId: string }) => status.siteId)).toEqual([ctx.foreignSiteId]);
  });

  it('answers 503 while the database is unreachable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const unreachable = connectDatabase(`postgres://postgres@127.0.0.1:${port}/postgres`, { max: 1 });
    const lines: { level: number; msg: string; err?: { code?: string } }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    const downApp = createApp({ ...fixture.deps, sql: unreachable, logger: pino({ level: 'warn' }, sink) });
    try {
      for (const path of [`/api/sites/${ctx.siteId}/sync-status`, '/api/sync-status']) {
        const { status, body, headers } = await call(downApp, ctx.tokens.viewer, 'GET', path);
        expect(status, path).toBe(503);
        expect(body.error.code, path).toBe('database_unavailable');
        expect(headers.get('retry-after'), path).toBe(String(DATABASE_RETRY_AFTER_S));
      }
      const logged = lines.filter((line) => line.msg.includes('database is unreachable'));
      expect(logged).toHaveLength(2);
      expect(logged[0]!.err?.code).toBe('ECONNREFUSED');
    } finally {
      await unreachable.end();
    }
  });
});
