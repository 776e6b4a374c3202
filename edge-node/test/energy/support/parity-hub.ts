import { allOrganizations, inTenantScope } from '../../../../cloud/src/db/scope';
import { call, login } from '../../../../cloud/test/support/cloud-fixture';
import { loadCredential } from '../../../src/cloud/credential';
import type { PairedHub } from '../../update/support/paired-hub';
import { BUILDING_NAME, CURRENCY, PARITY_DEVICES, PARITY_ENERGY_SETTINGS, type ParityDeviceKey } from './parity-site';

/** The hub's site as the parity test set it up through the hub's API. */
export interface ParityHubSite {
  siteId: string;
  organizationId: string;
  /** Access token of the seeded org admin. */
  token: string;
  buildingId: string;
  /** Hub device id by device key. */
  deviceIds: Record<string, string>;
}

/** The org admin that `startPairedHub` seeds. */
const ORG_ADMIN = 'admin@acme.test';

async function expectStatus(response: Promise<{ status: number; body: any }>, status: number, action: string): Promise<any> {
  const { status: actual, body } = await response;
  if (actual !== status) throw new Error(`${action} returned ${actual} instead of ${status}: ${JSON.stringify(body)}`);
  return body;
}

/**
 * Sets up the paired site through the hub's API, as a site manager does. It sets the organization's
 * currency and creates a building node and the scenario's devices with their points and meter roles,
 * the consumption meter under the building. Then it saves the site's energy settings.
 */
export async function setUpHubSite(paired: PairedHub): Promise<ParityHubSite> {
  const { siteId, organizationId } = loadCredential(paired.dataDir);
  const { app } = paired.fixture;
  const token = await login(app, ORG_ADMIN);
  await expectStatus(call(app, token, 'PATCH', `/api/organizations/${organizationId}`, { currency: CURRENCY }), 200, 'setting the organization currency');

  const building = await expectStatus(call(app, token, 'POST', `/api/sites/${siteId}/nodes`, { kind: 'building', name: BUILDING_NAME }), 201, 'creating the building node');
  const deviceIds: Record<string, string> = {};
  for (const device of Object.values(PARITY_DEVICES)) {
    const nodeId = device.key === 'loads' ? building.id : null;
    const created = await expectStatus(call(app, token, 'POST', `/api/sites/${siteId}/devices`, { nodeId, device }), 201, `creating device ${device.key}`);
    deviceIds[device.key] = created.id;
  }
  await expectStatus(call(app, token, 'PUT', `/api/sites/${siteId}/energy-settings`, PARITY_ENERGY_SETTINGS), 200, 'saving the energy settings');
  return { siteId, organizationId, token, buildingId: building.id, deviceIds };
}

/**
 * Replaces the first point of scenario device `deviceKey` through the hub's point API, as a site manager
 * does, with the meter role `role` in place of the scenario's one.
 */
export async function setHubPointRole(paired: PairedHub, site: ParityHubSite, deviceKey: ParityDeviceKey, role: string): Promise<void> {
  const point = PARITY_DEVICES[deviceKey].points[0];
  if (point === undefined) throw new Error(`scenario device "${deviceKey}" has no point`);
  await expectStatus(
    call(paired.fixture.app, site.token, 'PUT', `/api/devices/${site.deviceIds[deviceKey]}/points/${point.key}`, { ...point, role }),
    200,
    `setting role ${role} on point ${deviceKey}.${point.key}`,
  );
}

/** Requests the hub's energy report of the site and returns the status and body. */
export function hubReport(paired: PairedHub, site: ParityHubSite, query: string): Promise<{ status: number; body: any }> {
  return call(paired.fixture.app, site.token, 'GET', `/api/energy/sites/${site.siteId}/report?${query}`);
}

/** One stored rollup row of a point, as both stores keep it. Times are epoch ms UTC. */
export interface StoredRollup {
  point: string;
  bucketStart: number;
  count: number;
  sum: number | null;
  last: number | null;
  lastTs: number | null;
}

/** Reads the site's stored rollup rows of one resolution from the hub's database, ordered by point and bucket start. */
export async function hubRollups(paired: PairedHub, siteId: string, resolution: string): Promise<StoredRollup[]> {
  const rows = await inTenantScope(
    paired.fixture.db.owner,
    allOrganizations,
    (tx) => tx<{ point: string; bucket_start: Date; count: number; sum: number | null; last: number | null; last_ts: Date | null }[]>`
      SELECT s.point, r.bucket_start, r.count, r.sum, r.last, r.last_ts
      FROM telemetry_series s JOIN telemetry_rollups r ON r.series_id = s.id
      WHERE s.site_id = ${siteId} AND s.resolution = ${resolution}
      ORDER BY s.point, r.bucket_start`,
  );
  return rows.map((row) => ({
    point: row.point,
    bucketStart: row.bucket_start.getTime(),
    count: row.count,
    sum: row.sum,
    last: row.last,
    lastTs: row.last_ts?.getTime() ?? null,
  }));
}
