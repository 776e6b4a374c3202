import type { UploadResolution } from '@simtestlab/sync';
import type { TransactionSql } from '../db/connect';
import type { HistoryBucket } from './schemas';

/** Selection of a history read: one site, some points, one resolution, buckets starting in [fromMs, toMs). */
export interface HistorySelection {
  organizationId: string;
  siteId: string;
  points: readonly string[];
  resolution: UploadResolution;
  fromMs: number;
  toMs: number;
}

/** One bucket of one point, as read from the view telemetry_point_rollups. */
export interface HistoryRow extends HistoryBucket {
  point: string;
}

interface BucketRow {
  point: string;
  start: number;
  end: number;
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
  last: number | null;
  delta: number | null;
  estimated: boolean;
}

function toHistoryRow(row: BucketRow): HistoryRow {
  return {
    point: row.point,
    start: row.start,
    end: row.end,
    count: row.count,
    avg: row.sum === null || row.count === 0 ? null : row.sum / row.count,
    min: row.min,
    max: row.max,
    last: row.last,
    delta: row.delta,
    estimated: row.estimated,
  };
}

/**
 * Reads up to `limit` buckets ordered by point and start, after the bucket `after` when given, so a
 * caller can page with the last row of the previous page. The bucket_start range lets Postgres skip
 * the monthly partitions outside it.
 */
export async function readHistoryRows(
  tx: TransactionSql,
  selection: HistorySelection,
  limit: number,
  after: { point: string; start: number } | null = null,
): Promise<HistoryRow[]> {
  const keyset = after === null ? tx`` : tx`AND (point, bucket_start) > (${after.point}, to_timestamp(${after.start}::double precision / 1000))`;
  const rows = await tx<BucketRow[]>`
    SELECT point, (extract(epoch FROM bucket_start) * 1000)::float8 AS start, (extract(epoch FROM bucket_end) * 1000)::float8 AS end,
           count, sum, min, max, last, delta, estimated
    FROM telemetry_point_rollups
    WHERE organization_id = ${selection.organizationId} AND site_id = ${selection.siteId} AND resolution = ${selection.resolution}
      AND point = ANY(${tx.array([...selection.points], 1009)})
      AND bucket_start >= to_timestamp(${selection.fromMs}::double precision / 1000)
      AND bucket_start < to_timestamp(${selection.toMs}::double precision / 1000)
      ${keyset}
    ORDER BY point, bucket_start
    LIMIT ${limit}`;
  return rows.map(toHistoryRow);
}
