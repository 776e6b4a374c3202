import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { call, createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';
import { identifiers, mqttMeter, seedTenant, snapshotTenant, type Tenant } from './tenant';

/*
 * Callers of organization A try every route with the ids of organization B. Each response must be
 * 404, or 200 with nothing of B for list and search routes, never 403 and never B's data. A route that
 * rejects the caller whatever the ids (a viewer reading the audit log, say) returns 403 for B's ids as
 * it does for A's own, which reveals nothing about B.
 */

let fixture: CloudFixture;
let seed: Seed;
let a: Tenant;
let b: Tenant;
/** A site of A without any access grant. */
let hiddenSiteId: string;
/** A user who belongs to both organizations. */
let dualUserId: string;
let platformAdminToken: string;
let snapshotBefore: Awaited<ReturnType<typeof snapshotTenant>>;
let auditCountBefore: number;
let counter = 0;

const attackers = ['org_admin', 'site_manager', 'viewer'] as const;
type Attacker = (typeof attackers)[number];

const attackerLabels: Record<Attacker, string> = { org_admin: 'org admin of A', site_manager: 'site manager of A', viewer: 'viewer of A' };
const selves = {} as Record<Attacker, { id: string; email: string; token: string }>;

async function auditCount(): Promise<number> {
  const [row] = await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx<{ count: number }[]>`SELECT count(*)::int AS count FROM audit_log`);
  return row!.count;
}

beforeAll(async () => {
  fixture = await createCloudFixture('cross_tenant');
  seed = new Seed(fixture);
  a = await seedTenant(fixture, seed, 'Alpha Corp', 'alpha.test');
  b = await seedTenant(fixture, seed, 'Beta Corp', 'beta.test');
  hiddenSiteId = await seed.site(a.organizationId, 'Alpha Corp annex');

  selves.org_admin = { id: a.adminId, email: a.adminEmail, token: a.adminToken };
  for (const role of ['site_manager', 'viewer'] as const) {
    const email = `${role}@alpha.test`;
    const id = await seed.user(email);
    await seed.membership(id, a.organizationId);
    await seed.siteAccess(id, a.siteId, role);
    selves[role] = { id, email, token: await login(fixture.app, email) };
  }

  dualUserId = await seed.user('dual@both.test');
  await seed.membership(dualUserId, a.organizationId);
  await seed.membership(dualUserId, b.organizationId);

  await seed.user('root@platform.test', { platformAdmin: true });
  platformAdminToken = await login(fixture.app, 'root@platform.test');

  snapshotBefore = await snapshotTenant(fixture, b);
  auditCountBefore = await auditCount();
});

afterAll(async () => {
  await fixture?.close();
});

type Request = [method: string, path: string, body?: unknown];

interface Probe {
  /** What the caller tries, completing "<attacker> …". */
  attempt: string;
  /** Builds the request with the ids of `target`. `self` is the calling user. */
  request: (target: Tenant, self: { id: string; email: string }) => Request;
  /**
   * 'not found' by default. List and search routes return 200 without B's rows. A reference to B's
   * node in the body of a change at A's own site is an invalid request (400).
   */
  outcome?: 'listed without B' | 'invalid reference';
  /** Callers this route rejects with 403 whatever the ids. */
  forbiddenFor?: Attacker[];
}

const probes: Probe[] = [
  { attempt: "reads B's organization", request: (t) => ['GET', `/api/organizations/${t.organizationId}`] },
  { attempt: "renames B's organization", request: (t) => ['PATCH', `/api/organizations/${t.organizationId}`, { name: 'Taken over' }] },
  { attempt: "deletes B's organization", request: (t) => ['DELETE', `/api/organizations/${t.organizationId}`] },
  { attempt: 'lists organizations', request: () => ['GET', '/api/organizations'], outcome: 'listed without B' },

  { attempt: "lists B's members", request: (t) => ['GET', `/api/organizations/${t.organizationId}/members`] },
  { attempt: 'joins B as org admin', request: (t, self) => ['POST', `/api/organizations/${t.organizationId}/members`, { email: self.email, role: 'org_admin' }] },
  { attempt: "promotes B's member", request: (t) => ['PATCH', `/api/organizations/${t.organizationId}/members/${t.memberId}`, { role: 'org_admin' }] },
  { attempt: "removes B's member", request: (t) => ['DELETE', `/api/organizations/${t.organizationId}/members/${t.memberId}`] },

  { attempt: "reads B's member", request: (t) => ['GET', `/api/users/${t.memberId}`] },
  { attempt: "reads B's admin", request: (t) => ['GET', `/api/users/${t.adminId}`] },
  { attempt: "renames B's member", request: (t) => ['PATCH', `/api/users/${t.memberId}`, { name: 'Taken over' }] },
  { attempt: "disables B's admin", request: (t) => ['PATCH', `/api/users/${t.adminId}`, { status: 'disabled' }] },
  { attempt: "resets the password of B's member", request: (t) => ['POST', `/api/users/${t.memberId}/reset-password`] },
  { attempt: "deletes B's member", request: (t) => ['DELETE', `/api/users/${t.memberId}`] },
  { attempt: 'invites a user into B', request: (t) => ['POST', '/api/users', { email: `intruder${++counter}@alpha.test`, name: 'Intruder', organizationId: t.organizationId }] },
  { attempt: "lists B's users", request: (t) => ['GET', `/api/users?organizationId=${t.organizationId}`], forbiddenFor: ['site_manager', 'viewer'] },
  {
    attempt: "searches users by the email of B's member",
    request: (t) => ['GET', `/api/users?q=${encodeURIComponent(t.memberEmail)}`],
    outcome: 'listed without B',
    forbiddenFor: ['site_manager', 'viewer'],
  },

  { attempt: "reads B's site", request: (t) => ['GET', `/api/sites/${t.siteId}`] },
  { attempt: "changes B's site", request: (t) => ['PATCH', `/api/sites/${t.siteId}`, { name: 'Taken over', operatorControl: true }] },
  { attempt: "deletes B's site", request: (t) => ['DELETE', `/api/sites/${t.siteId}`] },
  { attempt: "reads its permissions at B's site", request: (t) => ['GET', `/api/sites/${t.siteId}/permissions`] },
  { attempt: "lists B's sites", request: (t) => ['GET', `/api/sites?organizationId=${t.organizationId}`] },
  { attempt: 'lists sites', request: () => ['GET', '/api/sites'], outcome: 'listed without B' },
  { attempt: 'creates a site in B', request: (t) => ['POST', `/api/organizations/${t.organizationId}/sites`, { name: 'Intruder plant', timeZone: 'UTC' }] },

  { attempt: "lists the nodes of B's site", request: (t) => ['GET', `/api/sites/${t.siteId}/nodes`] },
  { attempt: "adds a building to B's site", request: (t) => ['POST', `/api/sites/${t.siteId}/nodes`, { kind: 'building', name: 'Intruder hall' }] },
  { attempt: "renames B's building", request: (t) => ['PATCH', `/api/site-nodes/${t.nodeId}`, { name: 'Taken over' }] },
  { attempt: "deletes B's building", request: (t) => ['DELETE', `/api/site-nodes/${t.nodeId}`] },
  {
    attempt: "adds an area under B's building at A's site",
    request: (t) => ['POST', `/api/sites/${a.siteId}/nodes`, { kind: 'area', name: 'Intruder area', parentId: t.nodeId }],
    outcome: 'invalid reference',
    forbiddenFor: ['viewer'],
  },
  {
    attempt: "moves A's building under B's building",
    request: (t) => ['PATCH', `/api/site-nodes/${a.nodeId}`, { parentId: t.nodeId }],
    outcome: 'invalid reference',
    forbiddenFor: ['viewer'],
  },

  { attempt: "lists the access grants of B's site", request: (t) => ['GET', `/api/sites/${t.siteId}/access`] },
  { attempt: "grants itself site manager at B's site", request: (t, self) => ['PUT', `/api/sites/${t.siteId}/access/${self.id}`, { role: 'site_manager' }] },
  { attempt: "changes the grant of B's member", request: (t) => ['PUT', `/api/sites/${t.siteId}/access/${t.memberId}`, { role: 'viewer' }] },
  { attempt: "revokes the grant of B's member", request: (t) => ['DELETE', `/api/sites/${t.siteId}/access/${t.memberId}`] },
  {
    attempt: "grants B's member access at A's site",
    request: (t) => ['PUT', `/api/sites/${a.siteId}/access/${t.memberId}`, { role: 'viewer' }],
    forbiddenFor: ['viewer'],
  },

  { attempt: "lists the devices of B's site", request: (t) => ['GET', `/api/sites/${t.siteId}/devices`] },
  { attempt: "adds a device to B's site", request: (t) => ['POST', `/api/sites/${t.siteId}/devices`, { device: mqttMeter(`intruder-${++counter}`) }] },
  { attempt: "reads B's device", request: (t) => ['GET', `/api/devices/${t.deviceId}`] },
  { attempt: "replaces B's device", request: (t) => ['PUT', `/api/devices/${t.deviceId}`, { device: { ...mqttMeter('main-meter'), name: 'Taken over' } }] },
  { attempt: "deletes B's device", request: (t) => ['DELETE', `/api/devices/${t.deviceId}`] },
  {
    attempt: "adds a device under B's building at A's site",
    request: (t) => ['POST', `/api/sites/${a.siteId}/devices`, { nodeId: t.nodeId, device: mqttMeter(`intruder-${++counter}`) }],
    outcome: 'invalid reference',
    forbiddenFor: ['viewer'],
  },

  { attempt: "lists the points of B's device", request: (t) => ['GET', `/api/devices/${t.deviceId}/points`] },
  { attempt: "replaces a point of B's device", request: (t) => ['PUT', `/api/devices/${t.deviceId}/points/power`, { topic: 'intruder/power' }] },
  { attempt: "deletes a point of B's device", request: (t) => ['DELETE', `/api/devices/${t.deviceId}/points/power`] },

  { attempt: "lists the edge nodes of B's site", request: (t) => ['GET', `/api/sites/${t.siteId}/edge-nodes`] },
  { attempt: "registers an edge node at B's site", request: (t) => ['POST', `/api/sites/${t.siteId}/edge-nodes`, { name: 'Intruder gateway' }] },
  { attempt: "reads B's edge node", request: (t) => ['GET', `/api/edge-nodes/${t.edgeNodeId}`] },
  { attempt: "renames B's edge node", request: (t) => ['PATCH', `/api/edge-nodes/${t.edgeNodeId}`, { name: 'Taken over' }] },
  { attempt: "issues a pairing code for B's edge node", request: (t) => ['POST', `/api/edge-nodes/${t.edgeNodeId}/pairing-code`] },
  { attempt: "revokes B's edge node", request: (t) => ['POST', `/api/edge-nodes/${t.edgeNodeId}/revoke`] },
  { attempt: "deletes B's edge node", request: (t) => ['DELETE', `/api/edge-nodes/${t.edgeNodeId}`] },

  { attempt: "searches the audit log for B's organization", request: (t) => ['GET', `/api/audit?organizationId=${t.organizationId}`], outcome: 'listed without B', forbiddenFor: ['viewer'] },
  { attempt: "searches the audit log for B's site", request: (t) => ['GET', `/api/audit?siteId=${t.siteId}`], outcome: 'listed without B', forbiddenFor: ['viewer'] },
  { attempt: "searches the audit log for B's device", request: (t) => ['GET', `/api/audit?targetId=${t.deviceId}`], outcome: 'listed without B', forbiddenFor: ['viewer'] },
  { attempt: "searches the audit log for B's admin as actor", request: (t) => ['GET', `/api/audit?actorId=${t.adminId}`], outcome: 'listed without B', forbiddenFor: ['viewer'] },
  { attempt: 'searches the whole audit log', request: () => ['GET', '/api/audit'], outcome: 'listed without B', forbiddenFor: ['viewer'] },
  {
    attempt: "exports the audit log of B's organization",
    request: (t) => ['GET', `/api/audit/export.csv?organizationId=${t.organizationId}`],
    outcome: 'listed without B',
    forbiddenFor: ['viewer'],
  },
  { attempt: "exports the audit log of B's site", request: (t) => ['GET', `/api/audit/export.csv?siteId=${t.siteId}`], outcome: 'listed without B', forbiddenFor: ['viewer'] },

  { attempt: 'validates its own token', request: () => ['GET', '/api/validate-token'], outcome: 'listed without B' },
];

/** Converts a response body to text, for JSON and CSV alike. */
function bodyText(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** Returns B's identifiers that the response contains although the request did not send them. */
function leakedIdentifiers(request: Request, body: unknown): string[] {
  const sent = `${request[1]} ${JSON.stringify(request[2] ?? null)}`;
  const text = bodyText(body);
  return identifiers(b).filter((identifier) => !sent.includes(identifier) && text.includes(identifier));
}

describe.each(attackers)('%s tries B by id', (attacker) => {
  for (const probe of probes) {
    const forbidden = probe.forbiddenFor?.includes(attacker) ?? false;
    const expectation = forbidden ? 'forbidden for any organization' : (probe.outcome ?? 'not found');

    it(`${attackerLabels[attacker]} ${probe.attempt}: ${expectation}`, async () => {
      const self = selves[attacker];
      const request = probe.request(b, self);

      const response = await call(fixture.app, self.token, ...request);

      expect(leakedIdentifiers(request, response.body)).toEqual([]);
      if (forbidden) {
        expect(response.status).toBe(403);
        const own = await call(fixture.app, self.token, ...probe.request(a, self));
        expect(own.status).toBe(403);
      } else if (probe.outcome === 'listed without B') {
        expect(response.status).toBe(200);
        // The same request with A's ids lists A's data, so the empty result for B does not come from an empty route.
        const own = await call(fixture.app, self.token, ...probe.request(a, self));
        expect(own.status).toBe(200);
        expect(identifiers(a).some((identifier) => bodyText(own.body).includes(identifier))).toBe(true);
      } else if (probe.outcome === 'invalid reference') {
        expect(response.status).toBe(400);
      } else {
        expect(response.status).toBe(404);
        expect(response.body.error.code).toBe('not_found');
      }
    });
  }
});

describe('after the attempts', () => {
  it("B's rows are unchanged", async () => {
    const after = await snapshotTenant(fixture, b);
    for (const table of Object.keys(snapshotBefore) as (keyof typeof snapshotBefore)[]) {
      expect(after[table], table).toEqual(snapshotBefore[table]);
    }
  });

  it('no audit entry was written', async () => {
    expect(await auditCount()).toBe(auditCountBefore);
  });
});

describe('shared user', () => {
  it("shows A's admin only A's membership", async () => {
    const { status, body } = await call(fixture.app, a.adminToken, 'GET', `/api/users/${dualUserId}`);

    expect(status).toBe(200);
    expect(body.memberships.map((membership: { organizationId: string }) => membership.organizationId)).toEqual([a.organizationId]);
    expect(leakedIdentifiers(['GET', ''], body)).toEqual([]);
  });

  it("search shows A's admin only A's membership", async () => {
    const { status, body } = await call(fixture.app, a.adminToken, 'GET', '/api/users?q=dual%40both.test');

    expect(status).toBe(200);
    expect(body.users).toHaveLength(1);
    expect(body.users[0].memberships.map((membership: { organizationId: string }) => membership.organizationId)).toEqual([a.organizationId]);
    expect(leakedIdentifiers(['GET', ''], body)).toEqual([]);
  });
});

describe('site of A without access', () => {
  const requests: ((siteId: string) => Request)[] = [
    (siteId) => ['GET', `/api/sites/${siteId}`],
    (siteId) => ['PATCH', `/api/sites/${siteId}`, { name: 'Renamed' }],
    (siteId) => ['GET', `/api/sites/${siteId}/permissions`],
    (siteId) => ['GET', `/api/sites/${siteId}/nodes`],
    (siteId) => ['GET', `/api/sites/${siteId}/devices`],
    (siteId) => ['GET', `/api/sites/${siteId}/access`],
    (siteId) => ['GET', `/api/sites/${siteId}/edge-nodes`],
  ];

  for (const member of ['site_manager', 'viewer', 'member'] as const) {
    it(`is not found for the ${member.replace('_', ' ')} of another site`, async () => {
      const token = member === 'member' ? await login(fixture.app, a.memberEmail) : selves[member].token;
      for (const request of requests) {
        const [method, path, body] = request(hiddenSiteId);
        const response = await call(fixture.app, token, method, path, body);
        expect(response.status, `${method} ${path}`).toBe(404);
      }
    });
  }

  it("is open to A's org admin", async () => {
    const { status, body } = await call(fixture.app, a.adminToken, 'GET', `/api/sites/${hiddenSiteId}`);
    expect(status).toBe(200);
    expect(body.role).toBe('org_admin');
  });
});

describe("platform admin reaches B's resources", () => {
  const reads: { resource: string; request: () => Request; contains: () => string }[] = [
    { resource: 'organization', request: () => ['GET', `/api/organizations/${b.organizationId}`], contains: () => b.organizationName },
    { resource: 'members', request: () => ['GET', `/api/organizations/${b.organizationId}/members`], contains: () => b.memberEmail },
    { resource: 'member', request: () => ['GET', `/api/users/${b.memberId}`], contains: () => b.organizationId },
    { resource: 'site', request: () => ['GET', `/api/sites/${b.siteId}`], contains: () => b.siteName },
    { resource: 'site nodes', request: () => ['GET', `/api/sites/${b.siteId}/nodes`], contains: () => b.nodeId },
    { resource: 'access grants', request: () => ['GET', `/api/sites/${b.siteId}/access`], contains: () => b.memberId },
    { resource: 'devices', request: () => ['GET', `/api/sites/${b.siteId}/devices`], contains: () => b.deviceId },
    { resource: 'device', request: () => ['GET', `/api/devices/${b.deviceId}`], contains: () => 'meter/energy' },
    { resource: 'points', request: () => ['GET', `/api/devices/${b.deviceId}/points`], contains: () => 'meter/power' },
    { resource: 'edge nodes', request: () => ['GET', `/api/sites/${b.siteId}/edge-nodes`], contains: () => b.edgeNodeId },
    { resource: 'edge node', request: () => ['GET', `/api/edge-nodes/${b.edgeNodeId}`], contains: () => b.siteId },
    { resource: 'audit entries', request: () => ['GET', `/api/audit?organizationId=${b.organizationId}`], contains: () => b.deviceId },
    { resource: 'audit export', request: () => ['GET', `/api/audit/export.csv?siteId=${b.siteId}`], contains: () => b.edgeNodeId },
  ];

  for (const read of reads) {
    it(`reads B's ${read.resource}`, async () => {
      const response = await call(fixture.app, platformAdminToken, ...read.request());

      expect(response.status).toBe(200);
      expect(bodyText(response.body)).toContain(read.contains());
    });
  }
});
