import { EDGE_ASSERTION_AUDIENCE, EDGE_ASSERTION_TYPE } from '@simtestlab/sync';
import { decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { EDGE_ASSERTION_LIFETIME_S, importEdgePrivateKey, signEdgeAssertion } from '../../src/cloud/edge-assertion';

const edgeNodeId = '0b6f6f3e-8a51-4c5e-9a55-3f1f5f0f2f11';

async function keyPair() {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { publicKey, privateKey: await importEdgePrivateKey(await exportJWK(privateKey)) };
}

describe('signEdgeAssertion', () => {
  it('signs the claims the hub checks', async () => {
    const { publicKey, privateKey } = await keyPair();
    const token = await signEdgeAssertion(privateKey, edgeNodeId);
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, {
      algorithms: ['ES256'],
      typ: EDGE_ASSERTION_TYPE,
      audience: EDGE_ASSERTION_AUDIENCE,
      issuer: edgeNodeId,
      subject: edgeNodeId,
    });
    expect(protectedHeader.kid).toBe(edgeNodeId);
    expect(payload.exp! - payload.iat!).toBe(EDGE_ASSERTION_LIFETIME_S);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('uses the given clock', async () => {
    const { publicKey, privateKey } = await keyPair();
    const nowMs = Date.UTC(2026, 0, 1, 12, 0, 0);
    const token = await signEdgeAssertion(privateKey, edgeNodeId, nowMs);
    const { payload } = await jwtVerify(token, publicKey, { currentDate: new Date(nowMs) });
    expect(payload.iat).toBe(nowMs / 1000);
  });

  it('expires after its lifetime', async () => {
    const { publicKey, privateKey } = await keyPair();
    const nowMs = Date.now();
    const token = await signEdgeAssertion(privateKey, edgeNodeId, nowMs);
    const later = new Date(nowMs + (EDGE_ASSERTION_LIFETIME_S + 1) * 1000);
    await expect(jwtVerify(token, publicKey, { currentDate: later })).rejects.toThrow(/exp/);
  });

  it('gives each assertion its own jti', async () => {
    const { privateKey } = await keyPair();
    const first = await signEdgeAssertion(privateKey, edgeNodeId);
    const second = await signEdgeAssertion(privateKey, edgeNodeId);
    expect(first).not.toBe(second);
    expect(decodeProtectedHeader(first).alg).toBe('ES256');
  });
});
