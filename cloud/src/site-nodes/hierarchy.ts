import type { Action } from '@simtestlab/sync';
import type { Caller } from '../access/caller';
import { organizationFilter, requireSiteOf, type SiteRef } from '../access/guards';
import { HttpError, notFound } from '../api/http-error';
import type { TransactionSql } from '../db/connect';
import { checkNesting } from './nesting';
import { SITE_NODE_COLUMNS, type SiteNodeRow } from './node-rows';
import type { SiteNodeKind } from './schemas';

/**
 * Loads a node and its site, checking that the caller may take `action` at that site. A node of another
 * organization, or of a site the caller cannot open, is not found (404). The message names the node and
 * not its site, so the response reveals no id the caller did not send.
 */
export async function requireNode(tx: TransactionSql, caller: Caller, nodeId: string, action: Action): Promise<{ node: SiteNodeRow; site: SiteRef }> {
  const site = await requireSiteOf(tx, caller, 'site_nodes', nodeId, action);
  return { node: await reloadNode(tx, site, nodeId), site };
}

/**
 * Serializes changes to one site's hierarchy until the transaction ends, so two concurrent moves cannot
 * together form a cycle that neither would detect alone. The lock mode does not block device and node
 * inserts, whose foreign key checks take KEY SHARE on the site row.
 */
export async function lockHierarchy(tx: TransactionSql, site: SiteRef): Promise<void> {
  await tx`SELECT 1 FROM sites WHERE id = ${site.id} AND organization_id = ${site.organizationId} FOR NO KEY UPDATE`;
}

/** Reads a node of `site` again after `lockHierarchy`, or raises 404 if a concurrent change deleted it. */
export async function reloadNode(tx: TransactionSql, site: SiteRef, nodeId: string): Promise<SiteNodeRow> {
  const [node] = await tx<SiteNodeRow[]>`
    SELECT ${tx(SITE_NODE_COLUMNS)} FROM site_nodes
    WHERE id = ${nodeId} AND site_id = ${site.id} AND organization_id = ${site.organizationId}`;
  if (!node) throw notFound('site node', nodeId);
  return node;
}

/**
 * Returns the kind of the parent a node of `site` is to sit under. A parent outside the site raises 400,
 * naming its site only when the caller may open that site.
 */
export async function resolveParentKind(tx: TransactionSql, caller: Caller, site: SiteRef, parentId: string): Promise<SiteNodeKind> {
  const [parent] = await tx<{ site_id: string; organization_id: string; kind: SiteNodeKind }[]>`
    SELECT site_id, organization_id, kind FROM site_nodes
    WHERE id = ${parentId} ${organizationFilter(tx, caller, 'organization_id')}`;
  if (parent && parent.site_id === site.id) return parent.kind;
  if (parent && caller.siteRole(parent.site_id, parent.organization_id) !== null) {
    throw new HttpError(400, 'invalid_parent', `parent node ${parentId} belongs to site ${parent.site_id}, not to site ${site.id}: a node's parent must be in the same site`, {
      parameter: 'parentId',
    });
  }
  throw new HttpError(400, 'invalid_parent', `parent node ${parentId} is not a node of site ${site.id}`, { parameter: 'parentId' });
}

/**
 * Raises 400 unless `node` may sit under `newParentId` (null for the top level) by site and nesting rule,
 * and 409 when the new parent is the node itself or one of its descendants.
 */
export async function checkMove(tx: TransactionSql, caller: Caller, site: SiteRef, node: SiteNodeRow, newParentId: string | null): Promise<void> {
  if (newParentId === null) {
    checkNesting(node.kind, null);
    return;
  }
  const parentKind = await resolveParentKind(tx, caller, site, newParentId);
  if (await isInSubtree(tx, site, node.id, newParentId)) {
    throw new HttpError(
      409,
      'hierarchy_cycle',
      `site node ${node.id} cannot move under node ${newParentId}, which is the node itself or one of its descendants: the move would form a cycle`,
      { parameter: 'parentId' },
    );
  }
  checkNesting(node.kind, parentKind);
}

/** Returns true when `candidateParentId` is the node itself or one of its descendants, so a move under it would form a cycle. */
export async function isInSubtree(tx: TransactionSql, site: SiteRef, nodeId: string, candidateParentId: string): Promise<boolean> {
  // The query walks up from the candidate. UNION drops repeated rows, so the walk ends even on a cyclic table.
  const [row] = await tx<{ found: boolean }[]>`
    WITH RECURSIVE ancestors AS (
      SELECT id, parent_id FROM site_nodes
      WHERE id = ${candidateParentId} AND site_id = ${site.id} AND organization_id = ${site.organizationId}
      UNION
      SELECT n.id, n.parent_id FROM site_nodes n JOIN ancestors a ON n.id = a.parent_id
      WHERE n.site_id = ${site.id} AND n.organization_id = ${site.organizationId}
    )
    SELECT EXISTS (SELECT 1 FROM ancestors WHERE id = ${nodeId}) AS found`;
  return row!.found;
}

/** Lists the descendants of a node, parents before their children. */
export async function listDescendants(tx: TransactionSql, site: SiteRef, nodeId: string): Promise<SiteNodeRow[]> {
  return tx<SiteNodeRow[]>`
    WITH RECURSIVE subtree AS (
      SELECT n.id, 0 AS depth FROM site_nodes n
      WHERE n.parent_id = ${nodeId} AND n.site_id = ${site.id} AND n.organization_id = ${site.organizationId}
      UNION ALL
      SELECT n.id, s.depth + 1 FROM site_nodes n JOIN subtree s ON n.parent_id = s.id
      WHERE n.site_id = ${site.id} AND n.organization_id = ${site.organizationId}
    )
    SELECT ${tx(SITE_NODE_COLUMNS.map((column) => `n.${column}`))}
    FROM subtree s JOIN site_nodes n ON n.id = s.id
    ORDER BY s.depth, n.name, n.id`;
}

/**
 * Counts the devices attached to any of `nodeIds` in `site`. The nodes are locked first, so a device
 * attached by a transaction that commits meanwhile is counted, and a later attempt waits for this
 * transaction and then fails its foreign key check.
 */
export async function countAttachedDevices(tx: TransactionSql, site: SiteRef, nodeIds: string[]): Promise<number> {
  await tx`
    SELECT 1 FROM site_nodes
    WHERE id = ANY(${tx.array(nodeIds, 2950)}) AND site_id = ${site.id} AND organization_id = ${site.organizationId}
    FOR UPDATE`;
  const [row] = await tx<{ count: number }[]>`
    SELECT count(*)::int AS count FROM devices
    WHERE node_id = ANY(${tx.array(nodeIds, 2950)}) AND site_id = ${site.id} AND organization_id = ${site.organizationId}`;
  return row!.count;
}

/** Lists every node of a site, parents before their children and siblings by name. */
export async function listSiteNodes(tx: TransactionSql, site: SiteRef): Promise<SiteNodeRow[]> {
  return tx<SiteNodeRow[]>`
    WITH RECURSIVE tree AS (
      SELECT n.id, 0 AS depth FROM site_nodes n
      WHERE n.parent_id IS NULL AND n.site_id = ${site.id} AND n.organization_id = ${site.organizationId}
      UNION ALL
      SELECT n.id, t.depth + 1 FROM site_nodes n JOIN tree t ON n.parent_id = t.id
      WHERE n.site_id = ${site.id} AND n.organization_id = ${site.organizationId}
    )
    SELECT ${tx(SITE_NODE_COLUMNS.map((column) => `n.${column}`))}
    FROM tree t JOIN site_nodes n ON n.id = t.id
    ORDER BY t.depth, n.name, n.id`;
}
