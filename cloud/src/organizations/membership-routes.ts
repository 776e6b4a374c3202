import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { isAllowed } from '@simtestlab/sync';
import type { Caller } from '../access/caller';
import { isUuid, organizationFilter, requireOrganization } from '../access/guards';
import { runChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, forbidden, HttpError } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import type { TransactionSql } from '../db/connect';
import { inTenantScope } from '../db/scope';
import { idParam } from '../sites/schemas';
import { lockOrganization, requireAnotherOrgAdmin } from './last-org-admin';
import { toMember, type MemberRow } from './organization-rows';
import { addMemberBodySchema, memberListSchema, memberSchema, updateMemberBodySchema } from './schemas';

const organizationParams = z.object({ organizationId: idParam('organizationId') });
const memberParams = z.object({ organizationId: idParam('organizationId'), userId: idParam('userId') });

const listMembersRoute = createRoute({
  method: 'get',
  path: '/api/organizations/{organizationId}/members',
  tags: ['organizations'],
  summary: "List an organization's members (org admins and up, and site managers of its sites)",
  security: bearerSecurity,
  request: { params: organizationParams },
  responses: {
    200: { description: 'Members', content: { 'application/json': { schema: memberListSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

const addMemberRoute = createRoute({
  method: 'post',
  path: '/api/organizations/{organizationId}/members',
  tags: ['organizations'],
  summary: 'Add an existing user to an organization by email (org admins and up); invite new users with POST /api/users',
  security: bearerSecurity,
  request: { params: organizationParams, body: { required: true, content: { 'application/json': { schema: addMemberBodySchema } } } },
  responses: {
    201: { description: 'The new member', content: { 'application/json': { schema: memberSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const updateMemberRoute = createRoute({
  method: 'patch',
  path: '/api/organizations/{organizationId}/members/{userId}',
  tags: ['organizations'],
  summary: "Change a member's role (org admins and up); the last active org admin cannot be demoted",
  security: bearerSecurity,
  request: { params: memberParams, body: { required: true, content: { 'application/json': { schema: updateMemberBodySchema } } } },
  responses: {
    200: { description: 'The updated member', content: { 'application/json': { schema: memberSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const removeMemberRoute = createRoute({
  method: 'delete',
  path: '/api/organizations/{organizationId}/members/{userId}',
  tags: ['organizations'],
  summary: "Remove a member and their site access in the organization (org admins and up); the last active org admin cannot be removed",
  security: bearerSecurity,
  request: { params: memberParams },
  responses: { 204: { description: 'Removed' }, ...errorResponses(401, 403, 404, 409) },
});

const MEMBER_SELECT = 'm.user_id, u.email, u.name, u.status, m.role, m.created_at';

/** Returns whether the caller may list members: org admins and up, or a site manager at a site of the organization. */
function canListMembers(caller: Caller, organizationId: string): boolean {
  if (isAllowed(caller.organizationPrincipal(organizationId), 'org_user.manage')) return true;
  return caller.permissions.sites.some((grant) => grant.organizationId === organizationId && grant.role === 'site_manager');
}

/** Loads and locks one membership with its user, or raises 404. */
async function requireMember(tx: TransactionSql, caller: Caller, organizationId: string, userId: string): Promise<MemberRow> {
  const notMember = new HttpError(404, 'not_found', `user ${userId} is not a member of organization ${organizationId}`);
  if (!isUuid(userId)) throw notMember;
  const [member] = await tx<MemberRow[]>`
    SELECT ${tx.unsafe(MEMBER_SELECT)} FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE m.organization_id = ${organizationId} AND m.user_id = ${userId} ${organizationFilter(tx, caller, 'm.organization_id')}
    FOR UPDATE OF m`;
  if (!member) throw notMember;
  return member;
}

export function registerMembershipRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(listMembersRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId } = c.req.valid('param');
    requireOrganization(caller, organizationId, 'dashboard.view');
    if (!canListMembers(caller, organizationId)) {
      throw forbidden(`only org admins and site managers may list the members of organization ${organizationId}`);
    }
    const rows = await inTenantScope(deps.sql, caller.scope, (tx) => tx<MemberRow[]>`
      SELECT ${tx.unsafe(MEMBER_SELECT)} FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.organization_id = ${organizationId} ${organizationFilter(tx, caller, 'm.organization_id')}
      ORDER BY u.name, u.email`);
    return c.json({ members: rows.map(toMember) }, 200);
  });

  app.openapi(addMemberRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId } = c.req.valid('param');
    const { email, role } = c.req.valid('json');
    requireOrganization(caller, organizationId, 'org_user.manage');
    const member = await runChange(deps, c, async ({ tx, audit, permissionsChanged }) => {
      await lockOrganization(tx, organizationId);
      // Looked up by email alone, outside any membership: adding a user who is in no organization of the
      // caller's yet is the point of this route, and the caller already knows the email.
      const [user] = await tx<{ id: string }[]>`SELECT id FROM users WHERE lower(email) = ${email.toLowerCase()}`;
      if (!user) {
        throw new HttpError(404, 'not_found', `no user has the email ${email}; invite the user with POST /api/users`);
      }
      const inserted = await tx`
        INSERT INTO memberships (user_id, organization_id, role) VALUES (${user.id}, ${organizationId}, ${role})
        ON CONFLICT (user_id, organization_id) DO NOTHING RETURNING user_id`;
      if (inserted.length === 0) {
        throw new HttpError(409, 'already_member', `user ${email} is already a member of organization ${organizationId}; change the role with PATCH instead`);
      }
      const [created] = await tx<MemberRow[]>`
        SELECT ${tx.unsafe(MEMBER_SELECT)} FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.organization_id = ${organizationId} AND m.user_id = ${user.id} ${organizationFilter(tx, caller, 'm.organization_id')}`;
      await permissionsChanged(user.id);
      await audit({
        action: 'membership.create',
        targetType: 'membership',
        targetId: user.id,
        organizationId,
        after: { userId: user.id, email: created!.email, role },
      });
      return created!;
    });
    c.var.logger.info({ organizationId, userId: member.user_id, role }, 'member added');
    return c.json(toMember(member), 201);
  });

  app.openapi(updateMemberRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId, userId } = c.req.valid('param');
    const { role } = c.req.valid('json');
    requireOrganization(caller, organizationId, 'org_user.manage');
    const member = await runChange(deps, c, async ({ tx, audit, permissionsChanged }) => {
      await lockOrganization(tx, organizationId);
      const before = await requireMember(tx, caller, organizationId, userId);
      if (before.role === 'org_admin' && role !== 'org_admin') await requireAnotherOrgAdmin(tx, organizationId, userId);
      await tx`
        UPDATE memberships SET role = ${role}
        WHERE organization_id = ${organizationId} AND user_id = ${userId} ${organizationFilter(tx, caller, 'organization_id')}`;
      await permissionsChanged(userId);
      await audit({
        action: 'membership.update',
        targetType: 'membership',
        targetId: userId,
        organizationId,
        before: { userId, email: before.email, role: before.role },
        after: { userId, email: before.email, role },
      });
      return { ...before, role };
    });
    c.var.logger.info({ organizationId, userId, role }, 'member role changed');
    return c.json(toMember(member), 200);
  });

  app.openapi(removeMemberRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId, userId } = c.req.valid('param');
    requireOrganization(caller, organizationId, 'org_user.manage');
    await runChange(deps, c, async ({ tx, audit, permissionsChanged }) => {
      await lockOrganization(tx, organizationId);
      const before = await requireMember(tx, caller, organizationId, userId);
      if (before.role === 'org_admin') await requireAnotherOrgAdmin(tx, organizationId, userId);
      const siteAccess = await tx<{ siteId: string; role: string }[]>`
        SELECT site_id AS "siteId", role FROM site_access
        WHERE organization_id = ${organizationId} AND user_id = ${userId} ${organizationFilter(tx, caller, 'organization_id')}
        ORDER BY site_id`;
      // The foreign key from site_access to memberships cascades, so this also removes the site access.
      await tx`
        DELETE FROM memberships
        WHERE organization_id = ${organizationId} AND user_id = ${userId} ${organizationFilter(tx, caller, 'organization_id')}`;
      await permissionsChanged(userId);
      await audit({
        action: 'membership.delete',
        targetType: 'membership',
        targetId: userId,
        organizationId,
        before: { userId, email: before.email, role: before.role, siteAccess: [...siteAccess] },
      });
    });
    c.var.logger.info({ organizationId, userId }, 'member removed');
    return c.body(null, 204);
  });
}
