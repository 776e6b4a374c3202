import { meterRoleSchema, pointKindSchema, unitSchema, type MeterRole, type PointKind, type Unit } from '@simtestlab/sync';
import type { TransactionSql } from '../db/connect';
import { readCatalogPoints } from './catalog-points';

/** A point with a meter role, as the KPIs read it. */
export interface MeterPoint {
  /** The edge's point id, `device.point`. */
  point: string;
  role: MeterRole;
  unit: Unit;
  kind: PointKind;
}

/**
 * Lists the points of the given sites that carry a meter role, in their own definition or in their
 * device's `roles` map, keyed by site. Points found by SunSpec discovery have no definition on the
 * hub, so a point that the `roles` map names without one takes its unit and kind from the device's
 * newest point catalog. It is left out while the edge has uploaded no catalog that lists it. A point
 * whose stored role, unit or kind the shared model no longer accepts is left out rather than failing
 * the summary.
 */
export async function readMeterPoints(tx: TransactionSql, siteIds: readonly string[]): Promise<Map<string, MeterPoint[]>> {
  const rows = await tx<{ site_id: string; point: string; role: string; unit: string | null; kind: string | null }[]>`
    SELECT p.site_id, d.key || '.' || p.key AS point, COALESCE(p.config->>'role', d.config->'roles'->>p.key) AS role,
      p.config->>'unit' AS unit, p.config->>'kind' AS kind
    FROM points p JOIN devices d ON d.id = p.device_id
    WHERE p.site_id = ANY(${tx.array([...siteIds], 2950)}) AND (p.config ? 'role' OR d.config->'roles' ? p.key)
    ORDER BY p.site_id, d.key, p.position`;
  const bySite = new Map<string, MeterPoint[]>(siteIds.map((siteId) => [siteId, []]));
  for (const row of rows) {
    const role = meterRoleSchema.safeParse(row.role);
    const unit = unitSchema.safeParse(row.unit ?? '');
    const kind = pointKindSchema.safeParse(row.kind ?? 'gauge');
    if (!role.success || !unit.success || !kind.success) continue;
    bySite.get(row.site_id)?.push({ point: row.point, role: role.data, unit: unit.data, kind: kind.data });
  }
  for (const [siteId, points] of await readUndefinedRolePoints(tx, siteIds)) bySite.get(siteId)?.push(...points);
  return bySite;
}

/** Lists the points that a device's `roles` map names without a row in `points`, with unit and kind from the device's point catalog. */
async function readUndefinedRolePoints(tx: TransactionSql, siteIds: readonly string[]): Promise<Map<string, MeterPoint[]>> {
  const roleRows = await tx<{ site_id: string; device: string; key: string; role: string }[]>`
    SELECT d.site_id, d.key AS device, r.key, r.role
    FROM devices d CROSS JOIN LATERAL jsonb_each_text(d.config->'roles') AS r(key, role)
    WHERE d.site_id = ANY(${tx.array([...siteIds], 2950)}) AND jsonb_typeof(d.config->'roles') = 'object'
      AND NOT EXISTS (SELECT 1 FROM points p WHERE p.device_id = d.id AND p.key = r.key)`;
  const bySite = new Map<string, MeterPoint[]>();
  if (roleRows.length === 0) return bySite;

  const roles = new Map(roleRows.map((row) => [`${row.site_id}/${row.device}.${row.key}`, row.role]));
  for (const entry of await readCatalogPoints(tx, [...new Set(roleRows.map((row) => row.site_id))])) {
    const point = `${entry.device}.${entry.point.key}`;
    const role = meterRoleSchema.safeParse(roles.get(`${entry.siteId}/${point}`));
    if (!role.success) continue;
    const points = bySite.get(entry.siteId) ?? [];
    points.push({ point, role: role.data, unit: entry.point.unit, kind: entry.point.kind });
    bySite.set(entry.siteId, points);
  }
  return bySite;
}
