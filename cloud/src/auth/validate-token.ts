import type { EffectiveRole } from '@simtestlab/sync';
import type { Caller } from '../access/caller';
import type { Sql } from '../db/connect';
import { inTenantScope } from '../db/scope';

/**
 * Describes an authenticated caller for the live gateway and the web app: the user, the role in each
 * organization, and every site they can open with the effective role there (explicit grants plus
 * every site of the organizations they administer).
 */
export async function describeCaller(sql: Sql, caller: Caller) {
  const { permissions } = caller;
  const memberOf = permissions.organizations.map((membership) => membership.id);
  const explicitSites = permissions.sites.map((grant) => grant.id);
  return inTenantScope(sql, { all: false, organizationIds: memberOf }, async (tx) => {
    const organizations = await tx<{ id: string; name: string }[]>`
      SELECT id, name FROM organizations WHERE id = ANY(${tx.array(memberOf, 2950)}) ORDER BY name, id`;
    const administered = permissions.organizations.filter((membership) => membership.role === 'org_admin').map((membership) => membership.id);
    const sites = await tx<{ id: string; organization_id: string; name: string }[]>`
      SELECT id, organization_id, name FROM sites
      WHERE organization_id = ANY(${tx.array(memberOf, 2950)})
        AND (id = ANY(${tx.array(explicitSites, 2950)}) OR organization_id = ANY(${tx.array(administered, 2950)}))
      ORDER BY name, id`;
    const roleOf = new Map(permissions.organizations.map((membership) => [membership.id, membership.role]));
    return {
      user: {
        id: permissions.userId,
        email: permissions.email,
        name: permissions.name,
        platformAdmin: permissions.platformAdmin,
        developer: permissions.developer,
        permissionsVersion: permissions.permissionsVersion,
      },
      organizations: organizations.map((organization) => ({ id: organization.id, name: organization.name, role: roleOf.get(organization.id)! })),
      sites: sites.map((site) => ({
        id: site.id,
        organizationId: site.organization_id,
        name: site.name,
        role: caller.siteRole(site.id, site.organization_id) as EffectiveRole,
      })),
      allSites: permissions.platformAdmin,
    };
  });
}
