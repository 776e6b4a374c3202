import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { organizationFilter, requireOrganization } from '../access/guards';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, forbidden } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import { idParam } from '../sites/schemas';
import { registerInviteRoutes } from './invite-routes';
import { userListQuerySchema, userListSchema, userSchema } from './schemas';
import { administeredOrganizations, membershipsVisibleTo, requireVisibleUser } from './user-access';
import { registerUserChangeRoutes } from './user-change-routes';
import { loadMemberships, toUser, USER_SELECT, type UserRow } from './user-rows';

const listUsersRoute = createRoute({
  method: 'get',
  path: '/api/users',
  tags: ['users'],
  summary: 'List users: every user for platform admins, the members of the organizations they administer for org admins',
  security: bearerSecurity,
  request: { query: userListQuerySchema },
  responses: {
    200: { description: 'Users', content: { 'application/json': { schema: userListSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const getUserRoute = createRoute({
  method: 'get',
  path: '/api/users/{userId}',
  tags: ['users'],
  summary: 'Read a user: oneself, anyone for platform admins, members of their organizations for org admins',
  security: bearerSecurity,
  request: { params: z.object({ userId: idParam('userId') }) },
  responses: {
    200: { description: 'The user', content: { 'application/json': { schema: userSchema } } },
    ...errorResponses(401, 404),
  },
});

/** Escapes the LIKE wildcards (and the escape character itself) so a search string matches literally. */
function likeSubstring(search: string): string {
  return `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

export function registerUserRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(listUsersRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId, q } = c.req.valid('query');
    const administered = administeredOrganizations(caller);
    if (!caller.platformAdmin && administered.length === 0) throw forbidden('only org admins and platform admins may list users');
    if (organizationId !== undefined) requireOrganization(caller, organizationId, 'org_user.manage');

    const result = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const memberOf = (organizationIds: readonly string[]) => tx`
        AND EXISTS (
          SELECT 1 FROM memberships m
          WHERE m.user_id = u.id AND m.organization_id = ANY(${tx.array([...organizationIds], 2950)})
            ${organizationFilter(tx, caller, 'm.organization_id')})`;
      const rows = await tx<UserRow[]>`
        SELECT ${tx.unsafe(USER_SELECT)} FROM users u
        WHERE true
          ${caller.platformAdmin ? tx`` : memberOf(administered)}
          ${organizationId === undefined ? tx`` : memberOf([organizationId])}
          ${q === undefined ? tx`` : tx`AND (u.email ILIKE ${likeSubstring(q)} OR u.name ILIKE ${likeSubstring(q)})`}
        ORDER BY u.name, u.email, u.id`;
      const memberships = await loadMemberships(
        tx,
        caller,
        rows.map((row) => row.id),
        caller.platformAdmin ? 'all' : administered,
      );
      return rows.map((row) => toUser(row, memberships.get(row.id)!));
    });
    return c.json({ users: result }, 200);
  });

  app.openapi(getUserRoute, async (c) => {
    const { caller } = c.var;
    const { userId } = c.req.valid('param');
    const user = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const row = await requireVisibleUser(tx, caller, userId);
      const memberships = await loadMemberships(tx, caller, [row.id], membershipsVisibleTo(caller, row.id));
      return toUser(row, memberships.get(row.id)!);
    });
    return c.json(user, 200);
  });

  registerInviteRoutes(app, deps);
  registerUserChangeRoutes(app, deps);
}
