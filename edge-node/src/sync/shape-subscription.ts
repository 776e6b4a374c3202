import {
  isChangeMessage,
  isControlMessage,
  ShapeStream,
  type BackoffOptions,
  type ChangeMessage,
  type Message,
  type Offset,
  type Row,
} from '@electric-sql/client';
import type { ShapeName } from '@simtestlab/sync';
import type { Logger } from '../logger';
import type { SqliteDatabase } from '../store/database';
import { applyShapeBatch, loadShapeState, type ApplyShapeBatchResult } from './shape-store';
import { isEdgeRevoked, SyncFailureLog } from './sync-failures';

/** A batch that was stored, as reported to `onApplied`. */
export interface AppliedShapeBatch extends ApplyShapeBatchResult {
  shape: ShapeName;
  handle: string;
  offset: string;
  refetch: boolean;
}

export interface ShapeSubscriptionOptions {
  shape: ShapeName;
  url: string;
  db: SqliteDatabase;
  logger: Logger;
  headers: () => Promise<Record<string, string>>;
  backoff: BackoffOptions;
  /** Minimum time between two log lines about the same run of request failures, in ms. */
  failureLogIntervalMs: number;
  onApplied: ((batch: AppliedShapeBatch) => void) | undefined;
  /** Called once when the hub responds with 401 `edge_revoked`, after the stream has stopped. */
  onRevoked: (error: Error) => void;
  /** Returns why the edge cannot talk to the hub that sent `response` (a protocol mismatch), or null. */
  checkResponse?: (response: Response) => Promise<Error | null>;
  /** Called when `checkResponse` found a reason, before the stream stops. */
  onIncompatible?: (error: Error) => void;
}

const OFFSET_PATTERN = /^(-1|\d+_\d+)$/;

function isOffset(value: string): value is Offset {
  return OFFSET_PATTERN.test(value);
}

/**
 * Keeps one shape in sync: a ShapeStream resumed from the stored handle and offset, whose messages are
 * buffered until an up-to-date control message and then stored as one batch. A must-refetch makes the
 * next stored batch replace the shape's rows. When the stream stops on an error, or a batch cannot be
 * stored, the subscription starts a new stream from the stored state after `backoff.maxDelay`.
 */
export class ShapeSubscription {
  private stream: ShapeStream<Row> | undefined;
  private abort: AbortController | undefined;
  private unsubscribe: (() => void) | undefined;
  private buffer: ChangeMessage<Row>[] = [];
  private refetch = false;
  private storedHandle: string | undefined;
  private storedOffset: string | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly failures: SyncFailureLog;

  constructor(private readonly options: ShapeSubscriptionOptions) {
    this.failures = new SyncFailureLog(options.logger, { logIntervalMs: options.failureLogIntervalMs });
  }

  start(): void {
    const { shape, db, logger } = this.options;
    let state = loadShapeState(db, shape);
    this.storedHandle = state?.handle;
    this.storedOffset = state?.offset;
    this.buffer = [];
    this.refetch = false;
    if (state && !isOffset(state.offset)) {
      // Only the client's offsets are stored, so this is a damaged database: load the shape again.
      logger.warn({ shape, offset: state.offset }, `stored offset of shape ${shape} is invalid; loading the shape again from offset -1`);
      state = undefined;
      this.refetch = true;
    }

    const abort = new AbortController();
    const stream = new ShapeStream<Row>({
      url: this.options.url,
      offset: state && isOffset(state.offset) ? state.offset : '-1',
      ...(state ? { handle: state.handle } : {}),
      signal: abort.signal,
      fetchClient: (input, init) => this.fetchWithHeaders(input, init),
      backoffOptions: this.options.backoff,
      onError: (error) => this.onRequestError(error),
    });
    this.abort = abort;
    this.stream = stream;
    this.unsubscribe = stream.subscribe(
      (messages) => this.receive(stream, messages),
      (error) => this.onStreamStopped(stream, error),
    );
    logger.info({ shape, handle: state?.handle, offset: state?.offset ?? '-1' }, 'shape sync started');
  }

  /** Aborts the request in flight and stops the stream for good. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    this.closeStream();
  }

  private closeStream(): void {
    this.unsubscribe?.();
    this.stream?.unsubscribeAll();
    this.abort?.abort();
    this.stream = undefined;
    this.abort = undefined;
    this.unsubscribe = undefined;
  }

  private restartLater(): void {
    this.closeStream();
    if (this.stopped) return;
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (!this.stopped) this.start();
    }, this.options.backoff.maxDelay);
  }

  /**
   * Adds the caller's headers (the edge credential) to every request, so a refreshed credential is
   * used from the next request on. Counts failed requests: the client retries 429, 5xx and network
   * errors itself without reporting them to `onError`.
   */
  private async fetchWithHeaders(input: string | URL | Request, init: RequestInit | undefined): Promise<Response> {
    let response: Response;
    try {
      const headers = new Headers(init?.headers);
      for (const [name, value] of Object.entries(await this.options.headers())) headers.set(name, value);
      // A redirect to another host would take the edge credential along, so it fails the request instead.
      response = await fetch(input, { ...init, headers, redirect: 'error' });
    } catch (error) {
      if (!init?.signal?.aborted) this.failures.record(error, `shape ${this.options.shape} request failed`);
      throw error;
    }
    const incompatible = await this.options.checkResponse?.(response);
    if (incompatible) {
      // Retrying cannot help until one side is updated, so the stream stops instead of backing off.
      this.stopped = true;
      this.options.onIncompatible?.(incompatible);
      await response.body?.cancel();
      throw incompatible;
    }
    if (response.status === 429 || response.status >= 500) {
      this.failures.record(new Error(`HTTP ${response.status}`), `shape ${this.options.shape} request failed with HTTP ${response.status}`);
    } else if (response.ok) {
      this.failures.succeeded();
    }
    return response;
  }

  /** Decides on an error the client does not retry by itself: stop on revocation, else retry with backoff. */
  private onRequestError(error: Error): Record<string, never> | undefined {
    if (this.stopped) return undefined;
    if (isEdgeRevoked(error)) {
      this.stopped = true;
      this.options.onRevoked(error);
      return undefined;
    }
    this.failures.record(error, `shape ${this.options.shape} request failed`);
    return {};
  }

  private onStreamStopped(stream: ShapeStream<Row>, error: Error): void {
    if (this.stopped || stream !== this.stream) return;
    this.options.logger.error(
      { shape: this.options.shape, err: error, restartInMs: this.options.backoff.maxDelay },
      `shape ${this.options.shape} stream stopped on an error; restarting it from the stored offset`,
    );
    this.restartLater();
  }

  /**
   * Runs inside the client's publish loop, which rethrows a subscriber's exception as an uncaught
   * exception, so every failure is handled here.
   */
  private receive(stream: ShapeStream<Row>, messages: Message<Row>[]): void {
    if (stream !== this.stream) return;
    for (const message of messages) {
      if (isChangeMessage(message)) {
        this.buffer.push(message);
      } else if (isControlMessage(message) && message.headers.control === 'must-refetch') {
        // The client starts again at offset -1: what was buffered belongs to the dropped handle.
        this.buffer = [];
        this.refetch = true;
        this.options.logger.warn({ shape: this.options.shape }, `hub requested a refetch of shape ${this.options.shape}; its rows will be replaced by the new snapshot`);
      } else if (isControlMessage(message) && message.headers.control === 'up-to-date') {
        if (!this.storeBuffered(stream)) return;
      }
    }
  }

  /** Stores the buffered batch with the stream's current handle and offset. Returns false when it failed. */
  private storeBuffered(stream: ShapeStream<Row>): boolean {
    const { shape, db, logger } = this.options;
    const handle = stream.shapeHandle;
    const offset = stream.lastOffset;
    if (handle === undefined) {
      logger.error({ shape, offset }, `shape ${shape} reached up-to-date without a handle; restarting it from the stored offset`);
      this.restartLater();
      return false;
    }
    const unchanged = this.buffer.length === 0 && !this.refetch && handle === this.storedHandle && offset === this.storedOffset;
    if (unchanged) return true;

    let result: ApplyShapeBatchResult;
    try {
      result = applyShapeBatch(db, shape, this.buffer, { handle, offset, refetch: this.refetch, logger });
    } catch (error) {
      logger.error(
        { shape, err: error, messages: this.buffer.length, restartInMs: this.options.backoff.maxDelay },
        `failed to store a batch of shape ${shape}; restarting it from the stored offset`,
      );
      this.restartLater();
      return false;
    }

    const applied: AppliedShapeBatch = { shape, handle, offset, refetch: this.refetch, ...result };
    this.buffer = [];
    this.refetch = false;
    this.storedHandle = handle;
    this.storedOffset = offset;
    logger.info(applied, `stored a batch of shape ${shape}`);
    try {
      this.options.onApplied?.(applied);
    } catch (error) {
      logger.error({ shape, err: error }, `onApplied failed for shape ${shape}`);
    }
    return true;
  }
}
