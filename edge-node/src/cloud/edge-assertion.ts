import { randomUUID } from 'node:crypto';
import { EDGE_ASSERTION_AUDIENCE, EDGE_ASSERTION_TYPE } from '@simtestlab/sync';
import { importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';

/**
 * Lifetime of each assertion in seconds. The hub accepts up to five minutes; one minute keeps a leaked
 * token short-lived while leaving room for clock skew and slow requests.
 */
export const EDGE_ASSERTION_LIFETIME_S = 60;

/** Imports the edge's private ES256 key from its JWK. */
export async function importEdgePrivateKey(privateJwk: JWK): Promise<CryptoKey> {
  return (await importJWK({ ...privateJwk, alg: 'ES256' }, 'ES256')) as CryptoKey;
}

/**
 * Signs an edge assertion: an ES256 JWT with `kid`, `iss` and `sub` set to the edge node id, the hub
 * audience, a random `jti`, issued at `nowMs` and valid for EDGE_ASSERTION_LIFETIME_S.
 */
export function signEdgeAssertion(privateKey: CryptoKey, edgeNodeId: string, nowMs = Date.now()): Promise<string> {
  const issuedAtS = Math.floor(nowMs / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', typ: EDGE_ASSERTION_TYPE, kid: edgeNodeId })
    .setIssuer(edgeNodeId)
    .setSubject(edgeNodeId)
    .setAudience(EDGE_ASSERTION_AUDIENCE)
    .setIssuedAt(issuedAtS)
    .setExpirationTime(issuedAtS + EDGE_ASSERTION_LIFETIME_S)
    .setJti(randomUUID())
    .sign(privateKey);
}
