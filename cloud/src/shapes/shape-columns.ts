import type { ShapeName } from '@simtestlab/sync';

/** Postgres type of one column, as the `electric-schema` header names it. */
interface ColumnType {
  type: 'uuid' | 'text' | 'float8' | 'int4' | 'bool' | 'jsonb';
  pk_index?: number;
  not_null?: boolean;
}

const key = (type: ColumnType['type']): ColumnType => ({ type, pk_index: 0, not_null: true });
const required = (type: ColumnType['type']): ColumnType => ({ type, not_null: true });
const nullable = (type: ColumnType['type']): ColumnType => ({ type });

/**
 * Columns of each shape's rows for the `electric-schema` header, from which `@electric-sql/client`
 * parses the text values (float8 and int4 to numbers, bool to booleans, jsonb parsed). They match the
 * row schemas of the shapes in @simtestlab/sync and the shape_value_* functions of migrations 0003 and
 * 0010.
 */
export const shapeColumns: Record<ShapeName, Record<string, ColumnType>> = {
  site: {
    id: key('uuid'),
    organization_id: required('uuid'),
    name: required('text'),
    time_zone: required('text'),
    latitude: nullable('float8'),
    longitude: nullable('float8'),
    operator_control: required('bool'),
  },
  site_nodes: {
    id: key('uuid'),
    site_id: required('uuid'),
    parent_id: nullable('uuid'),
    kind: required('text'),
    name: required('text'),
  },
  devices: {
    id: key('uuid'),
    site_id: required('uuid'),
    node_id: nullable('uuid'),
    key: required('text'),
    driver: required('text'),
    config: required('jsonb'),
  },
  points: {
    id: key('uuid'),
    site_id: required('uuid'),
    device_id: required('uuid'),
    key: required('text'),
    position: required('int4'),
    config: required('jsonb'),
  },
  alarm_rules: {
    id: key('uuid'),
    site_id: required('uuid'),
    point_id: nullable('uuid'),
    name: required('text'),
    severity: required('text'),
    enabled: required('bool'),
    condition: required('jsonb'),
  },
  site_users: {
    user_id: key('uuid'),
    site_id: required('uuid'),
    email: required('text'),
    name: required('text'),
    role: required('text'),
    status: required('text'),
    password_hash: nullable('text'),
    developer: required('bool'),
  },
  jwks: {
    kid: key('text'),
    jwk: required('jsonb'),
  },
  energy_settings: {
    site_id: key('uuid'),
    organization_id: required('uuid'),
    currency: required('text'),
    settings: required('jsonb'),
  },
};
