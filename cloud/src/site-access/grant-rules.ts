import { grantableSiteRoles, roleAtLeast, type EffectiveRole, type SiteRole } from '@simtestlab/sync';
import { forbidden } from '../api/http-error';

/** One requested change to a user's grant at a site. */
export interface GrantChange {
  siteId: string;
  granterId: string;
  /** The granter's effective role at the site. */
  granterRole: EffectiveRole;
  userId: string;
  /** The user's current role at the site, null without a grant. */
  before: SiteRole | null;
  /** The requested role, null to revoke the grant. */
  after: SiteRole | null;
}

/**
 * Raises 403 unless the granter may make the change. A granter hands out only the roles
 * `grantableSiteRoles` allows for their role. Below org admin, a granter changes neither their own grant
 * nor an existing site manager grant, so one site manager cannot demote or remove another.
 */
export function checkGrantChange(change: GrantChange): void {
  if (change.after !== null) {
    const grantable = grantableSiteRoles(change.granterRole);
    if (!grantable.includes(change.after)) {
      throw forbidden(
        `your role at site ${change.siteId} (${change.granterRole}) may grant only ${grantable.join(', ')}, not ${change.after}; ask an org admin`,
      );
    }
  }
  if (roleAtLeast(change.granterRole, 'org_admin')) return;
  if (change.userId === change.granterId) {
    throw forbidden(`you may not change or remove your own access at site ${change.siteId}; ask an org admin`);
  }
  if (change.before === 'site_manager') {
    throw forbidden(`user ${change.userId} is a site manager at site ${change.siteId}; only an org admin may change or remove that grant`);
  }
}
