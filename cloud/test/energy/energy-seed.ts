import type { RollupRow, SiteEnergySettings } from '@simtestlab/sync';
import { call, type CloudFixture } from '../support/cloud-fixture';
import { asOwner } from '../support/site-roles';

export const QUARTER_MS = 15 * 60_000;
export const HOUR_MS = 3_600_000;

/** Adds a device with the given points to a site through the API, as a site manager does. */
export async function addDevice(
  fixture: CloudFixture,
  managerToken: string,
  siteId: string,
  device: { key: string; name?: string; points: Record<string, unknown>[]; roles?: Record<string, string> },
  nodeId: string | null = null,
): Promise<void> {
  const response = await call(fixture.app, managerToken, 'POST', `/api/sites/${siteId}/devices`, {
    nodeId,
    device: { driver: 'modbus-tcp', connection: { host: '127.0.0.1', unitId: 1 }, ...device },
  });
  if (response.status !== 201) throw new Error(`adding device ${device.key} failed with ${response.status}: ${JSON.stringify(response.body)}`);
}

/** Builds 15-minute rollup rows of a power point over [fromMs, toMs) whose samples, one per 5 s, all equal `watts`. */
export function powerRows(fromMs: number, toMs: number, watts: number): RollupRow[] {
  const rows: RollupRow[] = [];
  for (let start = fromMs; start < toMs; start += QUARTER_MS) {
    rows.push([start, start + QUARTER_MS, 180, watts * 180, watts, watts, watts, start + QUARTER_MS - 5000, null, 0, 1]);
  }
  return rows;
}

/**
 * Builds 15-minute rollup rows of an energy counter over [fromMs, toMs) that grows steadily by
 * `whPerHour` from `baseWh` at `fromMs`. Each row's last reading is taken 5 s before the bucket ends.
 */
export function counterRows(fromMs: number, toMs: number, whPerHour: number, baseWh: number): RollupRow[] {
  const rows: RollupRow[] = [];
  for (let start = fromMs; start < toMs; start += QUARTER_MS) {
    const lastTs = start + QUARTER_MS - 5000;
    const reading = baseWh + (whPerHour * (lastTs - fromMs)) / HOUR_MS;
    rows.push([start, start + QUARTER_MS, 180, reading * 180, reading, reading, reading, lastTs, whPerHour / 4, 0, 1]);
  }
  return rows;
}

/** Stores a site's energy settings row as the settings routes do, or any JSON object to test a row that no longer parses. */
export async function storeEnergySettings(fixture: CloudFixture, siteId: string, settings: SiteEnergySettings | Record<string, unknown>): Promise<void> {
  await asOwner(fixture, (tx) => tx`
    INSERT INTO site_energy_settings (site_id, organization_id, settings)
    SELECT id, organization_id, ${tx.json(settings as never)} FROM sites WHERE id = ${siteId}
    ON CONFLICT (site_id) DO UPDATE SET settings = EXCLUDED.settings`);
}

/** Returns a flat import tariff in EUR that applies from 2026-01-01. */
export function flatTariff(pricePerKwh: number): SiteEnergySettings['tariffs'][number] {
  return { validFrom: '2026-01-01', tariff: { currency: 'EUR', timeZone: 'Europe/Paris', import: { kind: 'flat', pricePerKwh } } };
}
