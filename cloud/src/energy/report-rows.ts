import type { ReportRollupRow, ReportSourceResolution } from '@simtestlab/sync';
import type { TransactionSql } from '../db/connect';

/** The rollups of one resolution whose bucket start lies in [from, to), epoch ms UTC. */
export interface RowWindow {
  resolution: ReportSourceResolution;
  from: number;
  to: number;
}

interface RollupRecord {
  window_index: number;
  point: string;
  start: number;
  end: number;
  count: number;
  sum: number | null;
  last: number | null;
  last_ts: number | null;
}

/**
 * Reads the rollups of `points` of a site for each window in one query, and returns one map per window
 * (in the order given) from point id to its rows ordered by start. A row lies in every window that
 * contains its bucket start, so overlapping windows both receive it. The outer bucket_start bounds let
 * Postgres skip the monthly partitions outside all windows.
 */
export async function readReportRows(
  tx: TransactionSql,
  siteId: string,
  points: readonly string[],
  windows: readonly RowWindow[],
): Promise<Map<string, ReportRollupRow[]>[]> {
  const result = windows.map(() => new Map<string, ReportRollupRow[]>());
  if (points.length === 0 || windows.length === 0) return result;
  const earliest = Math.min(...windows.map((window) => window.from));
  const latest = Math.max(...windows.map((window) => window.to));
  const records = await tx<RollupRecord[]>`
    SELECT w.window_index, s.point,
           (extract(epoch FROM r.bucket_start) * 1000)::float8 AS start, (extract(epoch FROM r.bucket_end) * 1000)::float8 AS end,
           r.count, r.sum, r.last, (extract(epoch FROM r.last_ts) * 1000)::float8 AS last_ts
    FROM unnest(${tx.array(windows.map((_, index) => index), 23)}::int[], ${tx.array(windows.map((window) => window.resolution), 25)}::text[],
                ${tx.array(windows.map((window) => window.from), 701)}::float8[], ${tx.array(windows.map((window) => window.to), 701)}::float8[])
           AS w(window_index, resolution, from_ms, to_ms)
    JOIN telemetry_series s ON s.site_id = ${siteId} AND s.resolution = w.resolution AND s.point = ANY(${tx.array([...points], 25)})
    JOIN telemetry_rollups r ON r.series_id = s.id
      AND r.bucket_start >= to_timestamp(w.from_ms / 1000) AND r.bucket_start < to_timestamp(w.to_ms / 1000)
    WHERE r.bucket_start >= to_timestamp(${earliest}::float8 / 1000) AND r.bucket_start < to_timestamp(${latest}::float8 / 1000)
    ORDER BY w.window_index, s.point, r.bucket_start`;
  for (const record of records) {
    const byPoint = result[record.window_index]!;
    const rows = byPoint.get(record.point) ?? [];
    rows.push({ start: record.start, end: record.end, count: record.count, sum: record.sum, last: record.last, lastTs: record.last_ts });
    byPoint.set(record.point, rows);
  }
  return result;
}
