import type { Action } from '@simtestlab/sync';
import type { Caller } from '../access/caller';
import { requireSiteOf, type SiteRef } from '../access/guards';
import { notFound } from '../api/http-error';
import type { TransactionSql } from '../db/connect';
import { EDGE_NODE_COLUMNS, type EdgeNodeRow } from './edge-node-rows';

/**
 * Loads an edge node the caller may take `action` on, by checking the caller's role at its site. A node
 * of another organization, or at a site the caller cannot open, is not found (404) and the error names
 * the node only, so its site id does not leak. With `lock` the row stays locked until the transaction ends.
 */
export async function requireEdgeNode(
  tx: TransactionSql,
  caller: Caller,
  edgeNodeId: string,
  action: Action,
  options: { lock?: boolean } = {},
): Promise<{ row: EdgeNodeRow; site: SiteRef }> {
  const site = await requireSiteOf(tx, caller, 'edge_nodes', edgeNodeId, action);

  const [row] = await tx<EdgeNodeRow[]>`
    SELECT ${tx(EDGE_NODE_COLUMNS)} FROM edge_nodes
    WHERE id = ${edgeNodeId} AND site_id = ${site.id} AND organization_id = ${site.organizationId}
    ${options.lock ? tx`FOR UPDATE` : tx``}`;
  // A concurrent delete can remove the row between the two reads.
  if (!row) throw notFound('edge node', edgeNodeId);
  return { row, site };
}
