import type { Action } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caller } from '../../src/access/caller';
import { organizationFilter, requireOrganization, requireSite } from '../../src/access/guards';
import type { UserPermissions } from '../../src/access/user-permissions';
import { HttpError } from '../../src/api/http-error';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { createCloudFixture, Seed, type CloudFixture } from '../support/cloud-fixture';

let fixture: CloudFixture;
let organizationA: string;
let organizationB: string;
let siteA: string;
let siteControlled: string;
let siteHidden: string;
let siteB: string;

beforeAll(async () => {
  fixture = await createCloudFixture('guards');
  const seed = new Seed(fixture);
  organizationA = await seed.organization('A');
  organizationB = await seed.organization('B');
  siteA = await seed.site(organizationA, 'A plain');
  siteControlled = await seed.site(organizationA, 'A operator control', { operatorControl: true });
  siteHidden = await seed.site(organizationA, 'A hidden');
  siteB = await seed.site(organizationB, 'B');
});

afterAll(async () => {
  await fixture?.close();
});

function caller(overrides: Partial<UserPermissions>): Caller {
  return new Caller({
    userId: '00000000-0000-4000-8000-000000000001',
    email: 'someone@a.test',
    name: 'Someone',
    status: 'active',
    platformAdmin: false,
    developer: false,
    permissionsVersion: 1,
    organizations: [],
    sites: [],
    ...overrides,
  });
}

function operatorOfA(): Caller {
  return caller({
    organizations: [{ id: organizationA, role: 'member' }],
    sites: [
      { id: siteA, organizationId: organizationA, role: 'operator' },
      { id: siteControlled, organizationId: organizationA, role: 'operator' },
    ],
  });
}

/** Runs `requireSite` with row-level security open to every organization, so only the guard itself filters. */
async function statusOfRequireSite(requester: Caller, siteId: string, action: Action): Promise<number> {
  try {
    await inTenantScope(fixture.sql, allOrganizations, (tx) => requireSite(tx, requester, siteId, action));
    return 200;
  } catch (error) {
    if (error instanceof HttpError) return error.status;
    throw error;
  }
}

function statusOfRequireOrganization(requester: Caller, organizationId: string, action: Action): number {
  try {
    requireOrganization(requester, organizationId, action);
    return 200;
  } catch (error) {
    if (error instanceof HttpError) return error.status;
    throw error;
  }
}

describe('requireSite', () => {
  it('allows a granted action', async () => {
    expect(await statusOfRequireSite(operatorOfA(), siteA, 'alarm.acknowledge')).toBe(200);
  });

  it('forbids an action above the role', async () => {
    expect(await statusOfRequireSite(operatorOfA(), siteA, 'device.control')).toBe(403);
  });

  it('allows operator control where enabled', async () => {
    expect(await statusOfRequireSite(operatorOfA(), siteControlled, 'device.control')).toBe(200);
  });

  it('hides a site of the own organization without a grant', async () => {
    expect(await statusOfRequireSite(operatorOfA(), siteHidden, 'dashboard.view')).toBe(404);
  });

  it("hides another organization's site", async () => {
    const granted = caller({
      organizations: [{ id: organizationA, role: 'org_admin' }],
      // A grant for a site outside the caller's organizations, as a corrupt cache entry could hold.
      sites: [{ id: siteB, organizationId: organizationB, role: 'site_manager' }],
    });
    expect(await statusOfRequireSite(granted, siteB, 'dashboard.view')).toBe(404);
  });

  it('returns 404 for a non-UUID id', async () => {
    expect(await statusOfRequireSite(operatorOfA(), 'not-a-uuid', 'dashboard.view')).toBe(404);
  });

  it('gives an org admin every site of the organization', async () => {
    const admin = caller({ organizations: [{ id: organizationA, role: 'org_admin' }] });
    expect(await statusOfRequireSite(admin, siteHidden, 'site.manage')).toBe(200);
  });

  it('gives a platform admin any site', async () => {
    expect(await statusOfRequireSite(caller({ platformAdmin: true }), siteB, 'site.manage')).toBe(200);
  });

  it('gives a developer no site', async () => {
    expect(await statusOfRequireSite(caller({ developer: true }), siteA, 'dashboard.view')).toBe(404);
  });

  it('reports the role and policy of the site', async () => {
    const site = await inTenantScope(fixture.sql, allOrganizations, (tx) => requireSite(tx, operatorOfA(), siteControlled, 'dashboard.view'));
    expect(site).toEqual({ id: siteControlled, organizationId: organizationA, operatorControl: true, role: 'operator' });
  });
});

describe('requireOrganization', () => {
  it('lets a member read the organization', () => {
    expect(statusOfRequireOrganization(operatorOfA(), organizationA, 'dashboard.view')).toBe(200);
  });

  it('forbids a member to manage it', () => {
    expect(statusOfRequireOrganization(operatorOfA(), organizationA, 'organization.manage')).toBe(403);
  });

  it('hides another organization', () => {
    expect(statusOfRequireOrganization(operatorOfA(), organizationB, 'dashboard.view')).toBe(404);
  });

  it('lets an org admin manage users', () => {
    const admin = caller({ organizations: [{ id: organizationA, role: 'org_admin' }] });
    expect(statusOfRequireOrganization(admin, organizationA, 'org_user.manage')).toBe(200);
  });

  it('forbids cross-organization access to an org admin', () => {
    const admin = caller({ organizations: [{ id: organizationA, role: 'org_admin' }] });
    expect(statusOfRequireOrganization(admin, organizationA, 'organization.cross_access')).toBe(403);
  });

  it('returns 404 for a non-UUID id', () => {
    expect(statusOfRequireOrganization(caller({ platformAdmin: true }), 'acme', 'dashboard.view')).toBe(404);
  });
});

describe('organizationFilter', () => {
  it('limits a member to its organizations', async () => {
    const rows = await inTenantScope(fixture.sql, allOrganizations, (tx) =>
      tx<{ id: string }[]>`SELECT id FROM sites WHERE true ${organizationFilter(tx, operatorOfA(), 'organization_id')} ORDER BY name`,
    );
    expect(rows.map((row) => row.id)).not.toContain(siteB);
    expect(rows).toHaveLength(3);
  });

  it('adds nothing for a platform admin', async () => {
    const rows = await inTenantScope(fixture.sql, allOrganizations, (tx) =>
      tx<{ id: string }[]>`SELECT id FROM sites WHERE true ${organizationFilter(tx, caller({ platformAdmin: true }), 'organization_id')}`,
    );
    expect(rows).toHaveLength(4);
  });

  it('matches nothing for a caller without organizations', async () => {
    const rows = await inTenantScope(fixture.sql, allOrganizations, (tx) =>
      tx<{ id: string }[]>`SELECT id FROM sites WHERE true ${organizationFilter(tx, caller({}), 'organization_id')}`,
    );
    expect(rows).toHaveLength(0);
  });
});
