/** A row of the edge_nodes table as the queries select it; the credential hash is never selected. */
export interface EdgeNodeRow {
  id: string;
  organization_id: string;
  site_id: string;
  name: string;
  last_seen_at: Date | null;
  software_version: string | null;
  created_at: Date;
}

export const EDGE_NODE_COLUMNS = ['id', 'organization_id', 'site_id', 'name', 'last_seen_at', 'software_version', 'created_at'];

/** Converts an edge node row to its API shape. */
export function toEdgeNode(row: EdgeNodeRow) {
  return {
    id: row.id,
    siteId: row.site_id,
    organizationId: row.organization_id,
    name: row.name,
    lastSeenAt: row.last_seen_at?.toISOString() ?? null,
    softwareVersion: row.software_version,
    createdAt: row.created_at.toISOString(),
  };
}

/** Returns the audited state of an edge node: its settings, without the credential or connection status. */
export function edgeNodeAuditState(row: EdgeNodeRow) {
  return { name: row.name };
}
