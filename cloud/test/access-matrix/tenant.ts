import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { call, login, Seed, type CloudFixture } from '../support/cloud-fixture';

/** One organization with one of every resource, created through the API so each change is audited. */
export interface Tenant {
  organizationId: string;
  organizationName: string;
  siteId: string;
  siteName: string;
  /** A building of the site, which the device is attached to. */
  nodeId: string;
  /** A device with the points `power` and `energy`. */
  deviceId: string;
  edgeNodeId: string;
  adminId: string;
  adminEmail: string;
  adminToken: string;
  /** A plain member with an operator grant at the site. */
  memberId: string;
  memberEmail: string;
}

/** Builds an MQTT device body with two points, as a client sends it. */
export function mqttMeter(key: string) {
  return {
    key,
    name: 'Main meter',
    driver: 'mqtt',
    points: [
      { key: 'power', topic: 'meter/power', unit: 'W' },
      { key: 'energy', topic: 'meter/energy', unit: 'Wh', kind: 'counter' },
    ],
  };
}

/** Sends a request that must succeed and returns its body. A failure names the request and the response. */
async function expectCreated(fixture: CloudFixture, token: string, method: string, path: string, body: unknown): Promise<any> {
  const response = await call(fixture.app, token, method, path, body);
  if (response.status !== 200 && response.status !== 201) {
    throw new Error(`seeding failed: ${method} ${path} returned ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

/**
 * Creates an organization with its org admin directly, then its site, building, member, site access
 * grant, device and edge node through the API as that admin. `domain` names the users' email domain.
 */
export async function seedTenant(fixture: CloudFixture, seed: Seed, name: string, domain: string): Promise<Tenant> {
  const organizationId = await seed.organization(name);
  const adminEmail = `admin@${domain}`;
  const adminId = await seed.user(adminEmail);
  await seed.membership(adminId, organizationId, 'org_admin');
  const adminToken = await login(fixture.app, adminEmail);

  const siteName = `${name} plant`;
  const site = await expectCreated(fixture, adminToken, 'POST', `/api/organizations/${organizationId}/sites`, { name: siteName, timeZone: 'Europe/Berlin' });
  const node = await expectCreated(fixture, adminToken, 'POST', `/api/sites/${site.id}/nodes`, { kind: 'building', name: `${name} hall` });

  const memberEmail = `member@${domain}`;
  const memberId = await seed.user(memberEmail);
  await expectCreated(fixture, adminToken, 'POST', `/api/organizations/${organizationId}/members`, { email: memberEmail, role: 'member' });
  await expectCreated(fixture, adminToken, 'PUT', `/api/sites/${site.id}/access/${memberId}`, { role: 'operator' });

  const device = await expectCreated(fixture, adminToken, 'POST', `/api/sites/${site.id}/devices`, { nodeId: node.id, device: mqttMeter('main-meter') });
  const edgeNode = await expectCreated(fixture, adminToken, 'POST', `/api/sites/${site.id}/edge-nodes`, { name: `${name} gateway` });

  return {
    organizationId,
    organizationName: name,
    siteId: site.id,
    siteName,
    nodeId: node.id,
    deviceId: device.id,
    edgeNodeId: edgeNode.edgeNode.id,
    adminId,
    adminEmail,
    adminToken,
    memberId,
    memberEmail,
  };
}

/** Lists the strings that identify a tenant's data, none of which a response to another organization's caller may contain. */
export function identifiers(tenant: Tenant): string[] {
  return [
    tenant.organizationId,
    tenant.organizationName,
    tenant.siteId,
    tenant.siteName,
    tenant.nodeId,
    tenant.deviceId,
    tenant.edgeNodeId,
    tenant.adminId,
    tenant.adminEmail,
    tenant.memberId,
    tenant.memberEmail,
  ];
}

/**
 * Reads every row of the tenant as the owner role in the all-organizations scope, including its users'
 * sessions and password links and the audit entries of the organization or its site.
 */
export function snapshotTenant(fixture: CloudFixture, tenant: Tenant) {
  const userIds = [tenant.adminId, tenant.memberId];
  return inTenantScope(fixture.db.owner, allOrganizations, async (tx) => ({
    organizations: [...(await tx`SELECT * FROM organizations WHERE id = ${tenant.organizationId}`)],
    memberships: [...(await tx`SELECT * FROM memberships WHERE organization_id = ${tenant.organizationId} ORDER BY user_id`)],
    users: [...(await tx`SELECT * FROM users WHERE id = ANY(${tx.array(userIds, 2950)}) ORDER BY id`)],
    refreshTokens: [...(await tx`SELECT * FROM refresh_tokens WHERE user_id = ANY(${tx.array(userIds, 2950)}) ORDER BY id`)],
    passwordTokens: [...(await tx`SELECT * FROM password_tokens WHERE user_id = ANY(${tx.array(userIds, 2950)}) ORDER BY id`)],
    sites: [...(await tx`SELECT * FROM sites WHERE organization_id = ${tenant.organizationId} ORDER BY id`)],
    siteNodes: [...(await tx`SELECT * FROM site_nodes WHERE organization_id = ${tenant.organizationId} ORDER BY id`)],
    siteAccess: [...(await tx`SELECT * FROM site_access WHERE organization_id = ${tenant.organizationId} ORDER BY user_id, site_id`)],
    devices: [...(await tx`SELECT * FROM devices WHERE organization_id = ${tenant.organizationId} ORDER BY id`)],
    points: [...(await tx`SELECT * FROM points WHERE organization_id = ${tenant.organizationId} ORDER BY id`)],
    edgeNodes: [...(await tx`SELECT * FROM edge_nodes WHERE organization_id = ${tenant.organizationId} ORDER BY id`)],
    auditLog: [...(await tx`
      SELECT * FROM audit_log WHERE organization_id = ${tenant.organizationId} OR site_id = ${tenant.siteId} ORDER BY id`)],
  }));
}
