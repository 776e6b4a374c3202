import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { isUuid, requireSite } from '../access/guards';
import { runChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, HttpError, notFound } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import { idParam } from '../sites/schemas';
import { listGrants, loadGrant, lockMember, toGrant, type GrantRow } from './grant-rows';
import { checkGrantChange } from './grant-rules';
import { putSiteAccessBodySchema, siteAccessGrantSchema, siteAccessListSchema } from './schemas';

const siteParams = z.object({ siteId: idParam('siteId') });
const grantParams = z.object({ siteId: idParam('siteId'), userId: idParam('userId') });

const listAccessRoute = createRoute({
  method: 'get',
  path: '/api/sites/{siteId}/access',
  tags: ['site access'],
  summary: "List a site's explicit access grants (site managers and up)",
  security: bearerSecurity,
  request: { params: siteParams },
  responses: { 200: { description: 'Grants', content: { 'application/json': { schema: siteAccessListSchema } } }, ...errorResponses(401, 403, 404) },
});

const putAccessRoute = createRoute({
  method: 'put',
  path: '/api/sites/{siteId}/access/{userId}',
  tags: ['site access'],
  summary: "Grant a member of the site's organization a role at the site, or change it (site managers and up)",
  description:
    'Site managers grant viewer and operator; org admins and platform admins grant all three roles. A site manager changes neither their own grant nor another site manager\'s.',
  security: bearerSecurity,
  request: { params: grantParams, body: { required: true, content: { 'application/json': { schema: putSiteAccessBodySchema } } } },
  responses: { 200: { description: 'The grant', content: { 'application/json': { schema: siteAccessGrantSchema } } }, ...errorResponses(400, 401, 403, 404) },
});

const deleteAccessRoute = createRoute({
  method: 'delete',
  path: '/api/sites/{siteId}/access/{userId}',
  tags: ['site access'],
  summary: "Revoke a user's access grant at a site (site managers and up; a site manager grant only by org admins)",
  security: bearerSecurity,
  request: { params: grantParams },
  responses: { 204: { description: 'Revoked' }, ...errorResponses(401, 403, 404) },
});

export function registerSiteAccessRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(listAccessRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const rows = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const site = await requireSite(tx, caller, siteId, 'site_user.manage');
      return listGrants(tx, site);
    });
    return c.json({ grants: rows.map(toGrant) }, 200);
  });

  app.openapi(putAccessRoute, async (c) => {
    const { caller } = c.var;
    const { siteId, userId } = c.req.valid('param');
    const { role } = c.req.valid('json');
    const { grant, before } = await runChange(deps, c, async ({ tx, audit, permissionsChanged }) => {
      const site = await requireSite(tx, caller, siteId, 'site_user.manage');
      const member = isUuid(userId) ? await lockMember(tx, site, userId) : null;
      if (!member) throw notFound('user', userId);
      const existing = await loadGrant(tx, site, userId);
      const before = existing?.role ?? null;
      checkGrantChange({ siteId: site.id, granterId: caller.userId, granterRole: site.role, userId, before, after: role });
      // Granting the role the user already has changes nothing, so nothing is audited or invalidated.
      if (existing && before === role) return { grant: existing, before };

      const [row] = await tx<Pick<GrantRow, 'user_id' | 'role' | 'granted_by' | 'created_at'>[]>`
        INSERT INTO site_access (user_id, site_id, organization_id, role, granted_by)
        VALUES (${userId}, ${site.id}, ${site.organizationId}, ${role}, ${caller.userId})
        ON CONFLICT (user_id, site_id) DO UPDATE SET role = excluded.role, granted_by = excluded.granted_by
        RETURNING user_id, role, granted_by, created_at`;
      await permissionsChanged(userId);
      await audit({
        action: before === null ? 'site_access.grant' : 'site_access.update',
        targetType: 'user',
        targetId: userId,
        organizationId: site.organizationId,
        siteId: site.id,
        before: before === null ? null : { role: before },
        after: { role },
      });
      return { grant: { ...row!, email: member.email, name: member.name }, before };
    });
    if (before !== role) c.var.logger.info({ siteId, userId, before, after: role }, 'site access granted');
    return c.json(toGrant(grant), 200);
  });

  app.openapi(deleteAccessRoute, async (c) => {
    const { caller } = c.var;
    const { siteId, userId } = c.req.valid('param');
    const before = await runChange(deps, c, async ({ tx, audit, permissionsChanged }) => {
      const site = await requireSite(tx, caller, siteId, 'site_user.manage');
      const member = isUuid(userId) ? await lockMember(tx, site, userId) : null;
      if (!member) throw notFound('user', userId);
      const before = (await loadGrant(tx, site, userId))?.role ?? null;
      if (before === null) throw new HttpError(404, 'not_found', `user ${userId} has no access grant at site ${site.id}`);
      checkGrantChange({ siteId: site.id, granterId: caller.userId, granterRole: site.role, userId, before, after: null });

      await tx`DELETE FROM site_access WHERE user_id = ${userId} AND site_id = ${site.id} AND organization_id = ${site.organizationId}`;
      await permissionsChanged(userId);
      await audit({
        action: 'site_access.revoke',
        targetType: 'user',
        targetId: userId,
        organizationId: site.organizationId,
        siteId: site.id,
        before: { role: before },
      });
      return before;
    });
    c.var.logger.info({ siteId, userId, before }, 'site access revoked');
    return c.body(null, 204);
  });
}
