import { EDGE_REVOKED_CODE } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVALID_PAIRING_CODE } from '../../src/edge-pairing/routes';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { asOwner, seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { createEdgeKeys, pair, randomClientIp, readSelf, signAssertion, type EdgeKeys } from './edge-keys';

let fixture: CloudFixture;
let ctx: SiteRoles;
let keys: EdgeKeys;

beforeAll(async () => {
  fixture = await createCloudFixture('edge_pairing');
  ctx = await seedSiteRoles(fixture);
  keys = await createEdgeKeys();
});

afterAll(async () => {
  await fixture?.close();
});

async function createEdgeNode(name = 'Gateway'): Promise<{ id: string; pairingCode: string }> {
  const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/edge-nodes`, { name });
  if (status !== 201) throw new Error(`creating an edge node failed with ${status}: ${JSON.stringify(body)}`);
  return { id: body.edgeNode.id, pairingCode: body.pairingCode };
}

async function issueCode(edgeNodeId: string): Promise<string> {
  const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/edge-nodes/${edgeNodeId}/pairing-code`);
  if (status !== 200) throw new Error(`issuing a pairing code failed with ${status}: ${JSON.stringify(body)}`);
  return body.pairingCode;
}

function pairBody(code: string, edgeKeys = keys) {
  return { code, publicKey: edgeKeys.publicJwk, softwareVersion: '0.1.0', hostname: 'edge-01' };
}

describe('pair route', () => {
  it('binds the key and returns the site', async () => {
    const node = await createEdgeNode();
    const { status, body, headers } = await pair(fixture.app, pairBody(node.pairingCode));
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body).toEqual({ edgeNodeId: node.id, organizationId: ctx.organizationId, siteId: ctx.siteId, siteName: 'Plant A', timeZone: 'Europe/Paris' });

    const read = await call(fixture.app, ctx.tokens.site_manager, 'GET', `/api/edge-nodes/${node.id}`);
    expect(read.body.paired).toBe(true);
    expect(read.body.pairedAt).not.toBeNull();
    expect(read.body.hostname).toBe('edge-01');
    expect(read.body.softwareVersion).toBe('0.1.0');
    expect(read.body.pairingCodeExpiresAt).toBeNull();
  });

  it('rejects a private key in publicKey', async () => {
    const node = await createEdgeNode();
    const withPrivate = { ...pairBody(node.pairingCode), publicKey: { ...keys.publicJwk, d: 'A'.repeat(43) } };
    const { status, body } = await pair(fixture.app, withPrivate);
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('publicKey');
    const [row] = await asOwner(fixture, (tx) => tx<{ public_jwk: unknown }[]>`SELECT public_jwk FROM edge_nodes WHERE id = ${node.id}`);
    expect(row!.public_jwk).toBeNull();
  });

  it('accepts a code typed loosely', async () => {
    const node = await createEdgeNode();
    const typed = ` ${node.pairingCode.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l')} `;
    const { status } = await pair(fixture.app, pairBody(typed));
    expect(status).toBe(200);
  });

  it('writes an edge audit entry', async () => {
    const node = await createEdgeNode();
    await pair(fixture.app, pairBody(node.pairingCode));
    const entries = await asOwner(fixture, (tx) => tx<{ actor_type: string; actor_id: string; site_id: string; after: any }[]>`
      SELECT actor_type, actor_id, site_id, after FROM audit_log WHERE target_id = ${node.id} AND action = 'edge_node.pair'`);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actor_type).toBe('edge');
    expect(entries[0]!.actor_id).toBe(node.id);
    expect(entries[0]!.site_id).toBe(ctx.siteId);
    expect(entries[0]!.after).toEqual({ hostname: 'edge-01', softwareVersion: '0.1.0' });
  });

  it('rejects unknown, malformed, used and expired codes alike', async () => {
    const used = await createEdgeNode();
    expect((await pair(fixture.app, pairBody(used.pairingCode))).status).toBe(200);
    const expired = await createEdgeNode();
    await asOwner(fixture, (tx) => tx`UPDATE edge_nodes SET pairing_code_expires_at = now() - interval '1 second' WHERE id = ${expired.id}`);
    const replaced = await createEdgeNode();
    await issueCode(replaced.id);

    const cases = { unknown: '0000-0000-00', malformed: 'UUUU-UUUU-UU', short: '1234', used: used.pairingCode, expired: expired.pairingCode, replaced: replaced.pairingCode };
    for (const [label, code] of Object.entries(cases)) {
      const { status, body } = await pair(fixture.app, pairBody(code));
      expect(status, label).toBe(400);
      expect(body.error.code, label).toBe('invalid_pairing_code');
      expect(body.error.message, label).toBe(INVALID_PAIRING_CODE);
    }
  });

  it('rejects a body with unknown fields', async () => {
    const { status } = await pair(fixture.app, { ...pairBody('0000-0000-00'), siteId: ctx.siteId });
    expect(status).toBe(400);
  });

  it('lets exactly one of concurrent requests use a code', async () => {
    const node = await createEdgeNode();
    const contenders = await Promise.all(Array.from({ length: 8 }, () => createEdgeKeys()));
    const results = await Promise.all(contenders.map((contender) => pair(fixture.app, pairBody(node.pairingCode, contender))));
    const statuses = results.map((result) => result.status).sort();
    expect(statuses).toEqual([200, 400, 400, 400, 400, 400, 400, 400]);

    const winner = contenders[results.findIndex((result) => result.status === 200)]!;
    const [row] = await asOwner(fixture, (tx) => tx<{ public_jwk: unknown }[]>`SELECT public_jwk FROM edge_nodes WHERE id = ${node.id}`);
    expect(row!.public_jwk).toEqual(winner.publicJwk);
    const pairEntries = await asOwner(fixture, (tx) => tx<{ count: number }[]>`
      SELECT count(*)::int AS count FROM audit_log WHERE target_id = ${node.id} AND action = 'edge_node.pair'`);
    expect(pairEntries[0]!.count).toBe(1);
  });
});

describe('pair rate limit', () => {
  it('rejects the 21st attempt from one IP', async () => {
    const ip = randomClientIp();
    for (let attempt = 1; attempt <= 20; attempt++) {
      const { status } = await pair(fixture.app, pairBody('0000-0000-00'), ip);
      expect(status, `attempt ${attempt}`).toBe(400);
    }
    const limited = await pair(fixture.app, pairBody('0000-0000-00'), ip);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('too_many_attempts');
    const retryAfterS = Number(limited.headers.get('retry-after'));
    expect(retryAfterS).toBeGreaterThan(0);
    expect(retryAfterS).toBeLessThanOrEqual(15 * 60);
  });

  it('counts a valid code past the limit too', async () => {
    const ip = '203.0.113.7';
    for (let attempt = 1; attempt <= 20; attempt++) await pair(fixture.app, pairBody('0000-0000-00'), ip);
    const node = await createEdgeNode();
    expect((await pair(fixture.app, pairBody(node.pairingCode), ip)).status).toBe(429);
    expect((await pair(fixture.app, pairBody(node.pairingCode), randomClientIp())).status).toBe(200);
  });
});

describe('edge self route', () => {
  it('returns the identity and records the contact', async () => {
    const node = await createEdgeNode('Roof gateway');
    await pair(fixture.app, pairBody(node.pairingCode));
    const { status, body } = await readSelf(fixture.app, await signAssertion(keys, node.id), '0.2.0');
    expect(status).toBe(200);
    expect(body).toEqual({
      edgeNodeId: node.id,
      name: 'Roof gateway',
      organizationId: ctx.organizationId,
      siteId: ctx.siteId,
      siteName: 'Plant A',
      timeZone: 'Europe/Paris',
      softwareVersion: '0.2.0',
    });
    const read = await call(fixture.app, ctx.tokens.site_manager, 'GET', `/api/edge-nodes/${node.id}`);
    expect(read.body.lastSeenAt).not.toBeNull();
    expect(read.body.softwareVersion).toBe('0.2.0');
  });

  it('keeps the version when the header is absent', async () => {
    const node = await createEdgeNode();
    await pair(fixture.app, pairBody(node.pairingCode));
    const { body } = await readSelf(fixture.app, await signAssertion(keys, node.id));
    expect(body.softwareVersion).toBe('0.1.0');
  });

  it('rejects a missing token and a user token', async () => {
    const missing = await fixture.app.request('/api/edge/me');
    expect(missing.status).toBe(401);
    const user = await readSelf(fixture.app, ctx.tokens.site_manager);
    expect(user.status).toBe(401);
    expect(user.body.error.code).toBe('invalid_edge_assertion');
  });

  it('rejects an unpaired node', async () => {
    const node = await createEdgeNode();
    const { status } = await readSelf(fixture.app, await signAssertion(keys, node.id));
    expect(status).toBe(401);
  });
});

describe('revocation and re-pairing', () => {
  it('answers edge_revoked once revoked', async () => {
    const node = await createEdgeNode();
    await pair(fixture.app, pairBody(node.pairingCode));
    expect((await readSelf(fixture.app, await signAssertion(keys, node.id))).status).toBe(200);

    const revoked = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/edge-nodes/${node.id}/revoke`);
    expect(revoked.status).toBe(200);
    const { status, body } = await readSelf(fixture.app, await signAssertion(keys, node.id));
    expect(status).toBe(401);
    expect(body.error.code).toBe(EDGE_REVOKED_CODE);
  });

  it('hides the revocation from other keys', async () => {
    const node = await createEdgeNode();
    await pair(fixture.app, pairBody(node.pairingCode));
    await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/edge-nodes/${node.id}/revoke`);
    const { status, body } = await readSelf(fixture.app, await signAssertion(await createEdgeKeys(), node.id));
    expect(status).toBe(401);
    expect(body.error.code).toBe('invalid_edge_assertion');
  });

  it('restores a revoked node with a new code', async () => {
    const node = await createEdgeNode();
    await pair(fixture.app, pairBody(node.pairingCode));
    await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/edge-nodes/${node.id}/revoke`);
    const code = await issueCode(node.id);
    expect((await pair(fixture.app, pairBody(code))).status).toBe(200);

    expect((await readSelf(fixture.app, await signAssertion(keys, node.id))).status).toBe(200);
    const read = await call(fixture.app, ctx.tokens.site_manager, 'GET', `/api/edge-nodes/${node.id}`);
    expect(read.body.revokedAt).toBeNull();
    expect(read.body.paired).toBe(true);
  });

  it('replaces the key when a paired node pairs again', async () => {
    const node = await createEdgeNode();
    await pair(fixture.app, pairBody(node.pairingCode));
    const newKeys = await createEdgeKeys();
    const code = await issueCode(node.id);

    // The old key keeps working until the new code is used.
    expect((await readSelf(fixture.app, await signAssertion(keys, node.id))).status).toBe(200);
    expect((await pair(fixture.app, pairBody(code, newKeys))).status).toBe(200);

    const old = await readSelf(fixture.app, await signAssertion(keys, node.id));
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('invalid_edge_assertion');
    expect((await readSelf(fixture.app, await signAssertion(newKeys, node.id))).status).toBe(200);
  });
});
