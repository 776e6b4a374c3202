import type { z } from '@hono/zod-openapi';
import type { TransactionSql } from '../db/connect';
import { readCatalogPoints } from './catalog-points';
import type { Logger } from '../logger';
import { readLatestValues, type LiveStore } from './latest-values';
import type { latestPointValueSchema } from './schemas';

type LatestPointValue = z.infer<typeof latestPointValueSchema>;

/**
 * Lists the newest value of every point of a site, configured points first, in device key and point order.
 * Points with values but no configuration (found by SunSpec discovery, or of an edge that runs its own
 * site file) follow by point id, with the unit of their device's newest point catalog or `''` without one.
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
  const catalogUnits = unconfigured.length === 0 ? new Map<string, string>() : await readCatalogUnits(tx, siteId);
  return [...configured.map((row) => entry(row.point, row.unit ?? '')), ...unconfigured.map((point) => entry(point, catalogUnits.get(point) ?? ''))];
}

/** Maps `device.point` ids to the unit in their device's newest point catalog. */
async function readCatalogUnits(tx: TransactionSql, siteId: string): Promise<Map<string, string>> {
  const entries = await readCatalogPoints(tx, [siteId]);
  return new Map(entries.map((entry) => [`${entry.device}.${entry.point.key}`, entry.point.unit]));
}
