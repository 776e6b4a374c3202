import type { OrganizationRole } from '@simtestlab/sync';
import type { Caller } from '../access/caller';
import { organizationFilter } from '../access/guards';
import type { TransactionSql } from '../db/connect';

/** A row of the users table as the queries select it: never the password hash, only whether one is set. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  status: 'active' | 'disabled';
  platform_admin: boolean;
  developer: boolean;
  password_set: boolean;
  /** The organization that invited the user, or null for a user created outside any organization. */
  home_organization_id: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The select list for `UserRow`, on the users table aliased `u`. */
export const USER_SELECT =
  'u.id, u.email, u.name, u.status, u.platform_admin, u.developer, u.password_hash IS NOT NULL AS password_set, u.home_organization_id, ' +
  'u.created_at, u.updated_at';

export interface UserMembership {
  organizationId: string;
  organizationName: string;
  role: OrganizationRole;
}

/** Converts a user row and the memberships the caller may see to the API shape. */
export function toUser(row: UserRow, memberships: UserMembership[]) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    status: row.status,
    platformAdmin: row.platform_admin,
    developer: row.developer,
    passwordSet: row.password_set,
    memberships,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Returns the audited state of a user: profile, status and flags, never the password hash. */
export function userAuditState(row: UserRow) {
  return {
    email: row.email,
    name: row.name,
    status: row.status,
    platformAdmin: row.platform_admin,
    developer: row.developer,
  };
}

/**
 * Loads the memberships of `userIds` in the organizations `visibleTo` lists ('all' for platform admins),
 * grouped by user. Users without a visible membership map to an empty list.
 */
export async function loadMemberships(
  tx: TransactionSql,
  caller: Caller,
  userIds: readonly string[],
  visibleTo: readonly string[] | 'all',
): Promise<Map<string, UserMembership[]>> {
  const rows = await tx<{ user_id: string; organization_id: string; organization_name: string; role: OrganizationRole }[]>`
    SELECT m.user_id, m.organization_id, o.name AS organization_name, m.role
    FROM memberships m JOIN organizations o ON o.id = m.organization_id
    WHERE m.user_id = ANY(${tx.array([...userIds], 2950)})
      ${visibleTo === 'all' ? tx`` : tx`AND m.organization_id = ANY(${tx.array([...visibleTo], 2950)})`}
      ${organizationFilter(tx, caller, 'm.organization_id')}
    ORDER BY o.name, m.organization_id`;
  const byUser = new Map<string, UserMembership[]>(userIds.map((id) => [id, []]));
  for (const row of rows) {
    byUser.get(row.user_id)!.push({ organizationId: row.organization_id, organizationName: row.organization_name, role: row.role });
  }
  return byUser;
}
