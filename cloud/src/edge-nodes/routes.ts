import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireSite } from '../access/guards';
import { runChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { createOpaqueToken } from '../auth/opaque-token';
import { inTenantScope } from '../db/scope';
import { idParam } from '../sites/schemas';
import { requireEdgeNode } from './edge-node-access';
import { EDGE_NODE_COLUMNS, edgeNodeAuditState, toEdgeNode, type EdgeNodeRow } from './edge-node-rows';
import { createEdgeNodeBodySchema, edgeNodeCredentialSchema, edgeNodeListSchema, edgeNodeSchema, updateEdgeNodeBodySchema } from './schemas';

const siteParams = z.object({ siteId: idParam('siteId') });
const edgeNodeParams = z.object({ edgeNodeId: idParam('edgeNodeId') });
const edgeNodeContent = { 'application/json': { schema: edgeNodeSchema } };
const credentialContent = { 'application/json': { schema: edgeNodeCredentialSchema } };

const listEdgeNodesRoute = createRoute({
  method: 'get',
  path: '/api/sites/{siteId}/edge-nodes',
  tags: ['edge nodes'],
  summary: "List a site's edge nodes (site managers and up)",
  security: bearerSecurity,
  request: { params: siteParams },
  responses: { 200: { description: 'Edge nodes', content: { 'application/json': { schema: edgeNodeListSchema } } }, ...errorResponses(401, 403, 404) },
});

const createEdgeNodeRoute = createRoute({
  method: 'post',
  path: '/api/sites/{siteId}/edge-nodes',
  tags: ['edge nodes'],
  summary: 'Register an edge node at a site and issue its credential (site managers and up)',
  description: 'The credential is in this response only. Store it on the edge node.',
  security: bearerSecurity,
  request: { params: siteParams, body: { required: true, content: { 'application/json': { schema: createEdgeNodeBodySchema } } } },
  responses: { 201: { description: 'The new edge node and its credential', content: credentialContent }, ...errorResponses(400, 401, 403, 404) },
});

const getEdgeNodeRoute = createRoute({
  method: 'get',
  path: '/api/edge-nodes/{edgeNodeId}',
  tags: ['edge nodes'],
  summary: 'Read an edge node (site managers and up)',
  security: bearerSecurity,
  request: { params: edgeNodeParams },
  responses: { 200: { description: 'The edge node', content: edgeNodeContent }, ...errorResponses(401, 403, 404) },
});

const updateEdgeNodeRoute = createRoute({
  method: 'patch',
  path: '/api/edge-nodes/{edgeNodeId}',
  tags: ['edge nodes'],
  summary: 'Rename an edge node (site managers and up)',
  security: bearerSecurity,
  request: { params: edgeNodeParams, body: { required: true, content: { 'application/json': { schema: updateEdgeNodeBodySchema } } } },
  responses: { 200: { description: 'The updated edge node', content: edgeNodeContent }, ...errorResponses(400, 401, 403, 404) },
});

const rotateCredentialRoute = createRoute({
  method: 'post',
  path: '/api/edge-nodes/{edgeNodeId}/credential',
  tags: ['edge nodes'],
  summary: "Replace an edge node's credential, which ends the old one at once (site managers and up)",
  description: 'The new credential is in this response only.',
  security: bearerSecurity,
  request: { params: edgeNodeParams },
  responses: { 200: { description: 'The edge node and its new credential', content: credentialContent }, ...errorResponses(401, 403, 404) },
});

const deleteEdgeNodeRoute = createRoute({
  method: 'delete',
  path: '/api/edge-nodes/{edgeNodeId}',
  tags: ['edge nodes'],
  summary: 'Delete an edge node, which revokes its credential (site managers and up)',
  security: bearerSecurity,
  request: { params: edgeNodeParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
});

/** Registers the routes that manage edge nodes and their credentials. */
export function registerEdgeNodeRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(listEdgeNodesRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const rows = await inTenantScope(deps.sql, caller.scope, async (tx) => {
      const site = await requireSite(tx, caller, siteId, 'site.manage');
      return tx<EdgeNodeRow[]>`
        SELECT ${tx(EDGE_NODE_COLUMNS)} FROM edge_nodes
        WHERE site_id = ${site.id} AND organization_id = ${site.organizationId}
        ORDER BY name, id`;
    });
    return c.json({ edgeNodes: rows.map(toEdgeNode) }, 200);
  });

  app.openapi(createEdgeNodeRoute, async (c) => {
    const { caller } = c.var;
    const { siteId } = c.req.valid('param');
    const { name } = c.req.valid('json');
    const credential = createOpaqueToken();
    const row = await runChange(deps, c, async ({ tx, audit }) => {
      const site = await requireSite(tx, caller, siteId, 'site.manage');
      const [created] = await tx<EdgeNodeRow[]>`
        INSERT INTO edge_nodes (organization_id, site_id, name, credential_hash)
        VALUES (${site.organizationId}, ${site.id}, ${name}, ${credential.hash})
        RETURNING ${tx(EDGE_NODE_COLUMNS)}`;
      await audit({
        action: 'edge_node.create',
        targetType: 'edge_node',
        targetId: created!.id,
        organizationId: site.organizationId,
        siteId: site.id,
        after: edgeNodeAuditState(created!),
      });
      return created!;
    });
    c.var.logger.info({ edgeNodeId: row.id, siteId: row.site_id }, 'edge node created with a new credential');
    c.header('Cache-Control', 'no-store');
    return c.json({ edgeNode: toEdgeNode(row), credential: credential.token }, 201);
  });

  app.openapi(getEdgeNodeRoute, async (c) => {
    const { caller } = c.var;
    const { edgeNodeId } = c.req.valid('param');
    const { row } = await inTenantScope(deps.sql, caller.scope, (tx) => requireEdgeNode(tx, caller, edgeNodeId, 'site.manage'));
    return c.json(toEdgeNode(row), 200);
  });

  app.openapi(updateEdgeNodeRoute, async (c) => {
    const { caller } = c.var;
    const { edgeNodeId } = c.req.valid('param');
    const { name } = c.req.valid('json');
    const row = await runChange(deps, c, async ({ tx, audit }) => {
      const { row: before, site } = await requireEdgeNode(tx, caller, edgeNodeId, 'site.manage', { lock: true });
      const [after] = await tx<EdgeNodeRow[]>`
        UPDATE edge_nodes SET name = ${name}, updated_at = now()
        WHERE id = ${before.id} AND site_id = ${site.id} AND organization_id = ${site.organizationId}
        RETURNING ${tx(EDGE_NODE_COLUMNS)}`;
      await audit({
        action: 'edge_node.update',
        targetType: 'edge_node',
        targetId: before.id,
        organizationId: site.organizationId,
        siteId: site.id,
        before: edgeNodeAuditState(before),
        after: edgeNodeAuditState(after!),
      });
      return after!;
    });
    return c.json(toEdgeNode(row), 200);
  });

  app.openapi(rotateCredentialRoute, async (c) => {
    const { caller } = c.var;
    const { edgeNodeId } = c.req.valid('param');
    const credential = createOpaqueToken();
    const row = await runChange(deps, c, async ({ tx, audit }) => {
      const { row: node, site } = await requireEdgeNode(tx, caller, edgeNodeId, 'site.manage', { lock: true });
      // The old hash is overwritten, so the old credential matches no node from the commit on.
      await tx`
        UPDATE edge_nodes SET credential_hash = ${credential.hash}, updated_at = now()
        WHERE id = ${node.id} AND site_id = ${site.id} AND organization_id = ${site.organizationId}`;
      await audit({
        action: 'edge_node.credential_rotate',
        targetType: 'edge_node',
        targetId: node.id,
        organizationId: site.organizationId,
        siteId: site.id,
        after: edgeNodeAuditState(node),
      });
      return node;
    });
    c.var.logger.info({ edgeNodeId: row.id, siteId: row.site_id }, 'edge node credential rotated');
    c.header('Cache-Control', 'no-store');
    return c.json({ edgeNode: toEdgeNode(row), credential: credential.token }, 200);
  });

  app.openapi(deleteEdgeNodeRoute, async (c) => {
    const { caller } = c.var;
    const { edgeNodeId } = c.req.valid('param');
    await runChange(deps, c, async ({ tx, audit }) => {
      const { row, site } = await requireEdgeNode(tx, caller, edgeNodeId, 'site.manage', { lock: true });
      await tx`DELETE FROM edge_nodes WHERE id = ${row.id} AND site_id = ${site.id} AND organization_id = ${site.organizationId}`;
      await audit({
        action: 'edge_node.delete',
        targetType: 'edge_node',
        targetId: row.id,
        organizationId: site.organizationId,
        siteId: site.id,
        before: edgeNodeAuditState(row),
      });
    });
    c.var.logger.info({ edgeNodeId }, 'edge node deleted; its credential no longer matches');
    return c.body(null, 204);
  });
}
