import { catalogMeterUnitSchema, meterDisplayName, meterRoleSchema, pointKindSchema, unitSchema, type MeterRole, type PointKind, type Unit } from '@simtestlab/sync';
import type { TransactionSql } from '../db/connect';
import { readCatalogPoints } from './catalog-points';

/** A power or energy point of a site, with its meter role when it has one. */
export interface EnergyPoint {
  /** The edge's point id, `device.point`. */
  point: string;
  /** The device key. */
  device: string;
  /** The point's own name, else the device's name (or key) followed by the point key. */
  name: string;
  role: MeterRole | null;
  unit: Unit;
  kind: PointKind;
  /** The hierarchy node of the point's device; null when the device sits directly under the site. */
  nodeId: string | null;
}

/** A point with a meter role, as the KPIs read it. */
export interface MeterPoint extends EnergyPoint {
  role: MeterRole;
}

/** Units of a point without a role that a virtual meter may read: energy or power. */
const ENERGY_UNITS: readonly string[] = catalogMeterUnitSchema.options;

interface PointSelection {
  /** Whether points without a meter role but with a power or energy unit are listed too. */
  withoutRole: boolean;
}

interface DeviceRow {
  site_id: string;
  device: string;
  device_name: string | null;
  node_id: string | null;
}

function pointName(device: DeviceRow, key: string, name: string | null | undefined): string {
  return meterDisplayName({ key, name }, { key: device.device, name: device.device_name });
}

/**
 * Lists the points of the given sites that carry a meter role, in their device's `roles` map or in
 * their own definition (the map wins, as on the edge), keyed by site. Points found by SunSpec discovery have no definition on the
 * hub, so a point that the `roles` map names without one takes its unit and kind from the device's
 * newest point catalog. It is left out while the edge has uploaded no catalog that lists it. A point
 * whose stored role, unit or kind the shared model no longer accepts is left out rather than failing
 * the summary.
 */
export async function readMeterPoints(tx: TransactionSql, siteIds: readonly string[]): Promise<Map<string, MeterPoint[]>> {
  const bySite = await readPoints(tx, siteIds, { withoutRole: false });
  return new Map([...bySite].map(([siteId, points]) => [siteId, points.filter((point): point is MeterPoint => point.role !== null)]));
}

/**
 * Lists the points that `readMeterPoints` lists and, with a null role, every other point whose unit is
 * W, kW, Wh or kWh, which a virtual meter may read. Points of the devices' catalogs that have no
 * definition on the hub are included by the same rule.
 */
export async function readEnergyPoints(tx: TransactionSql, siteIds: readonly string[]): Promise<Map<string, EnergyPoint[]>> {
  return readPoints(tx, siteIds, { withoutRole: true });
}

async function readPoints(tx: TransactionSql, siteIds: readonly string[], selection: PointSelection): Promise<Map<string, EnergyPoint[]>> {
  const unassigned = selection.withoutRole ? tx`OR p.config->>'unit' = ANY(${tx.array([...ENERGY_UNITS], 25)})` : tx``;
  const rows = await tx<(DeviceRow & { key: string; name: string | null; role: string | null; unit: string | null; kind: string | null })[]>`
    SELECT p.site_id, d.key AS device, d.name AS device_name, d.node_id, p.key, p.config->>'name' AS name,
      COALESCE(d.config->'roles'->>p.key, p.config->>'role') AS role, p.config->>'unit' AS unit, p.config->>'kind' AS kind
    FROM points p JOIN devices d ON d.id = p.device_id
    WHERE p.site_id = ANY(${tx.array([...siteIds], 2950)}) AND (p.config ? 'role' OR d.config->'roles' ? p.key ${unassigned})
    ORDER BY p.site_id, d.key, p.position`;
  const bySite = new Map<string, EnergyPoint[]>(siteIds.map((siteId) => [siteId, []]));
  for (const row of rows) {
    const role = row.role === null ? null : meterRoleSchema.safeParse(row.role);
    const unit = unitSchema.safeParse(row.unit ?? '');
    const kind = pointKindSchema.safeParse(row.kind ?? 'gauge');
    if (role?.success === false || !unit.success || !kind.success) continue;
    bySite.get(row.site_id)?.push({
      point: `${row.device}.${row.key}`,
      device: row.device,
      name: pointName(row, row.key, row.name),
      role: role?.data ?? null,
      unit: unit.data,
      kind: kind.data,
      nodeId: row.node_id,
    });
  }
  for (const [siteId, points] of await readUndefinedPoints(tx, siteIds, selection)) bySite.get(siteId)?.push(...points);
  return bySite;
}

/**
 * Lists the catalog points of hub devices that have no row in `points`: those the device's `roles` map
 * names, and with `withoutRole` also those with an energy or power unit. Unit and kind come from the
 * device's newest point catalog.
 */
async function readUndefinedPoints(tx: TransactionSql, siteIds: readonly string[], selection: PointSelection): Promise<Map<string, EnergyPoint[]>> {
  // Without `withoutRole`, only devices whose roles map names a point without a row need their catalog.
  const needsCatalog = selection.withoutRole
    ? tx``
    : tx`AND jsonb_typeof(d.config->'roles') = 'object'
         AND EXISTS (SELECT 1 FROM jsonb_object_keys(d.config->'roles') AS r(key) WHERE NOT EXISTS (SELECT 1 FROM points p WHERE p.device_id = d.id AND p.key = r.key))`;
  const devices = await tx<(DeviceRow & { roles: Record<string, unknown> | null; configured: string[] })[]>`
    SELECT d.site_id, d.key AS device, d.name AS device_name, d.node_id,
      CASE WHEN jsonb_typeof(d.config->'roles') = 'object' THEN d.config->'roles' END AS roles,
      ARRAY(SELECT p.key FROM points p WHERE p.device_id = d.id) AS configured
    FROM devices d
    WHERE d.site_id = ANY(${tx.array([...siteIds], 2950)}) ${needsCatalog}`;
  const bySite = new Map<string, EnergyPoint[]>();
  if (devices.length === 0) return bySite;

  const deviceByKey = new Map(devices.map((device) => [`${device.site_id}/${device.device}`, device]));
  for (const entry of await readCatalogPoints(tx, [...new Set(devices.map((device) => device.site_id))])) {
    const device = deviceByKey.get(`${entry.siteId}/${entry.device}`);
    if (device === undefined || device.configured.includes(entry.point.key)) continue;
    const mappedRole = device.roles?.[entry.point.key];
    let role: MeterRole | null = null;
    if (mappedRole !== undefined) {
      const parsed = meterRoleSchema.safeParse(mappedRole);
      if (!parsed.success) continue;
      role = parsed.data;
    } else if (!selection.withoutRole || !ENERGY_UNITS.includes(entry.point.unit)) {
      continue;
    }
    const points = bySite.get(entry.siteId) ?? [];
    points.push({
      point: `${entry.device}.${entry.point.key}`,
      device: entry.device,
      name: pointName(device, entry.point.key, entry.point.name),
      role,
      unit: entry.point.unit,
      kind: entry.point.kind,
      nodeId: device.node_id,
    });
    bySite.set(entry.siteId, points);
  }
  return bySite;
}
