import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { Caller } from '../access/caller';
import { loadUserPermissions } from '../access/user-permissions';
import { runChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, HttpError } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { allOrganizations } from '../db/scope';
import { allMembershipsOf, auditOrganizationOf, requireVisibleUser } from '../users/user-access';
import { userAuditState, USER_SELECT, type UserRow } from '../users/user-rows';
import { describeProfile } from './describe-profile';
import { registerPasswordChangeRoute } from './password-route';
import { profileSchema, updateProfileBodySchema } from './schemas';

const getProfileRoute = createRoute({
  method: 'get',
  path: '/api/me',
  tags: ['profile'],
  summary: "The caller's profile: flags, memberships, and every site they can open with their role and allowed actions",
  security: bearerSecurity,
  responses: {
    200: { description: 'The profile', content: { 'application/json': { schema: profileSchema } } },
    ...errorResponses(401),
  },
});

const updateProfileRoute = createRoute({
  method: 'patch',
  path: '/api/me',
  tags: ['profile'],
  summary: "Change the caller's own name",
  description:
    'Audited as `user.update`, like PATCH /api/users/{userId}. Edges receive the new name through their synced users. ' +
    'A name equal to the current one changes nothing and writes no audit entry.',
  security: bearerSecurity,
  request: { body: { required: true, content: { 'application/json': { schema: updateProfileBodySchema } } } },
  responses: {
    200: { description: 'The updated profile', content: { 'application/json': { schema: profileSchema } } },
    ...errorResponses(400, 401),
  },
});

export function registerProfileRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(getProfileRoute, async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await describeProfile(deps.sql, c.var.caller), 200);
  });

  app.openapi(updateProfileRoute, async (c) => {
    const { caller } = c.var;
    const { name } = c.req.valid('json');
    // Scoped to all organizations because the audit entry's organization comes from every membership.
    const changed = await runChange(
      deps,
      c,
      async ({ tx, audit, permissionsChanged }) => {
        const before = await requireVisibleUser(tx, caller, caller.userId, { lock: true });
        if (before.name === name) return false;
        const [after] = await tx<UserRow[]>`
          UPDATE users AS u SET name = ${name}, updated_at = now() WHERE u.id = ${caller.userId}
          RETURNING ${tx.unsafe(USER_SELECT)}`;
        // The cached permissions carry the name, so they are reloaded.
        await permissionsChanged(caller.userId);
        await audit({
          action: 'user.update',
          targetType: 'user',
          targetId: caller.userId,
          organizationId: auditOrganizationOf(caller, await allMembershipsOf(tx, caller.userId)),
          before: userAuditState(before),
          after: userAuditState(after!),
        });
        return true;
      },
      allOrganizations,
    );
    if (changed) c.var.logger.info({ userId: caller.userId }, 'user changed their own name');
    const permissions = await loadUserPermissions(deps.sql, caller.userId);
    if (!permissions) throw new HttpError(401, 'user_disabled', 'this account no longer exists; ask an administrator');
    c.header('Cache-Control', 'no-store');
    return c.json(await describeProfile(deps.sql, new Caller(permissions)), 200);
  });

  registerPasswordChangeRoute(app, deps);
}
