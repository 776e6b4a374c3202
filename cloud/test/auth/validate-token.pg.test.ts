import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuditedChange } from '../../src/api/change';
import { issueAccessToken } from '../../src/auth/access-tokens';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { call, createCloudFixture, login, Seed, type CloudFixture } from '../support/cloud-fixture';

let fixture: CloudFixture;
let seed: Seed;
const organizations: Record<'acme' | 'beta' | 'other', string> = { acme: '', beta: '', other: '' };
const sites: Record<'acme1' | 'acme2' | 'acme3' | 'beta1' | 'beta2' | 'other1', string> = {
  acme1: '',
  acme2: '',
  acme3: '',
  beta1: '',
  beta2: '',
  other1: '',
};
let memberId: string;

beforeAll(async () => {
  fixture = await createCloudFixture('validate_token');
  seed = new Seed(fixture);
  organizations.acme = await seed.organization('Acme');
  organizations.beta = await seed.organization('Beta');
  organizations.other = await seed.organization('Other');
  sites.acme1 = await seed.site(organizations.acme, 'Acme 1');
  sites.acme2 = await seed.site(organizations.acme, 'Acme 2');
  sites.acme3 = await seed.site(organizations.acme, 'Acme 3');
  sites.beta1 = await seed.site(organizations.beta, 'Beta 1');
  sites.beta2 = await seed.site(organizations.beta, 'Beta 2');
  sites.other1 = await seed.site(organizations.other, 'Other 1');

  memberId = await seed.user('ana@acme.test', { name: 'Ana' });
  await seed.membership(memberId, organizations.acme, 'member');
  await seed.siteAccess(memberId, sites.acme1, 'viewer');
  await seed.siteAccess(memberId, sites.acme2, 'operator');
  await seed.membership(memberId, organizations.beta, 'org_admin');
  await seed.siteAccess(memberId, sites.beta1, 'site_manager');

  await seed.user('root@platform.test', { platformAdmin: true });
  await seed.user('dev@platform.test', { developer: true });
});

afterAll(async () => {
  await fixture?.close();
});

async function validate(token: string) {
  return call(fixture.app, token, 'GET', '/api/validate-token');
}

describe('validate-token', () => {
  it('describes the user', async () => {
    const { status, body } = await validate(await login(fixture.app, 'ana@acme.test'));
    expect(status).toBe(200);
    expect(body.user).toEqual({ id: memberId, email: 'ana@acme.test', name: 'Ana', platformAdmin: false, developer: false, permissionsVersion: 1 });
  });

  it('lists the organizations with roles', async () => {
    const { body } = await validate(await login(fixture.app, 'ana@acme.test'));
    expect(body.organizations).toEqual([
      { id: organizations.acme, name: 'Acme', role: 'member' },
      { id: organizations.beta, name: 'Beta', role: 'org_admin' },
    ]);
  });

  it('lists granted and administered sites', async () => {
    const { body } = await validate(await login(fixture.app, 'ana@acme.test'));
    expect(body.sites).toEqual([
      { id: sites.acme1, organizationId: organizations.acme, name: 'Acme 1', role: 'viewer' },
      { id: sites.acme2, organizationId: organizations.acme, name: 'Acme 2', role: 'operator' },
      { id: sites.beta1, organizationId: organizations.beta, name: 'Beta 1', role: 'org_admin' },
      { id: sites.beta2, organizationId: organizations.beta, name: 'Beta 2', role: 'org_admin' },
    ]);
  });

  it('sets allSites false for a member', async () => {
    const { body } = await validate(await login(fixture.app, 'ana@acme.test'));
    expect(body.allSites).toBe(false);
  });

  it('returns the expiry of the token', async () => {
    const token = await login(fixture.app, 'ana@acme.test');
    const { body } = await validate(token);
    expect(body.tokenExpiresAt).toBe(decodeJwt(token).exp);
  });

  it('gives a platform admin all sites', async () => {
    const { body } = await validate(await login(fixture.app, 'root@platform.test'));
    expect(body.allSites).toBe(true);
    expect(body.user.platformAdmin).toBe(true);
    expect(body.organizations).toEqual([]);
  });

  it('gives a developer no sites', async () => {
    const { body } = await validate(await login(fixture.app, 'dev@platform.test'));
    expect(body.user.developer).toBe(true);
    expect(body.sites).toEqual([]);
    expect(body.allSites).toBe(false);
  });
});

describe('permissions version', () => {
  it('rises in the token after a membership change', async () => {
    const userId = await seed.user('joiner@acme.test');
    await seed.membership(userId, organizations.acme);
    const before = decodeJwt(await login(fixture.app, 'joiner@acme.test')).pv as number;

    const actor = { actorType: 'system' as const, actorId: null, ip: null, userAgent: null, requestId: null };
    await runAuditedChange(fixture.deps, actor, allOrganizations, async ({ tx, audit, permissionsChanged }) => {
      await tx`INSERT INTO memberships (user_id, organization_id, role) VALUES (${userId}, ${organizations.beta}, 'member')`;
      await permissionsChanged(userId);
      await audit({ action: 'membership.create', targetType: 'user', targetId: userId, organizationId: organizations.beta });
    });

    const token = await login(fixture.app, 'joiner@acme.test');
    expect(decodeJwt(token).pv).toBe(before + 1);
    const { body } = await validate(token);
    expect(body.organizations.map((organization: { id: string }) => organization.id)).toContain(organizations.beta);
  });

  it('reloads a cached entry older than the token', async () => {
    const userId = await seed.user('stale@acme.test');
    await seed.membership(userId, organizations.acme);
    const oldToken = await login(fixture.app, 'stale@acme.test');
    expect((await validate(oldToken)).body.organizations).toHaveLength(1);

    // Changed behind the cache's back: no invalidation, only the version rises.
    await inTenantScope(fixture.db.owner, allOrganizations, async (tx) => {
      await tx`INSERT INTO memberships (user_id, organization_id, role) VALUES (${userId}, ${organizations.other}, 'member')`;
      await tx`UPDATE users SET permissions_version = 2 WHERE id = ${userId}`;
    });
    expect((await validate(oldToken)).body.organizations).toHaveLength(1);

    const { token: newToken } = await issueAccessToken(fixture.deps.keys(), fixture.deps.tokens, { userId, permissionsVersion: 2 });
    const { body } = await validate(newToken);
    expect(body.organizations).toHaveLength(2);
    expect(body.user.permissionsVersion).toBe(2);
  });
});
