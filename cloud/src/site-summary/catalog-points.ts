import { catalogPointSchema, type CatalogPoint } from '@simtestlab/sync';
import type { TransactionSql } from '../db/connect';

/** A point of a device's newest `point_catalog` event. */
export interface CatalogEntry {
  siteId: string;
  /** The hub's device key, as the edge sent it. */
  device: string;
  point: CatalogPoint;
}

/**
 * Reads the points of the newest `point_catalog` event of each device of the given sites, in device key
 * and catalog order. The hub stores event payloads as the edge sent them, so a point the shared model
 * does not accept is left out here.
 */
export async function readCatalogPoints(tx: TransactionSql, siteIds: readonly string[]): Promise<CatalogEntry[]> {
  const rows = await tx<{ site_id: string; device: string; point: unknown }[]>`
    WITH newest AS (
      SELECT DISTINCT ON (site_id, payload->>'device') site_id, payload->>'device' AS device, payload->'points' AS points
      FROM edge_events
      WHERE site_id = ANY(${tx.array([...siteIds], 2950)}) AND kind = 'point_catalog' AND jsonb_typeof(payload->'points') = 'array'
      ORDER BY site_id, payload->>'device', at DESC, received_at DESC
    )
    SELECT n.site_id, n.device, p.point
    FROM newest n CROSS JOIN LATERAL jsonb_array_elements(n.points) WITH ORDINALITY AS p(point, position)
    ORDER BY n.site_id, n.device, p.position`;
  const entries: CatalogEntry[] = [];
  for (const row of rows) {
    const point = catalogPointSchema.safeParse(row.point);
    if (point.success) entries.push({ siteId: row.site_id, device: row.device, point: point.data });
  }
  return entries;
}
