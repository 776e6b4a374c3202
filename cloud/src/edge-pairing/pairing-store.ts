import type { PairRequest, PairResponse } from '@simtestlab/sync';
import type { AuditActor } from '../audit/audit-log';
import { writeAudit } from '../audit/audit-log';
import type { Sql } from '../db/connect';
import { allOrganizations, inTenantScope } from '../db/scope';
import type { EdgeIdentity } from '../edge-auth/authenticate-edge';
import { hashPairingCode } from './pairing-code';

interface PairedRow {
  id: string;
  organization_id: string;
  site_id: string;
  site_name: string;
  time_zone: string;
}

/**
 * Consumes a normalized pairing code and binds the edge's public key to its node, with the audit entry
 * `edge_node.pair` in the same transaction. Returns null for an unknown, used or expired code.
 * The code is consumed by one UPDATE that clears it, so of concurrent requests with one code exactly one
 * matches: the others wait for its row lock and then no longer match the cleared digest.
 */
export async function consumePairingCode(
  sql: Sql,
  code: string,
  request: Pick<PairRequest, 'publicKey' | 'softwareVersion' | 'hostname'>,
  actor: Omit<AuditActor, 'actorType' | 'actorId'>,
): Promise<PairResponse | null> {
  return inTenantScope(sql, allOrganizations, async (tx) => {
    const publicJwk = { kty: request.publicKey.kty, crv: request.publicKey.crv, x: request.publicKey.x, y: request.publicKey.y };
    const [row] = await tx<PairedRow[]>`
      WITH paired AS (
        UPDATE edge_nodes
        SET public_jwk = ${tx.json(publicJwk)}, paired_at = now(), software_version = ${request.softwareVersion},
            hostname = ${request.hostname ?? null}, revoked_at = NULL, pairing_code_hash = NULL,
            pairing_code_expires_at = NULL, updated_at = now()
        WHERE pairing_code_hash = ${hashPairingCode(code)} AND pairing_code_expires_at > now()
        RETURNING id, organization_id, site_id
      )
      SELECT paired.id, paired.organization_id, paired.site_id, sites.name AS site_name, sites.time_zone
      FROM paired JOIN sites ON sites.id = paired.site_id AND sites.organization_id = paired.organization_id`;
    if (!row) return null;

    await writeAudit(
      tx,
      { ...actor, actorType: 'edge', actorId: row.id },
      {
        action: 'edge_node.pair',
        targetType: 'edge_node',
        targetId: row.id,
        organizationId: row.organization_id,
        siteId: row.site_id,
        after: { hostname: request.hostname ?? null, softwareVersion: request.softwareVersion },
      },
    );
    return { edgeNodeId: row.id, organizationId: row.organization_id, siteId: row.site_id, siteName: row.site_name, timeZone: row.time_zone };
  });
}

/** The calling edge node and its site, as `GET /api/edge/me` returns them. */
export interface EdgeSelf extends PairResponse {
  name: string;
  softwareVersion: string | null;
}

/**
 * Records that an edge called: sets last_seen_at, and software_version when the edge sent one. This is
 * connection status, not a change, so it writes no audit entry. Returns null when the node is gone.
 */
export async function recordEdgeContact(sql: Sql, edge: EdgeIdentity, softwareVersion: string | null): Promise<EdgeSelf | null> {
  const scope = { all: false, organizationIds: [edge.organizationId] } as const;
  const [row] = await inTenantScope(sql, scope, (tx) => tx<(PairedRow & { name: string; software_version: string | null })[]>`
    WITH seen AS (
      UPDATE edge_nodes SET last_seen_at = now(), software_version = coalesce(${softwareVersion}, software_version)
      WHERE id = ${edge.edgeNodeId} AND organization_id = ${edge.organizationId}
      RETURNING id, organization_id, site_id, name, software_version
    )
    SELECT seen.id, seen.organization_id, seen.site_id, seen.name, seen.software_version, sites.name AS site_name, sites.time_zone
    FROM seen JOIN sites ON sites.id = seen.site_id AND sites.organization_id = seen.organization_id`);
  if (!row) return null;
  return {
    edgeNodeId: row.id,
    name: row.name,
    organizationId: row.organization_id,
    siteId: row.site_id,
    siteName: row.site_name,
    timeZone: row.time_zone,
    softwareVersion: row.software_version,
  };
}
