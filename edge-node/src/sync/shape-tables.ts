import type { ShapeName } from '@simtestlab/sync';

/**
 * Storage kind of a parsed shape value in SQLite. SQLite has no boolean or JSON type, so `boolean` is
 * stored as INTEGER 0 or 1 and `json` as TEXT. `text`, `real` and `integer` are stored unchanged.
 */
export type ColumnKind = 'text' | 'real' | 'integer' | 'boolean' | 'json';

/** SQLite table of one synced shape and the storage kind of each of its columns. */
export interface ShapeTable {
  table: string;
  columns: Readonly<Record<string, ColumnKind>>;
}

/**
 * Tables that hold the synced shapes, created by the store migration that adds `shape_state` and, for
 * `energy_settings`, by a later one. Change them only together with a new migration: a test compares
 * this list with the row schemas and with the migrated tables.
 */
export const shapeTables: Readonly<Record<ShapeName, ShapeTable>> = {
  site: {
    table: 'cloud_site',
    columns: {
      id: 'text',
      organization_id: 'text',
      name: 'text',
      time_zone: 'text',
      latitude: 'real',
      longitude: 'real',
      operator_control: 'boolean',
    },
  },
  site_nodes: {
    table: 'cloud_site_nodes',
    columns: { id: 'text', site_id: 'text', parent_id: 'text', kind: 'text', name: 'text' },
  },
  devices: {
    table: 'cloud_devices',
    columns: { id: 'text', site_id: 'text', node_id: 'text', key: 'text', driver: 'text', config: 'json' },
  },
  points: {
    table: 'cloud_points',
    columns: { id: 'text', site_id: 'text', device_id: 'text', key: 'text', position: 'integer', config: 'json' },
  },
  alarm_rules: {
    table: 'cloud_alarm_rules',
    columns: {
      id: 'text',
      site_id: 'text',
      point_id: 'text',
      name: 'text',
      severity: 'text',
      enabled: 'boolean',
      condition: 'json',
    },
  },
  site_users: {
    table: 'cloud_site_users',
    columns: {
      user_id: 'text',
      site_id: 'text',
      email: 'text',
      name: 'text',
      role: 'text',
      status: 'text',
      password_hash: 'text',
      developer: 'boolean',
    },
  },
  jwks: {
    table: 'cloud_jwks',
    columns: { kid: 'text', jwk: 'json' },
  },
  energy_settings: {
    table: 'cloud_energy_settings',
    columns: { site_id: 'text', organization_id: 'text', currency: 'text', settings: 'json' },
  },
};

/** A row as SQLite binds and returns it. */
export type StoredRow = Record<string, string | number | null>;

/** Converts a validated shape row to the values bound to its table's columns, in column order. */
export function encodeRow(table: ShapeTable, row: Record<string, unknown>): StoredRow {
  const stored: StoredRow = {};
  for (const [column, kind] of Object.entries(table.columns)) {
    const value = row[column];
    if (value === null || value === undefined) stored[column] = null;
    else if (kind === 'boolean') stored[column] = value ? 1 : 0;
    else if (kind === 'json') stored[column] = JSON.stringify(value);
    else stored[column] = value as string | number;
  }
  return stored;
}

/** Converts a stored row back to the value the shape's row schema describes. */
export function decodeRow(table: ShapeTable, stored: StoredRow): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [column, kind] of Object.entries(table.columns)) {
    const value = stored[column];
    if (value === null || value === undefined) row[column] = null;
    else if (kind === 'boolean') row[column] = value === 1;
    else if (kind === 'json') row[column] = JSON.parse(String(value));
    else row[column] = value;
  }
  return row;
}
