import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { runChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, forbidden, HttpError } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { revokeUserRefreshTokens } from '../auth/refresh-tokens';
import { allOrganizations } from '../db/scope';
import { lockOrganization, requireAnotherOrgAdmin } from '../organizations/last-org-admin';
import { idParam } from '../sites/schemas';
import { updateUserBodySchema, userSchema } from './schemas';
import {
  allMembershipsOf,
  auditOrganizationOf,
  membershipsVisibleTo,
  requireAnotherPlatformAdmin,
  requireUserAuthority,
  requireVisibleUser,
} from './user-access';
import { loadMemberships, toUser, userAuditState, USER_SELECT, type UserRow } from './user-rows';

const userParams = z.object({ userId: idParam('userId') });

const updateUserRoute = createRoute({
  method: 'patch',
  path: '/api/users/{userId}',
  tags: ['users'],
  summary: "Change a user's name, status or flags; disabling revokes their sessions",
  description:
    'Platform admins change anything but may not disable themselves. Org admins change name and status of users ' +
    'who are no platform admins and whose every organization they administer. Everyone may change their own name.',
  security: bearerSecurity,
  request: { params: userParams, body: { required: true, content: { 'application/json': { schema: updateUserBodySchema } } } },
  responses: {
    200: { description: 'The updated user', content: { 'application/json': { schema: userSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const deleteUserRoute = createRoute({
  method: 'delete',
  path: '/api/users/{userId}',
  tags: ['users'],
  summary: 'Delete a user with their memberships, site access and sessions (platform admins)',
  security: bearerSecurity,
  request: { params: userParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 409) },
});

export function registerUserChangeRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(updateUserRoute, async (c) => {
    const { caller } = c.var;
    const { userId } = c.req.valid('param');
    const body = c.req.valid('json');
    const self = userId === caller.userId;
    // Scoped to all organizations because the authority check reads the user's memberships everywhere.
    const user = await runChange(
      deps,
      c,
      async ({ tx, audit, permissionsChanged }) => {
        const before = await requireVisibleUser(tx, caller, userId, { lock: true });
        if (self && body.status === 'disabled') {
          throw new HttpError(409, 'cannot_disable_self', 'you cannot disable your own account; ask another administrator');
        }
        if ((body.platformAdmin !== undefined || body.developer !== undefined) && !caller.platformAdmin) {
          throw forbidden('only platform admins may change the platformAdmin and developer flags');
        }
        const memberships = await allMembershipsOf(tx, userId);
        if (body.status !== undefined || (body.name !== undefined && !self)) requireUserAuthority(caller, before, memberships);
        if (body.platformAdmin === false && before.platform_admin) await requireAnotherPlatformAdmin(tx, userId);

        const [after] = await tx<UserRow[]>`
          UPDATE users AS u SET
            name = ${body.name ?? before.name},
            status = ${body.status ?? before.status},
            platform_admin = ${body.platformAdmin ?? before.platform_admin},
            developer = ${body.developer ?? before.developer},
            updated_at = now()
          WHERE u.id = ${userId}
          RETURNING ${tx.unsafe(USER_SELECT)}`;
        if (after!.status === 'disabled' && before.status !== 'disabled') await revokeUserRefreshTokens(tx, userId);
        const auditBefore = userAuditState(before);
        const auditAfter = userAuditState(after!);
        // The cached permissions carry the name as well as the status and flags, so any change refreshes them.
        if (JSON.stringify(auditBefore) !== JSON.stringify(auditAfter)) await permissionsChanged(userId);
        await audit({
          action: 'user.update',
          targetType: 'user',
          targetId: userId,
          organizationId: auditOrganizationOf(caller, memberships),
          before: auditBefore,
          after: auditAfter,
        });
        const visible = await loadMemberships(tx, caller, [userId], membershipsVisibleTo(caller, userId));
        return toUser(after!, visible.get(userId)!);
      },
      allOrganizations,
    );
    c.var.logger.info({ userId, status: user.status }, 'user updated');
    return c.json(user, 200);
  });

  app.openapi(deleteUserRoute, async (c) => {
    const { caller } = c.var;
    const { userId } = c.req.valid('param');
    // Scoped to all organizations because the user's memberships everywhere go with them.
    await runChange(
      deps,
      c,
      async ({ tx, audit, permissionsChanged }) => {
        await requireVisibleUser(tx, caller, userId);
        if (!caller.platformAdmin) throw forbidden('only platform admins may delete users; disable the user instead');
        if (userId === caller.userId) throw new HttpError(409, 'cannot_delete_self', 'you cannot delete your own account; ask another platform admin');
        const memberships = await allMembershipsOf(tx, userId);
        // Organizations first, then the user, in the order the membership routes lock them.
        const administered = memberships.filter((membership) => membership.role === 'org_admin').map((membership) => membership.organizationId);
        for (const organizationId of administered) await lockOrganization(tx, organizationId);
        const before = await requireVisibleUser(tx, caller, userId, { lock: true });
        for (const organizationId of administered) await requireAnotherOrgAdmin(tx, organizationId, userId);
        // Raised before the delete so the cached permissions are dropped once it commits.
        await permissionsChanged(userId);
        await tx`DELETE FROM users WHERE id = ${userId}`;
        const organizationId = auditOrganizationOf(caller, memberships);
        // Only the role in the entry's own organization, so its admins do not learn the user's other organizations.
        const organizationRole = memberships.find((membership) => membership.organizationId === organizationId)?.role ?? null;
        await audit({
          action: 'user.delete',
          targetType: 'user',
          targetId: userId,
          organizationId,
          before: { ...userAuditState(before), organizationRole, organizationCount: memberships.length },
        });
      },
      allOrganizations,
    );
    c.var.logger.info({ userId }, 'user deleted');
    return c.body(null, 204);
  });
}
