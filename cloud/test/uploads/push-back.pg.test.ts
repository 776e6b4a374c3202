import { createServer } from 'node:net';
import { MAX_UPLOADS_IN_FLIGHT, UPLOAD_PATH } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type CloudApp } from '../../src/api/app';
import { connectDatabase } from '../../src/db/connect';
import type { UploadSettings } from '../../src/uploads/routes';
import { createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { signAssertion } from '../edge-pairing/edge-keys';
import { batchOf, pairEdge, type PairedEdge } from './paired-edge';

let fixture: CloudFixture;
let ctx: SiteRoles;
let first: PairedEdge;
let second: PairedEdge;

beforeAll(async () => {
  fixture = await createCloudFixture('upload_push_back');
  ctx = await seedSiteRoles(fixture);
  first = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId);
  second = await pairEdge(fixture.app, ctx.tokens.org_admin, ctx.otherSiteId);
});

afterAll(async () => {
  await fixture?.close();
});

/**
 * Starts an upload whose body stays open until `finish` is called, so the request keeps its slot. It
 * returns once the hub starts reading the body, which happens after the slot is taken.
 */
async function startHeldUpload(app: CloudApp, edge: PairedEdge) {
  const assertion = await signAssertion(edge.keys, edge.id);
  let reading!: () => void;
  const readingStarted = new Promise<void>((resolve) => {
    reading = resolve;
  });
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        reading();
        await released;
        controller.enqueue(new TextEncoder().encode(JSON.stringify(batchOf())));
        controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  const request = new Request(`http://hub.test${UPLOAD_PATH}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${assertion}`, 'Content-Type': 'application/json' },
    body,
    duplex: 'half',
  } as RequestInit);
  const response = Promise.resolve(app.request(request));
  await readingStarted;
  return {
    finish: async () => {
      release();
      return response;
    },
  };
}

async function sendUpload(app: CloudApp, edge: PairedEdge) {
  const assertion = await signAssertion(edge.keys, edge.id);
  const response = await app.request(UPLOAD_PATH, {
    method: 'POST',
    headers: { Authorization: `Bearer ${assertion}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(batchOf()),
  });
  return { status: response.status, body: (await response.json()) as any, retryAfter: response.headers.get('retry-after') };
}

describe('upload push-back', () => {
  it('answers 429 past the window', async () => {
    const held = [];
    for (let slot = 0; slot < MAX_UPLOADS_IN_FLIGHT; slot++) held.push(await startHeldUpload(fixture.app, first));
    const rejected = await sendUpload(fixture.app, first);
    expect(rejected.status).toBe(429);
    expect(rejected.body.error.code).toBe('upload_in_progress');
    expect(rejected.body.error.message).toContain(`already has ${MAX_UPLOADS_IN_FLIGHT} uploads running`);
    expect(rejected.retryAfter).toBe('1');

    const other = await sendUpload(fixture.app, second);
    expect(other.status).toBe(200);
    expect((await held[0]!.finish()).status).toBe(200);
    expect((await sendUpload(fixture.app, first)).status).toBe(200);
    for (const upload of held.slice(1)) expect((await upload.finish()).status).toBe(200);
  });

  it('answers 503 when the instance is busy', async () => {
    const settings: UploadSettings = { ingestConcurrency: 1 };
    const app = createApp({ ...fixture.deps, ...settings });
    const held = await startHeldUpload(app, first);
    const rejected = await sendUpload(app, second);
    expect(rejected.status).toBe(503);
    expect(rejected.body.error.code).toBe('hub_busy');
    expect(rejected.retryAfter).toBe('1');
    expect((await held.finish()).status).toBe(200);
  });

  it('answers 503 when Postgres is unreachable', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const sql = connectDatabase(`postgres://nobody@127.0.0.1:${closedPort}/none`, { max: 1 });
    try {
      const app = createApp({ ...fixture.deps, sql });
      const rejected = await sendUpload(app, first);
      expect(rejected.status).toBe(503);
      expect(rejected.body.error.code).toBe('database_unavailable');
      expect(rejected.retryAfter).toBe('5');
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
