import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireOrganization } from '../access/guards';
import { runChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, forbidden, HttpError } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { allOrganizations } from '../db/scope';
import { lockOrganization } from '../organizations/last-org-admin';
import { idParam } from '../sites/schemas';
import { issuePasswordLink } from './password-links';
import { invitationSchema, inviteUserBodySchema, passwordLinkSchema } from './schemas';
import { allMembershipsOf, auditOrganizationOf, requireUserAuthority, requireVisibleUser } from './user-access';
import { loadMemberships, toUser, USER_SELECT, type UserRow } from './user-rows';
import { endUserSessions } from './user-sessions';

const inviteUserRoute = createRoute({
  method: 'post',
  path: '/api/users',
  tags: ['users'],
  summary: 'Invite a new user: creates the user without a password and returns a set-password link valid for 7 days',
  description:
    'Org admins invite into an organization they administer; platform admins may omit organizationId. ' +
    "The organization becomes the user's home organization, whose org admins may later change the user. " +
    'Add an existing user to an organization with POST /api/organizations/{organizationId}/members instead.',
  security: bearerSecurity,
  request: { body: { required: true, content: { 'application/json': { schema: inviteUserBodySchema } } } },
  responses: {
    201: { description: 'The new user and their set-password link', content: { 'application/json': { schema: invitationSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const resetPasswordRoute = createRoute({
  method: 'post',
  path: '/api/users/{userId}/reset-password',
  tags: ['users'],
  summary: "Clear a user's password, end their sessions and return a set-password link valid for 24 hours",
  description:
    'The old password and every refresh and access token of the user stop working at once. Allowed to platform ' +
    'admins, and to org admins where PATCH /api/users/{userId} would let them change the status.',
  security: bearerSecurity,
  request: { params: z.object({ userId: idParam('userId') }) },
  responses: {
    200: { description: 'The set-password link', content: { 'application/json': { schema: passwordLinkSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

export function registerInviteRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(inviteUserRoute, async (c) => {
    const { caller } = c.var;
    const { email, name, organizationId, organizationRole } = c.req.valid('json');
    if (organizationId === undefined) {
      if (organizationRole !== undefined) {
        throw new HttpError(400, 'invalid_request', 'organizationRole needs organizationId: name the organization the role is in', {
          parameter: 'organizationRole',
        });
      }
      if (!caller.platformAdmin) throw forbidden('only platform admins may invite a user outside any organization; pass organizationId');
    } else {
      requireOrganization(caller, organizationId, 'org_user.manage');
    }
    const role = organizationId === undefined ? null : (organizationRole ?? 'member');

    const result = await runChange(deps, c, async ({ tx, audit, permissionsChanged }) => {
      if (organizationId !== undefined) await lockOrganization(tx, organizationId);
      const [user] = await tx<UserRow[]>`
        INSERT INTO users AS u (email, name, home_organization_id) VALUES (${email}, ${name}, ${organizationId ?? null})
        ON CONFLICT ((lower(email))) DO NOTHING
        RETURNING ${tx.unsafe(USER_SELECT)}`;
      if (!user) {
        throw new HttpError(409, 'email_taken', `a user with the email ${email} already exists; add them to an organization with POST /api/organizations/{organizationId}/members`, {
          parameter: 'email',
        });
      }
      if (organizationId !== undefined) {
        await tx`INSERT INTO memberships (user_id, organization_id, role) VALUES (${user.id}, ${organizationId}, ${role})`;
        await permissionsChanged(user.id);
      }
      const link = await issuePasswordLink(tx, user.id, 'invite', deps.publicUrl);
      await audit({
        action: 'user.invite',
        targetType: 'user',
        targetId: user.id,
        organizationId: organizationId ?? null,
        after: { email: user.email, name: user.name, organizationRole: role, linkExpiresAt: link.expiresAt },
      });
      const memberships = await loadMemberships(tx, caller, [user.id], organizationId === undefined ? [] : [organizationId]);
      return { user: toUser(user, memberships.get(user.id)!), ...link };
    });
    c.var.logger.info({ userId: result.user.id, organizationId: organizationId ?? null }, 'user invited');
    c.header('Cache-Control', 'no-store');
    return c.json(result, 201);
  });

  app.openapi(resetPasswordRoute, async (c) => {
    const { caller } = c.var;
    const { userId } = c.req.valid('param');
    // Scoped to all organizations because the authority check reads the user's memberships everywhere.
    const link = await runChange(
      deps,
      c,
      async ({ tx, audit, permissionsChanged }) => {
        const user = await requireVisibleUser(tx, caller, userId, { lock: true });
        const memberships = await allMembershipsOf(tx, userId);
        requireUserAuthority(caller, user, memberships);
        await tx`UPDATE users SET password_hash = NULL, updated_at = now() WHERE id = ${userId}`;
        await endUserSessions({ tx, permissionsChanged }, userId);
        const issued = await issuePasswordLink(tx, userId, 'reset', deps.publicUrl);
        await audit({
          action: 'user.password_reset',
          targetType: 'user',
          targetId: userId,
          organizationId: auditOrganizationOf(caller, memberships),
          after: { linkExpiresAt: issued.expiresAt },
        });
        return issued;
      },
      allOrganizations,
    );
    c.var.logger.info({ userId }, 'password cleared, sessions ended and reset link issued');
    c.header('Cache-Control', 'no-store');
    return c.json(link, 200);
  });
}
