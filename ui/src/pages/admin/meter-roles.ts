import type { MeterRole } from '@simtestlab/sync';

/**
 * Meter roles of one device's power and energy points. A device's `roles` map (point key to role) wins
 * over the role a point definition sets itself, on the hub as on the edge.
 */

/** Role names for the role selects. A signed role's name shows which direction counts as positive. */
export const METER_ROLE_LABELS: Record<MeterRole, string> = {
  grid: 'Grid (import positive)',
  'grid-import': 'Grid import (one-way)',
  'grid-export': 'Grid export (one-way)',
  pv: 'PV production',
  battery: 'Battery (discharge positive)',
  'battery-charge': 'Battery charge (one-way)',
  'battery-discharge': 'Battery discharge (one-way)',
  ev: 'EV charging',
  consumption: 'Consumption',
};

/** Units of the points that can take a meter role. */
const POWER_AND_ENERGY_UNITS: ReadonlySet<string> = new Set(['W', 'kW', 'MW', 'Wh', 'kWh', 'MWh']);

/** A hub-defined point, as the device record lists it. */
export interface HubPoint {
  key: string;
  name?: string;
  unit: string;
  kind: string;
  role?: MeterRole;
}

/** A power or energy point of the site, as `GET /api/sites/{siteId}/energy-settings` lists it in `meters`. */
export interface SiteMeterPoint {
  /** Point id `device.point`. Device keys contain no dot, so the first dot ends the device key. */
  id: string;
  name: string | null;
  unit: string;
  kind: string;
  /** The device's `roles` map entry, or else the point's own role. */
  role: MeterRole | null;
}

/** One row of the meter roles section. */
export interface MeterRolePoint {
  key: string;
  name: string | null;
  unit: string;
  kind: string;
  /** Origin of the definition: `hub` for a hub-defined point, `catalog` for one that only the edge's newest point catalog lists. */
  definedIn: 'hub' | 'catalog';
  /**
   * The role the point sets itself: its hub definition's, or the one its catalog reports. Undefined for a
   * catalog point with a `roles` map entry, because the hub returns the map entry in place of the catalog role.
   */
  ownRole: MeterRole | null | undefined;
}

/**
 * Lists a device's power and energy points: the hub-defined ones first, in definition order, then the
 * points of its newest point catalog that the hub does not define, in catalog order. A key appears once.
 * NOTE: catalog points in MW or MWh are missing, because the energy settings' `meters` leave them out.
 */
export function mergeMeterPoints(deviceKey: string, hubPoints: readonly HubPoint[], siteMeters: readonly SiteMeterPoint[], roles: Readonly<Record<string, MeterRole>> | undefined): MeterRolePoint[] {
  const merged: MeterRolePoint[] = [];
  const seen = new Set<string>();
  for (const point of hubPoints) {
    if (!POWER_AND_ENERGY_UNITS.has(point.unit) || seen.has(point.key)) continue;
    seen.add(point.key);
    merged.push({ key: point.key, name: point.name ?? null, unit: point.unit, kind: point.kind, definedIn: 'hub', ownRole: point.role ?? null });
  }

  const prefix = `${deviceKey}.`;
  for (const meter of siteMeters) {
    if (!meter.id.startsWith(prefix)) continue;
    const key = meter.id.slice(prefix.length);
    if (seen.has(key)) continue;
    seen.add(key);
    const ownRole = roles?.[key] === undefined ? meter.role : undefined;
    merged.push({ key, name: meter.name, unit: meter.unit, kind: meter.kind, definedIn: 'catalog', ownRole });
  }
  return merged;
}

/** The role a point counts with, and where it comes from. */
export interface EffectiveRole {
  role: MeterRole | null;
  source: 'roles-map' | 'point' | 'catalog' | null;
  /** The point's own role when a different `roles` map entry overrides it. */
  overridden: MeterRole | null;
}

/** Resolves a point's role from its `roles` map entry (`null` for none) and its own role. */
export function effectiveRole(point: MeterRolePoint, mapRole: MeterRole | null): EffectiveRole {
  const own = point.ownRole ?? null;
  if (mapRole !== null) return { role: mapRole, source: 'roles-map', overridden: own !== null && own !== mapRole ? own : null };
  if (own === null) return { role: null, source: null, overridden: null };
  return { role: own, source: point.definedIn === 'hub' ? 'point' : 'catalog', overridden: null };
}

/**
 * Builds a device's `roles` map from the current one and the edited entries: a role sets or changes the
 * entry of its point key and `null` removes it. Entries that were not edited stay, including those of
 * points the section does not list.
 */
export function buildRolesMap(current: Readonly<Record<string, MeterRole>> | undefined, edits: ReadonlyMap<string, MeterRole | null>): Record<string, MeterRole> {
  const roles: Record<string, MeterRole> = { ...current };
  for (const [key, role] of edits) {
    if (role === null) delete roles[key];
    else roles[key] = role;
  }
  return roles;
}

/** Returns the device with `roles` replaced, or without `roles` when the map is empty. */
export function withRolesMap<T extends { roles?: Record<string, MeterRole> }>(device: T, roles: Record<string, MeterRole>): T {
  const { roles: _previous, ...rest } = device;
  return Object.keys(roles).length === 0 ? (rest as T) : ({ ...rest, roles } as T);
}
