import { PROTOCOL_HEADER, PROTOCOL_RANGE_HEADER, UPLINK_PATH, UPLINK_PROTOCOL_HEADER, UPLINK_PROTOCOL_VERSION } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCloudFixture, Seed, type CloudFixture } from '../support/cloud-fixture';
import { serveHub, type ServedHub } from '../support/served-hub';
import { pairTestEdge, type TestEdge } from '../shapes/shape-harness';

let fixture: CloudFixture;
let hub: ServedHub;
let edge: TestEdge;

beforeAll(async () => {
  fixture = await createCloudFixture('edge-protocol');
  hub = await serveHub(fixture);
  const seed = new Seed(fixture);
  edge = await pairTestEdge(fixture, await seed.site(await seed.organization('Acme'), 'Plant A'));
});

afterAll(async () => {
  await hub?.close();
  await fixture?.close();
});

/** Sends a request to an edge route with an assertion and, unless null, a protocol header. */
async function callEdgeRoute(path: string, protocol: string | null, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${await edge.assertion()}`);
  if (protocol !== null) headers.set(PROTOCOL_HEADER, protocol);
  return fixture.app.request(path, { ...init, headers });
}

/** Opens the uplink with a protocol header and returns the HTTP status of the handshake and its body. */
function openUplink(protocol: string, assertion: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${hub.port}${UPLINK_PATH}`, {
      headers: { Authorization: `Bearer ${assertion}`, [PROTOCOL_HEADER]: protocol, [UPLINK_PROTOCOL_HEADER]: String(UPLINK_PROTOCOL_VERSION) },
    });
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
    });
    socket.on('upgrade', (response) => {
      resolve({ status: response.statusCode ?? 0, body: '', headers: response.headers });
      socket.close();
    });
    socket.on('error', (error) => {
      if (!error.message.includes('Unexpected server response')) reject(error);
    });
  });
}

describe('edge protocol check on the hub', () => {
  it('serves an edge without the header as version 1', async () => {
    const response = await callEdgeRoute('/api/edge/me', null);
    expect(response.status).toBe(200);
    expect(response.headers.get(PROTOCOL_HEADER)).toBe('1');
    expect(response.headers.get(PROTOCOL_RANGE_HEADER)).toBe('1');
  });

  it('serves an edge of the current version', async () => {
    const response = await callEdgeRoute('/api/edge/me', '1');
    expect(response.status).toBe(200);
  });

  it('rejects a newer edge with 426 naming both versions', async () => {
    const response = await callEdgeRoute('/api/edge/me', '7');
    expect(response.status).toBe(426);
    expect(response.headers.get(PROTOCOL_HEADER)).toBe('1');
    expect(await response.json()).toEqual({
      error: { code: 'protocol_unsupported', message: 'edge protocol 7 is not supported: this hub speaks 1; update the hub' },
      edgeProtocol: 7,
      hubProtocol: { min: 1, max: 1 },
    });
  });

  it('rejects pairing of an incompatible edge before the code is read', async () => {
    const response = await fixture.app.request('/api/edge/pair', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [PROTOCOL_HEADER]: '3' },
      body: JSON.stringify({ code: 'not-even-a-code' }),
    });
    expect(response.status).toBe(426);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe('edge protocol 3 is not supported: this hub speaks 1; update the hub');
  });

  it('rejects shape and upload requests of an incompatible edge', async () => {
    expect((await callEdgeRoute('/api/edge/shapes/site?offset=-1', '2')).status).toBe(426);
    expect((await callEdgeRoute('/api/edge/uploads', '2', { method: 'POST', body: '{}' })).status).toBe(426);
  });

  it('rejects a header that is not a version with 400', async () => {
    const response = await callEdgeRoute('/api/edge/me', 'one');
    expect(response.status).toBe(400);
    expect(response.headers.get(PROTOCOL_HEADER)).toBe('1');
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('SimTestLab-Protocol header "one" is not a positive integer');
  });

  it('sets its header on errors of edge routes', async () => {
    const response = await fixture.app.request('/api/edge/me');
    expect(response.status).toBe(401);
    expect(response.headers.get(PROTOCOL_HEADER)).toBe('1');
  });

  it('rejects the uplink of an incompatible edge before the handshake', async () => {
    const result = await openUplink('5', await edge.assertion());
    expect(result.status).toBe(426);
    expect(result.headers[PROTOCOL_HEADER.toLowerCase()]).toBe('1');
    expect(JSON.parse(result.body)).toEqual({ error: { code: 'protocol_unsupported', message: 'edge protocol 5 is not supported: this hub speaks 1; update the hub' } });
  });

  it('completes the uplink handshake of a compatible edge with its header', async () => {
    const result = await openUplink('1', await edge.assertion());
    expect(result.status).toBe(101);
    expect(result.headers[PROTOCOL_HEADER.toLowerCase()]).toBe('1');
  });
});
