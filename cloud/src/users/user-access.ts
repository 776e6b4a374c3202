import type { Caller } from '../access/caller';
import { isUuid } from '../access/guards';
import { forbidden, notFound } from '../api/http-error';
import type { TransactionSql } from '../db/connect';
import { USER_SELECT, type UserRow } from './user-rows';

/*
 * The users table has no row-level security because one user can belong to several organizations. Every
 * query here therefore names the organizations through which the caller may reach a user.
 */

/** Returns the organizations the caller is an org admin of by membership, not through the platform admin flag. */
export function administeredOrganizations(caller: Caller): string[] {
  return caller.permissions.organizations.filter((membership) => membership.role === 'org_admin').map((membership) => membership.id);
}

/** Returns the organizations whose memberships of `userId` the caller may see: all for platform admins, their own for self. */
export function membershipsVisibleTo(caller: Caller, userId: string): readonly string[] | 'all' {
  if (caller.platformAdmin) return 'all';
  if (userId === caller.userId) return caller.permissions.organizations.map((membership) => membership.id);
  return administeredOrganizations(caller);
}

/**
 * Loads a user the caller may see, or raises 404: the caller themselves, anyone for a platform admin,
 * else a member of an organization the caller administers. `lock` takes the row lock for a change.
 */
export async function requireVisibleUser(tx: TransactionSql, caller: Caller, userId: string, options: { lock?: boolean } = {}): Promise<UserRow> {
  if (!isUuid(userId)) throw notFound('user', userId);
  const reachable =
    caller.platformAdmin || userId === caller.userId
      ? tx``
      : tx`AND EXISTS (
          SELECT 1 FROM memberships m
          WHERE m.user_id = u.id AND m.organization_id = ANY(${tx.array(administeredOrganizations(caller), 2950)}))`;
  const [user] = await tx<UserRow[]>`
    SELECT ${tx.unsafe(USER_SELECT)} FROM users u WHERE u.id = ${userId} ${reachable} ${options.lock ? tx`FOR UPDATE` : tx``}`;
  if (!user) throw notFound('user', userId);
  return user;
}

/** One of a user's memberships: the organization and the user's role there. */
export interface OrganizationMembership {
  organizationId: string;
  role: 'org_admin' | 'member';
}

/**
 * Lists the organizations a user belongs to, in id order, across every organization. It must run in a
 * transaction scoped to all organizations, or row-level security hides the memberships the caller
 * cannot see, and deciding who may change a user depends on exactly those.
 */
export async function allMembershipsOf(tx: TransactionSql, userId: string): Promise<OrganizationMembership[]> {
  const rows = await tx<OrganizationMembership[]>`
    SELECT organization_id AS "organizationId", role FROM memberships WHERE user_id = ${userId} ORDER BY organization_id`;
  return [...rows];
}

/**
 * Raises 403 unless the caller may change the user's name and status and reset their password. A
 * platform admin may do so for anyone. An org admin may do so only for a user who is neither platform
 * admin nor developer, whose home organization (the one that invited them) the caller administers, and
 * whose every membership is in an organization the caller administers. Adding an existing user to an
 * organization therefore gives its admins no authority over them. Pass the memberships that
 * `allMembershipsOf` returns.
 */
export function requireUserAuthority(caller: Caller, user: UserRow, memberships: { organizationId: string }[]): void {
  if (caller.platformAdmin) return;
  if (user.platform_admin) throw forbidden(`user ${user.id} is a platform admin; only platform admins may change them`);
  if (user.developer) throw forbidden(`user ${user.id} is a developer; only platform admins may change them`);
  const administered = new Set(administeredOrganizations(caller));
  if (user.home_organization_id === null || !administered.has(user.home_organization_id)) {
    throw forbidden(`user ${user.id} was not invited through an organization you administer; ask a platform admin to change them`);
  }
  if (memberships.length === 0 || !memberships.every((membership) => administered.has(membership.organizationId))) {
    throw forbidden(`user ${user.id} belongs to an organization you do not administer; ask a platform admin to change them`);
  }
}

/**
 * Picks the organization an audit entry about a user belongs to: the first of the user's organizations
 * that the caller administers (any of them for a platform admin), else the user's first, else null.
 * NOTE: a user in several organizations gets one entry, which the admins of the others do not see.
 */
export function auditOrganizationOf(caller: Caller, memberships: { organizationId: string }[]): string | null {
  const administered = new Set(administeredOrganizations(caller));
  const preferred = memberships.find((membership) => caller.platformAdmin || administered.has(membership.organizationId));
  return (preferred ?? memberships[0])?.organizationId ?? null;
}
