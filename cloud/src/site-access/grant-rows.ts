import type { SiteRole } from '@simtestlab/sync';
import type { SiteRef } from '../access/guards';
import type { TransactionSql } from '../db/connect';

/** A site access grant with its user, as the queries select it. */
export interface GrantRow {
  user_id: string;
  email: string;
  name: string;
  role: SiteRole;
  granted_by: string | null;
  created_at: Date;
}

/** A member of the site's organization, as the grant routes see it. */
export interface MemberRow {
  id: string;
  email: string;
  name: string;
}

/** Converts a grant row to its API shape. */
export function toGrant(row: GrantRow) {
  return {
    userId: row.user_id,
    email: row.email,
    name: row.name,
    role: row.role,
    grantedBy: row.granted_by,
    createdAt: row.created_at.toISOString(),
  };
}

const grantColumns = (tx: TransactionSql) => tx`a.user_id, u.email, u.name, a.role, a.granted_by, a.created_at`;

/** Lists a site's grants, ordered by email. */
export async function listGrants(tx: TransactionSql, site: SiteRef): Promise<GrantRow[]> {
  return tx<GrantRow[]>`
    SELECT ${grantColumns(tx)}
    FROM site_access a JOIN users u ON u.id = a.user_id
    WHERE a.site_id = ${site.id} AND a.organization_id = ${site.organizationId}
    ORDER BY lower(u.email), a.user_id`;
}

/** Loads the user's grant at the site, or null without one. */
export async function loadGrant(tx: TransactionSql, site: SiteRef, userId: string): Promise<GrantRow | null> {
  const [grant] = await tx<GrantRow[]>`
    SELECT ${grantColumns(tx)}
    FROM site_access a JOIN users u ON u.id = a.user_id
    WHERE a.user_id = ${userId} AND a.site_id = ${site.id} AND a.organization_id = ${site.organizationId}`;
  return grant ?? null;
}

/**
 * Loads a member of the site's organization and locks the membership until the transaction ends, or
 * returns null for a user outside it. The lock serializes concurrent grant changes for one user, so a
 * grant read after it stays current. It also keeps the membership, which the grant's foreign key needs,
 * from being deleted meanwhile.
 */
export async function lockMember(tx: TransactionSql, site: SiteRef, userId: string): Promise<MemberRow | null> {
  const [member] = await tx<MemberRow[]>`
    SELECT u.id, u.email, u.name
    FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE m.user_id = ${userId} AND m.organization_id = ${site.organizationId}
    FOR NO KEY UPDATE OF m`;
  return member ?? null;
}
