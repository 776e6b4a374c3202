import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { runChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, forbidden, HttpError } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { allOrganizations } from '../db/scope';
import { idParam } from '../sites/schemas';
import { lockUserForChange, requireAdminsRemain } from './last-admins';
import { voidPasswordLinks } from './password-links';
import { updateUserBodySchema, userSchema } from './schemas';
import { auditOrganizationOf, membershipsVisibleTo, requireUserAuthority, requireVisibleUser } from './user-access';
import { loadMemberships, toUser, userAuditState, USER_SELECT, type UserRow } from './user-rows';
import { endUserSessions } from './user-sessions';

const userParams = z.object({ userId: idParam('userId') });

const updateUserRoute = createRoute({
  method: 'patch',
  path: '/api/users/{userId}',
  tags: ['users'],
  summary: "Change a user's name, status or flags; disabling ends their sessions and voids their set-password links",
  description:
    'Platform admins change anything but may not disable themselves. Org admins change name and status of users ' +
    'they invited into an organization they administer, who belong to no other organization and are neither ' +
    'platform admins nor developers. Everyone may change their own name. The last active org admin of an ' +
    'organization and the last active platform admin cannot be disabled. A request that changes nothing ' +
    'writes no audit entry.',
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
  summary: 'Delete a user with their memberships, site access and sessions (platform admins); the last active org admin of an organization and the last active platform admin cannot be deleted',
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
    const { user, changed } = await runChange(
      deps,
      c,
      async ({ tx, audit, permissionsChanged }) => {
        await requireVisibleUser(tx, caller, userId);
        if (self && body.status === 'disabled') {
          throw new HttpError(409, 'cannot_disable_self', 'you cannot disable your own account; ask another administrator');
        }
        if ((body.platformAdmin !== undefined || body.developer !== undefined) && !caller.platformAdmin) {
          throw forbidden('only platform admins may change the platformAdmin and developer flags');
        }
        const { user: before, memberships } = await lockUserForChange(tx, caller, userId, {
          organizations: body.status === 'disabled',
          platformAdmins: body.status === 'disabled' || body.platformAdmin === false,
        });
        if (body.status !== undefined || (body.name !== undefined && !self)) requireUserAuthority(caller, before, memberships);
        const visibleMemberships = async () => (await loadMemberships(tx, caller, [userId], membershipsVisibleTo(caller, userId))).get(userId)!;

        const requested: UserRow = {
          ...before,
          name: body.name ?? before.name,
          status: body.status ?? before.status,
          platform_admin: body.platformAdmin ?? before.platform_admin,
          developer: body.developer ?? before.developer,
        };
        const auditBefore = userAuditState(before);
        if (JSON.stringify(userAuditState(requested)) === JSON.stringify(auditBefore)) {
          return { user: toUser(before, await visibleMemberships()), changed: false };
        }
        const disabling = before.status === 'active' && requested.status === 'disabled';
        await requireAdminsRemain(tx, userId, memberships, {
          organizations: disabling,
          platform: before.platform_admin && (disabling || !requested.platform_admin),
        });

        const [after] = await tx<UserRow[]>`
          UPDATE users AS u SET
            name = ${requested.name},
            status = ${requested.status},
            platform_admin = ${requested.platform_admin},
            developer = ${requested.developer},
            updated_at = now()
          WHERE u.id = ${userId}
          RETURNING ${tx.unsafe(USER_SELECT)}`;
        if (disabling) {
          await endUserSessions({ tx, permissionsChanged }, userId);
          // A pending invitation or reset link would otherwise still set a password for the disabled user.
          await voidPasswordLinks(tx, userId);
        } else {
          // The cached permissions carry the name as well as the status and flags, so any change refreshes them.
          await permissionsChanged(userId);
        }
        await audit({
          action: 'user.update',
          targetType: 'user',
          targetId: userId,
          organizationId: auditOrganizationOf(caller, memberships),
          before: auditBefore,
          after: userAuditState(after!),
        });
        return { user: toUser(after!, await visibleMemberships()), changed: true };
      },
      allOrganizations,
    );
    if (changed) c.var.logger.info({ userId, status: user.status }, 'user updated');
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
        const { user: before, memberships } = await lockUserForChange(tx, caller, userId, { organizations: true, platformAdmins: true });
        await requireAdminsRemain(tx, userId, memberships, { organizations: true, platform: before.platform_admin });
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
