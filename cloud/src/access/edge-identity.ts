import type { TransactionSql } from '../db/connect';
import type { SiteRef } from './guards';

/**
 * Returns why the site's edge node would refuse the caller, or null when its synced users include them. An edge checks alarm
 * actions and control commands against its own synced users (the `site_users` shape), which hold the
 * members of the site's organization with a role there. A platform admin without such a role is not
 * among them, so the hub refuses at once instead of relaying a request the edge would refuse.
 */
export async function edgeRefusal(tx: TransactionSql, site: SiteRef, userId: string, what: string): Promise<string | null> {
  if (site.role !== 'platform_admin') return null;
  const [known] = await tx<{ found: number }[]>`
    SELECT 1 AS found FROM site_users_state WHERE site_id = ${site.id} AND user_id = ${userId}`;
  if (known) return null;
  return (
    `the edge node of site ${site.id} checks ${what} against the users of the site's organization, and platform admins ` +
    'are not among them: give your account a membership in the organization (org admin) or access to the site, then try again'
  );
}
