import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { allowedActions } from '@simtestlab/sync';
import { organizationFilter, requireOrganization, requireSite } from '../access/guards';
import { runChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, notFound } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import { rejectTariffsInOtherTimeZone } from '../energy-settings/tariff-time-zone';
import { createSiteBodySchema, idParam, sitePermissionsSchema, siteSchema, updateSiteBodySchema } from './schemas';
import { siteAuditState, SITE_COLUMNS, toSite, type SiteRow } from './site-rows';

const siteParams = z.object({ siteId: idParam('siteId') });
const organizationParams = z.object({ organizationId: idParam('organizationId') });
const siteList = z.object({ sites: z.array(siteSchema) }).openapi('SiteList');

const listSitesRoute = createRoute({
  method: 'get',
  path: '/api/sites',
  tags: ['sites'],
  summary: 'List the sites the caller can open',
  security: bearerSecurity,
  request: { query: z.object({ organizationId: z.string().optional() }) },
  responses: { 200: { description: 'Sites', content: { 'application/json': { schema: siteList } } }, ...errorResponses(401, 404) },
});

const createSiteRoute = createRoute({
  method: 'post',
  path: '/api/organizations/{organizationId}/sites',
  tags: ['sites'],
  summary: 'Create a site in an organization (org admins and platform admins)',
  security: bearerSecurity,
  request: { params: organizationParams, body: { required: true, content: { 'application/json': { schema: createSiteBodySchema } } } },
  responses: { 201: { description: 'The new site', content: { 'application/json': { schema: siteSchema } } }, ...errorResponses(400, 401, 403, 404) },
});

const getSiteRoute = createRoute({
  method: 'get',
  path: '/api/sites/{siteId}',
  tags: ['sites'],
  summary: 'Read a site',
  security: bearerSecurity,
  request: { params: siteParams },
  responses: { 200: { description: 'The site', content: { 'application/json': { schema: siteSchema } } }, ...errorResponses(401, 404) },
});

const updateSiteRoute = createRoute({
  method: 'patch',
  path: '/api/sites/{siteId}',
  tags: ['sites'],
  summary: "Change a site's settings (site managers and up)",
  description:
    "Every tariff of the site's energy settings follows the site's time zone, so a new `timeZone` is rejected with 409 `time_zone_in_use` " +
    'while the site has tariffs in the old zone: remove them, change the zone, then enter them again in the new zone.',
  security: bearerSecurity,
  request: { params: siteParams, body: { required: true, content: { 'application/json': { schema: updateSiteBodySchema } } } },
  responses: { 200: { description: 'The updated site', content: { 'application/json': { schema: siteSchema } } }, ...errorResponses(400, 401, 403, 404, 409) },
});

const deleteSiteRoute = createRoute({
  method: 'delete',
  path: '/api/sites/{siteId}',
  tags: ['sites'],
  summary: 'Delete a site with its hierarchy, devices, access grants and edge nodes (org admins and up)',
  security: bearerSecurity,
  request: { params: siteParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
});

const sitePermissionsRoute = createRoute({
  method: 'get',
  path: '/api/sites/{siteId}/permissions',
  tags: ['sites'],
  summary: "The caller's effective role at a site and the actions it allows",
  security: bearerSecurity,
  request: { params: siteParams },
  responses: { 200: { description: 'Role and actions', content: { 'application/json': { schema: sitePermissionsSchema } } }, ...errorResponses(401, 404) },
});

export function registerSiteRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(listSitesRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId } = c.req.valid('query');
    if (organizationId !== undefined) requireOrganization(caller, organizationId, 'dashboard.view');
    const explicit = caller.permissions.sites.map((grant) => grant.id);
    const administered = caller.permissions.organizations.filter((membership) => membership.role === 'org_admin').map((membership) => membership.id);
    const rows = await inTenantScope(deps.sql, caller.scope, (tx) => tx<SiteRow[]>`
      SELECT ${tx(SITE_COLUMNS)} FROM sites
      WHERE true ${organizationFilter(tx, caller, 'organization_id')}
        ${organizationId === undefined ? tx`` : tx`AND organization_id = ${organizationId}`}
        ${caller.platformAdmin ? tx`` : tx`AND (id = ANY(${tx.array(explicit, 2950)}) OR organization_id = ANY(${tx.array(administered, 2950)}))`}
      ORDER BY name, id`);
    return c.json({ sites: rows.map((row) => toSite(row, caller.siteRole(row.id, row.organization_id)!)) }, 200);
  });

  app.openapi(createSiteRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId } = c.req.valid('param');
    const body = c.req.valid('json');
    requireOrganization(caller, organizationId, 'organization.manage');
    const row = await runChange(deps, c, async ({ tx, audit }) => {
      const [created] = await tx<SiteRow[]>`
        INSERT INTO sites (organization_id, name, time_zone, latitude, longitude, address, operator_control)
        VALUES (${organizationId}, ${body.name}, ${body.timeZone}, ${body.latitude ?? null}, ${body.longitude ?? null},
                ${body.address ?? null}, ${body.operatorControl ?? false})
        RETURNING ${tx(SITE_COLUMNS)}`;
      await audit({ action: 'site.create', targetType: 'site', targetId: created!.id, organizationId, siteId: created!.id, after: siteAuditState(created!) });
      return created!;
    });
    return c.json(toSite(row, caller.siteRole(row.id, organizationId)!), 201);
  });

  app.openapi(getSiteRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const row = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const site = await requireSite(tx, caller, siteId, 'dashboard.view');
      const [found] = await tx<SiteRow[]>`SELECT ${tx(SITE_COLUMNS)} FROM sites WHERE id = ${site.id} AND organization_id = ${site.organizationId}`;
      return found;
    });
    if (!row) throw notFound('site', siteId);
    return c.json(toSite(row, caller.siteRole(row.id, row.organization_id)!), 200);
  });

  app.openapi(updateSiteRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const body = c.req.valid('json');
    const row = await runChange(deps, c, async ({ tx, audit }) => {
      const site = await requireSite(tx, caller, siteId, 'site.manage');
      const [before] = await tx<SiteRow[]>`SELECT ${tx(SITE_COLUMNS)} FROM sites WHERE id = ${site.id} AND organization_id = ${site.organizationId} FOR UPDATE`;
      if (body.timeZone !== undefined && body.timeZone !== before!.time_zone) await rejectTariffsInOtherTimeZone(tx, site, before!.time_zone, body.timeZone);
      const [after] = await tx<SiteRow[]>`
        UPDATE sites SET
          name = ${body.name ?? before!.name},
          time_zone = ${body.timeZone ?? before!.time_zone},
          latitude = ${body.latitude === undefined ? before!.latitude : body.latitude},
          longitude = ${body.longitude === undefined ? before!.longitude : body.longitude},
          address = ${body.address === undefined ? before!.address : body.address},
          operator_control = ${body.operatorControl ?? before!.operator_control},
          updated_at = now()
        WHERE id = ${site.id} AND organization_id = ${site.organizationId}
        RETURNING ${tx(SITE_COLUMNS)}`;
      await audit({
        action: 'site.update',
        targetType: 'site',
        targetId: site.id,
        organizationId: site.organizationId,
        siteId: site.id,
        before: siteAuditState(before!),
        after: siteAuditState(after!),
      });
      return after!;
    });
    return c.json(toSite(row, caller.siteRole(row.id, row.organization_id)!), 200);
  });

  app.openapi(deleteSiteRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const affectedUsers = await runChange(deps, c, async ({ tx, audit, permissionsChanged }) => {
      const site = await requireSite(tx, caller, siteId, 'organization.manage');
      const [before] = await tx<SiteRow[]>`SELECT ${tx(SITE_COLUMNS)} FROM sites WHERE id = ${site.id} AND organization_id = ${site.organizationId}`;
      const grants = await tx<{ user_id: string }[]>`SELECT user_id FROM site_access WHERE site_id = ${site.id} AND organization_id = ${site.organizationId}`;
      await tx`DELETE FROM sites WHERE id = ${site.id} AND organization_id = ${site.organizationId}`;
      for (const grant of grants) await permissionsChanged(grant.user_id);
      await audit({ action: 'site.delete', targetType: 'site', targetId: site.id, organizationId: site.organizationId, siteId: site.id, before: siteAuditState(before!) });
      return grants.length;
    });
    c.var.logger.info({ siteId, affectedUsers }, 'site deleted');
    return c.body(null, 204);
  });

  app.openapi(sitePermissionsRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const site = await inTenantScope(deps.sql, caller.scope, (tx) => requireSite(tx, caller, siteId, 'dashboard.view'));
    const actions = allowedActions({ role: site.role, developer: caller.permissions.developer }, { operatorControl: site.operatorControl });
    return c.json({ siteId: site.id, role: site.role, actions }, 200);
  });
}
