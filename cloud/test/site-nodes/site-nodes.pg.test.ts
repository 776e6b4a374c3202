import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { call, createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';

type Kind = 'building' | 'area' | 'system';

let fixture: CloudFixture;
let seed: Seed;
let organizationId: string;
let siteId: string;
let hiddenSiteId: string;
let foreignSiteId: string;
const tokens: Record<string, string> = {};

/** Seeds a node directly as the owner role. */
async function seedNode(site: string, kind: Kind, name: string, parentId: string | null = null): Promise<string> {
  return inTenantScope(fixture.db.owner, allOrganizations, async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO site_nodes (organization_id, site_id, parent_id, kind, name)
      SELECT organization_id, id, ${parentId}, ${kind}, ${name} FROM sites WHERE id = ${site}
      RETURNING id`;
    return row!.id;
  });
}

/** Seeds a device attached to a node directly as the owner role. */
async function seedDevice(site: string, nodeId: string, key: string): Promise<string> {
  return inTenantScope(fixture.db.owner, allOrganizations, async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO devices (organization_id, site_id, node_id, key, driver, config)
      SELECT organization_id, id, ${nodeId}, ${key}, 'modbus', ${tx.json({})} FROM sites WHERE id = ${site}
      RETURNING id`;
    return row!.id;
  });
}

async function deleteDevice(deviceId: string): Promise<void> {
  await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx`DELETE FROM devices WHERE id = ${deviceId}`);
}

async function nodeExists(nodeId: string): Promise<boolean> {
  const rows = await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx`SELECT 1 FROM site_nodes WHERE id = ${nodeId}`);
  return rows.length === 1;
}

async function auditEntries(targetId: string) {
  return inTenantScope(
    fixture.db.owner,
    allOrganizations,
    (tx) => tx`SELECT action, organization_id, site_id, actor_id, target_type, before, after FROM audit_log WHERE target_id = ${targetId} ORDER BY id`,
  );
}

beforeAll(async () => {
  fixture = await createCloudFixture('site_nodes');
  seed = new Seed(fixture);
  organizationId = await seed.organization('Acme');
  const otherOrganizationId = await seed.organization('Other');
  siteId = await seed.site(organizationId, 'Plant A');
  hiddenSiteId = await seed.site(organizationId, 'Plant B');
  foreignSiteId = await seed.site(otherOrganizationId, 'Foreign');

  for (const role of ['viewer', 'operator', 'site_manager'] as const) {
    const user = await seed.user(`${role}@acme.test`);
    await seed.membership(user, organizationId);
    await seed.siteAccess(user, siteId, role);
  }
  const admin = await seed.user('org_admin@acme.test');
  await seed.membership(admin, organizationId, 'org_admin');
  const outsider = await seed.user('no_access@acme.test');
  await seed.membership(outsider, organizationId);
  await seed.user('platform_admin@platform.test', { platformAdmin: true });

  for (const email of ['viewer@acme.test', 'operator@acme.test', 'site_manager@acme.test', 'org_admin@acme.test', 'no_access@acme.test', 'platform_admin@platform.test']) {
    tokens[email.split('@')[0]!] = await login(fixture.app, email);
  }
});

afterAll(async () => {
  await fixture?.close();
});

describe('site node permissions', () => {
  // Each row: role, then the expected status of list, create, update and delete.
  const matrix: [string, number, number, number, number][] = [
    ['viewer', 200, 403, 403, 403],
    ['operator', 200, 403, 403, 403],
    ['site_manager', 200, 201, 200, 204],
    ['org_admin', 200, 201, 200, 204],
    ['platform_admin', 200, 201, 200, 204],
    ['no_access', 404, 404, 404, 404],
  ];

  it.each(matrix)('%s: list %i, create %i, update %i, delete %i', async (role, listStatus, createStatus, updateStatus, deleteStatus) => {
    const token = tokens[role]!;
    const nodeId = await seedNode(siteId, 'building', `Hall of ${role}`);

    expect((await call(fixture.app, token, 'GET', `/api/sites/${siteId}/nodes`)).status).toBe(listStatus);
    expect((await call(fixture.app, token, 'POST', `/api/sites/${siteId}/nodes`, { kind: 'area', name: 'Floor 1', parentId: nodeId })).status).toBe(createStatus);
    expect((await call(fixture.app, token, 'PATCH', `/api/site-nodes/${nodeId}`, { name: 'Renamed' })).status).toBe(updateStatus);
    expect((await call(fixture.app, token, 'DELETE', `/api/site-nodes/${nodeId}`)).status).toBe(deleteStatus);
    expect(await nodeExists(nodeId)).toBe(deleteStatus !== 204);
  });

  it('forbidden change names role and action', async () => {
    const nodeId = await seedNode(siteId, 'building', 'Forbidden hall');
    const { status, body } = await call(fixture.app, tokens.operator!, 'PATCH', `/api/site-nodes/${nodeId}`, { name: 'X' });
    expect(status).toBe(403);
    expect(body.error.code).toBe('forbidden');
    expect(body.error.message).toContain('operator');
    expect(body.error.message).toContain('site.manage');
  });
});

describe('site node visibility', () => {
  it('other organization site is not found', async () => {
    const list = await call(fixture.app, tokens.org_admin!, 'GET', `/api/sites/${foreignSiteId}/nodes`);
    expect(list.status).toBe(404);
    const create = await call(fixture.app, tokens.org_admin!, 'POST', `/api/sites/${foreignSiteId}/nodes`, { kind: 'building', name: 'X' });
    expect(create.status).toBe(404);
  });

  it('other organization node is not found', async () => {
    const foreignNode = await seedNode(foreignSiteId, 'building', 'Foreign hall');
    const update = await call(fixture.app, tokens.org_admin!, 'PATCH', `/api/site-nodes/${foreignNode}`, { name: 'Taken' });
    expect(update.status).toBe(404);
    expect(update.body.error.message).toBe(`site node ${foreignNode} not found`);
    expect((await call(fixture.app, tokens.org_admin!, 'DELETE', `/api/site-nodes/${foreignNode}`)).status).toBe(404);
    expect(await nodeExists(foreignNode)).toBe(true);
  });

  it('node of site without access is not found', async () => {
    const hiddenNode = await seedNode(hiddenSiteId, 'building', 'Hidden hall');
    const update = await call(fixture.app, tokens.site_manager!, 'PATCH', `/api/site-nodes/${hiddenNode}`, { name: 'Seen' });
    expect(update.status).toBe(404);
    expect(update.body.error.message).not.toContain(hiddenSiteId);
    expect((await call(fixture.app, tokens.site_manager!, 'DELETE', `/api/site-nodes/${hiddenNode}`)).status).toBe(404);
    expect((await call(fixture.app, tokens.site_manager!, 'GET', `/api/sites/${hiddenSiteId}/nodes`)).status).toBe(404);
  });

  it('malformed node id is not found', async () => {
    const { status, body } = await call(fixture.app, tokens.org_admin!, 'PATCH', '/api/site-nodes/not-a-uuid', { name: 'X' });
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });

  it('platform admin changes another organization node', async () => {
    const foreignNode = await seedNode(foreignSiteId, 'building', 'Foreign depot');
    const { status, body } = await call(fixture.app, tokens.platform_admin!, 'PATCH', `/api/site-nodes/${foreignNode}`, { name: 'Depot 2' });
    expect(status).toBe(200);
    expect(body.name).toBe('Depot 2');
  });
});

describe('site node API', () => {
  it('create returns node and audits it', async () => {
    const { status, body } = await call(fixture.app, tokens.site_manager!, 'POST', `/api/sites/${siteId}/nodes`, { kind: 'building', name: '  Main hall ' });
    expect(status).toBe(201);
    expect(body.kind).toBe('building');
    expect(body.name).toBe('Main hall');
    expect(body.parentId).toBeNull();
    expect(body.siteId).toBe(siteId);
    expect(body.organizationId).toBe(organizationId);

    const entries = await auditEntries(body.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.action).toBe('site_node.create');
    expect(entries[0]!.organization_id).toBe(organizationId);
    expect(entries[0]!.site_id).toBe(siteId);
    expect(entries[0]!.target_type).toBe('site_node');
    expect(entries[0]!.after).toEqual({ kind: 'building', name: 'Main hall', parentId: null });
  });

  it('list puts parents before children', async () => {
    const listSite = await seed.site(organizationId, 'Plant L');
    const building = await seedNode(listSite, 'building', 'B');
    const area = await seedNode(listSite, 'area', 'A', building);
    const system = await seedNode(listSite, 'system', 'S', area);
    const topArea = await seedNode(listSite, 'area', 'Z top');

    const { status, body } = await call(fixture.app, tokens.org_admin!, 'GET', `/api/sites/${listSite}/nodes`);
    expect(status).toBe(200);
    expect(body.nodes.map((node: { id: string }) => node.id)).toEqual([building, topArea, area, system]);
    expect(body.nodes[2].parentId).toBe(building);
    expect(body.nodes[3].kind).toBe('system');
  });

  it('rename keeps parent and audits both states', async () => {
    const building = await seedNode(siteId, 'building', 'North');
    const area = await seedNode(siteId, 'area', 'Boiler room', building);
    const { status, body } = await call(fixture.app, tokens.site_manager!, 'PATCH', `/api/site-nodes/${area}`, { name: 'Plant room' });
    expect(status).toBe(200);
    expect(body.name).toBe('Plant room');
    expect(body.parentId).toBe(building);

    const entries = await auditEntries(area);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.action).toBe('site_node.update');
    expect(entries[0]!.site_id).toBe(siteId);
    expect(entries[0]!.organization_id).toBe(organizationId);
    expect(entries[0]!.before.name).toBe('Boiler room');
    expect(entries[0]!.after.name).toBe('Plant room');
  });

  it('move to top level with null parent', async () => {
    const building = await seedNode(siteId, 'building', 'South');
    const area = await seedNode(siteId, 'area', 'Yard', building);
    const { status, body } = await call(fixture.app, tokens.site_manager!, 'PATCH', `/api/site-nodes/${area}`, { parentId: null });
    expect(status).toBe(200);
    expect(body.parentId).toBeNull();
    const entries = await auditEntries(area);
    expect(entries[0]!.before.parentId).toBe(building);
    expect(entries[0]!.after.parentId).toBeNull();
  });

  it('rejects unknown fields and bad parent ids', async () => {
    const unknown = await call(fixture.app, tokens.site_manager!, 'POST', `/api/sites/${siteId}/nodes`, { kind: 'area', name: 'X', colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('colour');
    const badKind = await call(fixture.app, tokens.site_manager!, 'POST', `/api/sites/${siteId}/nodes`, { kind: 'floor', name: 'X' });
    expect(badKind.status).toBe(400);
    expect(badKind.body.error.parameter).toBe('kind');
    const badParent = await call(fixture.app, tokens.site_manager!, 'POST', `/api/sites/${siteId}/nodes`, { kind: 'area', name: 'X', parentId: 'nope' });
    expect(badParent.status).toBe(400);
    expect(badParent.body.error.parameter).toBe('parentId');
  });

  it('delete cascades and audits descendants', async () => {
    const building = await seedNode(siteId, 'building', 'East');
    const area = await seedNode(siteId, 'area', 'Roof', building);
    const system = await seedNode(siteId, 'system', 'PV', area);
    const { status } = await call(fixture.app, tokens.site_manager!, 'DELETE', `/api/site-nodes/${building}`);
    expect(status).toBe(204);
    expect(await nodeExists(area)).toBe(false);
    expect(await nodeExists(system)).toBe(false);

    const entries = await auditEntries(building);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.action).toBe('site_node.delete');
    expect(entries[0]!.organization_id).toBe(organizationId);
    expect(entries[0]!.site_id).toBe(siteId);
    expect(entries[0]!.before.name).toBe('East');
    expect(entries[0]!.before.descendants.map((node: { id: string }) => node.id)).toEqual([area, system]);
    expect(entries[0]!.after).toBeNull();
  });
});

describe('site node hierarchy rules', () => {
  // Each row: child kind, parent kind (null for the top level), whether the rule allows it.
  const nesting: [Kind, Kind | null, boolean][] = [
    ['building', null, true],
    ['building', 'building', false],
    ['building', 'area', false],
    ['building', 'system', false],
    ['area', null, true],
    ['area', 'building', true],
    ['area', 'area', true],
    ['area', 'system', false],
    ['system', null, true],
    ['system', 'building', true],
    ['system', 'area', true],
    ['system', 'system', true],
  ];

  it.each(nesting)('create %s under %s allowed: %s', async (kind, parentKind, allowed) => {
    const parentId = parentKind === null ? null : await seedNode(siteId, parentKind, `Parent ${parentKind}`);
    const { status, body } = await call(fixture.app, tokens.site_manager!, 'POST', `/api/sites/${siteId}/nodes`, { kind, name: 'Child', parentId });
    expect(status).toBe(allowed ? 201 : 400);
    if (!allowed) expect(body.error.code).toBe('invalid_nesting');
  });

  it('nesting error names the rule', async () => {
    const system = await seedNode(siteId, 'system', 'Heat pump');
    const { body } = await call(fixture.app, tokens.site_manager!, 'POST', `/api/sites/${siteId}/nodes`, { kind: 'area', name: 'X', parentId: system });
    expect(body.error.message).toContain('an area may not sit under a system');
    expect(body.error.message).toContain('a building sits at the top level');
    expect(body.error.parameter).toBe('parentId');
  });

  it('move of building under area is rejected', async () => {
    const building = await seedNode(siteId, 'building', 'West');
    const area = await seedNode(siteId, 'area', 'Car park');
    const { status, body } = await call(fixture.app, tokens.site_manager!, 'PATCH', `/api/site-nodes/${building}`, { parentId: area });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_nesting');
    expect(await auditEntries(building)).toHaveLength(0);
  });

  it('move under own descendant is a cycle', async () => {
    const top = await seedNode(siteId, 'area', 'Zone');
    const middle = await seedNode(siteId, 'area', 'Subzone', top);
    const leaf = await seedNode(siteId, 'area', 'Corner', middle);
    const { status, body } = await call(fixture.app, tokens.site_manager!, 'PATCH', `/api/site-nodes/${top}`, { parentId: leaf });
    expect(status).toBe(409);
    expect(body.error.code).toBe('hierarchy_cycle');
    expect(body.error.message).toContain('cycle');

    const list = await call(fixture.app, tokens.site_manager!, 'GET', `/api/sites/${siteId}/nodes`);
    expect(list.body.nodes.find((node: { id: string }) => node.id === top).parentId).toBeNull();
  });

  it('move under itself is a cycle', async () => {
    const area = await seedNode(siteId, 'area', 'Loop');
    const { status, body } = await call(fixture.app, tokens.site_manager!, 'PATCH', `/api/site-nodes/${area}`, { parentId: area });
    expect(status).toBe(409);
    expect(body.error.code).toBe('hierarchy_cycle');
  });

  it('parent in another visible site is named', async () => {
    const otherNode = await seedNode(hiddenSiteId, 'building', 'Other hall');
    const { status, body } = await call(fixture.app, tokens.org_admin!, 'POST', `/api/sites/${siteId}/nodes`, { kind: 'area', name: 'X', parentId: otherNode });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_parent');
    expect(body.error.message).toContain(`belongs to site ${hiddenSiteId}`);
  });

  it('parent in a site without access is not named', async () => {
    const otherNode = await seedNode(hiddenSiteId, 'building', 'Secret hall');
    const area = await seedNode(siteId, 'area', 'Lobby');
    const { status, body } = await call(fixture.app, tokens.site_manager!, 'PATCH', `/api/site-nodes/${area}`, { parentId: otherNode });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_parent');
    expect(body.error.message).toBe(`parent node ${otherNode} is not a node of site ${siteId}`);
  });

  it('parent in another organization is not named', async () => {
    const foreignNode = await seedNode(foreignSiteId, 'building', 'Foreign annex');
    const { status, body } = await call(fixture.app, tokens.org_admin!, 'POST', `/api/sites/${siteId}/nodes`, { kind: 'area', name: 'X', parentId: foreignNode });
    expect(status).toBe(400);
    expect(body.error.message).not.toContain(foreignSiteId);
  });

  it('delete with devices is a conflict', async () => {
    const building = await seedNode(siteId, 'building', 'Plant');
    const area = await seedNode(siteId, 'area', 'Basement', building);
    const system = await seedNode(siteId, 'system', 'Chiller', area);
    const first = await seedDevice(siteId, system, 'chiller-1');
    const second = await seedDevice(siteId, area, 'meter-1');

    const rejected = await call(fixture.app, tokens.site_manager!, 'DELETE', `/api/site-nodes/${building}`);
    expect(rejected.status).toBe(409);
    expect(rejected.body.error.code).toBe('node_has_devices');
    expect(rejected.body.error.message).toContain('2 devices are attached');
    expect(await nodeExists(system)).toBe(true);
    expect(await auditEntries(building)).toHaveLength(0);

    await deleteDevice(second);
    const single = await call(fixture.app, tokens.site_manager!, 'DELETE', `/api/site-nodes/${building}`);
    expect(single.body.error.message).toContain('1 device is attached');

    await deleteDevice(first);
    expect((await call(fixture.app, tokens.site_manager!, 'DELETE', `/api/site-nodes/${building}`)).status).toBe(204);
  });
});
