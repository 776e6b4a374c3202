import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { call, createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';
import { auditCount, auditEntries } from '../support/audit-entries';

let fixture: CloudFixture;
let seed: Seed;
let acmeId: string;
let otherId: string;
let siteId: string;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};

beforeAll(async () => {
  fixture = await createCloudFixture('memberships');
  seed = new Seed(fixture);
  acmeId = await seed.organization('Acme');
  otherId = await seed.organization('Other');
  siteId = await seed.site(acmeId, 'Plant');

  const members: [string, string, 'org_admin' | 'member'][] = [
    ['admin@acme.test', acmeId, 'org_admin'],
    ['member@acme.test', acmeId, 'member'],
    ['manager@acme.test', acmeId, 'member'],
    ['viewer@acme.test', acmeId, 'member'],
    ['admin@other.test', otherId, 'org_admin'],
  ];
  for (const [email, organizationId, role] of members) {
    ids[email] = await seed.user(email);
    await seed.membership(ids[email]!, organizationId, role);
  }
  await seed.siteAccess(ids['manager@acme.test']!, siteId, 'site_manager');
  await seed.siteAccess(ids['viewer@acme.test']!, siteId, 'viewer');
  ids['free@example.test'] = await seed.user('free@example.test');
  ids['root@platform.test'] = await seed.user('root@platform.test', { platformAdmin: true });

  for (const email of Object.keys(ids)) tokens[email] = await login(fixture.app, email);
});

afterAll(async () => {
  await fixture?.close();
});

function as(email: string, method: string, path: string, body?: unknown) {
  return call(fixture.app, tokens[email]!, method, path, body);
}

const membersOf = (organizationId: string) => `/api/organizations/${organizationId}/members`;

describe('GET members', () => {
  it('lists every member for an org admin', async () => {
    const { status, body } = await as('admin@acme.test', 'GET', membersOf(acmeId));
    expect(status).toBe(200);
    const emails = body.members.map((member: { email: string }) => member.email).sort();
    expect(emails).toEqual(['admin@acme.test', 'manager@acme.test', 'member@acme.test', 'viewer@acme.test']);
    const admin = body.members.find((member: { email: string }) => member.email === 'admin@acme.test');
    expect(admin.role).toBe('org_admin');
    expect(admin.userId).toBe(ids['admin@acme.test']);
    expect(admin.status).toBe('active');
  });

  it('lists members for a site manager of one of its sites', async () => {
    const { status, body } = await as('manager@acme.test', 'GET', membersOf(acmeId));
    expect(status).toBe(200);
    expect(body.members).toHaveLength(4);
  });

  it('answers 403 to a viewer and a plain member', async () => {
    expect((await as('viewer@acme.test', 'GET', membersOf(acmeId))).status).toBe(403);
    expect((await as('member@acme.test', 'GET', membersOf(acmeId))).status).toBe(403);
  });

  it("answers 404 to another organization's admin", async () => {
    expect((await as('admin@other.test', 'GET', membersOf(acmeId))).status).toBe(404);
  });

  it('lists members of any organization for a platform admin', async () => {
    const { status, body } = await as('root@platform.test', 'GET', membersOf(otherId));
    expect(status).toBe(200);
    expect(body.members.map((member: { email: string }) => member.email)).toEqual(['admin@other.test']);
  });
});

describe('POST members', () => {
  it('adds an existing user by email, audits it and updates their permissions', async () => {
    expect((await as('free@example.test', 'GET', `/api/organizations/${acmeId}`)).status).toBe(404);

    const { status, body } = await as('admin@acme.test', 'POST', membersOf(acmeId), { email: 'FREE@example.test', role: 'member' });
    expect(status).toBe(201);
    expect(body.userId).toBe(ids['free@example.test']);
    expect(body.role).toBe('member');

    const entries = await auditEntries(fixture, 'membership.create', ids['free@example.test']!);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.organization_id).toBe(acmeId);
    expect(entries[0]!.actor_id).toBe(ids['admin@acme.test']);
    expect(entries[0]!.after).toEqual({ userId: ids['free@example.test'], email: 'free@example.test', role: 'member' });

    // The token was issued before the membership existed.
    expect((await as('free@example.test', 'GET', `/api/organizations/${acmeId}`)).status).toBe(200);
  });

  it('answers 409 for a user who is already a member', async () => {
    const { status, body } = await as('admin@acme.test', 'POST', membersOf(acmeId), { email: 'member@acme.test', role: 'org_admin' });
    expect(status).toBe(409);
    expect(body.error.code).toBe('already_member');
  });

  it('answers 404 for an unknown email and points to the invite route', async () => {
    const { status, body } = await as('admin@acme.test', 'POST', membersOf(acmeId), { email: 'nobody@example.test', role: 'member' });
    expect(status).toBe(404);
    expect(body.error.message).toContain('POST /api/users');
  });

  it('answers 403 to a site manager and 404 to an outsider', async () => {
    const entriesBefore = await auditCount(fixture);
    expect((await as('manager@acme.test', 'POST', membersOf(acmeId), { email: 'admin@other.test', role: 'member' })).status).toBe(403);
    expect((await as('admin@other.test', 'POST', membersOf(acmeId), { email: 'admin@other.test', role: 'org_admin' })).status).toBe(404);
    expect(await auditCount(fixture)).toBe(entriesBefore);
  });

  it('rejects an unknown role', async () => {
    const { status } = await as('admin@acme.test', 'POST', membersOf(acmeId), { email: 'admin@other.test', role: 'owner' });
    expect(status).toBe(400);
  });
});

describe('PATCH members', () => {
  it('changes a role for an org admin and audits before and after', async () => {
    const userId = ids['member@acme.test']!;
    const { status, body } = await as('admin@acme.test', 'PATCH', `${membersOf(acmeId)}/${userId}`, { role: 'org_admin' });
    expect(status).toBe(200);
    expect(body.role).toBe('org_admin');
    const entries = await auditEntries(fixture, 'membership.update', userId);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.organization_id).toBe(acmeId);
    expect(entries[0]!.before.role).toBe('member');
    expect(entries[0]!.after.role).toBe('org_admin');

    const promoted = await as('member@acme.test', 'GET', membersOf(acmeId));
    expect(promoted.status).toBe(200);
  });

  it('answers 403 to a site manager', async () => {
    const { status } = await as('manager@acme.test', 'PATCH', `${membersOf(acmeId)}/${ids['viewer@acme.test']}`, { role: 'org_admin' });
    expect(status).toBe(403);
  });

  it('answers 404 for a user of another organization and for an outsider', async () => {
    expect((await as('admin@acme.test', 'PATCH', `${membersOf(acmeId)}/${ids['admin@other.test']}`, { role: 'member' })).status).toBe(404);
    expect((await as('admin@other.test', 'PATCH', `${membersOf(acmeId)}/${ids['viewer@acme.test']}`, { role: 'member' })).status).toBe(404);
    expect((await as('admin@acme.test', 'PATCH', `${membersOf(acmeId)}/not-a-uuid`, { role: 'member' })).status).toBe(404);
  });
});

describe('last org admin', () => {
  it('rejects demoting and removing the only admin', async () => {
    const userId = ids['admin@other.test']!;
    const demoted = await as('admin@other.test', 'PATCH', `${membersOf(otherId)}/${userId}`, { role: 'member' });
    expect(demoted.status).toBe(409);
    expect(demoted.body.error.code).toBe('last_org_admin');
    const removed = await as('root@platform.test', 'DELETE', `${membersOf(otherId)}/${userId}`);
    expect(removed.status).toBe(409);
    expect(removed.body.error.code).toBe('last_org_admin');
  });

  it('does not count a disabled admin', async () => {
    const disabledAdmin = await seed.user('disabled-admin@other.test', { status: 'disabled' });
    await seed.membership(disabledAdmin, otherId, 'org_admin');
    const { status } = await as('admin@other.test', 'PATCH', `${membersOf(otherId)}/${ids['admin@other.test']}`, { role: 'member' });
    expect(status).toBe(409);
  });

  it('lets only one of two concurrent demotions of the last two admins succeed', async () => {
    // Ten organizations at once, so that without the lock at least one pair would interleave.
    const pairs = await Promise.all(
      Array.from({ length: 10 }, async (_, index) => {
        const organizationId = await seed.organization(`Race ${index}`);
        const admins = [await seed.user(`first${index}@race.test`), await seed.user(`second${index}@race.test`)];
        for (const userId of admins) await seed.membership(userId, organizationId, 'org_admin');
        return { organizationId, admins };
      }),
    );

    const results = await Promise.all(
      pairs.flatMap(({ organizationId, admins }) =>
        admins.map((userId) => as('root@platform.test', 'PATCH', `${membersOf(organizationId)}/${userId}`, { role: 'member' })),
      ),
    );
    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(10);
    const remaining = await inTenantScope(fixture.db.owner, allOrganizations, (tx) =>
      tx`SELECT organization_id FROM memberships
         WHERE organization_id = ANY(${tx.array(pairs.map((pair) => pair.organizationId), 2950)}) AND role = 'org_admin'`);
    expect(remaining).toHaveLength(10);
  });
});

describe('DELETE members', () => {
  it('answers 403 to a site manager', async () => {
    expect((await as('manager@acme.test', 'DELETE', `${membersOf(acmeId)}/${ids['viewer@acme.test']}`)).status).toBe(403);
  });

  it('removes the member with their site access and audits it', async () => {
    const userId = ids['viewer@acme.test']!;
    expect((await as('viewer@acme.test', 'GET', `/api/sites/${siteId}`)).status).toBe(200);

    const { status } = await as('admin@acme.test', 'DELETE', `${membersOf(acmeId)}/${userId}`);
    expect(status).toBe(204);

    const grants = await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx`SELECT 1 FROM site_access WHERE user_id = ${userId}`);
    expect(grants).toHaveLength(0);
    const entries = await auditEntries(fixture, 'membership.delete', userId);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.organization_id).toBe(acmeId);
    expect(entries[0]!.before).toEqual({ userId, email: 'viewer@acme.test', role: 'member', siteAccess: [{ siteId, role: 'viewer' }] });
    expect(entries[0]!.after).toBeNull();

    expect((await as('viewer@acme.test', 'GET', `/api/sites/${siteId}`)).status).toBe(404);
    expect((await as('viewer@acme.test', 'GET', `/api/organizations/${acmeId}`)).status).toBe(404);
  });

  it('answers 404 for a user who is not a member', async () => {
    expect((await as('admin@acme.test', 'DELETE', `${membersOf(acmeId)}/${ids['viewer@acme.test']}`)).status).toBe(404);
  });

  it('lets an admin remove another admin while one remains', async () => {
    const { status } = await as('admin@acme.test', 'DELETE', `${membersOf(acmeId)}/${ids['member@acme.test']}`);
    expect(status).toBe(204);
  });
});
