import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { login, Seed, type CloudFixture } from './cloud-fixture';

/** The roles a test user can have at one site, from an explicit viewer grant to no access at all. */
export const roles = ['viewer', 'operator', 'site_manager', 'org_admin', 'platform_admin', 'member'] as const;
export type Role = (typeof roles)[number];

export interface SiteRoles {
  organizationId: string;
  /** The site every role in `tokens` refers to. */
  siteId: string;
  /** A second site of the same organization, where only org and platform admins have access. */
  otherSiteId: string;
  /** A site of another organization. */
  foreignSiteId: string;
  /** An access token per role at `siteId`; `member` belongs to the organization without site access. */
  tokens: Record<Role, string>;
  /** An org admin of the other organization only. */
  outsiderToken: string;
}

/** Seeds two organizations, three sites and one logged-in user per role. */
export async function seedSiteRoles(fixture: CloudFixture): Promise<SiteRoles> {
  const seed = new Seed(fixture);
  const organizationId = await seed.organization('Acme');
  const otherOrganizationId = await seed.organization('Other');
  const siteId = await seed.site(organizationId, 'Plant A');
  const otherSiteId = await seed.site(organizationId, 'Plant B');
  const foreignSiteId = await seed.site(otherOrganizationId, 'Foreign');

  for (const role of ['viewer', 'operator', 'site_manager'] as const) {
    const userId = await seed.user(`${role}@acme.test`);
    await seed.membership(userId, organizationId);
    await seed.siteAccess(userId, siteId, role);
  }
  await seed.membership(await seed.user('org_admin@acme.test'), organizationId, 'org_admin');
  await seed.membership(await seed.user('member@acme.test'), organizationId);
  await seed.user('platform_admin@platform.test', { platformAdmin: true });
  await seed.membership(await seed.user('admin@other.test'), otherOrganizationId, 'org_admin');

  const tokens = {} as Record<Role, string>;
  for (const role of roles) {
    tokens[role] = await login(fixture.app, role === 'platform_admin' ? 'platform_admin@platform.test' : `${role}@acme.test`);
  }
  return { organizationId, siteId, otherSiteId, foreignSiteId, tokens, outsiderToken: await login(fixture.app, 'admin@other.test') };
}

/** Runs a query as the owner role across all organizations, to check rows the API wrote. */
export function asOwner<T>(fixture: CloudFixture, work: Parameters<typeof inTenantScope<T>>[2]): Promise<T> {
  return inTenantScope(fixture.db.owner, allOrganizations, work);
}

export interface AuditRow {
  action: string;
  target_type: string;
  target_id: string;
  organization_id: string | null;
  site_id: string | null;
  actor_id: string | null;
  before: any;
  after: any;
}

/** Lists the audit entries of one target, oldest first. */
export function auditEntries(fixture: CloudFixture, targetId: string): Promise<AuditRow[]> {
  return asOwner(fixture, (tx) => tx<AuditRow[]>`
    SELECT action, target_type, target_id, organization_id, site_id, actor_id, before, after
    FROM audit_log WHERE target_id = ${targetId} ORDER BY id`);
}

/** Counts all audit entries. */
export async function auditCount(fixture: CloudFixture): Promise<number> {
  const [row] = await asOwner(fixture, (tx) => tx<{ count: number }[]>`SELECT count(*)::int AS count FROM audit_log`);
  return row!.count;
}

/** Inserts a node of a site's hierarchy and returns its id. */
export async function seedSiteNode(fixture: CloudFixture, siteId: string, name = 'Building 1'): Promise<string> {
  const [row] = await asOwner(fixture, (tx) => tx<{ id: string }[]>`
    INSERT INTO site_nodes (organization_id, site_id, kind, name)
    SELECT organization_id, id, 'building', ${name} FROM sites WHERE id = ${siteId}
    RETURNING id`);
  return row!.id;
}
