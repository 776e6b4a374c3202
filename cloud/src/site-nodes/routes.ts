import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireSite } from '../access/guards';
import { runChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, HttpError } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import { idParam } from '../sites/schemas';
import { checkMove, countAttachedDevices, listDescendants, listSiteNodes, lockHierarchy, reloadNode, requireNode, resolveParentKind } from './hierarchy';
import { NESTING_RULE } from '@simtestlab/sync';
import { checkNesting } from './nesting';
import { siteNodeAuditState, SITE_NODE_COLUMNS, toSiteNode, type SiteNodeRow } from './node-rows';
import { createSiteNodeBodySchema, siteNodeListSchema, siteNodeSchema, updateSiteNodeBodySchema } from './schemas';

const siteParams = z.object({ siteId: idParam('siteId') });
const nodeParams = z.object({ nodeId: idParam('nodeId') });

const listNodesRoute = createRoute({
  method: 'get',
  path: '/api/sites/{siteId}/nodes',
  tags: ['site nodes'],
  summary: "List a site's buildings, areas and systems as a flat list with parent ids",
  security: bearerSecurity,
  request: { params: siteParams },
  responses: { 200: { description: 'Nodes', content: { 'application/json': { schema: siteNodeListSchema } } }, ...errorResponses(401, 404) },
});

const createNodeRoute = createRoute({
  method: 'post',
  path: '/api/sites/{siteId}/nodes',
  tags: ['site nodes'],
  summary: 'Add a building, area or system to a site (site managers and up)',
  description: `Nesting rule: ${NESTING_RULE}.`,
  security: bearerSecurity,
  request: { params: siteParams, body: { required: true, content: { 'application/json': { schema: createSiteNodeBodySchema } } } },
  responses: { 201: { description: 'The new node', content: { 'application/json': { schema: siteNodeSchema } } }, ...errorResponses(400, 401, 403, 404) },
});

const updateNodeRoute = createRoute({
  method: 'patch',
  path: '/api/site-nodes/{nodeId}',
  tags: ['site nodes'],
  summary: 'Rename a node or move it under another parent in the same site (site managers and up)',
  description: `Nesting rule: ${NESTING_RULE}. A move under the node itself or one of its descendants is rejected with 409.`,
  security: bearerSecurity,
  request: { params: nodeParams, body: { required: true, content: { 'application/json': { schema: updateSiteNodeBodySchema } } } },
  responses: { 200: { description: 'The updated node', content: { 'application/json': { schema: siteNodeSchema } } }, ...errorResponses(400, 401, 403, 404, 409) },
});

const deleteNodeRoute = createRoute({
  method: 'delete',
  path: '/api/site-nodes/{nodeId}',
  tags: ['site nodes'],
  summary: 'Delete a node with its descendants (site managers and up); rejected with 409 while devices are attached to any of them',
  security: bearerSecurity,
  request: { params: nodeParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 409) },
});

export function registerSiteNodeRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(listNodesRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const rows = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const site = await requireSite(tx, caller, siteId, 'dashboard.view');
      return listSiteNodes(tx, site);
    });
    return c.json({ nodes: rows.map(toSiteNode) }, 200);
  });

  app.openapi(createNodeRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const body = c.req.valid('json');
    const row = await runChange(deps, c, async ({ tx, audit }) => {
      const site = await requireSite(tx, caller, siteId, 'site.manage');
      await lockHierarchy(tx, site);
      const parentId = body.parentId ?? null;
      checkNesting(body.kind, parentId === null ? null : await resolveParentKind(tx, caller, site, parentId));
      const [created] = await tx<SiteNodeRow[]>`
        INSERT INTO site_nodes (organization_id, site_id, parent_id, kind, name)
        VALUES (${site.organizationId}, ${site.id}, ${parentId}, ${body.kind}, ${body.name})
        RETURNING ${tx(SITE_NODE_COLUMNS)}`;
      await audit({
        action: 'site_node.create',
        targetType: 'site_node',
        targetId: created!.id,
        organizationId: site.organizationId,
        siteId: site.id,
        after: siteNodeAuditState(created!),
      });
      return created!;
    });
    return c.json(toSiteNode(row), 201);
  });

  app.openapi(updateNodeRoute, async (c) => {
    const { caller } = c.var;
    const { nodeId } = c.req.valid('param');
    const body = c.req.valid('json');
    const row = await runChange(deps, c, async ({ tx, audit }) => {
      const { site } = await requireNode(tx, caller, nodeId, 'site.manage');
      await lockHierarchy(tx, site);
      const before = await reloadNode(tx, site, nodeId);
      const parentId = body.parentId === undefined ? before.parent_id : body.parentId;
      if (parentId !== before.parent_id) await checkMove(tx, caller, site, before, parentId);
      const [after] = await tx<SiteNodeRow[]>`
        UPDATE site_nodes SET name = ${body.name ?? before.name}, parent_id = ${parentId}, updated_at = now()
        WHERE id = ${before.id} AND site_id = ${site.id} AND organization_id = ${site.organizationId}
        RETURNING ${tx(SITE_NODE_COLUMNS)}`;
      await audit({
        action: 'site_node.update',
        targetType: 'site_node',
        targetId: before.id,
        organizationId: site.organizationId,
        siteId: site.id,
        before: siteNodeAuditState(before),
        after: siteNodeAuditState(after!),
      });
      return after!;
    });
    return c.json(toSiteNode(row), 200);
  });

  app.openapi(deleteNodeRoute, async (c) => {
    const { caller } = c.var;
    const { nodeId } = c.req.valid('param');
    const deletedDescendants = await runChange(deps, c, async ({ tx, audit }) => {
      const { site } = await requireNode(tx, caller, nodeId, 'site.manage');
      await lockHierarchy(tx, site);
      const node = await reloadNode(tx, site, nodeId);
      const descendants = await listDescendants(tx, site, node.id);
      const devices = await countAttachedDevices(tx, site, [node.id, ...descendants.map((descendant) => descendant.id)]);
      if (devices > 0) {
        throw new HttpError(
          409,
          'node_has_devices',
          `site node ${node.id} cannot be deleted: ${devices} ${devices === 1 ? 'device is' : 'devices are'} attached to it or its descendants; move ${devices === 1 ? 'it' : 'them'} to another node first`,
        );
      }
      // The foreign key cascade removes the descendants. The audit entry lists them so they can be restored.
      await tx`DELETE FROM site_nodes WHERE id = ${node.id} AND site_id = ${site.id} AND organization_id = ${site.organizationId}`;
      await audit({
        action: 'site_node.delete',
        targetType: 'site_node',
        targetId: node.id,
        organizationId: site.organizationId,
        siteId: site.id,
        before: { ...siteNodeAuditState(node), descendants: descendants.map((descendant) => ({ id: descendant.id, ...siteNodeAuditState(descendant) })) },
      });
      return descendants.length;
    });
    c.var.logger.info({ nodeId, deletedDescendants }, 'site node deleted');
    return c.body(null, 204);
  });
}
