import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import { MAX_UPLOAD_BODY_BYTES, UPLOAD_PATH, uploadBatchSchema, type EdgeEvent, type RollupRow, type UploadAck, type UploadBatch } from '@simtestlab/sync';
import type { CloudCredential } from '../../../src/cloud/credential';
import { HubClient } from '../../../src/cloud/hub-client';

/**
 * A scripted response to the next upload: an error status, `commit-without-ack` (the batch is stored
 * but the response carries no acknowledgement, as when the hub dies after its commit), `hang` (no
 * response until the client gives up), or `holdUntil`, which waits for a promise before it handles the
 * request with `then` or, without it, normally.
 */
export type ScriptedAnswer =
  | { status: number; code?: string; retryAfterS?: number }
  | 'commit-without-ack'
  | 'hang'
  | { holdUntil: Promise<unknown>; then?: Exclude<ScriptedAnswer, { holdUntil: Promise<unknown> }> };

/**
 * A stand-in for the hub's `POST /api/edge/uploads` on loopback, with the contract's semantics. The
 * whole batch is stored or nothing, rollups keep the higher revision per (point, resolution, bucket
 * start), and events are deduplicated by id. It returns 413 above `maxBodyBytes` and 400 on a schema
 * error. With `maxUploadsPerEdge` it returns 429 `upload_in_progress` to a request that arrives while
 * that many are being handled, as a hub that takes one upload per edge does. The real hub route is
 * tested in cloud/, and this server lets the edge's uploader be tested over real HTTP.
 */
export class TestHub {
  readonly events = new Map<string, EdgeEvent>();
  readonly rollups = new Map<string, RollupRow>();
  /** Batches stored, in arrival order, including resends. */
  readonly storedBatches: UploadBatch[] = [];
  /** Responses to the next requests, used before the normal handling. */
  readonly script: ScriptedAnswer[] = [];
  /**
   * Chooses the scripted response by the batch's content once `script` is empty, for batches that are in flight
   * together and so may arrive in either order. Undefined handles the batch normally.
   */
  answerFor: ((batch: UploadBatch) => ScriptedAnswer | undefined) | undefined;
  /** Upload requests received, counted once their body is read. */
  requests = 0;
  /** Requests received and still without a response, and the max at once. */
  inProgress = 0;
  maxInProgress = 0;
  /** Responses sent. */
  responses = 0;
  /** Added to the edge's `sentAt` to make the hub's `receivedAt`, so tests control the clock skew. */
  clockSkewMs = 0;
  private readonly hanging: ServerResponse[] = [];
  private readonly waiters: { ready: () => boolean; resolve: () => void }[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    /** Body size above which the hub returns 413; tests may change it. */
    public maxBodyBytes: number,
    private readonly maxUploadsPerEdge: number,
  ) {}

  static async start(options: { maxBodyBytes?: number; maxUploadsPerEdge?: number } = {}): Promise<TestHub> {
    let hub: TestHub | undefined;
    const server = createServer((request, response) => void hub!.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    hub = new TestHub(server, url, options.maxBodyBytes ?? MAX_UPLOAD_BODY_BYTES, options.maxUploadsPerEdge ?? Infinity);
    return hub;
  }

  /** Resolves once `count` requests were received. */
  received(count: number): Promise<void> {
    return this.until(() => this.requests >= count);
  }

  /** Resolves once `count` responses were sent. */
  responded(count: number): Promise<void> {
    return this.until(() => this.responses >= count);
  }

  /** Rollup rows stored for a point and resolution, by bucket start. */
  rowsOf(point: string, resolution: string): RollupRow[] {
    return [...this.rollups.entries()]
      .filter(([key]) => key.startsWith(`${point} ${resolution} `))
      .map(([, row]) => row)
      .sort((a, b) => a[0] - b[0]);
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private until(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ ready, resolve }));
  }

  private notifyWaiters(): void {
    for (const waiter of [...this.waiters]) {
      if (!waiter.ready()) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
      this.inProgress--;
      this.responses++;
      this.notifyWaiters();
    };
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    this.requests++;
    this.inProgress++;
    this.maxInProgress = Math.max(this.maxInProgress, this.inProgress);
    this.notifyWaiters();
    if (request.method !== 'POST' || request.url !== UPLOAD_PATH) return send(404, { error: { code: 'not_found', message: request.url } });
    if (!request.headers.authorization?.startsWith('Bearer ')) return send(401, { error: { code: 'unauthorized', message: 'no assertion' } });
    if (this.inProgress > this.maxUploadsPerEdge) {
      return send(429, { error: { code: 'upload_in_progress', message: 'another upload of this edge is running' } }, { 'Retry-After': '1' });
    }

    let scripted = this.script.shift();
    if (scripted === undefined && this.answerFor !== undefined) scripted = this.answerFor(JSON.parse(body.toString('utf8')) as UploadBatch);
    if (typeof scripted === 'object' && 'holdUntil' in scripted) {
      await scripted.holdUntil;
      scripted = scripted.then;
    }
    if (scripted === 'hang') {
      this.hanging.push(response);
      return;
    }
    if (typeof scripted === 'object') {
      const headers: Record<string, string> = scripted.retryAfterS === undefined ? {} : { 'Retry-After': String(scripted.retryAfterS) };
      return send(scripted.status, { error: { code: scripted.code ?? `status_${scripted.status}`, message: 'scripted answer' } }, headers);
    }
    if (body.length > this.maxBodyBytes) return send(413, { error: { code: 'body_too_large', message: `more than ${this.maxBodyBytes} bytes` } });

    const parsed = uploadBatchSchema.safeParse(JSON.parse(body.toString('utf8')));
    if (!parsed.success) return send(400, { error: { code: 'invalid_batch', message: parsed.error.message } });
    const ack = this.store(parsed.data);
    if (scripted === 'commit-without-ack') return send(200, {});
    return send(200, ack);
  }

  private store(batch: UploadBatch): UploadAck {
    this.storedBatches.push(batch);
    let eventsStored = 0;
    let rollupsStored = 0;
    for (const event of batch.events) {
      if (this.events.has(event.id)) continue;
      this.events.set(event.id, event);
      eventsStored++;
    }
    let rollupRows = 0;
    for (const series of batch.rollups) {
      for (const row of series.rows) {
        rollupRows++;
        const key = `${series.point} ${series.resolution} ${row[0]}`;
        const stored = this.rollups.get(key);
        if (stored && stored[10] >= row[10]) continue;
        this.rollups.set(key, row);
        rollupsStored++;
      }
    }
    const receivedAt = batch.sentAt + this.clockSkewMs;
    return {
      batchId: batch.batchId,
      eventsStored,
      eventsDuplicate: batch.events.length - eventsStored,
      rollupsStored,
      rollupsIgnored: rollupRows - rollupsStored,
      receivedAt,
      clockSkewMs: receivedAt - batch.sentAt,
    };
  }
}

/** Creates a pairing credential for `hub` with a fresh ES256 key, as a paired edge stores it. */
export async function createTestCredential(hub: TestHub): Promise<CloudCredential> {
  const keys = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(keys.privateKey);
  return {
    cloudUrl: hub.url,
    edgeNodeId: '7d5b7a3e-4c1f-4f55-9b0e-2f6b1c9e8a10',
    organizationId: 'org-test',
    siteId: 'site-test',
    siteName: 'Upload test site',
    timeZone: 'UTC',
    privateJwk: { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y!, d: jwk.d! },
    pairedAt: new Date().toISOString(),
  };
}

/** Creates a hub client for `hub`, as a paired edge has. */
export async function createTestHubClient(hub: TestHub): Promise<HubClient> {
  return HubClient.create(await createTestCredential(hub), { softwareVersion: '0.0.0-test' });
}
