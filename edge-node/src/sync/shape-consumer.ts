import { BackoffDefaults, type BackoffOptions } from '@electric-sql/client';
import { shapeNames, type ShapeName } from '@simtestlab/sync';
import type { Logger } from '../logger';
import type { SqliteDatabase } from '../store/database';
import { ShapeSubscription, type AppliedShapeBatch } from './shape-subscription';

export type { AppliedShapeBatch } from './shape-subscription';

const FAILURE_LOG_INTERVAL_MS = 60_000;

export interface ShapeSyncOptions {
  /** Hub origin, e.g. `https://hub.example.com`. Shapes are read from `<baseUrl>/api/edge/shapes/<shape>`. */
  baseUrl: string;
  /** Shapes to sync, or every shape the hub serves when omitted. */
  shapes?: readonly ShapeName[];
  /** Headers for every request (the edge credential), resolved again before each request. */
  headers: () => Promise<Record<string, string>>;
  /**
   * Connection the batches are written with. Pass the runtime's main connection: metadata batches
   * are rare and small, so their one fsync per batch costs the event loop little, and readers on that
   * connection see a batch as soon as it is stored. They never touch the samples tables that the
   * commit worker writes, and the busy timeout set by openDatabase covers the short waits for its
   * write lock.
   */
  db: SqliteDatabase;
  logger: Logger;
  /** Called after each stored batch. */
  onApplied?: (batch: AppliedShapeBatch) => void;
  /** Retry timing for failed requests. The client's defaults (1 s doubling to 32 s) apply when omitted. */
  backoff?: BackoffOptions;
  /** Returns why the edge cannot talk to the hub that sent `response` (a protocol mismatch), or null. */
  checkResponse?: (response: Response) => Promise<Error | null>;
}

/** Reason the sync ended. */
export type ShapeSyncEnd = 'stopped' | 'revoked' | 'incompatible';

export interface ShapeSync {
  /** Unsubscribes every shape and aborts the requests in flight. */
  stop(): void;
  /** Resolves when the sync has ended: after `stop()`, when the hub revoked the edge, or on a protocol mismatch. */
  readonly ended: Promise<ShapeSyncEnd>;
}

/**
 * Starts one shape stream per shape, each resuming from the handle and offset stored with its rows.
 * A 401 with code `edge_revoked` from the hub stops every shape, because the credential will not
 * work again until the edge is paired again. Other errors are retried with backoff.
 */
export function startShapeSync(options: ShapeSyncOptions): ShapeSync {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const shapes = options.shapes ?? shapeNames;
  const logger = options.logger.child({ component: 'shape-sync' });
  let resolveEnded: (end: ShapeSyncEnd) => void = () => {};
  const ended = new Promise<ShapeSyncEnd>((resolve) => (resolveEnded = resolve));
  let running = true;

  const finish = (end: ShapeSyncEnd) => {
    if (!running) return;
    running = false;
    for (const subscription of subscriptions) subscription.stop();
    resolveEnded(end);
  };

  const onRevoked = (error: Error) => {
    if (!running) return;
    logger.error(
      { err: error },
      'the hub revoked this edge (HTTP 401 edge_revoked); metadata sync stopped. Pair the edge with the hub again (edge-node pair --force) and restart the edge node to resume it',
    );
    finish('revoked');
  };

  const onIncompatible = (error: Error) => {
    if (!running) return;
    logger.error({ err: error }, `metadata sync stopped: ${error.message}`);
    finish('incompatible');
  };

  const subscriptions = shapes.map(
    (shape) =>
      new ShapeSubscription({
        shape,
        url: `${baseUrl}/api/edge/shapes/${shape}`,
        db: options.db,
        logger,
        headers: options.headers,
        backoff: options.backoff ?? BackoffDefaults,
        failureLogIntervalMs: FAILURE_LOG_INTERVAL_MS,
        onApplied: options.onApplied,
        onRevoked,
        ...(options.checkResponse === undefined ? {} : { checkResponse: options.checkResponse, onIncompatible }),
      }),
  );
  for (const subscription of subscriptions) subscription.start();
  logger.info({ baseUrl, shapes }, 'metadata sync started');

  return {
    stop() {
      if (running) logger.info('metadata sync stopped');
      finish('stopped');
    },
    ended,
  };
}
