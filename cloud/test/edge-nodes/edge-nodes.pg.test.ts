import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { hashPairingCode } from '../../src/edge-pairing/pairing-code';
import { asOwner, auditCount, auditEntries, roles, seedSiteRoles, type Role, type SiteRoles } from '../support/site-roles';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';

let fixture: CloudFixture;
let ctx: SiteRoles;
let token: string;

beforeAll(async () => {
  fixture = await createCloudFixture('edge-nodes');
  ctx = await seedSiteRoles(fixture);
  token = ctx.tokens.site_manager;
});

afterAll(async () => {
  await fixture?.close();
});

async function createEdgeNode(siteId = ctx.siteId, name = 'Gateway', creator = ctx.tokens.org_admin): Promise<{ id: string; pairingCode: string }> {
  const { status, body } = await call(fixture.app, creator, 'POST', `/api/sites/${siteId}/edge-nodes`, { name });
  if (status !== 201) throw new Error(`creating an edge node failed with ${status}: ${JSON.stringify(body)}`);
  return { id: body.edgeNode.id, pairingCode: body.pairingCode };
}

/** Returns the id of the edge node whose stored digest matches the formatted `pairingCode`, as pairing looks it up. */
async function nodeMatching(pairingCode: string): Promise<string | undefined> {
  const digest = hashPairingCode(pairingCode.replace(/-/g, ''));
  const rows = await asOwner(fixture, (tx) => tx<{ id: string }[]>`SELECT id FROM edge_nodes WHERE pairing_code_hash = ${digest}`);
  return rows[0]?.id;
}

type Request = [method: string, path: string, body?: unknown];

function changeable(status: number): Record<Role, number> {
  return { viewer: 403, operator: 403, site_manager: status, org_admin: status, platform_admin: status, member: 404 };
}

const routeCases: { route: string; status: number; request: () => Promise<Request> }[] = [
  { route: 'list edge nodes', status: 200, request: async () => ['GET', `/api/sites/${ctx.siteId}/edge-nodes`] },
  { route: 'create edge node', status: 201, request: async () => ['POST', `/api/sites/${ctx.siteId}/edge-nodes`, { name: 'Created' }] },
  { route: 'read edge node', status: 200, request: async () => ['GET', `/api/edge-nodes/${(await createEdgeNode()).id}`] },
  { route: 'rename edge node', status: 200, request: async () => ['PATCH', `/api/edge-nodes/${(await createEdgeNode()).id}`, { name: 'Renamed' }] },
  { route: 'issue pairing code', status: 200, request: async () => ['POST', `/api/edge-nodes/${(await createEdgeNode()).id}/pairing-code`] },
  { route: 'revoke edge node', status: 200, request: async () => ['POST', `/api/edge-nodes/${(await createEdgeNode()).id}/revoke`] },
  { route: 'delete edge node', status: 204, request: async () => ['DELETE', `/api/edge-nodes/${(await createEdgeNode()).id}`] },
];

const matrix = routeCases.flatMap(({ route, status, request }) => roles.map((role) => ({ route, role, status: changeable(status)[role], request })));

describe('edge node routes by role', () => {
  it.each(matrix)('$route as $role returns $status', async ({ role, status, request }) => {
    const [method, path, body] = await request();
    const response = await call(fixture.app, ctx.tokens[role], method, path, body);
    expect(response.status).toBe(status);
  });
});

describe('edge node routes across organizations', () => {
  it('returns 404 for every route on a foreign edge node', async () => {
    const foreign = await createEdgeNode(ctx.foreignSiteId, 'Foreign gateway', ctx.tokens.platform_admin);
    const requests: Request[] = [
      ['GET', `/api/edge-nodes/${foreign.id}`],
      ['PATCH', `/api/edge-nodes/${foreign.id}`, { name: 'Taken over' }],
      ['POST', `/api/edge-nodes/${foreign.id}/pairing-code`],
      ['POST', `/api/edge-nodes/${foreign.id}/revoke`],
      ['DELETE', `/api/edge-nodes/${foreign.id}`],
      ['GET', `/api/sites/${ctx.foreignSiteId}/edge-nodes`],
      ['POST', `/api/sites/${ctx.foreignSiteId}/edge-nodes`, { name: 'Intruder' }],
    ];
    for (const [method, path, body] of requests) {
      const response = await call(fixture.app, ctx.tokens.org_admin, method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    expect(await nodeMatching(foreign.pairingCode)).toBe(foreign.id);
  });

  it('returns 404 to an outsider', async () => {
    const node = await createEdgeNode();
    expect((await call(fixture.app, ctx.outsiderToken, 'GET', `/api/edge-nodes/${node.id}`)).status).toBe(404);
    expect((await call(fixture.app, ctx.outsiderToken, 'POST', `/api/edge-nodes/${node.id}/pairing-code`)).status).toBe(404);
    expect((await call(fixture.app, ctx.outsiderToken, 'POST', `/api/edge-nodes/${node.id}/revoke`)).status).toBe(404);
  });

  it('names the edge node, not its site, when hiding it', async () => {
    const hidden = await createEdgeNode(ctx.otherSiteId, 'Hidden gateway');
    const { status, body } = await call(fixture.app, token, 'GET', `/api/edge-nodes/${hidden.id}`);
    expect(status).toBe(404);
    expect(body.error.message).toContain(hidden.id);
    expect(body.error.message).not.toContain(ctx.otherSiteId);
  });

  it('returns 404 for an id that is not a UUID', async () => {
    const { status } = await call(fixture.app, ctx.tokens.platform_admin, 'GET', '/api/edge-nodes/gateway');
    expect(status).toBe(404);
  });
});

describe('edge node records', () => {
  it('shows the pairing code once and stores its digest', async () => {
    const before = Date.now();
    const created = await call(fixture.app, token, 'POST', `/api/sites/${ctx.siteId}/edge-nodes`, { name: '  Roof gateway ' });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.body.pairingCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/);
    const expiresInMs = Date.parse(created.body.pairingCodeExpiresAt) - before;
    expect(expiresInMs).toBeGreaterThan(24 * 3600 * 1000 - 60_000);
    expect(expiresInMs).toBeLessThanOrEqual(24 * 3600 * 1000 + 60_000);
    const { edgeNode } = created.body;
    expect(Object.keys(edgeNode).sort()).toEqual([
      'createdAt',
      'hostname',
      'id',
      'lastSeenAt',
      'name',
      'organizationId',
      'paired',
      'pairedAt',
      'pairingCodeExpiresAt',
      'revokedAt',
      'siteId',
      'softwareVersion',
    ]);
    expect(edgeNode).toMatchObject({
      siteId: ctx.siteId,
      organizationId: ctx.organizationId,
      name: 'Roof gateway',
      paired: false,
      pairedAt: null,
      revokedAt: null,
      hostname: null,
      lastSeenAt: null,
      softwareVersion: null,
      pairingCodeExpiresAt: created.body.pairingCodeExpiresAt,
    });
    expect(await nodeMatching(created.body.pairingCode)).toBe(edgeNode.id);

    const read = await call(fixture.app, token, 'GET', `/api/edge-nodes/${edgeNode.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(edgeNode);
    const list = await call(fixture.app, token, 'GET', `/api/sites/${ctx.siteId}/edge-nodes`);
    expect(list.body.edgeNodes).toContainEqual(edgeNode);
    const listed = JSON.stringify(list.body);
    expect(listed).not.toContain(created.body.pairingCode);
    expect(listed).not.toContain('hash');
  });

  it('issues a different code per node', async () => {
    const first = await createEdgeNode();
    const second = await createEdgeNode();
    expect(first.pairingCode).not.toBe(second.pairingCode);
  });

  it('issues a new code so the old one stops matching', async () => {
    const node = await createEdgeNode();
    const issued = await call(fixture.app, token, 'POST', `/api/edge-nodes/${node.id}/pairing-code`);
    expect(issued.status).toBe(200);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    expect(issued.body.edgeNode.id).toBe(node.id);
    expect(issued.body.edgeNode.pairingCodeExpiresAt).toBe(issued.body.pairingCodeExpiresAt);
    expect(issued.body.pairingCode).not.toBe(node.pairingCode);
    expect(await nodeMatching(node.pairingCode)).toBeUndefined();
    expect(await nodeMatching(issued.body.pairingCode)).toBe(node.id);
  });

  it('revokes a node and ends its pending code', async () => {
    const node = await createEdgeNode();
    const revoked = await call(fixture.app, token, 'POST', `/api/edge-nodes/${node.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect(revoked.body.paired).toBe(false);
    expect(revoked.body.pairingCodeExpiresAt).toBeNull();
    expect(await nodeMatching(node.pairingCode)).toBeUndefined();

    const again = await call(fixture.app, token, 'POST', `/api/edge-nodes/${node.id}/revoke`);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
  });

  it('renames an edge node', async () => {
    const node = await createEdgeNode();
    const { status, body } = await call(fixture.app, token, 'PATCH', `/api/edge-nodes/${node.id}`, { name: 'Basement gateway' });
    expect(status).toBe(200);
    expect(body.name).toBe('Basement gateway');
    expect(await nodeMatching(node.pairingCode)).toBe(node.id);
  });

  it('rejects invalid names and unknown fields', async () => {
    const node = await createEdgeNode();
    const empty = await call(fixture.app, token, 'PATCH', `/api/edge-nodes/${node.id}`, { name: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.parameter).toBe('name');
    const unknown = await call(fixture.app, token, 'POST', `/api/sites/${ctx.siteId}/edge-nodes`, { name: 'Gateway', pairingCode: 'mine' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('pairingCode');
  });

  it('deletes an edge node with its code', async () => {
    const node = await createEdgeNode();
    const deleted = await call(fixture.app, token, 'DELETE', `/api/edge-nodes/${node.id}`);
    expect(deleted.status).toBe(204);
    expect((await call(fixture.app, token, 'GET', `/api/edge-nodes/${node.id}`)).status).toBe(404);
    expect(await nodeMatching(node.pairingCode)).toBeUndefined();
  });

  it('no longer serves the credential route', async () => {
    const node = await createEdgeNode();
    const { status } = await call(fixture.app, token, 'POST', `/api/edge-nodes/${node.id}/credential`);
    expect(status).toBe(404);
  });
});

describe('edge node audit', () => {
  it('writes one entry per change without the code', async () => {
    let count = await auditCount(fixture);
    const created = await call(fixture.app, token, 'POST', `/api/sites/${ctx.siteId}/edge-nodes`, { name: 'Audited' });
    const nodeId: string = created.body.edgeNode.id;
    expect(await auditCount(fixture)).toBe(++count);
    await call(fixture.app, token, 'PATCH', `/api/edge-nodes/${nodeId}`, { name: 'Audited 2' });
    expect(await auditCount(fixture)).toBe(++count);
    const issued = await call(fixture.app, token, 'POST', `/api/edge-nodes/${nodeId}/pairing-code`);
    expect(await auditCount(fixture)).toBe(++count);
    await call(fixture.app, token, 'POST', `/api/edge-nodes/${nodeId}/revoke`);
    expect(await auditCount(fixture)).toBe(++count);
    await call(fixture.app, token, 'DELETE', `/api/edge-nodes/${nodeId}`);
    expect(await auditCount(fixture)).toBe(++count);

    const entries = await auditEntries(fixture, nodeId);
    expect(entries.map((entry) => entry.action)).toEqual([
      'edge_node.create',
      'edge_node.update',
      'edge_node.pairing_code_issue',
      'edge_node.revoke',
      'edge_node.delete',
    ]);
    for (const entry of entries) {
      expect(entry.target_type).toBe('edge_node');
      expect(entry.organization_id).toBe(ctx.organizationId);
      expect(entry.site_id).toBe(ctx.siteId);
    }
    expect(entries[1]!.before).toMatchObject({ name: 'Audited' });
    expect(entries[1]!.after).toMatchObject({ name: 'Audited 2' });
    expect(entries[3]!.after.revokedAt).not.toBeNull();

    const logged = JSON.stringify(entries);
    for (const code of [created.body.pairingCode, issued.body.pairingCode]) {
      expect(logged).not.toContain(code);
      expect(logged).not.toContain(code.replace(/-/g, ''));
      expect(logged).not.toContain(hashPairingCode(code.replace(/-/g, '')).toString('hex'));
    }
  });

  it('writes nothing for a denied change', async () => {
    const node = await createEdgeNode();
    const count = await auditCount(fixture);
    expect((await call(fixture.app, ctx.tokens.operator, 'POST', `/api/edge-nodes/${node.id}/pairing-code`)).status).toBe(403);
    expect((await call(fixture.app, ctx.tokens.viewer, 'POST', `/api/edge-nodes/${node.id}/revoke`)).status).toBe(403);
    expect((await call(fixture.app, ctx.tokens.viewer, 'DELETE', `/api/edge-nodes/${node.id}`)).status).toBe(403);
    expect(await auditCount(fixture)).toBe(count);
    expect(await nodeMatching(node.pairingCode)).toBe(node.id);
  });
});

describe('edge node logs', () => {
  it('never contain the pairing code', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) });
    const app = createApp({ ...fixture.deps, logger });

    const created = await call(app, token, 'POST', `/api/sites/${ctx.siteId}/edge-nodes`, { name: 'Logged' });
    const issued = await call(app, token, 'POST', `/api/edge-nodes/${created.body.edgeNode.id}/pairing-code`);
    expect(issued.status).toBe(200);

    expect(lines.some((line) => line.includes('edge node pairing code issued'))).toBe(true);
    for (const code of [created.body.pairingCode, issued.body.pairingCode]) {
      expect(lines.join('\n')).not.toContain(code);
    }
  });
});
