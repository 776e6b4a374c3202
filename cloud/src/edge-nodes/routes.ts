import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireSite } from '../access/guards';
import { runChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import { issuePairingCode } from '../edge-pairing/pairing-code';
import { idParam } from '../sites/schemas';
import { requireEdgeNode } from './edge-node-access';
import { EDGE_NODE_COLUMNS, edgeNodeAuditState, toEdgeNode, type EdgeNodeRow } from './edge-node-rows';
import { createEdgeNodeBodySchema, edgeNodePairingCodeSchema, edgeNodeListSchema, edgeNodeSchema, updateEdgeNodeBodySchema } from './schemas';

const siteParams = z.object({ siteId: idParam('siteId') });
const edgeNodeParams = z.object({ edgeNodeId: idParam('edgeNodeId') });
const edgeNodeContent = { 'application/json': { schema: edgeNodeSchema } };
const pairingCodeContent = { 'application/json': { schema: edgeNodePairingCodeSchema } };

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
  summary: 'Register an edge node at a site and issue its pairing code (site managers and up)',
  description: 'The pairing code is in this response only. It is valid for 24 hours and works once, with `edge-node pair`.',
  security: bearerSecurity,
  request: { params: siteParams, body: { required: true, content: { 'application/json': { schema: createEdgeNodeBodySchema } } } },
  responses: { 201: { description: 'The new edge node and its pairing code', content: pairingCodeContent }, ...errorResponses(400, 401, 403, 404) },
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

const issuePairingCodeRoute = createRoute({
  method: 'post',
  path: '/api/edge-nodes/{edgeNodeId}/pairing-code',
  tags: ['edge nodes'],
  summary: 'Issue a new pairing code for an edge node, which ends the previous code at once (site managers and up)',
  description:
    'The code is in this response only. Pairing with it replaces the key of an edge that is already paired and clears a revocation.',
  security: bearerSecurity,
  request: { params: edgeNodeParams },
  responses: { 200: { description: 'The edge node and its new pairing code', content: pairingCodeContent }, ...errorResponses(401, 403, 404) },
});

const revokeEdgeNodeRoute = createRoute({
  method: 'post',
  path: '/api/edge-nodes/{edgeNodeId}/revoke',
  tags: ['edge nodes'],
  summary: 'Revoke an edge node, so the hub rejects its requests until it pairs again (site managers and up)',
  description: 'Also ends a pending pairing code, so only a code issued after the revocation can restore the node.',
  security: bearerSecurity,
  request: { params: edgeNodeParams },
  responses: { 200: { description: 'The revoked edge node', content: edgeNodeContent }, ...errorResponses(401, 403, 404) },
});

const deleteEdgeNodeRoute = createRoute({
  method: 'delete',
  path: '/api/edge-nodes/{edgeNodeId}',
  tags: ['edge nodes'],
  summary: 'Delete an edge node, which ends its key and pairing code (site managers and up)',
  security: bearerSecurity,
  request: { params: edgeNodeParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
});

/** Registers the routes that manage edge nodes and their pairing, and the routes edges call to pair. */
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
    const code = issuePairingCode();
    const row = await runChange(deps, c, async ({ tx, audit }) => {
      const site = await requireSite(tx, caller, siteId, 'site.manage');
      const [created] = await tx<EdgeNodeRow[]>`
        INSERT INTO edge_nodes (organization_id, site_id, name, pairing_code_hash, pairing_code_expires_at)
        VALUES (${site.organizationId}, ${site.id}, ${name}, ${code.hash}, ${code.expiresAt})
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
    c.var.logger.info({ edgeNodeId: row.id, siteId: row.site_id }, 'edge node created with a pairing code');
    c.header('Cache-Control', 'no-store');
    return c.json({ edgeNode: toEdgeNode(row), pairingCode: code.formatted, pairingCodeExpiresAt: code.expiresAt.toISOString() }, 201);
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

  app.openapi(issuePairingCodeRoute, async (c) => {
    const { caller } = c.var;
    const { edgeNodeId } = c.req.valid('param');
    const code = issuePairingCode();
    const row = await runChange(deps, c, async ({ tx, audit }) => {
      const { row: before, site } = await requireEdgeNode(tx, caller, edgeNodeId, 'site.manage', { lock: true });
      // The old digest is overwritten, so the old code matches no node from the commit on.
      const [after] = await tx<EdgeNodeRow[]>`
        UPDATE edge_nodes SET pairing_code_hash = ${code.hash}, pairing_code_expires_at = ${code.expiresAt}, updated_at = now()
        WHERE id = ${before.id} AND site_id = ${site.id} AND organization_id = ${site.organizationId}
        RETURNING ${tx(EDGE_NODE_COLUMNS)}`;
      await audit({
        action: 'edge_node.pairing_code_issue',
        targetType: 'edge_node',
        targetId: before.id,
        organizationId: site.organizationId,
        siteId: site.id,
        before: edgeNodeAuditState(before),
        after: edgeNodeAuditState(after!),
      });
      return after!;
    });
    c.var.logger.info({ edgeNodeId: row.id, siteId: row.site_id }, 'edge node pairing code issued');
    c.header('Cache-Control', 'no-store');
    return c.json({ edgeNode: toEdgeNode(row), pairingCode: code.formatted, pairingCodeExpiresAt: code.expiresAt.toISOString() }, 200);
  });

  app.openapi(revokeEdgeNodeRoute, async (c) => {
    const { caller } = c.var;
    const { edgeNodeId } = c.req.valid('param');
    const row = await runChange(deps, c, async ({ tx, audit }) => {
      const { row: before, site } = await requireEdgeNode(tx, caller, edgeNodeId, 'site.manage', { lock: true });
      // Revoking again keeps the first revocation time.
      const [after] = await tx<EdgeNodeRow[]>`
        UPDATE edge_nodes
        SET revoked_at = coalesce(revoked_at, now()), pairing_code_hash = NULL, pairing_code_expires_at = NULL, updated_at = now()
        WHERE id = ${before.id} AND site_id = ${site.id} AND organization_id = ${site.organizationId}
        RETURNING ${tx(EDGE_NODE_COLUMNS)}`;
      await audit({
        action: 'edge_node.revoke',
        targetType: 'edge_node',
        targetId: before.id,
        organizationId: site.organizationId,
        siteId: site.id,
        before: edgeNodeAuditState(before),
        after: edgeNodeAuditState(after!),
      });
      return after!;
    });
    c.var.logger.info({ edgeNodeId: row.id, siteId: row.site_id }, 'edge node revoked');
    return c.json(toEdgeNode(row), 200);
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
    c.var.logger.info({ edgeNodeId }, 'edge node deleted; its key and pairing code no longer match');
    return c.body(null, 204);
  });
}
