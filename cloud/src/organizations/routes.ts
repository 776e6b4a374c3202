import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Caller } from '../access/caller';
import { organizationFilter, requireOrganization } from '../access/guards';
import { runChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, forbidden, notFound } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import { rejectTariffsInOtherCurrency } from '../energy-settings/tariff-currency';
import { idParam } from '../sites/schemas';
import { registerMembershipRoutes } from './membership-routes';
import { organizationAuditState, ORGANIZATION_COLUMNS, toOrganization, type OrganizationRow } from './organization-rows';
import { createOrganizationBodySchema, organizationListSchema, organizationSchema, updateOrganizationBodySchema } from './schemas';

const organizationParams = z.object({ organizationId: idParam('organizationId') });

const listOrganizationsRoute = createRoute({
  method: 'get',
  path: '/api/organizations',
  tags: ['organizations'],
  summary: 'List the organizations the caller belongs to (every organization for platform admins)',
  security: bearerSecurity,
  responses: {
    200: { description: 'Organizations', content: { 'application/json': { schema: organizationListSchema } } },
    ...errorResponses(401),
  },
});

const createOrganizationRoute = createRoute({
  method: 'post',
  path: '/api/organizations',
  tags: ['organizations'],
  summary: 'Create an organization (platform admins)',
  security: bearerSecurity,
  request: { body: { required: true, content: { 'application/json': { schema: createOrganizationBodySchema } } } },
  responses: {
    201: { description: 'The new organization', content: { 'application/json': { schema: organizationSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

const getOrganizationRoute = createRoute({
  method: 'get',
  path: '/api/organizations/{organizationId}',
  tags: ['organizations'],
  summary: 'Read an organization (any member)',
  security: bearerSecurity,
  request: { params: organizationParams },
  responses: {
    200: { description: 'The organization', content: { 'application/json': { schema: organizationSchema } } },
    ...errorResponses(401, 404),
  },
});

const updateOrganizationRoute = createRoute({
  method: 'patch',
  path: '/api/organizations/{organizationId}',
  tags: ['organizations'],
  summary: "Change an organization's settings (org admins and up); a request that changes nothing writes no audit entry",
  description:
    'Every tariff of the organization\'s sites is priced in `currency`, so a new currency is rejected with 409 `currency_in_use` ' +
    'while a site has tariffs in another one. A new currency reaches the edges in the energy_settings shape of every site that has settings.',
  security: bearerSecurity,
  request: { params: organizationParams, body: { required: true, content: { 'application/json': { schema: updateOrganizationBodySchema } } } },
  responses: {
    200: { description: 'The updated organization', content: { 'application/json': { schema: organizationSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const deleteOrganizationRoute = createRoute({
  method: 'delete',
  path: '/api/organizations/{organizationId}',
  tags: ['organizations'],
  summary: 'Delete an organization with its memberships, sites and everything in them (platform admins)',
  security: bearerSecurity,
  request: { params: organizationParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
});

/** Returns the caller's own membership role, or null for a platform admin who did not join the organization. */
function membershipRole(caller: Caller, organizationId: string) {
  return caller.permissions.organizations.find((membership) => membership.id === organizationId)?.role ?? null;
}

export function registerOrganizationRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(listOrganizationsRoute, async (c) => {
    const { caller } = c.var;
    const memberOf = caller.permissions.organizations.map((membership) => membership.id);
    const rows = await inTenantScope(deps.sql, caller.scope, (tx) => tx<OrganizationRow[]>`
      SELECT ${tx(ORGANIZATION_COLUMNS)} FROM organizations
      WHERE true ${organizationFilter(tx, caller, 'id')}
        ${caller.platformAdmin ? tx`` : tx`AND id = ANY(${tx.array(memberOf, 2950)})`}
      ORDER BY name, id`);
    return c.json({ organizations: rows.map((row) => toOrganization(row, membershipRole(caller, row.id))) }, 200);
  });

  app.openapi(createOrganizationRoute, async (c) => {
    const { caller } = c.var;
    const { name } = c.req.valid('json');
    if (!caller.canGlobally('organization.cross_access')) throw forbidden('only platform admins may create organizations');
    const row = await runChange(deps, c, async ({ tx, audit }) => {
      const [created] = await tx<OrganizationRow[]>`INSERT INTO organizations (name) VALUES (${name}) RETURNING ${tx(ORGANIZATION_COLUMNS)}`;
      await audit({
        action: 'organization.create',
        targetType: 'organization',
        targetId: created!.id,
        organizationId: created!.id,
        after: organizationAuditState(created!),
      });
      return created!;
    });
    c.var.logger.info({ organizationId: row.id }, 'organization created');
    return c.json(toOrganization(row, null), 201);
  });

  app.openapi(getOrganizationRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId } = c.req.valid('param');
    requireOrganization(caller, organizationId, 'dashboard.view');
    const [row] = await inTenantScope(deps.sql, caller.scope, (tx) => tx<OrganizationRow[]>`
      SELECT ${tx(ORGANIZATION_COLUMNS)} FROM organizations WHERE id = ${organizationId} ${organizationFilter(tx, caller, 'id')}`);
    if (!row) throw notFound('organization', organizationId);
    return c.json(toOrganization(row, membershipRole(caller, row.id)), 200);
  });

  app.openapi(updateOrganizationRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId } = c.req.valid('param');
    const body = c.req.valid('json');
    requireOrganization(caller, organizationId, 'organization.manage');
    const row = await runChange(deps, c, async ({ tx, audit }) => {
      const [before] = await tx<OrganizationRow[]>`
        SELECT ${tx(ORGANIZATION_COLUMNS)} FROM organizations
        WHERE id = ${organizationId} ${organizationFilter(tx, caller, 'id')} FOR UPDATE`;
      if (!before) throw notFound('organization', organizationId);
      const name = body.name ?? before.name;
      const currency = body.currency ?? before.currency;
      // A request that changes nothing returns the organization as it is, with no write and no audit entry.
      if (name === before.name && currency === before.currency) return before;
      if (currency !== before.currency) await rejectTariffsInOtherCurrency(tx, organizationId, before.currency, currency);
      const [after] = await tx<OrganizationRow[]>`
        UPDATE organizations SET name = ${name}, currency = ${currency}, updated_at = now()
        WHERE id = ${organizationId} ${organizationFilter(tx, caller, 'id')}
        RETURNING ${tx(ORGANIZATION_COLUMNS)}`;
      await audit({
        action: 'organization.update',
        targetType: 'organization',
        targetId: organizationId,
        organizationId,
        before: organizationAuditState(before),
        after: organizationAuditState(after!),
      });
      return after!;
    });
    return c.json(toOrganization(row, membershipRole(caller, row.id)), 200);
  });

  app.openapi(deleteOrganizationRoute, async (c) => {
    const { caller } = c.var;
    const { organizationId } = c.req.valid('param');
    requireOrganization(caller, organizationId, 'organization.cross_access');
    const affectedUsers = await runChange(deps, c, async ({ tx, audit, permissionsChanged }) => {
      const [before] = await tx<OrganizationRow[]>`
        SELECT ${tx(ORGANIZATION_COLUMNS)} FROM organizations
        WHERE id = ${organizationId} ${organizationFilter(tx, caller, 'id')} FOR UPDATE`;
      if (!before) throw notFound('organization', organizationId);
      const members = await tx<{ user_id: string }[]>`
        SELECT user_id FROM memberships WHERE organization_id = ${organizationId} ${organizationFilter(tx, caller, 'organization_id')}`;
      for (const member of members) await permissionsChanged(member.user_id);
      await tx`DELETE FROM organizations WHERE id = ${organizationId} ${organizationFilter(tx, caller, 'id')}`;
      await audit({
        action: 'organization.delete',
        targetType: 'organization',
        targetId: organizationId,
        organizationId,
        before: { ...organizationAuditState(before), memberCount: members.length },
      });
      return members.length;
    });
    c.var.logger.info({ organizationId, affectedUsers }, 'organization deleted');
    return c.body(null, 204);
  });

  registerMembershipRoutes(app, deps);
}
