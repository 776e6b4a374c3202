import type { AnyPoint } from '@simtestlab/sync';
import type { TransactionSql } from '../db/connect';
import type { DeviceRow, PointRow } from './device-rows';
import { jsonb } from './device-store';

/** Loads a device's points in the order of its `points` list. */
export async function loadPoints(tx: TransactionSql, device: DeviceRow): Promise<PointRow[]> {
  return tx<PointRow[]>`
    SELECT id, key, position, config FROM points
    WHERE device_id = ${device.id} AND site_id = ${device.site_id} AND organization_id = ${device.organization_id}
    ORDER BY position, key`;
}

/**
 * Makes a device's points equal to `points`: removes the keys no longer listed and upserts the rest
 * with their new positions. Upserting keeps the row ids of points that stay.
 */
export async function replacePoints(tx: TransactionSql, device: DeviceRow, points: readonly AnyPoint[]): Promise<void> {
  const keys = points.map((point) => point.key);
  await tx`
    DELETE FROM points
    WHERE device_id = ${device.id} AND site_id = ${device.site_id} AND organization_id = ${device.organization_id}
      AND key <> ALL(${tx.array(keys, 25)})`;
  if (points.length === 0) return;
  const rows = points.map((point, position) => ({
    organization_id: device.organization_id,
    site_id: device.site_id,
    device_id: device.id,
    key: point.key,
    position,
    config: jsonb(tx, point),
  }));
  await tx`
    INSERT INTO points ${tx(rows, 'organization_id', 'site_id', 'device_id', 'key', 'position', 'config')}
    ON CONFLICT (device_id, key) DO UPDATE SET position = excluded.position, config = excluded.config, updated_at = now()`;
}

/** Loads one point of a device, locked until the transaction ends. */
export async function findPointForUpdate(tx: TransactionSql, device: DeviceRow, key: string): Promise<PointRow | undefined> {
  const [row] = await tx<PointRow[]>`
    SELECT id, key, position, config FROM points
    WHERE device_id = ${device.id} AND site_id = ${device.site_id} AND organization_id = ${device.organization_id} AND key = ${key}
    FOR UPDATE`;
  return row;
}

/** Returns the position after the device's last point, where a new point goes. */
export async function nextPointPosition(tx: TransactionSql, device: DeviceRow): Promise<number> {
  const [row] = await tx<{ position: number }[]>`
    SELECT coalesce(max(position) + 1, 0)::int AS position FROM points
    WHERE device_id = ${device.id} AND site_id = ${device.site_id} AND organization_id = ${device.organization_id}`;
  return row!.position;
}

/** Inserts or replaces one point at `position` and returns its row. */
export async function upsertPoint(tx: TransactionSql, device: DeviceRow, point: AnyPoint, position: number): Promise<PointRow> {
  const [row] = await tx<PointRow[]>`
    INSERT INTO points (organization_id, site_id, device_id, key, position, config)
    VALUES (${device.organization_id}, ${device.site_id}, ${device.id}, ${point.key}, ${position}, ${jsonb(tx, point)})
    ON CONFLICT (device_id, key) DO UPDATE SET position = excluded.position, config = excluded.config, updated_at = now()
    RETURNING id, key, position, config`;
  return row!;
}

export async function deletePoint(tx: TransactionSql, point: PointRow, device: DeviceRow): Promise<void> {
  await tx`
    DELETE FROM points
    WHERE id = ${point.id} AND device_id = ${device.id} AND site_id = ${device.site_id} AND organization_id = ${device.organization_id}`;
}
