import type { Caller } from '../access/caller';
import { forbidden } from '../api/http-error';

/**
 * The audit entries a caller may read: every entry (platform admins, including entries of no
 * organization), or those of the organizations they administer and of the sites they manage.
 */
export type AuditReadScope = { all: true } | { all: false; organizationIds: string[]; siteIds: string[] };

/** Resolves the caller's audit read scope; a caller who administers nothing and manages no site gets 403. */
export function auditReadScope(caller: Caller): AuditReadScope {
  if (caller.platformAdmin) return { all: true };
  const organizationIds = caller.permissions.organizations.filter((membership) => membership.role === 'org_admin').map((membership) => membership.id);
  const siteIds = caller.permissions.sites.filter((grant) => grant.role === 'site_manager').map((grant) => grant.id);
  if (organizationIds.length === 0 && siteIds.length === 0) {
    throw forbidden('the audit log is for site managers, org admins and platform admins');
  }
  return { all: false, organizationIds, siteIds };
}
