import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { createCloudFixture, Seed, type CloudFixture } from '../support/cloud-fixture';
import { pairTestEdge, type TestEdge } from './shape-harness';

/*
 * ELECTRIC_URL mode: the hub forwards table-backed shapes to Electric as its authorizing proxy. No
 * Electric service can run here, so a loopback HTTP peer replaces it, records what the hub
 * requests, and responds like Electric's shape endpoint. This checks the hub's half only.
 */

let fixture: CloudFixture;
let peer: Server;
let electricUrl: string;
let edge: TestEdge;
let siteId: string;
let requests: URL[] = [];
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  fixture = await createCloudFixture('electric_proxy');
  const seed = new Seed(fixture);
  const organizationId = await seed.organization('Utility');
  siteId = await seed.site(organizationId, 'Plant');
  edge = await pairTestEdge(fixture, siteId);

  peer = createServer((request: IncomingMessage, response) => {
    requests.push(new URL(request.url!, 'http://peer'));
    response.writeHead(200, {
      'content-type': 'application/json',
      'electric-handle': 'electric-handle-1',
      'electric-offset': '0_0',
      'electric-schema': '{"id":{"type":"uuid"}}',
      'electric-up-to-date': '',
      'x-internal': 'not for the edge',
    });
    response.end('[{"headers":{"control":"up-to-date"}}]');
  });
  await new Promise<void>((listening) => peer.listen(0, '127.0.0.1', listening));
  electricUrl = `http://127.0.0.1:${(peer.address() as AddressInfo).port}`;
  app = createApp({ ...fixture.deps, electric: { url: electricUrl, secret: 'electric-secret' } });
});

beforeEach(() => {
  requests = [];
});

afterAll(async () => {
  await new Promise((closed) => (peer ? peer.close(closed) : closed(undefined)));
  await fixture?.close();
});

async function requestShape(path: string) {
  return app.request(path, { headers: { Authorization: `Bearer ${await edge.assertion()}` } });
}

describe('Electric proxy mode', () => {
  it('sets the table, columns and site filter itself', async () => {
    const response = await requestShape('/api/edge/shapes/devices?offset=-1&table=users&where=true&columns=password_hash');
    expect(response.status).toBe(200);
    expect(requests).toHaveLength(1);
    const forwarded = requests[0]!.searchParams;
    expect(forwarded.get('table')).toBe('devices');
    expect(forwarded.get('where')).toBe('site_id = $1');
    expect(forwarded.get('params[1]')).toBe(siteId);
    expect(forwarded.get('columns')).toBe('id,site_id,node_id,key,driver,config');
    expect(forwarded.get('offset')).toBe('-1');
    expect(forwarded.get('secret')).toBe('electric-secret');
  });

  it('passes the protocol headers and body back', async () => {
    const response = await requestShape('/api/edge/shapes/points?offset=5_7&handle=electric-handle-1&live=true&cursor=42');
    expect(response.headers.get('electric-handle')).toBe('electric-handle-1');
    expect(response.headers.get('electric-offset')).toBe('0_0');
    expect(response.headers.get('electric-up-to-date')).toBe('');
    expect(response.headers.get('x-internal')).toBeNull();
    expect(await response.json()).toEqual([{ headers: { control: 'up-to-date' } }]);
    const forwarded = requests[0]!.searchParams;
    expect(forwarded.get('handle')).toBe('electric-handle-1');
    expect(forwarded.get('live')).toBe('true');
    expect(forwarded.get('cursor')).toBe('42');
  });

  it('filters the site shape by the site id', async () => {
    await requestShape('/api/edge/shapes/site?offset=-1');
    expect(requests[0]!.searchParams.get('table')).toBe('sites');
    expect(requests[0]!.searchParams.get('where')).toBe('id = $1');
  });

  it('serves site users from the hub itself', async () => {
    const response = await requestShape('/api/edge/shapes/site_users?offset=-1');
    expect(response.status).toBe(200);
    expect(requests).toHaveLength(0);
    expect(response.headers.get('electric-handle')).toContain('site_users');
  });

  it('serves energy settings from the hub itself', async () => {
    const response = await requestShape('/api/edge/shapes/energy_settings?offset=-1');
    expect(response.status).toBe(200);
    expect(requests).toHaveLength(0);
    expect(response.headers.get('electric-handle')).toContain('energy_settings');
  });

  it('refuses a request without an edge assertion', async () => {
    const response = await app.request('/api/edge/shapes/devices?offset=-1');
    expect(response.status).toBe(401);
    expect(requests).toHaveLength(0);
  });

  it('answers 503 when Electric is down', async () => {
    const down = createApp({ ...fixture.deps, electric: { url: 'http://127.0.0.1:9' } });
    const response = await down.request('/api/edge/shapes/devices?offset=-1', { headers: { Authorization: `Bearer ${await edge.assertion()}` } });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
  });
});
