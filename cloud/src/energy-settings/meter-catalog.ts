import { catalogMeterUnitSchema, meterRoleSchema, pointKindSchema, type CatalogMeter, type CatalogMeterUnit, type MeterRole, type PointKind } from '@simtestlab/sync';
import type { SiteRef } from '../access/guards';
import type { TransactionSql } from '../db/connect';
import { readCatalogPoints } from '../site-summary/catalog-points';

/** A power or energy point of a site that virtual meter formulas may use. */
export interface SiteMeter {
  /** The edge's point id, `device.point`, which formulas write as is or in braces. */
  id: string;
  name: string | null;
  unit: CatalogMeterUnit;
  kind: PointKind;
  /** The point's meter role, from its device's `roles` map or else its definition, as on the edge. */
  role: MeterRole | null;
  /** The building, area or system of the point's device. */
  nodeId: string | null;
}

interface MeterCandidate {
  id: string;
  name: string | null;
  unit: string | null;
  kind: string | null;
  role: string | null;
  nodeId: string | null;
}

/**
 * Lists a site's points in W, kW, Wh or kWh, which are the units virtual meters convert between, in
 * device key and point order. Points defined on the hub come first. Points that only the newest point
 * catalog of their device lists (SunSpec discovery, templates) follow, with the role of their device's
 * `roles` map or, without one, of the catalog. A stored role or kind the shared model no longer accepts
 * reads as none or as gauge.
 * NOTE: MW and MWh points are left out, because virtual meters convert only between W and kW and
 * between Wh and kWh.
 */
export async function readSiteMeters(tx: TransactionSql, site: Pick<SiteRef, 'id' | 'organizationId'>): Promise<SiteMeter[]> {
  const defined = await tx<MeterCandidate[]>`
    SELECT d.key || '.' || p.key AS id, p.config->>'name' AS name, p.config->>'unit' AS unit, p.config->>'kind' AS kind,
      COALESCE(d.config->'roles'->>p.key, p.config->>'role') AS role, d.node_id AS "nodeId"
    FROM points p JOIN devices d ON d.id = p.device_id
    WHERE p.site_id = ${site.id} AND p.organization_id = ${site.organizationId}
    ORDER BY d.key, p.position`;
  const devices = await tx<{ key: string; node_id: string | null; roles: Record<string, string> | null }[]>`
    SELECT key, node_id, CASE WHEN jsonb_typeof(config->'roles') = 'object' THEN config->'roles' END AS roles
    FROM devices WHERE site_id = ${site.id} AND organization_id = ${site.organizationId}`;
  const deviceByKey = new Map(devices.map((device) => [device.key, device]));

  const definedIds = new Set(defined.map((candidate) => candidate.id));
  const discovered: MeterCandidate[] = [];
  for (const entry of await readCatalogPoints(tx, [site.id])) {
    const id = `${entry.device}.${entry.point.key}`;
    const device = deviceByKey.get(entry.device);
    // A catalog of a device the hub no longer has names points no formula can rely on.
    if (definedIds.has(id) || device === undefined) continue;
    definedIds.add(id);
    const role = device.roles?.[entry.point.key] ?? entry.point.role ?? null;
    discovered.push({ id, name: entry.point.name ?? null, unit: entry.point.unit, kind: entry.point.kind, role, nodeId: device.node_id });
  }

  return [...defined, ...discovered].flatMap((candidate): SiteMeter[] => {
    const unit = catalogMeterUnitSchema.safeParse(candidate.unit ?? '');
    if (!unit.success) return [];
    const kind = pointKindSchema.safeParse(candidate.kind ?? 'gauge');
    const role = meterRoleSchema.safeParse(candidate.role);
    return [{ id: candidate.id, name: candidate.name, unit: unit.data, kind: kind.success ? kind.data : 'gauge', role: role.success ? role.data : null, nodeId: candidate.nodeId }];
  });
}

/** Converts the site's meters to the catalog that validateVirtualMeters checks formulas against. */
export function toFormulaCatalog(meters: readonly SiteMeter[]): CatalogMeter[] {
  return meters.map((meter) => ({ id: meter.id, unit: meter.unit }));
}
