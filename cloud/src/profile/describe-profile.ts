import { allowedActions, type Action } from '@simtestlab/sync';
import type { Caller } from '../access/caller';
import { describeCaller } from '../auth/validate-token';
import type { Sql } from '../db/connect';
import { inTenantScope } from '../db/scope';

/** Actions of the matrix that belong to no site or organization. */
const GLOBAL_ACTIONS: readonly Action[] = ['organization.cross_access', 'admin_pages.view', 'api_docs.view', 'test_data.manage'];

/**
 * Describes the caller for their profile page: what GET /api/validate-token returns, plus the actions of
 * the permission matrix that their role allows at each site and outside any site.
 */
export async function describeProfile(sql: Sql, caller: Caller) {
  const described = await describeCaller(sql, caller);
  const siteIds = described.sites.map((site) => site.id);
  const operatorControl = await inTenantScope(sql, caller.scope, async (tx) => {
    const rows = await tx<{ id: string; operator_control: boolean }[]>`
      SELECT id, operator_control FROM sites WHERE id = ANY(${tx.array(siteIds, 2950)})`;
    return new Map(rows.map((row) => [row.id, row.operator_control]));
  });
  const { developer } = caller.permissions;
  return {
    ...described.user,
    memberships: described.organizations.map((organization) => ({
      organizationId: organization.id,
      organizationName: organization.name,
      role: organization.role,
    })),
    sites: described.sites.map((site) => ({
      ...site,
      actions: allowedActions({ role: site.role, developer }, { operatorControl: operatorControl.get(site.id) ?? false }),
    })),
    allSites: described.allSites,
    globalActions: GLOBAL_ACTIONS.filter((action) => caller.canGlobally(action)),
  };
}
