import { meterRoleSchema, type MeterRole } from '@simtestlab/sync';
import type { Logger } from '../logger';
import type { SqliteDatabase } from '../store/database';
import type { SyncedDevice } from '../sync/site-hierarchy';

/** Meter roles the hub sets, by device key and then point key. A device the hub lists has an entry, even an empty one. */
export type HubMeterRoles = ReadonlyMap<string, ReadonlyMap<string, MeterRole>>;

interface SyncedPointRole {
  device_id: string;
  key: string;
  role: unknown;
}

/**
 * Collects the meter roles of the synced devices. The device's `roles` map entry wins, else the synced
 * point's own `role`, as in the hub's report. A role that `meterRoleSchema` rejects is logged and the
 * point gets no role. The hub treats it the same way, because its invalid map entry also hides the
 * point's own role. Reads `cloud_points` once.
 *
 * NOTE: the `devices` and `points` shapes arrive independently, so a device that has just synced has
 * no roles until its points arrive.
 */
export function readHubMeterRoles(db: SqliteDatabase, devices: readonly SyncedDevice[], logger: Logger): HubMeterRoles {
  // `json_type` returns 'null' for a JSON null and SQL NULL when `role` is missing. The hub skips both.
  const pointRows = db
    .prepare<[], SyncedPointRole>(`SELECT device_id, key, json_extract(config, '$.role') AS role FROM cloud_points WHERE json_type(config, '$.role') <> 'null'`)
    .all();
  const pointRolesByDevice = new Map<string, Map<string, unknown>>();
  for (const row of pointRows) {
    const roles = pointRolesByDevice.get(row.device_id) ?? new Map<string, unknown>();
    roles.set(row.key, row.role);
    pointRolesByDevice.set(row.device_id, roles);
  }

  const byDevice = new Map<string, Map<string, MeterRole>>();
  for (const device of devices) {
    const candidates = new Map(pointRolesByDevice.get(device.id));
    for (const [pointKey, role] of Object.entries(device.roles ?? {})) {
      // The hub reads a null map entry as no entry, so the point's own role applies.
      if (role !== null) candidates.set(pointKey, role);
    }
    const roles = new Map<string, MeterRole>();
    for (const [pointKey, candidate] of candidates) {
      const parsed = meterRoleSchema.safeParse(candidate);
      if (parsed.success) {
        roles.set(pointKey, parsed.data);
      } else {
        logger.warn(
          { device: device.key, point: pointKey, role: candidate },
          `synced meter role ${JSON.stringify(candidate)} of point ${device.key}.${pointKey} is invalid: the point has no role until the hub sets a valid one`,
        );
      }
    }
    byDevice.set(device.key, roles);
  }
  return byDevice;
}
