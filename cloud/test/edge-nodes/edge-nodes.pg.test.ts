import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { hashOpaqueToken } from '../../src/auth/opaque-token';
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

async function createEdgeNode(siteId = ctx.siteId, name = 'Gateway', creator = ctx.tokens.org_admin): Promise<{ id: string; credential: string }> {
  const { status, body } = await call(fixture.app, creator, 'POST', `/api/sites/${siteId}/edge-nodes`, { name });
  if (status !== 201) throw new Error(`creating an edge node failed with ${status}: ${JSON.stringify(body)}`);
  return { id: body.edgeNode.id, credential: body.credential };
}

/** Returns the id of the edge node whose stored digest matches `credential`, as an edge login would look it up. */
async function nodeMatching(credential: string): Promise<string | undefined> {
  const rows = await asOwner(fixture, (tx) => tx<{ id: string }[]>`SELECT id FROM edge_nodes WHERE credential_hash = ${hashOpaqueToken(credential)}`);
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
  { route: 'rotate credential', status: 200, request: async () => ['POST', `/api/edge-nodes/${(await createEdgeNode()).id}/credential`] },
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
      ['POST', `/api/edge-nodes/${foreign.id}/credential`],
      ['DELETE', `/api/edge-nodes/${foreign.id}`],
      ['GET', `/api/sites/${ctx.foreignSiteId}/edge-nodes`],
      ['POST', `/api/sites/${ctx.foreignSiteId}/edge-nodes`, { name: 'Intruder' }],
    ];
    for (const [method, path, body] of requests) {
      const response = await call(fixture.app, ctx.tokens.org_admin, method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    expect(await nodeMatching(foreign.credential)).toBe(foreign.id);
  });

  it('returns 404 to an outsider', async () => {
    const node = await createEdgeNode();
    expect((await call(fixture.app, ctx.outsiderToken, 'GET', `/api/edge-nodes/${node.id}`)).status).toBe(404);
    expect((await call(fixture.app, ctx.outsiderToken, 'POST', `/api/edge-nodes/${node.id}/credential`)).status).toBe(404);
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
  it('shows the credential once and stores its digest', async () => {
    const created = await call(fixture.app, token, 'POST', `/api/sites/${ctx.siteId}/edge-nodes`, { name: '  Roof gateway ' });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.body.credential).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { edgeNode } = created.body;
    expect(Object.keys(edgeNode).sort()).toEqual(['createdAt', 'id', 'lastSeenAt', 'name', 'organizationId', 'siteId', 'softwareVersion']);
    expect(edgeNode).toMatchObject({ siteId: ctx.siteId, organizationId: ctx.organizationId, name: 'Roof gateway', lastSeenAt: null, softwareVersion: null });
    expect(await nodeMatching(created.body.credential)).toBe(edgeNode.id);

    const read = await call(fixture.app, token, 'GET', `/api/edge-nodes/${edgeNode.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(edgeNode);
    const list = await call(fixture.app, token, 'GET', `/api/sites/${ctx.siteId}/edge-nodes`);
    expect(list.body.edgeNodes).toContainEqual(edgeNode);
    const listed = JSON.stringify(list.body);
    expect(listed).not.toContain(created.body.credential);
    expect(listed).not.toContain('credential');
  });

  it('issues a different credential per node', async () => {
    const first = await createEdgeNode();
    const second = await createEdgeNode();
    expect(first.credential).not.toBe(second.credential);
  });

  it('rotates the credential so the old one stops matching', async () => {
    const node = await createEdgeNode();
    const rotated = await call(fixture.app, token, 'POST', `/api/edge-nodes/${node.id}/credential`);
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    expect(rotated.body.edgeNode.id).toBe(node.id);
    expect(rotated.body.credential).not.toBe(node.credential);
    expect(await nodeMatching(node.credential)).toBeUndefined();
    expect(await nodeMatching(rotated.body.credential)).toBe(node.id);
  });

  it('renames an edge node', async () => {
    const node = await createEdgeNode();
    const { status, body } = await call(fixture.app, token, 'PATCH', `/api/edge-nodes/${node.id}`, { name: 'Basement gateway' });
    expect(status).toBe(200);
    expect(body.name).toBe('Basement gateway');
    expect(await nodeMatching(node.credential)).toBe(node.id);
  });

  it('rejects invalid names and unknown fields', async () => {
    const node = await createEdgeNode();
    const empty = await call(fixture.app, token, 'PATCH', `/api/edge-nodes/${node.id}`, { name: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.parameter).toBe('name');
    const unknown = await call(fixture.app, token, 'POST', `/api/sites/${ctx.siteId}/edge-nodes`, { name: 'Gateway', credential: 'mine' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('credential');
  });

  it('deletes an edge node with its credential', async () => {
    const node = await createEdgeNode();
    const deleted = await call(fixture.app, token, 'DELETE', `/api/edge-nodes/${node.id}`);
    expect(deleted.status).toBe(204);
    expect((await call(fixture.app, token, 'GET', `/api/edge-nodes/${node.id}`)).status).toBe(404);
    expect(await nodeMatching(node.credential)).toBeUndefined();
  });
});

describe('edge node audit', () => {
  it('writes one entry per change without the credential', async () => {
    let count = await auditCount(fixture);
    const created = await call(fixture.app, token, 'POST', `/api/sites/${ctx.siteId}/edge-nodes`, { name: 'Audited' });
    const nodeId: string = created.body.edgeNode.id;
    expect(await auditCount(fixture)).toBe(++count);
    await call(fixture.app, token, 'PATCH', `/api/edge-nodes/${nodeId}`, { name: 'Audited 2' });
    expect(await auditCount(fixture)).toBe(++count);
    const rotated = await call(fixture.app, token, 'POST', `/api/edge-nodes/${nodeId}/credential`);
    expect(await auditCount(fixture)).toBe(++count);
    await call(fixture.app, token, 'DELETE', `/api/edge-nodes/${nodeId}`);
    expect(await auditCount(fixture)).toBe(++count);

    const entries = await auditEntries(fixture, nodeId);
    expect(entries.map((entry) => entry.action)).toEqual(['edge_node.create', 'edge_node.update', 'edge_node.credential_rotate', 'edge_node.delete']);
    for (const entry of entries) {
      expect(entry.target_type).toBe('edge_node');
      expect(entry.organization_id).toBe(ctx.organizationId);
      expect(entry.site_id).toBe(ctx.siteId);
    }
    expect(entries[1]!.before).toEqual({ name: 'Audited' });
    expect(entries[1]!.after).toEqual({ name: 'Audited 2' });

    const logged = JSON.stringify(entries);
    for (const credential of [created.body.credential, rotated.body.credential]) {
      expect(logged).not.toContain(credential);
      expect(logged).not.toContain(hashOpaqueToken(credential).toString('hex'));
    }
  });

  it('writes nothing for a denied change', async () => {
    const node = await createEdgeNode();
    const count = await auditCount(fixture);
    expect((await call(fixture.app, ctx.tokens.operator, 'POST', `/api/edge-nodes/${node.id}/credential`)).status).toBe(403);
    expect((await call(fixture.app, ctx.tokens.viewer, 'DELETE', `/api/edge-nodes/${node.id}`)).status).toBe(403);
    expect(await auditCount(fixture)).toBe(count);
    expect(await nodeMatching(node.credential)).toBe(node.id);
  });
});

describe('edge node logs', () => {
  it('never contain the credential', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) });
    const app = createApp({ ...fixture.deps, logger });

    const created = await call(app, token, 'POST', `/api/sites/${ctx.siteId}/edge-nodes`, { name: 'Logged' });
    const rotated = await call(app, token, 'POST', `/api/edge-nodes/${created.body.edgeNode.id}/credential`);
    expect(rotated.status).toBe(200);

    expect(lines.some((line) => line.includes('edge node credential rotated'))).toBe(true);
    for (const credential of [created.body.credential, rotated.body.credential]) {
      expect(lines.join('\n')).not.toContain(credential);
    }
  });
});
