import type { Caller } from '../access/caller';
import { HttpError } from '../api/http-error';
import type { TransactionSql } from '../db/connect';
import { lockOrganization, requireAnotherOrgAdmin } from '../organizations/last-org-admin';
import { allMembershipsOf, requireVisibleUser, type OrganizationMembership } from './user-access';
import type { UserRow } from './user-rows';

/*
 * Disabling or deleting a user, or taking away their platform admin flag, must not leave an organization
 * without an active org admin or the service without an active platform admin. Two such changes that
 * each count the other's target as remaining would both pass, so the changes take locks first and count
 * while holding them.
 */

/** Key of the transaction-level advisory lock that serializes changes able to remove a platform admin. */
export const PLATFORM_ADMIN_LOCK_KEY = 4_712_101;

/** The locks `lockUserForChange` takes before the user's row. */
export interface LastAdminLocks {
  /** Lock every organization of the user, for a change that can remove an org admin. */
  organizations: boolean;
  /** Take the platform-admin advisory lock, for a change that can remove a platform admin. */
  platformAdmins: boolean;
}

/**
 * Loads a user the caller may see with their row locked, and their memberships in every organization.
 * The requested locks come first, in the order every other change takes them: organizations by id (as
 * the membership routes lock them), then the platform-admin lock, then the user's row. Raises 404 for a
 * user the caller may not see. Run it scoped to all organizations.
 */
export async function lockUserForChange(
  tx: TransactionSql,
  caller: Caller,
  userId: string,
  locks: LastAdminLocks,
): Promise<{ user: UserRow; memberships: OrganizationMembership[] }> {
  // Every organization of the user, not only those they administer, because promoting them to org admin
  // elsewhere takes that organization's lock, and waits here instead of racing the count.
  const locked = locks.organizations ? (await allMembershipsOf(tx, userId)).map((membership) => membership.organizationId) : [];
  for (const organizationId of locked) await lockOrganization(tx, organizationId);
  if (locks.platformAdmins) await tx`SELECT pg_advisory_xact_lock(${PLATFORM_ADMIN_LOCK_KEY})`;
  const user = await requireVisibleUser(tx, caller, userId, { lock: true });

  // A new membership takes a key-share lock on the user's row for its foreign key, so none can appear
  // from here on. One may have been added before the row lock, in an organization not locked above.
  const memberships = await allMembershipsOf(tx, userId);
  if (locks.organizations && memberships.some((membership) => !locked.includes(membership.organizationId))) {
    throw new HttpError(409, 'concurrent_change', `user ${userId} was added to an organization while this request ran; send the request again`);
  }
  return { user, memberships };
}

/** The admin roles a change takes away from a user. */
export interface LostAdminRoles {
  /** The user stops counting as org admin in every organization they administer (disabled or deleted). */
  organizations: boolean;
  /** The user stops counting as platform admin. */
  platform: boolean;
}

/**
 * Raises 409 if the change would leave one of the user's organizations without another active org
 * admin, or the service without another active platform admin. Call it while holding the locks that
 * `lockUserForChange` took for the same roles.
 */
export async function requireAdminsRemain(
  tx: TransactionSql,
  userId: string,
  memberships: OrganizationMembership[],
  lost: LostAdminRoles,
): Promise<void> {
  if (lost.organizations) {
    for (const membership of memberships) {
      if (membership.role === 'org_admin') await requireAnotherOrgAdmin(tx, membership.organizationId, userId);
    }
  }
  if (lost.platform) await requireAnotherPlatformAdmin(tx, userId);
}

/** Raises 409 unless another active platform admin remains besides `userId`. */
export async function requireAnotherPlatformAdmin(tx: TransactionSql, userId: string): Promise<void> {
  const [row] = await tx<{ others: number }[]>`
    SELECT count(*)::int AS others FROM users WHERE platform_admin AND status = 'active' AND id <> ${userId}`;
  if (row!.others === 0) {
    throw new HttpError(409, 'last_platform_admin', `user ${userId} is the last active platform admin; make another user platform admin first`);
  }
}
