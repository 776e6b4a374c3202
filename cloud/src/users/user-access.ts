import type { Caller } from '../access/caller';
import { isUuid } from '../access/guards';
import { forbidden, HttpError, notFound } from '../api/http-error';
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

/**
 * Lists the organizations a user belongs to, in id order, across every organization. It must run in a
 * transaction scoped to all organizations, or row-level security hides the memberships the caller
 * cannot see, and deciding who may change a user depends on exactly those.
 */
export async function allMembershipsOf(tx: TransactionSql, userId: string): Promise<{ organizationId: string; role: 'org_admin' | 'member' }[]> {
  const rows = await tx<{ organizationId: string; role: 'org_admin' | 'member' }[]>`
    SELECT organization_id AS "organizationId", role FROM memberships WHERE user_id = ${userId} ORDER BY organization_id`;
  return [...rows];
}

/**
 * Raises 403 unless the caller may change the user's name and status and reset their password. A
 * platform admin may do so for anyone. An org admin may do so only for a user who is no platform admin
 * and whose every membership is in an organization the caller administers. Pass the memberships that
 * `allMembershipsOf` returns.
 */
export function requireUserAuthority(caller: Caller, user: UserRow, memberships: { organizationId: string }[]): void {
  if (caller.platformAdmin) return;
  if (user.platform_admin) throw forbidden(`user ${user.id} is a platform admin; only platform admins may change them`);
  const administered = new Set(administeredOrganizations(caller));
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

/** Raises 409 unless another active platform admin remains besides `userId`. */
export async function requireAnotherPlatformAdmin(tx: TransactionSql, userId: string): Promise<void> {
  const [row] = await tx<{ others: number }[]>`
    SELECT count(*)::int AS others FROM users WHERE platform_admin AND status = 'active' AND id <> ${userId}`;
  if (row!.others === 0) {
    throw new HttpError(409, 'last_platform_admin', `user ${userId} is the last active platform admin; make another user platform admin first`);
  }
}
