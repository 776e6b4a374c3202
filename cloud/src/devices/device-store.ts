import postgres from 'postgres';
import type { Device } from '@simtestlab/sync';
import type { SiteRef } from '../access/guards';
import { HttpError } from '../api/http-error';
import type { TransactionSql } from '../db/connect';
import { DEVICE_COLUMNS, splitDevice, type DeviceRow } from './device-rows';

/** Name Postgres gives the UNIQUE (site_id, key) constraint of the devices table. */
const DEVICE_KEY_CONSTRAINT = 'devices_site_id_key_key';

/** Wraps a value for a jsonb column. Every value stored here came out of a zod parse, so it is plain JSON. */
export function jsonb(tx: TransactionSql, value: Record<string, unknown>) {
  return tx.json(value as postgres.JSONValue);
}

function duplicateDeviceKey(error: unknown, key: string, siteId: string): unknown {
  if (error instanceof postgres.PostgresError && error.code === '23505' && error.constraint_name === DEVICE_KEY_CONSTRAINT) {
    return new HttpError(409, 'conflict', `device key "${key}" is already used at site ${siteId}; choose another key`, { parameter: 'device.key' });
  }
  return error;
}

/** Checks that `nodeId` is a building, area or system of the site, else raises 400. */
export async function requireNodeOfSite(tx: TransactionSql, site: SiteRef, nodeId: string): Promise<void> {
  const [node] = await tx`
    SELECT id FROM site_nodes WHERE id = ${nodeId} AND site_id = ${site.id} AND organization_id = ${site.organizationId}`;
  if (node) return;
  const message = `${nodeId} is not a building, area or system of site ${site.id}. Send a node of this site, or null for none`;
  throw new HttpError(400, 'invalid_request', `nodeId: ${message}`, { parameter: 'nodeId', issues: [{ path: 'nodeId', message }] });
}

/** Inserts a device without its points; a key already used at the site raises 409. */
export async function insertDevice(tx: TransactionSql, site: SiteRef, nodeId: string | null, device: Device): Promise<DeviceRow> {
  const { config } = splitDevice(device);
  try {
    const [row] = await tx<DeviceRow[]>`
      INSERT INTO devices (organization_id, site_id, node_id, key, name, driver, config)
      VALUES (${site.organizationId}, ${site.id}, ${nodeId}, ${device.key}, ${device.name ?? null}, ${device.driver}, ${jsonb(tx, config)})
      RETURNING ${tx(DEVICE_COLUMNS)}`;
    return row!;
  } catch (error) {
    throw duplicateDeviceKey(error, device.key, site.id);
  }
}

/** Replaces a device's row (not its points); a key already used by another device of the site raises 409. */
export async function updateDevice(tx: TransactionSql, current: DeviceRow, nodeId: string | null, device: Device): Promise<DeviceRow> {
  const { config } = splitDevice(device);
  try {
    const [row] = await tx<DeviceRow[]>`
      UPDATE devices SET
        node_id = ${nodeId},
        key = ${device.key},
        name = ${device.name ?? null},
        driver = ${device.driver},
        config = ${jsonb(tx, config)},
        updated_at = now()
      WHERE id = ${current.id} AND site_id = ${current.site_id} AND organization_id = ${current.organization_id}
      RETURNING ${tx(DEVICE_COLUMNS)}`;
    return row!;
  } catch (error) {
    throw duplicateDeviceKey(error, device.key, current.site_id);
  }
}

/** Deletes a device; its points go with it through the foreign key's cascade. */
export async function deleteDevice(tx: TransactionSql, device: DeviceRow): Promise<void> {
  await tx`DELETE FROM devices WHERE id = ${device.id} AND site_id = ${device.site_id} AND organization_id = ${device.organization_id}`;
}

/** Marks a device as changed when one of its points changes, because the points are part of the device. */
export async function touchDevice(tx: TransactionSql, device: DeviceRow): Promise<void> {
  await tx`
    UPDATE devices SET updated_at = now()
    WHERE id = ${device.id} AND site_id = ${device.site_id} AND organization_id = ${device.organization_id}`;
}

/** Lists a site's devices by key, each with its number of points. */
export async function listDevices(tx: TransactionSql, site: SiteRef): Promise<(DeviceRow & { point_count: number })[]> {
  return tx<(DeviceRow & { point_count: number })[]>`
    SELECT ${tx(DEVICE_COLUMNS)},
           (SELECT count(*)::int FROM points WHERE points.device_id = devices.id AND points.organization_id = devices.organization_id) AS point_count
    FROM devices
    WHERE site_id = ${site.id} AND organization_id = ${site.organizationId}
    ORDER BY key`;
}
