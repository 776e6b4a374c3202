import type { Quality } from '@simtestlab/sync';
import type { TransactionSql } from '../db/connect';

/**
 * Age after which a stored value counts as stale. A minute rollup reaches the hub about a minute after
 * its first sample (the bucket closes, then the edge's next upload, 5 s apart by default), so a value
 * five minutes old means the flow of data stopped.
 */
export const STORED_VALUE_STALE_AFTER_MS = 5 * 60_000;

/** The newest stored value of one point: the last sample of its newest minute rollup. */
export interface StoredValue {
  value: number;
  ts: number;
}

/**
 * Rates a stored value. Rollups hold only usable samples and no quality, so a recent value is `good`
 * and an older one `stale`.
 */
export function storedQuality(ts: number, nowMs: number): Quality {
  return nowMs - ts > STORED_VALUE_STALE_AFTER_MS ? 'stale' : 'good';
}

/**
 * Reads the newest stored value of each point of a site (or only of `points`), from its minute rollups.
 * A bucket without a value (counter growth spread over a gap) is skipped.
 */
export async function readStoredValues(tx: TransactionSql, siteId: string, points?: readonly string[]): Promise<Map<string, StoredValue>> {
  if (points?.length === 0) return new Map();
  const rows = await tx<{ point: string; last: number; last_ts: Date }[]>`
    SELECT s.point, latest.last, latest.last_ts
    FROM telemetry_series s
    CROSS JOIN LATERAL (
      SELECT r.last, r.last_ts FROM telemetry_rollups r
      WHERE r.series_id = s.id AND r.last IS NOT NULL AND r.last_ts IS NOT NULL
      ORDER BY r.bucket_start DESC LIMIT 1
    ) latest
    WHERE s.site_id = ${siteId} AND s.resolution = '1m'
      ${points === undefined ? tx`` : tx`AND s.point = ANY(${tx.array([...points], 25)})`}`;
  return new Map(rows.map((row) => [row.point, { value: row.last, ts: row.last_ts.getTime() }]));
}

/** Returns the time of the newest stored value of any point of a site, or null when it has none. */
export async function readLastDataAt(tx: TransactionSql, siteId: string): Promise<number | null> {
  const [row] = await tx<{ last_data_at: Date | null }[]>`
    SELECT max(latest.last_ts) AS last_data_at
    FROM telemetry_series s
    CROSS JOIN LATERAL (
      SELECT r.last_ts FROM telemetry_rollups r
      WHERE r.series_id = s.id AND r.last_ts IS NOT NULL
      ORDER BY r.bucket_start DESC LIMIT 1
    ) latest
    WHERE s.site_id = ${siteId} AND s.resolution = '1m'`;
  return row?.last_data_at?.getTime() ?? null;
}

/** Returns the start of the current day in `timeZone`, epoch ms UTC, as the counter deltas count it. */
export async function readDayStart(tx: TransactionSql, timeZone: string): Promise<number> {
  const [row] = await tx<{ at: Date }[]>`SELECT date_trunc('day', now(), ${timeZone}) AS at`;
  return row!.at.getTime();
}

/**
 * Reads how much each counter in `points` grew since local midnight in `timeZone`: the deltas of the
 * hour rollups from midnight, plus those of the minute rollups after the last stored hour. Closed hours
 * arrive as one row instead of sixty. A counter without any rollup today maps to null.
 */
export async function readCounterDeltasToday(tx: TransactionSql, siteId: string, timeZone: string, points: readonly string[]): Promise<Map<string, number | null>> {
  if (points.length === 0) return new Map();
  const rows = await tx<{ point: string; delta: number | null }[]>`
    WITH midnight AS (SELECT date_trunc('day', now(), ${timeZone}) AS at),
    hours AS (
      SELECT s.point, sum(r.delta) AS delta, max(r.bucket_end) AS covered_to, count(r.delta) AS rows_with_delta
      FROM telemetry_series s JOIN telemetry_rollups r ON r.series_id = s.id CROSS JOIN midnight
      WHERE s.site_id = ${siteId} AND s.resolution = '1h' AND s.point = ANY(${tx.array([...points], 25)}) AND r.bucket_start >= midnight.at
      GROUP BY s.point
    ),
    minutes AS (
      SELECT s.point, sum(r.delta) AS delta, count(r.delta) AS rows_with_delta
      FROM telemetry_series s JOIN telemetry_rollups r ON r.series_id = s.id CROSS JOIN midnight
      LEFT JOIN hours h ON h.point = s.point
      WHERE s.site_id = ${siteId} AND s.resolution = '1m' AND s.point = ANY(${tx.array([...points], 25)})
        AND r.bucket_start >= coalesce(h.covered_to, midnight.at)
      GROUP BY s.point
    )
    SELECT wanted.point,
           CASE WHEN coalesce(h.rows_with_delta, 0) + coalesce(m.rows_with_delta, 0) = 0 THEN NULL
                ELSE coalesce(h.delta, 0) + coalesce(m.delta, 0) END AS delta
    FROM unnest(${tx.array([...points], 25)}::text[]) AS wanted(point)
    LEFT JOIN hours h ON h.point = wanted.point
    LEFT JOIN minutes m ON m.point = wanted.point`;
  return new Map(rows.map((row) => [row.point, row.delta]));
}
