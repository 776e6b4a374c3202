import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EDGE_ASSERTION_AUDIENCE, EDGE_REVOKED_CODE } from '@simtestlab/sync';
import { exportJWK, generateKeyPair, jwtVerify, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudCredential } from '../../src/cloud/credential';
import { HubClient, SOFTWARE_VERSION_HEADER } from '../../src/cloud/hub-client';
import { EdgeRevokedError, HubResponseError, HubUnreachableError } from '../../src/cloud/hub-errors';
import { requestPairing } from '../../src/cloud/pair-request';

const edgeNodeId = '0b6f6f3e-8a51-4c5e-9a55-3f1f5f0f2f11';

let server: Server;
let cloudUrl: string;
let publicKey: CryptoKey;
let credential: CloudCredential;
const seenHeaders: IncomingMessage['headers'][] = [];

/** A stand-in hub on loopback that returns one fixed response per path. */
function handle(request: IncomingMessage, response: ServerResponse): void {
  seenHeaders.push(request.headers);
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
  if (request.url === '/ok') return send(200, { value: 1 });
  if (request.url === '/revoked') return send(401, { error: { code: EDGE_REVOKED_CODE, message: 'revoked' } });
  if (request.url === '/missing') return send(404, { error: { code: 'not_found', message: 'no such thing' } });
  if (request.url === '/api/edge/pair') return send(429, { error: { code: 'too_many_attempts', message: 'slow down' } }, { 'Retry-After': '42' });
  return send(500, 'plain');
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cloudUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const keys = await generateKeyPair('ES256', { extractable: true });
  publicKey = keys.publicKey;
  const jwk = await exportJWK(keys.privateKey);
  credential = {
    cloudUrl,
    edgeNodeId,
    organizationId: 'org',
    siteId: 'site',
    siteName: 'Plant A',
    timeZone: 'Europe/Paris',
    privateJwk: { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y!, d: jwk.d! },
    pairedAt: new Date().toISOString(),
  };
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

describe('HubClient', () => {
  it('sends an assertion and the version', async () => {
    const client = await HubClient.create(credential, { softwareVersion: '9.9.9' });
    const response = await client.request('/ok');
    expect(await response.json()).toEqual({ value: 1 });
    const headers = seenHeaders.at(-1)!;
    expect(headers[SOFTWARE_VERSION_HEADER.toLowerCase()]).toBe('9.9.9');
    const token = headers.authorization!.replace(/^Bearer /, '');
    const { payload } = await jwtVerify(token, publicKey, { audience: EDGE_ASSERTION_AUDIENCE, subject: edgeNodeId });
    expect(payload.iss).toBe(edgeNodeId);
  });

  it('signs a fresh assertion per call', async () => {
    const client = await HubClient.create(credential);
    const first = await client.headers();
    const second = await client.headers();
    expect(first.Authorization).not.toBe(second.Authorization);
  });

  it('turns edge_revoked into EdgeRevokedError', async () => {
    const client = await HubClient.create(credential);
    const failure = client.request('/revoked');
    await expect(failure).rejects.toBeInstanceOf(EdgeRevokedError);
    await expect(client.request('/revoked')).rejects.toThrow(/revoked edge node .*edge-node pair --force/);
  });

  it('reports other statuses with the hub message', async () => {
    const client = await HubClient.create(credential);
    const error = await client.request('/missing').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HubResponseError);
    expect(error).not.toBeInstanceOf(EdgeRevokedError);
    expect((error as HubResponseError).status).toBe(404);
    expect((error as HubResponseError).message).toContain('no such thing');
  });

  it('names the URL when unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const client = await HubClient.create({ ...credential, cloudUrl: deadUrl });
    const error = await client.request('/ok').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HubUnreachableError);
    expect((error as Error).message).toContain(deadUrl);
  });
});

describe('requestPairing', () => {
  it('says when to retry after 429', async () => {
    const publicJwk = { kty: 'EC' as const, crv: 'P-256' as const, x: credential.privateJwk.x, y: credential.privateJwk.y };
    const error = await requestPairing(cloudUrl, { code: '0000000000', publicKey: publicJwk, softwareVersion: '1' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HubResponseError);
    expect((error as HubResponseError).retryAfterS).toBe(42);
    expect((error as Error).message).toMatch(/retry in 42 s/);
  });
});
