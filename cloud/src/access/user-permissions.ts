import { z } from 'zod';
import { organizationRoleSchema, siteRoleSchema } from '@simtestlab/sync';
import type { Sql } from '../db/connect';
import { allOrganizations, inTenantScope } from '../db/scope';

/** Everything authorization needs about one user, as cached between requests. */
export const userPermissionsSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  status: z.enum(['active', 'disabled']),
  platformAdmin: z.boolean(),
  developer: z.boolean(),
  permissionsVersion: z.number().int(),
  /** Access tokens whose permissions version (claim pv) is lower were revoked by a disable or a password reset. */
  tokensValidFromVersion: z.number().int(),
  organizations: z.array(z.object({ id: z.string(), role: organizationRoleSchema })),
  /** Explicit site access grants only; org admins reach their organizations' other sites through their role. */
  sites: z.array(z.object({ id: z.string(), organizationId: z.string(), role: siteRoleSchema })),
});
export type UserPermissions = z.infer<typeof userPermissionsSchema>;

/** Reads a user's permissions from the database, or null if there is no such user. */
export async function loadUserPermissions(sql: Sql, userId: string): Promise<UserPermissions | null> {
  return inTenantScope(sql, allOrganizations, async (tx) => {
    const [user] = await tx<
      {
        id: string;
        email: string;
        name: string;
        status: 'active' | 'disabled';
        platform_admin: boolean;
        developer: boolean;
        permissions_version: number;
        tokens_valid_from_version: number;
      }[]
    >`
      SELECT id, email, name, status, platform_admin, developer, permissions_version, tokens_valid_from_version
      FROM users WHERE id = ${userId}`;
    if (!user) return null;
    const organizations = await tx<{ id: string; role: 'org_admin' | 'member' }[]>`
      SELECT organization_id AS id, role FROM memberships WHERE user_id = ${userId} ORDER BY organization_id`;
    const sites = await tx<{ id: string; organizationId: string; role: 'viewer' | 'operator' | 'site_manager' }[]>`
      SELECT site_id AS id, organization_id AS "organizationId", role FROM site_access WHERE user_id = ${userId} ORDER BY site_id`;
    return {
      userId: user.id,
      email: user.email,
      name: user.name,
      status: user.status,
      platformAdmin: user.platform_admin,
      developer: user.developer,
      permissionsVersion: user.permissions_version,
      tokensValidFromVersion: user.tokens_valid_from_version,
      organizations: [...organizations],
      sites: [...sites],
    };
  });
}
