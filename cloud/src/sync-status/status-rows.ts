import type { SyncStatus, UploadBacklog } from '@simtestlab/sync';
import type { Queryable } from '../db/connect';
import type { EdgeIdentity } from '../edge-auth/authenticate-edge';

/** Sync status values of one committed upload. Times are epoch ms UTC. */
export interface UploadStatus {
  /** When the request arrived, by the hub's clock. */
  uploadAt: number;
  /** When the hub committed the batch, by the hub's clock. */
  ackAt: number;
  /** The edge's clock when it sent the batch. */
  sentAt: number;
  clockSkewMs: number;
  clockSkewFlagged: boolean;
  backlog: UploadBacklog;
}

/**
 * Writes the site's sync status after an upload and returns whether the clock skew was flagged before
 * it, so the caller warns only when the flag turns on.
 */
export async function recordUploadStatus(tx: Queryable, edge: EdgeIdentity, status: UploadStatus): Promise<{ wasFlagged: boolean }> {
  const oldestUnsentAt = status.backlog.oldestUnsentAt === null ? null : new Date(status.backlog.oldestUnsentAt);
  const [row] = await tx<{ was_flagged: boolean | null }[]>`
    WITH previous AS (SELECT clock_skew_flagged FROM site_sync_status WHERE site_id = ${edge.siteId})
    INSERT INTO site_sync_status AS s (
      site_id, organization_id, edge_node_id, last_contact_at, last_upload_at, last_ack_at, edge_sent_at,
      clock_skew_ms, clock_skew_flagged, backlog_rollups, backlog_events, oldest_unsent_at)
    VALUES (
      ${edge.siteId}, ${edge.organizationId}, ${edge.edgeNodeId}, ${new Date(status.ackAt)}, ${new Date(status.uploadAt)},
      ${new Date(status.ackAt)}, ${new Date(status.sentAt)}, ${status.clockSkewMs}, ${status.clockSkewFlagged},
      ${status.backlog.rollups}, ${status.backlog.events}, ${oldestUnsentAt})
    ON CONFLICT (site_id) DO UPDATE SET
      edge_node_id = excluded.edge_node_id,
      last_contact_at = excluded.last_contact_at,
      last_upload_at = excluded.last_upload_at,
      last_ack_at = excluded.last_ack_at,
      edge_sent_at = excluded.edge_sent_at,
      clock_skew_ms = excluded.clock_skew_ms,
      clock_skew_flagged = excluded.clock_skew_flagged,
      backlog_rollups = excluded.backlog_rollups,
      backlog_events = excluded.backlog_events,
      oldest_unsent_at = excluded.oldest_unsent_at
    RETURNING (SELECT clock_skew_flagged FROM previous) AS was_flagged`;
  return { wasFlagged: row?.was_flagged === true };
}

export interface StatusRow {
  site_id: string;
  last_contact_at: Date | null;
  last_ack_at: Date | null;
  clock_skew_ms: string | null;
  clock_skew_flagged: boolean | null;
  backlog_rollups: string | null;
  backlog_events: string | null;
  oldest_unsent_at: Date | null;
}

/**
 * Reads the stored status of the given sites, keyed by site id. A site has no entry until one of its
 * edges uploads or calls `GET /api/edge/me`. The last contact is the later of the last upload and the
 * last such call. Row-level security and the caller's checks decide which sites the list may name.
 */
export async function readStatusRows(tx: Queryable, siteIds: readonly string[]): Promise<Map<string, StatusRow>> {
  const rows = await tx<StatusRow[]>`
    SELECT site.id AS site_id, greatest(status.last_contact_at, edge.last_seen_at) AS last_contact_at, status.last_ack_at,
           status.clock_skew_ms::text, status.clock_skew_flagged, status.backlog_rollups::text, status.backlog_events::text,
           status.oldest_unsent_at
    FROM unnest(${tx.array([...siteIds], 2950)}::uuid[]) AS site(id)
    LEFT JOIN site_sync_status status ON status.site_id = site.id
    LEFT JOIN LATERAL (
      SELECT max(last_seen_at) AS last_seen_at FROM edge_nodes WHERE site_id = site.id AND revoked_at IS NULL
    ) edge ON true
    WHERE status.site_id IS NOT NULL OR edge.last_seen_at IS NOT NULL`;
  return new Map(rows.map((row) => [row.site_id, row]));
}

/**
 * Builds the wire status of a site from its stored row (undefined when it never uploaded). `lagMs` is
 * the age of the oldest item the edge still has to send, 0 when nothing waits.
 */
export function toSyncStatus(siteId: string, row: StatusRow | undefined, liveConnected: boolean, nowMs: number): SyncStatus {
  const oldestUnsentAt = row?.oldest_unsent_at?.getTime() ?? null;
  return {
    siteId,
    lastContactAt: row?.last_contact_at?.getTime() ?? null,
    lastAckAt: row?.last_ack_at?.getTime() ?? null,
    backlog: { rollups: Number(row?.backlog_rollups ?? 0), events: Number(row?.backlog_events ?? 0) },
    oldestUnsentAt,
    lagMs: oldestUnsentAt === null ? 0 : Math.max(0, nowMs - oldestUnsentAt),
    clockSkewMs: row?.clock_skew_ms == null ? null : Number(row.clock_skew_ms),
    clockSkewFlagged: row?.clock_skew_flagged ?? false,
    liveConnected,
  };
}
