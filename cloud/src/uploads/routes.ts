import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { MAX_UPLOAD_BODY_BYTES, MAX_UPLOAD_EVENTS, MAX_UPLOADS_IN_FLIGHT, MAX_UPLOAD_ROLLUPS, UPLOAD_PATH, uploadAckSchema, uploadBatchSchema } from '@simtestlab/sync';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, HttpError } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { bearerToken } from '../api/middleware/authenticate';
import { verifyEdgeAssertion, type EdgeEnv } from '../edge-auth/authenticate-edge';
import { databaseUnavailable, isDatabaseUnavailable } from './database-unavailable';
import { createAlarmChangePublisher } from '../alarms/alarm-publisher';
import { ingestBatch } from './ingest-batch';
import { UPLOAD_RETRY_AFTER_S, UploadSlots } from './upload-slots';

/** Default of INGEST_CONCURRENCY: uploads one instance stores at once. */
export const DEFAULT_INGEST_CONCURRENCY = 4;

/** Default of CLOCK_SKEW_THRESHOLD_MS: clock skew above which a site is flagged. */
export const DEFAULT_CLOCK_SKEW_THRESHOLD_MS = 30_000;

/**
 * Settings of the upload route, from INGEST_CONCURRENCY and CLOCK_SKEW_THRESHOLD_MS. Tests override them.
 */
export interface UploadSettings {
  ingestConcurrency?: number;
  clockSkewThresholdMs?: number;
  /** The hub's clock in epoch ms, Date.now unless a test replaces it. */
  uploadClock?: () => number;
}

/**
 * Runs `work`, and turns a failure to reach Postgres into 503 `database_unavailable`, logged with its
 * cause. Other errors pass unchanged.
 */
async function mapDatabaseErrors<T>(logger: AppDeps['logger'], context: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    logger.error({ err: error, ...context }, 'upload rejected because the database is unreachable; the edge retries later');
    throw databaseUnavailable('the batch');
  }
}

/** Verifies the edge assertion like `authenticateEdge`, but raises 503 when Postgres is unreachable. */
function authenticateUploadingEdge(deps: AppDeps): MiddlewareHandler<EdgeEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    c.set('edge', await mapDatabaseErrors(c.var.logger, { path: c.req.path }, () => verifyEdgeAssertion(deps, token)));
    await next();
  };
}

/**
 * Holds an upload slot for the edge while the request runs. It runs before the body is read, so a
 * rejected batch costs no parsing.
 */
function holdUploadSlot(slots: UploadSlots): MiddlewareHandler<EdgeEnv> {
  return async (c, next) => {
    const release = slots.reserve(c.var.edge.edgeNodeId);
    try {
      await next();
    } finally {
      release();
    }
  };
}

/**
 * The upload body limit, which replaces the app's smaller global one on this route. The 413 carries
 * `Connection: close`, so the hub does not keep the connection alive with the unread rest of an
 * oversized body still in it.
 */
const uploadBodyLimit: MiddlewareHandler<EdgeEnv> = bodyLimit({
  maxSize: MAX_UPLOAD_BODY_BYTES,
  onError: () => {
    throw new HttpError(413, 'body_too_large', `upload body exceeds ${MAX_UPLOAD_BODY_BYTES} bytes; split the batch and send the parts one after the other`, {
      headers: { Connection: 'close' },
    });
  },
});

export function registerUploadRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps & UploadSettings): void {
  const slots = new UploadSlots(deps.ingestConcurrency ?? DEFAULT_INGEST_CONCURRENCY);
  const clockSkewThresholdMs = deps.clockSkewThresholdMs ?? DEFAULT_CLOCK_SKEW_THRESHOLD_MS;
  const now = deps.uploadClock ?? Date.now;
  const alarmLogger = deps.logger.child({ component: 'alarms' });
  const alarms = { logger: alarmLogger, publish: createAlarmChangePublisher(deps.redis, deps.redisPrefix, alarmLogger) };

  const uploadRoute = createRoute({
    method: 'post',
    path: UPLOAD_PATH,
    tags: ['edge'],
    summary: 'Upload a batch of rollups and events from an edge (edge assertion)',
    description:
      'The hub stores the whole batch in one transaction and answers only after commit. Rollups are upserted on (site, point, ' +
      'resolution, bucket start) and replace a stored row only with a higher revision, and events are deduplicated by id, so a ' +
      'resend is harmless. Every row goes to the site of the edge that signed the assertion. ' +
      `A body over ${MAX_UPLOAD_BODY_BYTES} bytes gets 413 and must be split; a batch holds at most ${MAX_UPLOAD_ROLLUPS} rollup rows and ${MAX_UPLOAD_EVENTS} events. ` +
      `An edge may have ${MAX_UPLOADS_IN_FLIGHT} batches in flight; one more gets 429 \`upload_in_progress\`, and a busy hub 503 \`hub_busy\`, both with Retry-After: ${UPLOAD_RETRY_AFTER_S}. ` +
      'An unreachable database gives 503 `database_unavailable` with Retry-After: 5.',
    security: bearerSecurity,
    middleware: [authenticateUploadingEdge(deps), holdUploadSlot(slots), uploadBodyLimit] as const,
    request: { body: { required: true, content: { 'application/json': { schema: uploadBatchSchema } } } },
    responses: {
      200: { description: 'The batch is committed', content: { 'application/json': { schema: uploadAckSchema } } },
      ...errorResponses(400, 401, 413, 429, 503),
    },
  });
  app.openapi(uploadRoute, async (c) => {
    const uploadAt = now();
    const { edge, logger } = c.var;
    const batch = c.req.valid('json');
    const context = { edgeNodeId: edge.edgeNodeId, siteId: edge.siteId, batchId: batch.batchId };
    const { ack, skewNewlyFlagged } = await mapDatabaseErrors(logger, context, () =>
      ingestBatch(deps.sql, batch, { edge, uploadAt, clockSkewThresholdMs, now, alarms }),
    );

    if (skewNewlyFlagged) {
      logger.warn(
        { ...context, clockSkewMs: ack.clockSkewMs, clockSkewThresholdMs },
        `clock of the edge at site ${edge.siteId} is off by ${ack.clockSkewMs} ms (more than ${clockSkewThresholdMs} ms); check its time synchronization (NTP)`,
      );
    }
    logger.debug({ ...context, ...ack }, 'upload batch committed');
    c.header('Cache-Control', 'no-store');
    return c.json(ack, 200);
  });
}
