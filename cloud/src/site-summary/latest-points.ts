import type { z } from '@hono/zod-openapi';
import type { TransactionSql } from '../db/connect';
import type { Logger } from '../logger';
import { readLatestValues, type LiveStore } from './latest-values';
import type { latestPointValueSchema } from './schemas';

type LatestPointValue = z.infer<typeof latestPointValueSchema>;

/**
 * Lists the newest value of every point of a site, configured points first, in device key and point order.
 * Points with values but no configuration (an edge that runs its own site file) follow by point id.
 */
export async function readLatestPoints(deps: LiveStore, logger: Logger, tx: TransactionSql, siteId: string, nowMs: number): Promise<LatestPointValue[]> {
  const configured = await tx<{ point: string; unit: string | null }[]>`
    SELECT d.key || '.' || p.key AS point, p.config->>'unit' AS unit
    FROM points p JOIN devices d ON d.id = p.device_id
    WHERE p.site_id = ${siteId}
    ORDER BY d.key, p.position`;
  const latest = await readLatestValues(deps, logger, tx, siteId, nowMs);
  const entry = (point: string, unit: string): LatestPointValue => {
    const value = latest.get(point);
    return { point, unit, value: value?.value ?? null, quality: value?.quality ?? null, ts: value?.ts ?? null, source: value?.source ?? null };
  };
  const known = new Set(configured.map((row) => row.point));
  const unconfigured = [...latest.keys()].filter((point) => !known.has(point)).sort();
  return [...configured.map((row) => entry(row.point, row.unit ?? '')), ...unconfigured.map((point) => entry(point, ''))];
}
