import type { Action } from '@simtestlab/sync';
import type { Caller } from '../access/caller';
import { requireSiteOf, type SiteRef } from '../access/guards';
import { notFound } from '../api/http-error';
import type { TransactionSql } from '../db/connect';
import { DEVICE_COLUMNS, type DeviceRow } from './device-rows';

/**
 * Loads a device the caller may take `action` on, by checking the caller's role at the device's site.
 * A device of another organization, or at a site the caller cannot open, is not found (404) and the
 * error names the device only, so its site id does not leak. With `lock` the row stays locked until
 * the transaction ends, which serializes changes to one device and its points.
 */
export async function requireDevice(
  tx: TransactionSql,
  caller: Caller,
  deviceId: string,
  action: Action,
  options: { lock?: boolean } = {},
): Promise<{ row: DeviceRow; site: SiteRef }> {
  const site = await requireSiteOf(tx, caller, 'devices', deviceId, action);

  const [row] = await tx<DeviceRow[]>`
    SELECT ${tx(DEVICE_COLUMNS)} FROM devices
    WHERE id = ${deviceId} AND site_id = ${site.id} AND organization_id = ${site.organizationId}
    ${options.lock ? tx`FOR UPDATE` : tx``}`;
  // A concurrent delete can remove the row between the two reads.
  if (!row) throw notFound('device', deviceId);
  return { row, site };
}
