import { randomBytes, randomUUID } from 'node:crypto';
import { EDGE_ASSERTION_AUDIENCE, EDGE_ASSERTION_TYPE, type EdgePublicKey } from '@simtestlab/sync';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { CloudApp } from '../../src/api/app';

/** An edge's key pair as the tests hold it. */
export interface EdgeKeys {
  privateKey: CryptoKey;
  publicJwk: EdgePublicKey;
}

export async function createEdgeKeys(): Promise<EdgeKeys> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const { kty, crv, x, y } = await exportJWK(publicKey);
  return { privateKey, publicJwk: { kty: kty as 'EC', crv: crv as 'P-256', x: x!, y: y! } };
}

/** Signs an edge assertion for `edgeNodeId`, valid for 60 s from now. */
export function signAssertion(keys: EdgeKeys, edgeNodeId: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', typ: EDGE_ASSERTION_TYPE, kid: edgeNodeId })
    .setIssuer(edgeNodeId)
    .setSubject(edgeNodeId)
    .setAudience(EDGE_ASSERTION_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('60s')
    .setJti(randomUUID())
    .sign(keys.privateKey);
}

/**
 * Returns a random address of the IPv6 documentation prefix 2001:db8::/32, so each test gets its own
 * pairing rate limit counter. A /24 of IPv4 made two tests share a counter often enough to fail.
 */
export function randomClientIp(): string {
  const groups = [0, 1, 2, 3].map(() => randomBytes(2).toString('hex'));
  return `2001:db8::${groups.join(':')}`;
}

/** Sends a pair request from `ip` and returns the status, body and headers. */
export async function pair(app: CloudApp, body: unknown, ip = randomClientIp()): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await app.request('/api/edge/pair', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** Calls `GET /api/edge/me` with an assertion and an optional software version header. */
export async function readSelf(app: CloudApp, assertion: string, softwareVersion?: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { Authorization: `Bearer ${assertion}` };
  if (softwareVersion !== undefined) headers['X-Edge-Software-Version'] = softwareVersion;
  const response = await app.request('/api/edge/me', { headers });
  return { status: response.status, body: await response.json() };
}
