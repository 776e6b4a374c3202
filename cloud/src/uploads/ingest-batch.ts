import type { UploadAck, UploadBatch } from '@simtestlab/sync';
import { ingestAlarmEvents, type AlarmIngestOptions } from '../alarms/alarm-ingest';
import type { Sql, TransactionSql } from '../db/connect';
import { inTenantScope } from '../db/scope';
import { HttpError } from '../api/http-error';
import type { EdgeIdentity } from '../edge-auth/authenticate-edge';
import { recordUploadStatus } from '../sync-status/status-rows';
import { booleanArrayLiteral, numberArrayLiteral, textArrayLiteral } from './array-literal';
import { toRollupColumns, type BatchSeries, type RollupColumns } from './rollup-columns';

/** Context of one ingest besides the batch. Times are epoch ms UTC of the hub's clock. */
export interface IngestContext {
  edge: EdgeIdentity;
  /** When the request arrived. */
  uploadAt: number;
  clockSkewThresholdMs: number;
  now: () => number;
  /**
   * The logger of invalid alarm events and the publisher of alarm changes after commit. Without it,
   * transitions and alarms are still stored, but no change is published.
   */
  alarms?: AlarmIngestOptions;
}

/** The acknowledgement, and whether this batch turned the site's clock-skew flag on. */
export interface IngestResult {
  ack: UploadAck;
  skewNewlyFlagged: boolean;
}

/**
 * Stores a batch in one transaction, in the organization of the edge and at the edge's site whatever
 * the body contains: events that are new, the transitions of new alarm events and the alarms they change,
 * rollup rows that are new or carry a higher revision, and the site's sync status. Alarm changes are
 * published after the commit. Edge times are stored as sent. Partitions for the months the rollups touch are
 * created first in their own short transaction, because creating one locks the whole rollup table
 * until commit, and an empty partition left by a failed batch is harmless.
 */
export async function ingestBatch(sql: Sql, batch: UploadBatch, context: IngestContext): Promise<IngestResult> {
  const columns = toRollupColumns(batch.rollups);
  if (columns.seriesIndex.length > 0) {
    await sql`SELECT telemetry_rollups_ensure_partitions(${sql.array(distinctMonthTimes(columns.bucketStartMs), 1185)})`;
  }

  const { edge } = context;
  const scope = { all: false as const, organizationIds: [edge.organizationId] };
  const { result, alarmChanges } = await inTenantScope(sql, scope, async (tx) => {
    await requireCurrentEdge(tx, edge);
    const startedAt = context.now();
    const eventsStored = await insertEvents(tx, batch, edge, startedAt);
    const alarmChanges = await ingestAlarmEvents(tx, batch.events, edge, context.alarms?.logger);
    const rollupsStored = await storeRollups(tx, columns, edge, startedAt);

    // Taken before the last statement, so it trails the commit by one round trip.
    const receivedAt = context.now();
    // Measured at arrival, so time spent waiting for the database does not count as skew.
    const clockSkewMs = context.uploadAt - batch.sentAt;
    const clockSkewFlagged = Math.abs(clockSkewMs) > context.clockSkewThresholdMs;
    const { wasFlagged } = await recordUploadStatus(tx, edge, {
      uploadAt: context.uploadAt,
      ackAt: receivedAt,
      sentAt: batch.sentAt,
      clockSkewMs,
      clockSkewFlagged,
      backlog: batch.backlog,
    });

    const rowsSent = columns.seriesIndex.length + columns.duplicates;
    const ack: UploadAck = {
      batchId: batch.batchId,
      eventsStored,
      eventsDuplicate: batch.events.length - eventsStored,
      rollupsStored,
      rollupsIgnored: rowsSent - rollupsStored,
      receivedAt,
      clockSkewMs,
    };
    return { result: { ack, skewNewlyFlagged: clockSkewFlagged && !wasFlagged }, alarmChanges };
  });
  await context.alarms?.publish(alarmChanges);
  return result;
}

/**
 * Raises 409 `edge_superseded` unless `edge` is the site's most recently paired edge node that is not
 * revoked. Rollups are keyed by site and point and each edge counts its own revisions, so two edges
 * uploading for one site would overwrite each other's rows.
 */
async function requireCurrentEdge(tx: TransactionSql, edge: EdgeIdentity): Promise<void> {
  const [current] = await tx<{ id: string; paired_at: Date }[]>`
    SELECT id, paired_at FROM edge_nodes
    WHERE site_id = ${edge.siteId} AND revoked_at IS NULL AND paired_at IS NOT NULL
    ORDER BY paired_at DESC, id LIMIT 1`;
  if (current === undefined || current.id === edge.edgeNodeId) return;
  throw new HttpError(
    409,
    'edge_superseded',
    `edge node ${current.id} paired with site ${edge.siteId} at ${current.paired_at.toISOString()} and now uploads its data; edge node ${edge.edgeNodeId} no longer does. Revoke it, or pair it again with a site of its own`,
  );
}

/** Returns one time per UTC month among `times`, enough for the partition function to find every month. */
function distinctMonthTimes(times: readonly number[]): Date[] {
  const months: Date[] = [];
  // Rows come sorted by time within a series, so most times fall in the month of the time before.
  let monthStart = Number.POSITIVE_INFINITY;
  let monthEnd = Number.NEGATIVE_INFINITY;
  for (const time of times) {
    if (time >= monthStart && time < monthEnd) continue;
    const date = new Date(time);
    monthStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    monthEnd = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    if (!months.some((known) => known.getTime() >= monthStart && known.getTime() < monthEnd)) months.push(date);
  }
  return months;
}

async function insertEvents(tx: TransactionSql, batch: UploadBatch, edge: EdgeIdentity, receivedAt: number): Promise<number> {
  if (batch.events.length === 0) return 0;
  const [row] = await tx<{ stored: number }[]>`
    WITH stored AS (
      INSERT INTO edge_events (id, organization_id, site_id, edge_node_id, kind, at, payload, received_at)
      SELECT e.id, ${edge.organizationId}, ${edge.siteId}, ${edge.edgeNodeId}, e.kind, to_timestamp(e.at / 1000.0), e.payload,
             to_timestamp(${receivedAt}::double precision / 1000)
      FROM jsonb_to_recordset(${JSON.stringify(batch.events)}::text::jsonb) AS e(id uuid, kind text, at double precision, payload jsonb)
      ON CONFLICT (id) DO NOTHING
      RETURNING 1
    )
    SELECT count(*)::int AS stored FROM stored`;
  return row!.stored;
}

/** Orders strings by their UTF-16 code units: any order that concurrent uploads share avoids a lock cycle. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Rounds of looking up and adding the series of a batch; see `seriesIds`. */
const SERIES_LOOKUP_ROUNDS = 3;

/**
 * Returns the id of each series of the batch, in the order of `series`, adding the series the site does
 * not have yet. The lookup probes the unique index once per series, whatever plan Postgres caches for
 * the prepared statement: `OFFSET 0` keeps the lateral subquery from being merged into a join. The generic
 * plan of a plain join compared every series of the site with every wanted one, 0.7 s per batch of 1,000
 * series on a site of 4,000. Only missing series are inserted, because each
 * insert attempt takes an identity value even when it conflicts. A series that a concurrent upload of the
 * same site adds meanwhile is skipped by the insert and found by the next round's lookup.
 */
async function seriesIds(tx: TransactionSql, series: readonly BatchSeries[], edge: EdgeIdentity): Promise<number[]> {
  const ids: (number | undefined)[] = series.map(() => undefined);
  const missing = () => series.map((item, index) => ({ ...item, index })).filter(({ index }) => ids[index] === undefined);
  for (let round = 1; round <= SERIES_LOOKUP_ROUNDS; round++) {
    const wanted = missing();
    if (wanted.length === 0) break;
    const found = await tx<{ position: number; id: number }[]>`
      SELECT w.position::int AS position, s.id
      FROM unnest(${textArrayLiteral(wanted.map((item) => item.resolution))}::text::text[],
                  ${textArrayLiteral(wanted.map((item) => item.point))}::text::text[]) WITH ORDINALITY AS w(resolution, point, position)
      CROSS JOIN LATERAL (
        SELECT id FROM telemetry_series
        WHERE site_id = ${edge.siteId} AND resolution = w.resolution COLLATE "C" AND point = w.point COLLATE "C"
        OFFSET 0
      ) s`;
    for (const row of found) ids[wanted[row.position - 1]!.index] = row.id;

    // Inserted in key order, so two uploads adding the same new series wait for each other instead of
    // deadlocking.
    const absent = missing().sort((a, b) => compareText(a.resolution, b.resolution) || compareText(a.point, b.point));
    if (absent.length === 0) break;
    const added = await tx<{ id: number; point: string; resolution: string }[]>`
      INSERT INTO telemetry_series (organization_id, site_id, point, resolution)
      SELECT ${edge.organizationId}, ${edge.siteId}, w.point, w.resolution
      FROM unnest(${textArrayLiteral(absent.map((item) => item.point))}::text::text[],
                  ${textArrayLiteral(absent.map((item) => item.resolution))}::text::text[]) AS w(point, resolution)
      ON CONFLICT (site_id, resolution, point) DO NOTHING
      RETURNING id, point, resolution`;
    const positionOf = new Map(absent.map((item) => [`${item.resolution} ${item.point}`, item.index]));
    for (const row of added) {
      ids[positionOf.get(`${row.resolution} ${row.point}`)!] = row.id;
    }
  }
  return ids.map((id, index) => {
    if (id !== undefined) return id;
    const { resolution, point } = series[index]!;
    throw new Error(`series ${resolution} ${point} of site ${edge.siteId} was neither found nor added in ${SERIES_LOOKUP_ROUNDS} rounds`);
  });
}

/**
 * Upserts all rows with one statement over `unnest` of column arrays, sent as text array literals, so a
 * batch costs one round trip and one plan. A row replaces the stored one only with a higher revision.
 * Returns the rows inserted or replaced.
 */
async function storeRollups(tx: TransactionSql, columns: RollupColumns, edge: EdgeIdentity, receivedAt: number): Promise<number> {
  if (columns.seriesIndex.length === 0) return 0;
  const idOfSeries = await seriesIds(tx, columns.series, edge);

  const seriesIdColumn = columns.seriesIndex.map((position) => idOfSeries[position]!);
  const [row] = await tx<{ stored: number }[]>`
    WITH stored AS (
      INSERT INTO telemetry_rollups AS t (
        series_id, organization_id, bucket_start, bucket_end, count, sum, min, max, last, last_ts, delta, estimated, revision, received_at)
      SELECT r.series_id, ${edge.organizationId}, to_timestamp(r.bucket_start / 1000),
             to_timestamp(r.bucket_end / 1000), r.count, r.sum, r.min, r.max, r.last, to_timestamp(r.last_ts / 1000),
             r.delta, r.estimated, r.revision, to_timestamp(${receivedAt}::double precision / 1000)
      FROM unnest(
        ${numberArrayLiteral(seriesIdColumn)}::text::int4[],
        ${numberArrayLiteral(columns.bucketStartMs)}::text::float8[], ${numberArrayLiteral(columns.bucketEndMs)}::text::float8[],
        ${numberArrayLiteral(columns.count)}::text::int4[], ${numberArrayLiteral(columns.sum)}::text::float8[],
        ${numberArrayLiteral(columns.min)}::text::float8[], ${numberArrayLiteral(columns.max)}::text::float8[],
        ${numberArrayLiteral(columns.last)}::text::float8[], ${numberArrayLiteral(columns.lastTsMs)}::text::float8[],
        ${numberArrayLiteral(columns.delta)}::text::float8[], ${booleanArrayLiteral(columns.estimated)}::text::bool[],
        ${numberArrayLiteral(columns.revision)}::text::int4[]
      ) AS r(series_id, bucket_start, bucket_end, count, sum, min, max, last, last_ts, delta, estimated, revision)
      ON CONFLICT (series_id, bucket_start) DO UPDATE SET
        bucket_end = excluded.bucket_end,
        count = excluded.count,
        sum = excluded.sum,
        min = excluded.min,
        max = excluded.max,
        last = excluded.last,
        last_ts = excluded.last_ts,
        delta = excluded.delta,
        estimated = excluded.estimated,
        revision = excluded.revision,
        received_at = excluded.received_at
      WHERE t.revision < excluded.revision
      RETURNING 1
    )
    SELECT count(*)::int AS stored FROM stored`;
  return row!.stored;
}
