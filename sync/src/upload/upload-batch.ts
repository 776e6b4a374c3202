import { z } from 'zod';

/**
 * Upload of rollups and events from an edge to the hub: `POST /api/edge/uploads` with an edge
 * assertion. The hub commits the whole batch in one transaction and only then returns an
 * acknowledgement. The edge deletes what it sent only after that acknowledgement. Resending a batch is harmless:
 * rollups are upserted on (site, point, resolution, bucket start) keeping the higher revision, and
 * events are deduplicated by id.
 *
 * Status codes the edge acts on: 413 means the batch is too large and must be split; 429 and 503 carry
 * `Retry-After` (seconds) and the edge waits that long before the next batch.
 */

/** Path of the upload endpoint on the hub. */
export const UPLOAD_PATH = '/api/edge/uploads';

/** Largest upload body the hub accepts; the hub returns 413 above it. */
export const MAX_UPLOAD_BODY_BYTES = 4 * 1024 * 1024;

/** Largest number of rollup rows and events in one batch. */
export const MAX_UPLOAD_ROLLUPS = 20_000;
export const MAX_UPLOAD_EVENTS = 5_000;

/**
 * Batches one edge may have in flight at once. The second is sent while the hub stores the first, so
 * the edge's reading, the hub's parsing and the database's writing overlap. The edge still deletes
 * acknowledged ranges in order, and a third concurrent batch gets 429 `upload_in_progress`.
 */
export const MAX_UPLOADS_IN_FLIGHT = 2;

/** Rollup resolutions that are uploaded; raw samples stay on the edge. */
export const uploadResolutions = ['1m', '15m', '1h', '1d'] as const;
export const uploadResolutionSchema = z.enum(uploadResolutions);
export type UploadResolution = z.infer<typeof uploadResolutionSchema>;

const MIN_EPOCH_MS = Date.UTC(2000, 0, 1);
const MAX_EPOCH_MS = Date.UTC(2100, 0, 1);

/** Epoch milliseconds UTC between 2000-01-01 and 2100-01-01, so a corrupt time cannot create odd partitions. */
export const epochMsSchema = z.number().int().min(MIN_EPOCH_MS).max(MAX_EPOCH_MS);

/** Checks that `value` passes `epochMsSchema`, without zod, for code that runs it per row. */
export function isUploadEpochMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= MIN_EPOCH_MS && value <= MAX_EPOCH_MS;
}

const nullableNumber = z.number().nullable();

/**
 * One rollup bucket as a tuple, to keep days of backlog compact on the wire:
 * `[bucketStart, bucketEnd, count, sum, min, max, last, lastTs, delta, estimated, revision]`.
 * `estimated` is 1 when counter growth was spread over a gap, else 0.
 */
export const rollupRowSchema = z.tuple([
  epochMsSchema,
  epochMsSchema,
  z.number().int().nonnegative(),
  nullableNumber,
  nullableNumber,
  nullableNumber,
  nullableNumber,
  epochMsSchema.nullable(),
  nullableNumber,
  z.union([z.literal(0), z.literal(1)]),
  z.number().int().positive(),
]);
export type RollupRow = z.infer<typeof rollupRowSchema>;

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isNullableNumber = (value: unknown) => value === null || isNumber(value);

/**
 * Checks that `row` passes `rollupRowSchema`, in plain code. A catch-up sends millions of rows, and
 * zod's tuple parse cost the hub about 3 µs a row, a fifth of its time per row.
 */
export function isRollupRow(row: unknown): row is RollupRow {
  return (
    Array.isArray(row) &&
    row.length === 11 &&
    isUploadEpochMs(row[0]) &&
    isUploadEpochMs(row[1]) &&
    Number.isInteger(row[2]) &&
    row[2] >= 0 &&
    isNullableNumber(row[3]) &&
    isNullableNumber(row[4]) &&
    isNullableNumber(row[5]) &&
    isNullableNumber(row[6]) &&
    (row[7] === null || isUploadEpochMs(row[7])) &&
    isNullableNumber(row[8]) &&
    (row[9] === 0 || row[9] === 1) &&
    Number.isInteger(row[10]) &&
    row[10] > 0
  );
}

/**
 * The rows of a series: `isRollupRow` per row, and `rollupRowSchema` only for a row that fails it, to
 * name what is wrong. The OpenAPI document shows the tuple schema.
 */
export const rollupRowsSchema = z
  .custom<RollupRow[]>((value) => Array.isArray(value) && value.length > 0, { message: 'expected a non-empty array of rollup rows' })
  .superRefine((rows, ctx) => {
    rows.forEach((row, index) => {
      if (isRollupRow(row)) return;
      const parsed = rollupRowSchema.safeParse(row);
      const issues = parsed.success ? [{ path: [], message: 'is not a valid rollup row' }] : parsed.error.issues;
      for (const issue of issues) ctx.addIssue({ code: 'custom', path: [index, ...issue.path], message: issue.message });
    });
  })
  .meta({ type: 'array', minItems: 1, items: z.toJSONSchema(rollupRowSchema) });

/** The rows of one point at one resolution. `point` is the edge's point id, `device.point`. */
export const rollupSeriesSchema = z.strictObject({
  point: z.string().min(1).max(200),
  resolution: uploadResolutionSchema,
  rows: rollupRowsSchema,
});
export type RollupSeries = z.infer<typeof rollupSeriesSchema>;

/**
 * Kinds of edge events. Alarm and control events are added by the alarm and control features. A
 * `point_catalog` event carries a `pointCatalogPayloadSchema` payload.
 */
export const edgeEventKinds = ['audit', 'device_status', 'alarm', 'control', 'point_catalog'] as const;
export const edgeEventKindSchema = z.enum(edgeEventKinds);
export type EdgeEventKind = z.infer<typeof edgeEventKindSchema>;

/** One event, with an id the edge assigns once, so the hub can drop resends. */
export const edgeEventSchema = z.strictObject({
  id: z.uuid(),
  kind: edgeEventKindSchema,
  /** When it happened on the edge, epoch ms UTC. */
  at: epochMsSchema,
  payload: z.record(z.string(), z.unknown()),
});
export type EdgeEvent = z.infer<typeof edgeEventSchema>;

/** Backlog the edge still has to send after this batch, for the sync status on the hub. */
export const uploadBacklogSchema = z.strictObject({
  rollups: z.number().int().nonnegative(),
  events: z.number().int().nonnegative(),
  /**
   * Time of the oldest item still queued (an event's time or the end of a bucket), or null when nothing
   * is queued after this batch. Computed over the whole queue, so it may be one of this batch's items.
   */
  oldestUnsentAt: epochMsSchema.nullable(),
});
export type UploadBacklog = z.infer<typeof uploadBacklogSchema>;

export const uploadBatchSchema = z
  .strictObject({
    batchId: z.uuid(),
    /** The edge's clock when it sent the batch, epoch ms UTC, for the hub's clock-skew check. */
    sentAt: epochMsSchema,
    backlog: uploadBacklogSchema,
    events: z.array(edgeEventSchema).max(MAX_UPLOAD_EVENTS).default([]),
    rollups: z.array(rollupSeriesSchema).default([]),
  })
  .refine((batch) => batch.rollups.reduce((sum, series) => sum + series.rows.length, 0) <= MAX_UPLOAD_ROLLUPS, {
    message: `a batch holds at most ${MAX_UPLOAD_ROLLUPS} rollup rows`,
    path: ['rollups'],
  });
export type UploadBatch = z.infer<typeof uploadBatchSchema>;

/** Acknowledgement the hub returns once the batch is committed. */
export const uploadAckSchema = z.strictObject({
  batchId: z.uuid(),
  /** Events stored by this batch, and events the hub already had. */
  eventsStored: z.number().int().nonnegative(),
  eventsDuplicate: z.number().int().nonnegative(),
  /** Rollup rows inserted or replaced by a higher revision, and rows ignored because the hub had that revision or a higher one. */
  rollupsStored: z.number().int().nonnegative(),
  rollupsIgnored: z.number().int().nonnegative(),
  /** The hub's clock when it committed, epoch ms UTC. */
  receivedAt: z.number().int(),
  /** The hub's clock when the request arrived minus `sentAt`: positive when the edge's clock is behind the hub's. */
  clockSkewMs: z.number().int(),
});
export type UploadAck = z.infer<typeof uploadAckSchema>;

/**
 * Sync status of one site, as both sides report it. Times are epoch ms UTC or null when the event has
 * not happened yet. `lagMs` is how far the hub's copy trails the edge: the age of the oldest unsent item.
 */
export const syncStatusSchema = z.strictObject({
  siteId: z.string().nullable(),
  /** Last request from the edge the hub saw (hub side) or last answer from the hub (edge side). */
  lastContactAt: z.number().int().nullable(),
  lastAckAt: z.number().int().nullable(),
  backlog: z.strictObject({
    rollups: z.number().int().nonnegative(),
    events: z.number().int().nonnegative(),
  }),
  oldestUnsentAt: z.number().int().nullable(),
  lagMs: z.number().int().nonnegative(),
  clockSkewMs: z.number().int().nullable(),
  clockSkewFlagged: z.boolean(),
  /** Whether the live uplink WebSocket is connected. */
  liveConnected: z.boolean(),
  /**
   * Edge side only: why the edge stopped talking to the hub because their edge-hub protocol versions are
   * incompatible, naming both versions and the side to update. Absent while the versions match.
   */
  protocolError: z.string().optional(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;
