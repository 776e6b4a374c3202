import { meterRoleSchema, pointKindSchema, unitSchema, type MeterRole, type PointKind, type Unit } from '@simtestlab/sync';
import type { TransactionSql } from '../db/connect';

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
 * device's `roles` map, keyed by site. A point whose stored
 * role, unit or kind the shared model no longer accepts is left out rather than failing the summary.
 * TODO: roles that a device's `roles` map gives to points found by SunSpec discovery are not counted.
 * The edge uploads those points' values but not their definitions, so the hub knows no unit for them.
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
  return bySite;
}
