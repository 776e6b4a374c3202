/** A row of the edge_nodes table as the queries select it; the pairing code hash and public key are never selected. */
export interface EdgeNodeRow {
  id: string;
  organization_id: string;
  site_id: string;
  name: string;
  last_seen_at: Date | null;
  software_version: string | null;
  hostname: string | null;
  paired_at: Date | null;
  revoked_at: Date | null;
  pairing_code_expires_at: Date | null;
  created_at: Date;
}

export const EDGE_NODE_COLUMNS = [
  'id',
  'organization_id',
  'site_id',
  'name',
  'last_seen_at',
  'software_version',
  'hostname',
  'paired_at',
  'revoked_at',
  'pairing_code_expires_at',
  'created_at',
];

/** Converts an edge node row to its API shape. */
export function toEdgeNode(row: EdgeNodeRow) {
  return {
    id: row.id,
    siteId: row.site_id,
    organizationId: row.organization_id,
    name: row.name,
    paired: row.paired_at !== null && row.revoked_at === null,
    pairedAt: row.paired_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    hostname: row.hostname,
    lastSeenAt: row.last_seen_at?.toISOString() ?? null,
    softwareVersion: row.software_version,
    pairingCodeExpiresAt: row.pairing_code_expires_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

/** Returns the audited state of an edge node: its settings and pairing state, without the code or key. */
export function edgeNodeAuditState(row: EdgeNodeRow) {
  return {
    name: row.name,
    pairedAt: row.paired_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    pairingCodeExpiresAt: row.pairing_code_expires_at?.toISOString() ?? null,
  };
}
