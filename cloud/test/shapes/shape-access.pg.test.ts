import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_REVOKED_CODE } from '@simtestlab/sync';
import { createSigningKey, loadKeySet } from '../../src/auth/signing-keys';
import { syncJwksKeys } from '../../src/shapes/jwks-sync';
import { KEY_RETAIN_MS } from '../../src/service';
import { Seed } from '../support/cloud-fixture';
import { asOwner, asRuntime, createShapeHarness, pairTestEdge, syncShape, type ShapeClient, type ShapeHarness, type TestEdge } from './shape-harness';

let harness: ShapeHarness;
let seed: Seed;
let organizationId: string;
let siteId: string;
let edge: TestEdge;
const clients: ShapeClient[] = [];

function track(client: ShapeClient): ShapeClient {
  clients.push(client);
  return client;
}

beforeAll(async () => {
  harness = await createShapeHarness('shape_access', { shapeLiveHoldMs: 800 });
  seed = new Seed(harness.fixture);
  organizationId = await seed.organization('Utility');
  siteId = await seed.site(organizationId, 'Plant');
  edge = await pairTestEdge(harness.fixture, siteId);
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

afterAll(async () => {
  await harness?.close();
});

describe('site_users shape', () => {
  it('lists org admins with their role', async () => {
    const adminId = await seed.user('admin@utility.test');
    await seed.membership(adminId, organizationId, 'org_admin');
    const client = track(syncShape(harness, edge, 'site_users'));
    await client.waitFor(() => client.rows.has(adminId));
    const row = client.rows.get(adminId)!;
    expect(row.role).toBe('org_admin');
    expect(row.status).toBe('active');
    expect(row.developer).toBe(false);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('follows granted and revoked site access', async () => {
    const userId = await seed.user('operator@utility.test');
    await seed.membership(userId, organizationId);
    const client = track(syncShape(harness, edge, 'site_users'));
    await client.waitFor(() => client.upToDates > 0);
    expect(client.rows.has(userId)).toBe(false);

    await asRuntime(harness.fixture, organizationId, (tx) => tx`
      INSERT INTO site_access (user_id, site_id, organization_id, role) VALUES (${userId}, ${siteId}, ${organizationId}, 'operator')`);
    await client.waitFor(() => client.rows.get(userId)?.role === 'operator');

    await asRuntime(harness.fixture, organizationId, (tx) => tx`
      DELETE FROM site_access WHERE user_id = ${userId} AND site_id = ${siteId} AND organization_id = ${organizationId}`);
    await client.waitFor(() => !client.rows.has(userId));
    expect((client.changes.at(-1) as { headers: { operation: string } }).headers.operation).toBe('delete');
  });

  it('marks a disabled user', async () => {
    const userId = await seed.user('viewer@utility.test');
    await seed.membership(userId, organizationId);
    await seed.siteAccess(userId, siteId, 'viewer');
    const client = track(syncShape(harness, edge, 'site_users'));
    await client.waitFor(() => client.rows.get(userId)?.status === 'active');

    await asRuntime(harness.fixture, organizationId, (tx) => tx`UPDATE users SET status = 'disabled' WHERE id = ${userId}`);
    await client.waitFor(() => client.rows.get(userId)?.status === 'disabled');
    expect(client.rows.get(userId)!.role).toBe('viewer');
  });

  it('logs a change made in the scope of another organization', async () => {
    const homeOrganization = await seed.organization('Home');
    const userId = await seed.user('contractor@home.test');
    await seed.membership(userId, homeOrganization, 'org_admin');
    await seed.membership(userId, organizationId);
    await seed.siteAccess(userId, siteId, 'operator');
    const client = track(syncShape(harness, edge, 'site_users'));
    await client.waitFor(() => client.rows.get(userId)?.status === 'active');

    // The writer's scope contains only the home organization, yet the row at this organization's site changes.
    await asRuntime(harness.fixture, homeOrganization, (tx) => tx`UPDATE users SET status = 'disabled' WHERE id = ${userId}`);
    await client.waitFor(() => client.rows.get(userId)?.status === 'disabled');
    expect(client.rows.get(userId)!.role).toBe('operator');
  });

  it('drops a user whose membership ends', async () => {
    const userId = await seed.user('leaver@utility.test');
    await seed.membership(userId, organizationId);
    await seed.siteAccess(userId, siteId, 'site_manager');
    const client = track(syncShape(harness, edge, 'site_users'));
    await client.waitFor(() => client.rows.get(userId)?.role === 'site_manager');

    await asRuntime(harness.fixture, organizationId, (tx) => tx`DELETE FROM memberships WHERE user_id = ${userId} AND organization_id = ${organizationId}`);
    await client.waitFor(() => !client.rows.has(userId));
    expect(client.rows.has(userId)).toBe(false);
  });
});

describe('shape access', () => {
  it('keeps another organization out', async () => {
    const otherOrganization = await seed.organization('Rival');
    const otherSite = await seed.site(otherOrganization, 'Rival plant');
    const otherEdge = await pairTestEdge(harness.fixture, otherSite);
    const rivalAdmin = await seed.user('admin@rival.test');
    await seed.membership(rivalAdmin, otherOrganization, 'org_admin');

    const client = track(syncShape(harness, otherEdge, 'site_users'));
    await client.waitFor(() => client.rows.has(rivalAdmin));
    const site = track(syncShape(harness, otherEdge, 'site'));
    await site.waitFor(() => site.upToDates > 0);
    expect([...client.rows.values()].every((row) => row.site_id === otherSite)).toBe(true);
    expect([...site.rows.keys()]).toEqual([otherSite]);
  });

  it('rejects a revoked edge with 401', async () => {
    const revoked = await pairTestEdge(harness.fixture, siteId);
    await asOwner(harness.fixture, (tx) => tx`UPDATE edge_nodes SET revoked_at = now() WHERE id = ${revoked.id}`);
    const response = await fetch(`${harness.baseUrl}/api/edge/shapes/devices?offset=-1`, { headers: { Authorization: `Bearer ${await revoked.assertion()}` } });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(EDGE_REVOKED_CODE);
  });

  it('rejects a request without an assertion', async () => {
    const response = await fetch(`${harness.baseUrl}/api/edge/shapes/devices?offset=-1`);
    expect(response.status).toBe(401);
  });

  it('rejects an unknown shape', async () => {
    const response = await fetch(`${harness.baseUrl}/api/edge/shapes/edge_nodes?offset=-1`, { headers: { Authorization: `Bearer ${await edge.assertion()}` } });
    expect(response.status).toBe(400);
  });

  it('rejects an offset without a handle', async () => {
    const response = await fetch(`${harness.baseUrl}/api/edge/shapes/devices?offset=5_1`, { headers: { Authorization: `Bearer ${await edge.assertion()}` } });
    expect(response.status).toBe(400);
  });

  it('answers a stale handle with must-refetch', async () => {
    const response = await fetch(`${harness.baseUrl}/api/edge/shapes/devices?offset=5_1&handle=devices-${siteId}-0`, { headers: { Authorization: `Bearer ${await edge.assertion()}` } });
    expect(response.status).toBe(409);
    expect(response.headers.get('electric-handle')).toBe(`devices-${siteId}-1`);
    expect(await response.json()).toEqual([{ headers: { control: 'must-refetch' } }]);
  });
});

describe('alarm_rules shape', () => {
  it('syncs rules of the site', async () => {
    const client = track(syncShape(harness, edge, 'alarm_rules'));
    await client.waitFor(() => client.upToDates > 0);
    const [rule] = await asRuntime(harness.fixture, organizationId, (tx) => tx<{ id: string }[]>`
      INSERT INTO alarm_rules (organization_id, site_id, name, severity, condition)
      VALUES (${organizationId}, ${siteId}, 'Overtemperature', 'critical', ${tx.json({ above: 80 })}) RETURNING id`);
    await client.waitFor(() => client.rows.has(rule!.id));
    const row = client.rows.get(rule!.id)!;
    expect(row.severity).toBe('critical');
    expect(row.enabled).toBe(true);
    expect(row.condition).toEqual({ above: 80 });
    expect(row.point_id).toBeNull();
  });

  it('hides rules of other organizations from the runtime role', async () => {
    const otherOrganization = await seed.organization('Hidden');
    const otherSite = await seed.site(otherOrganization, 'Hidden plant');
    await asOwner(harness.fixture, (tx) => tx`
      INSERT INTO alarm_rules (organization_id, site_id, name, severity, condition)
      VALUES (${otherOrganization}, ${otherSite}, 'Secret', 'info', '{}'::jsonb)`);
    const visible = await asRuntime(harness.fixture, organizationId, (tx) => tx`SELECT id FROM alarm_rules WHERE site_id = ${otherSite}`);
    expect(visible).toHaveLength(0);
  });

  it('hides changes of other organizations from the runtime role', async () => {
    const visible = await asRuntime(harness.fixture, organizationId, (tx) => tx`
      SELECT id FROM change_log WHERE organization_id IS DISTINCT FROM ${organizationId} AND organization_id IS NOT NULL`);
    expect(visible).toHaveLength(0);
  });
});

describe('jwks shape', () => {
  it('follows the loaded key set', async () => {
    await syncJwksKeys(harness.fixture.sql, await loadKeySet(harness.fixture.keysDir, KEY_RETAIN_MS));
    const client = track(syncShape(harness, edge, 'jwks'));
    const firstKid = (await loadKeySet(harness.fixture.keysDir, KEY_RETAIN_MS)).current.kid;
    await client.waitFor(() => client.rows.has(firstKid));
    expect(client.rows.get(firstKid)!.jwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: firstKid });

    const secondKid = await createSigningKey(harness.fixture.keysDir);
    await syncJwksKeys(harness.fixture.sql, await loadKeySet(harness.fixture.keysDir, KEY_RETAIN_MS));
    await client.waitFor(() => client.rows.has(secondKid));
    expect(client.rows.size).toBe(2);
  });
});
