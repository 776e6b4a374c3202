import { setTimeout as delay } from 'node:timers/promises';
import { MAX_UPLOAD_BODY_BYTES, UPLOAD_PATH, uploadAckSchema } from '@simtestlab/sync';
import type { HubClient } from '../cloud/hub-client';
import { EdgeRevokedError, HubResponseError } from '../cloud/hub-errors';
import type { LinkStatus } from '../cloud/link-status';
import type { UploadConfig } from '../config/schema';
import type { Logger } from '../logger';
import { backoffDelayMs } from '../poller/backoff';
import { buildBatch, readStartAfter, type BatchLimits, type PreparedBatch } from './batch-builder';
import type { Outbox } from './outbox';
import type { UploadResult, UploadStats } from './upload-stats';

const BACKOFF_BASE_MS = 1000;
const MAX_BACKOFF_MS = 60_000;
/** Longest `Retry-After` obeyed, so a misconfigured hub cannot park the edge for hours. */
const MAX_RETRY_AFTER_MS = 5 * 60_000;
/** How long batch limits stay reduced after a 413 before the configured sizes are tried again. */
const SPLIT_HOLD_MS = 10 * 60_000;
const FAILURE_LOG_INTERVAL_MS = 60_000;
/** Consecutive failures after which they are logged as errors instead of warnings. */
const ERROR_LEVEL_AFTER_FAILURES = 5;

export interface UploaderOptions {
  outbox: Outbox;
  client: Pick<HubClient, 'request'>;
  link: LinkStatus;
  stats: UploadStats;
  config: UploadConfig;
  logger: Logger;
  /** Clock in epoch ms for `sentAt`, the drain rate and the link status. */
  now?: () => number;
  /** Waits `ms` or until `signal` aborts; tests pass one that returns at once. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** Outcome of one `uploadOnce`: what happened and how long to wait before the next batch. */
export interface UploadStep {
  result: UploadResult | 'idle' | 'stopped';
  waitMs: number;
}

async function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal, ref: false });
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

/**
 * Drains the upload outbox to the hub, one batch at a time: events first, then rollup rows, each
 * oldest first. Rows leave the outbox only after the hub acknowledged the batch that carried them, so
 * a failed, aborted or unanswered request leaves them for the next attempt, and the hub drops the
 * duplicates of a resend. Obeys 413 by halving the batch, 429 and 503 by waiting `Retry-After`, backs
 * off on other failures, and stops for good when the hub revoked the edge.
 */
export class Uploader {
  private readonly abort = new AbortController();
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly logger: Logger;
  private running: Promise<void> | undefined;
  private limits: BatchLimits;
  private splitAt: number | null = null;
  private failures = 0;
  private lastFailureLogAt = -Infinity;
  /** The next batch, built while the hub stores the one before it. It is dropped unless that one is acknowledged. */
  private prefetched: Promise<PreparedBatch | null> | undefined;

  constructor(private readonly options: UploaderOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
    this.logger = options.logger;
    this.limits = this.configuredLimits();
  }

  /** Current batch limits; lower than configured for a while after a 413. */
  get batchLimits(): BatchLimits {
    return { ...this.limits };
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Aborts the request in flight and waits for the loop to end; unacknowledged rows stay queued. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    await this.prefetched;
  }

  private async loop(): Promise<void> {
    const { config } = this.options;
    this.logger.info({ maxRowsPerSecond: config.maxRowsPerSecond, batchEvents: config.batchEvents, batchRollupRows: config.batchRollupRows }, 'upload to the cloud hub started');
    const signal = this.abort.signal;
    while (!signal.aborted) {
      let step: UploadStep;
      try {
        step = await this.uploadOnce();
      } catch (error) {
        // Reading or clearing the outbox failed (a locked or broken database); nothing was lost.
        step = this.failed('reading or clearing the upload outbox failed; retrying', error);
      }
      if (step.result === 'revoked' || step.result === 'stopped') break;
      if (step.waitMs > 0) await this.sleep(step.waitMs, signal);
    }
    this.logger.info({ revoked: this.options.stats.revoked }, 'upload to the cloud hub stopped');
  }

  /** Builds and sends one batch, and handles the response. The loop calls it, and tests call it step by step. */
  async uploadOnce(): Promise<UploadStep> {
    const { outbox, config, client } = this.options;
    const signal = this.abort.signal;
    if (signal.aborted) return { result: 'stopped', waitMs: 0 };
    const started = this.now();
    this.restoreLimits(started);
    const prefetched = this.prefetched === undefined ? null : await this.prefetched;
    this.prefetched = undefined;
    const prepared = prefetched ?? (await buildBatch(outbox, this.limits, started));
    if (!prepared) return { result: 'idle', waitMs: config.idleIntervalMs };
    this.reportUnsendable(prepared);

    prepared.batch.sentAt = started;
    const body = JSON.stringify(prepared.batch);
    const bytes = Buffer.byteLength(body);
    // The hub returns 413 above this size anyway, so the request is not worth sending.
    if (bytes > MAX_UPLOAD_BODY_BYTES) return this.tooLarge(prepared, bytes);

    const request = client.request(UPLOAD_PATH, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal });
    this.prefetchAfter(prepared);
    let response: Response;
    try {
      response = await request;
    } catch (error) {
      this.prefetched = undefined;
      if (signal.aborted) return { result: 'stopped', waitMs: 0 };
      return this.rejected(error, prepared, bytes);
    }
    const step = await this.acknowledged(response, prepared, started);
    if (step.result !== 'acked') this.prefetched = undefined;
    return step;
  }

  /**
   * Builds the next batch while the hub stores `inFlight`, when more is queued, so reading the outbox
   * overlaps with the request. It reads after the seqs of `inFlight`, so it never repeats an item of it.
   */
  private prefetchAfter(inFlight: PreparedBatch): void {
    const { backlog } = inFlight.batch;
    if (backlog.events + backlog.rollups === 0) return;
    this.prefetched = buildBatch(this.options.outbox, this.limits, this.now(), readStartAfter(inFlight)).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'building the next upload batch ahead failed; it is built again after the acknowledgement');
      return null;
    });
  }

  private async acknowledged(response: Response, prepared: PreparedBatch, started: number): Promise<UploadStep> {
    const { link, outbox, stats, config } = this.options;
    link.contact(this.now());
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      return this.failed(`the hub responded ${response.status} to batch ${prepared.batch.batchId} without a JSON acknowledgement; resending`, error);
    }
    const ack = uploadAckSchema.safeParse(body);
    if (!ack.success || ack.data.batchId !== prepared.batch.batchId) {
      return this.failed(`the hub responded ${response.status} to batch ${prepared.batch.batchId} without a valid acknowledgement; resending`, ack.error);
    }

    outbox.deleteSent(prepared.eventsThroughSeq, prepared.rollupsThroughSeq);
    const ackedAt = this.now();
    link.lastAckAt = ackedAt;
    link.clockSkewMs = ack.data.clockSkewMs;
    link.lastError = null;
    stats.batches.acked++;
    stats.eventsAcked += prepared.eventCount;
    stats.rollupRowsAcked += prepared.rollupRowCount;
    if (this.failures > 0) this.logger.info({ failures: this.failures }, 'upload to the cloud hub resumed');
    this.failures = 0;
    this.logger.debug({ batchId: prepared.batch.batchId, events: prepared.eventCount, rollupRows: prepared.rollupRowCount, backlog: prepared.batch.backlog }, 'batch acknowledged');

    // The drain rate: a batch of n rows occupies n / maxRowsPerSecond seconds, sending included.
    if (config.maxRowsPerSecond === 0) return { result: 'acked', waitMs: 0 };
    const budgetMs = ((prepared.eventCount + prepared.rollupRowCount) * 1000) / config.maxRowsPerSecond;
    return { result: 'acked', waitMs: Math.max(0, Math.round(budgetMs - (ackedAt - started))) };
  }

  /** Handles a request that threw: revoked, an error status, or no response at all. */
  private rejected(error: unknown, prepared: PreparedBatch, bytes: number): UploadStep {
    const { link, stats } = this.options;
    if (!(error instanceof HubResponseError)) return this.failed('upload to the cloud hub failed; keeping the batch queued', error);
    link.contact(this.now());
    if (error instanceof EdgeRevokedError) {
      stats.batches.revoked++;
      stats.revoked = true;
      link.lastError = error.message;
      this.logger.error(
        { err: error },
        'the hub revoked this edge (HTTP 401 edge_revoked): uploads stopped and the outbox keeps growing. Pair the edge again (edge-node pair --force) and restart the edge node; the queued rows are sent then',
      );
      return { result: 'revoked', waitMs: 0 };
    }
    if (error.status === 413) return this.tooLarge(prepared, bytes);
    if (error.status === 429 || error.status === 503) {
      stats.batches.throttled++;
      link.lastError = error.message;
      const waitMs = error.retryAfterS === null ? this.nextBackoffMs() : Math.min(error.retryAfterS * 1000, MAX_RETRY_AFTER_MS);
      this.logger.info({ status: error.status, retryAfterS: error.retryAfterS, waitMs }, 'the hub asked the edge to slow down; waiting before the next batch');
      return { result: 'throttled', waitMs };
    }
    if (error.status === 400) {
      const message = `the hub rejected batch ${prepared.batch.batchId} as invalid; keeping it queued. Check that the edge node and the hub run matching versions`;
      return this.failed(message, error, 'rejected');
    }
    return this.failed('upload to the cloud hub failed; keeping the batch queued', error);
  }

  /**
   * Halves the batch after a 413. A batch of one item that is still too large cannot be split: it is
   * logged with its id and retried after a backoff, so it blocks the items behind it until the hub
   * takes it, but is never dropped.
   */
  private tooLarge(prepared: PreparedBatch, bytes: number): UploadStep {
    const { stats, link } = this.options;
    stats.batches.too_large++;
    const { eventCount, rollupRowCount } = prepared;
    if (eventCount + rollupRowCount <= 1) {
      const item = describeOnlyItem(prepared);
      link.lastError = `${item} is too large for the hub (${bytes} bytes)`;
      this.failures++;
      this.logger.error({ item, bytes, maxBytes: MAX_UPLOAD_BODY_BYTES }, `${item} alone is too large for the hub; it stays queued and is retried. Raise the hub's upload body limit`);
      return { result: 'too_large', waitMs: this.backoffMs() };
    }
    const before = { ...this.limits };
    if (rollupRowCount > 1) this.limits.rollupRows = Math.floor(rollupRowCount / 2);
    // One event stays as the only item of the next batch, so the rollups it carried go separately.
    if (eventCount > 1) this.limits.events = Math.floor(eventCount / 2);
    else if (eventCount === 1) this.limits.events = 1;
    this.splitAt = this.now();
    this.logger.warn({ bytes, events: eventCount, rollupRows: rollupRowCount, before, after: this.limits }, 'the batch is too large for the hub (413); splitting it');
    return { result: 'too_large', waitMs: 0 };
  }

  /** Counts a failure, logs it rate-limited with a level that rises, and returns the backoff. */
  private failed(message: string, error: unknown, result: 'failed' | 'rejected' = 'failed'): UploadStep {
    const { stats, link } = this.options;
    stats.batches[result]++;
    this.failures++;
    link.lastError = error instanceof Error ? `${message}: ${error.message}` : message;
    const now = this.now();
    const waitMs = this.backoffMs();
    if (this.failures <= 3 || now - this.lastFailureLogAt >= FAILURE_LOG_INTERVAL_MS) {
      this.lastFailureLogAt = now;
      const level = this.failures >= ERROR_LEVEL_AFTER_FAILURES ? 'error' : 'warn';
      this.logger[level]({ err: error, failures: this.failures, retryInMs: waitMs }, message);
    }
    return { result, waitMs };
  }

  private backoffMs(): number {
    return backoffDelayMs(this.failures, BACKOFF_BASE_MS, MAX_BACKOFF_MS, this.random);
  }

  /** Backoff for a throttle without `Retry-After`, counted like a failure. */
  private nextBackoffMs(): number {
    this.failures++;
    return this.backoffMs();
  }

  private reportUnsendable(prepared: PreparedBatch): void {
    if (prepared.unsendable.length === 0) return;
    this.options.stats.unsendable += prepared.unsendable.length;
    this.logger.warn(
      { count: prepared.unsendable.length, first: prepared.unsendable[0]!.reason },
      'queued items the hub would reject are left out of the upload; they stay in the local history',
    );
  }

  private configuredLimits(): BatchLimits {
    return { events: this.options.config.batchEvents, rollupRows: this.options.config.batchRollupRows };
  }

  private restoreLimits(now: number): void {
    if (this.splitAt === null || now - this.splitAt < SPLIT_HOLD_MS) return;
    this.splitAt = null;
    this.limits = this.configuredLimits();
    this.logger.info(this.limits, 'trying the configured batch size again after a 413');
  }
}

/** Names the single item of a batch, for the log line of an item too large to send. */
function describeOnlyItem(prepared: PreparedBatch): string {
  const event = prepared.batch.events[0];
  if (event) return `event ${event.id} (${event.kind} at ${event.at})`;
  const series = prepared.batch.rollups[0]!;
  return `${series.resolution} rollup row of ${series.point} at ${series.rows[0]![0]}`;
}
