import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import type { AppDeps } from '../../src/api/env';
import { READINESS_CHECK_TIMEOUT_MS, type ReadinessSettings } from '../../src/api/readiness';
import { connectDatabase, type Sql } from '../../src/db/connect';
import { cloudOpenApiDocument } from '../../src/docs/openapi-document';
import { PrivateRedis } from '../live/private-redis';
import { sparePort } from '../sync-faults/edge-process';
import { createCloudFixture, type CloudFixture } from '../support/cloud-fixture';

// `/readyz` runs against the real app with the fixture's Postgres and Redis. Failures come from a private
// redis-server that the test stops, a Postgres URL to a closed port and a TCP server that never replies.

let fixture: CloudFixture;
const closers: (() => Promise<unknown> | unknown)[] = [];

beforeAll(async () => {
  fixture = await createCloudFixture('readiness');
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await fixture?.close();
});

/** Requests `/readyz` from an app built on the fixture's dependencies with `overrides`, without a token. */
async function readiness(overrides: Partial<AppDeps> & ReadinessSettings = {}): Promise<{ status: number; body: any; text: string }> {
  const app = createApp({ ...fixture.deps, ...overrides });
  const response = await app.request('/readyz');
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), text };
}

/** Opens an ioredis client that never gives up reconnecting, as the hub's client does. */
function hubLikeRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined);
  closers.push(() => redis.disconnect());
  return redis;
}

/** Starts a TCP server that accepts connections and never sends a byte. */
async function silentServer(): Promise<{ port: number }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    server.close();
    await once(server, 'close');
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the silent server has no TCP address');
  return { port: address.port };
}

describe('GET /readyz', () => {
  it('reports ready without a token', async () => {
    const { status, body } = await readiness();

    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('names Redis once it stops', async () => {
    const privateRedis = await PrivateRedis.start();
    closers.push(() => privateRedis.stop());
    const redis = hubLikeRedis(privateRedis.url);
    expect((await readiness({ redis })).status).toBe(200);

    await privateRedis.stop();
    const { status, body } = await readiness({ redis });

    expect(status).toBe(503);
    expect(body.status).toBe('not_ready');
    expect(body.checks).toEqual({ postgres: 'ok', redis: 'failed' });
    expect(body.errors.redis).toEqual(expect.any(String));
    expect(body.errors.redis.length).toBeGreaterThan(0);
    expect(body.errors.postgres).toBeUndefined();
  });

  it('fails Redis that never replies', async () => {
    const { port } = await silentServer();
    const redis = hubLikeRedis(`redis://127.0.0.1:${port}`);

    const { status, body } = await readiness({ redis });

    expect(status).toBe(503);
    expect(body.checks).toEqual({ postgres: 'ok', redis: 'failed' });
    expect(body.errors.redis).toBe(`redis did not answer within ${READINESS_CHECK_TIMEOUT_MS} ms`);
  });

  it('names Postgres without its URL', async () => {
    const port = await sparePort();
    const password = 'readiness-secret-password';
    const url = `postgres://ems_app:${password}@127.0.0.1:${port}/ems`;
    const sql: Sql = connectDatabase(url, { max: 1 });
    closers.push(() => sql.end({ timeout: 1 }));

    const { status, body, text } = await readiness({ sql });

    expect(status).toBe(503);
    expect(body.checks).toEqual({ postgres: 'failed', redis: 'ok' });
    expect(body.errors.postgres).toEqual(expect.any(String));
    expect(body.errors.postgres.length).toBeGreaterThan(0);
    expect(text).not.toContain(password);
    expect(text).not.toContain('postgres://');
  });

  it('fails Postgres that never replies', async () => {
    const { port } = await silentServer();
    const sql: Sql = connectDatabase(`postgres://ems_app@127.0.0.1:${port}/ems`, { max: 1 });
    closers.push(() => sql.end({ timeout: 1 }));

    const { status, body } = await readiness({ sql });

    expect(status).toBe(503);
    expect(body.checks).toEqual({ postgres: 'failed', redis: 'ok' });
    expect(body.errors.postgres).toBe(`postgres did not answer within ${READINESS_CHECK_TIMEOUT_MS} ms`);
  });

  it('fails while the hub drains', async () => {
    const { status, body } = await readiness({ isDraining: () => true });

    expect(status).toBe(503);
    expect(body).toEqual({ status: 'draining', checks: { postgres: 'skipped', redis: 'skipped' } });
  });

  it('appears in the OpenAPI document', () => {
    const paths = cloudOpenApiDocument().paths as Record<string, { get?: { responses?: Record<string, unknown> } }>;

    expect(Object.keys(paths['/readyz']?.get?.responses ?? {})).toEqual(['200', '503']);
  });
});
