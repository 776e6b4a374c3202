import { deviceStatusSchema } from '@simtestlab/sync';
import type { z } from '@hono/zod-openapi';
import type { TransactionSql } from '../db/connect';
import type { alarmCountsSchema, deviceCountsSchema } from './schemas';

export type AlarmCounts = z.infer<typeof alarmCountsSchema>;
export type DeviceCounts = z.infer<typeof deviceCountsSchema>;

const ACTIVE_STATES = ['active_unack', 'active_ack'];
const UNACKNOWLEDGED_STATES = ['active_unack', 'cleared_unack'];

function noAlarms(): AlarmCounts {
  return { active: { critical: 0, warning: 0, info: 0, total: 0 }, unacknowledged: 0 };
}

/** Counts the active alarms by severity and the unacknowledged ones of each site, from the alarm table the uploads keep. */
export async function readAlarmCounts(tx: TransactionSql, siteIds: readonly string[]): Promise<Map<string, AlarmCounts>> {
  const rows = await tx<{ site_id: string; severity: 'critical' | 'warning' | 'info'; active: number; unacknowledged: number }[]>`
    SELECT site_id, severity,
           count(*) FILTER (WHERE state = ANY(${tx.array(ACTIVE_STATES, 25)}))::int AS active,
           count(*) FILTER (WHERE state = ANY(${tx.array(UNACKNOWLEDGED_STATES, 25)}))::int AS unacknowledged
    FROM alarms
    WHERE site_id = ANY(${tx.array([...siteIds], 2950)}) AND state <> 'normal'
    GROUP BY site_id, severity`;
  const bySite = new Map(siteIds.map((siteId) => [siteId, noAlarms()]));
  for (const row of rows) {
    const counts = bySite.get(row.site_id);
    if (!counts) continue;
    counts.active[row.severity] += row.active;
    counts.active.total += row.active;
    counts.unacknowledged += row.unacknowledged;
  }
  return bySite;
}

/**
 * Counts the devices of each site by the status in the newest `device_status` event their edge uploaded.
 * A device without such an event, or with a status the shared model does not know, counts as unknown.
 */
export async function readDeviceCounts(tx: TransactionSql, siteIds: readonly string[]): Promise<Map<string, DeviceCounts>> {
  const rows = await tx<{ site_id: string; key: string; status: string | null; at: Date | null }[]>`
    SELECT d.site_id, d.key, latest.payload->>'status' AS status, latest.at
    FROM devices d
    LEFT JOIN LATERAL (
      SELECT e.payload, e.at FROM edge_events e
      WHERE e.site_id = d.site_id AND e.kind = 'device_status' AND e.payload->>'device' = d.key
      ORDER BY e.at DESC LIMIT 1
    ) latest ON true
    WHERE d.site_id = ANY(${tx.array([...siteIds], 2950)})`;
  const bySite = new Map<string, DeviceCounts>(siteIds.map((siteId) => [siteId, { total: 0, online: 0, offline: 0, unknown: 0, statusAt: null, byDevice: {} }]));
  for (const row of rows) {
    const counts = bySite.get(row.site_id);
    if (!counts) continue;
    const status = deviceStatusSchema.safeParse(row.status);
    const current = status.success ? status.data : 'unknown';
    counts.total += 1;
    counts[current] += 1;
    counts.byDevice[row.key] = current;
    if (row.at !== null) counts.statusAt = Math.max(counts.statusAt ?? 0, row.at.getTime());
  }
  return bySite;
}
