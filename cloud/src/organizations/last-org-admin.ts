import type { TransactionSql } from '../db/connect';
import { HttpError, notFound } from '../api/http-error';

/**
 * Locks an organization's row until the transaction ends. Every membership change takes this lock first,
 * so two requests that each demote or remove one of the last two org admins run in turn, and the second
 * counts the admins that the first left. Check that the caller may see the organization before calling.
 */
export async function lockOrganization(tx: TransactionSql, organizationId: string): Promise<void> {
  const [locked] = await tx`SELECT id FROM organizations WHERE id = ${organizationId} FOR NO KEY UPDATE`;
  if (!locked) throw notFound('organization', organizationId);
}

/**
 * Raises 409 unless the organization keeps another active org admin besides `userId`, so that removing
 * or demoting `userId` cannot leave the organization without anyone able to manage it. A disabled admin
 * does not count because they cannot log in.
 */
export async function requireAnotherOrgAdmin(tx: TransactionSql, organizationId: string, userId: string): Promise<void> {
  const [row] = await tx<{ others: number }[]>`
    SELECT count(*)::int AS others FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE m.organization_id = ${organizationId} AND m.role = 'org_admin' AND m.user_id <> ${userId} AND u.status = 'active'`;
  if (row!.others === 0) {
    throw new HttpError(
      409,
      'last_org_admin',
      `user ${userId} is the last active org admin of organization ${organizationId}; make another member org admin first`,
    );
  }
}
