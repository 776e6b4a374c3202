import { z } from '@hono/zod-openapi';
import { deviceSchema, type AnyPoint, type Device, type DriverName } from '@simtestlab/sync';
import { AUDIT_REDACTION } from '../audit/audit-log';
import { withConnectionPasswordsReplaced } from './connection-secrets';

/** A row of the devices table. `config` is the device model without its points. */
export interface DeviceRow {
  id: string;
  organization_id: string;
  site_id: string;
  node_id: string | null;
  key: string;
  name: string | null;
  driver: DriverName;
  config: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export const DEVICE_COLUMNS = ['id', 'organization_id', 'site_id', 'node_id', 'key', 'name', 'driver', 'config', 'created_at', 'updated_at'];

/** A row of the points table as the device queries select it; `config` is the point definition. */
export interface PointRow {
  id: string;
  key: string;
  position: number;
  config: Record<string, unknown>;
}

/** Splits a device into its `devices.config` value (the model without points) and its points. */
export function splitDevice(device: Device): { config: Record<string, unknown>; points: AnyPoint[] } {
  const { points, ...config } = device;
  return { config, points };
}

/** Returns the point definition of a row. */
export function pointDefinition(row: PointRow): Record<string, unknown> {
  return row.config;
}

/**
 * Rebuilds the device model from its row and its point rows in position order. The result is parsed,
 * so defaults the model gained after the row was written are filled in. A row that no longer parses
 * raises an error that names the device, because it means a model change needs a data migration.
 */
export function toDeviceModel(row: DeviceRow, points: PointRow[]): Device {
  const result = deviceSchema.safeParse({ ...row.config, points: points.map(pointDefinition) });
  if (!result.success) {
    throw new Error(`stored device ${row.id} does not match the device model: ${z.prettifyError(result.error)}`, { cause: result.error });
  }
  return result.data;
}

/** Converts a device row and its model to the API's device record. */
export function toDeviceRecord(row: DeviceRow, device: Device) {
  return {
    id: row.id,
    siteId: row.site_id,
    organizationId: row.organization_id,
    nodeId: row.node_id,
    device,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Converts a device row and its point count to the API's list entry. */
export function toDeviceSummary(row: DeviceRow & { point_count: number }) {
  return {
    id: row.id,
    siteId: row.site_id,
    organizationId: row.organization_id,
    nodeId: row.node_id,
    key: row.key,
    name: row.name,
    driver: row.driver,
    enabled: row.config.enabled !== false,
    pointCount: row.point_count,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * Returns the audited state of a device: the node it belongs to and the whole model with its points.
 * Connection passwords are replaced, because site managers read and export the audit log.
 */
export function deviceAuditState(row: Pick<DeviceRow, 'node_id'>, device: Device) {
  return { nodeId: row.node_id, device: withConnectionPasswordsReplaced(device, AUDIT_REDACTION) };
}

/** Returns the audited state of a point: its device and its definition. */
export function pointAuditState(device: Pick<DeviceRow, 'id' | 'key'>, point: Record<string, unknown>) {
  return { deviceId: device.id, deviceKey: device.key, point };
}
