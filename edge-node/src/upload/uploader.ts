import { setTimeout as delay } from 'node:timers/promises';
import { MAX_UPLOAD_BODY_BYTES, UPLOAD_PATH, uploadAckSchema } from '@simtestlab/sync';
import type { HubClient } from '../cloud/hub-client';
import { EdgeRevokedError, HubResponseError } from '../cloud/hub-errors';
import { ProtocolMismatchError } from '../cloud/hub-protocol';
import type { LinkStatus } from '../cloud/link-status';
import type { UploadConfig } from '../config/schema';
import type { Logger } from '../logger';
import { backoffDelayMs } from '../poller/backoff';
import { batchBody, buildBatch, readStartAfter, type BatchLimits, type PreparedBatch, type ReadStart } from './batch-builder';
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
/** Code of the 429 a hub returns to a batch while it already stores as many batches of this edge as it allows. */
const UPLOAD_IN_PROGRESS_CODE = 'upload_in_progress';

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

/** Outcome of one `uploadOnce`: what happened to the oldest batch in flight and how long to wait before the next call. */
export interface UploadStep {
  result: UploadResult | 'idle' | 'stopped';
  waitMs: number;
}

/** Result of a request of the window, or `too_large` for a batch held back because the hub would return 413. */
type UploadOutcome =
  | { kind: 'responded'; status: number; body: unknown }
  | { kind: 'unreadable'; status: number; error: unknown }
  | { kind: 'threw'; error: unknown }
  | { kind: 'too_large' };

/** A batch in the upload window, oldest first. */
interface WindowEntry {
  prepared: PreparedBatch;
  bytes: number;
  /** False for a batch held back because it is larger than the hub takes. */
  sent: boolean;
  /** Whether another request of this edge was in flight while this one was. */
  concurrent: boolean;
  /** Never rejects: a failed request resolves to `threw`. */
  outcome: Promise<UploadOutcome>;
}

async function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal, ref: false });
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

/** Reads the JSON body of a 2xx response as soon as it arrives, so its connection is free for the next request. */
async function readResponse(response: Response): Promise<UploadOutcome> {
  try {
    return { kind: 'responded', status: response.status, body: await response.json() };
  } catch (error) {
    return { kind: 'unreadable', status: response.status, error };
  }
}

/**
 * Drains the upload outbox to the hub: events first, then rollup rows, each oldest first. Up to
 * `maxUploadsInFlight` batches are in flight at once, so reading the outbox, the hub's parsing and its
 * database writes overlap. Batch N+1 is read after the seqs of batch N and sent as soon as it is built.
 *
 * Rows leave the outbox only after the hub acknowledged the batch that carried them, and acknowledged
 * ranges are deleted in send order. When a batch fails, the batches sent after it are dropped whatever
 * their outcome, and reading restarts at the outbox head after the wait. Their rows are sent again, and
 * the hub drops the duplicates. Obeys 413 by halving the batch, 429 and 503 by waiting `Retry-After`,
 * backs off on other failures, and stops for good when the hub revoked the edge.
 *
 * This file is the uploader's stateful core: the window, the drain rate and the failure handling share
 * its state, so they stay together.
 */
export class Uploader {
  private readonly abort = new AbortController();
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Aborts the current idle wait; see `wake`. */
  private idleWait: AbortController | undefined;
  /** Set by a `wake` that came while a batch was being sent, so the next idle wait is skipped. */
  private woken = false;
  private readonly random: () => number;
  private readonly logger: Logger;
  private running: Promise<void> | undefined;
  private limits: BatchLimits;
  private splitAt: number | null = null;
  private failures = 0;
  private lastFailureLogAt = -Infinity;
  /** Batches in flight or held back, oldest first. Only the oldest one's outcome is handled. */
  private readonly window: WindowEntry[] = [];
  /** Lowered to 1 for the rest of the session when the hub takes one upload per edge. */
  private windowSize: number;
  /**
   * Requests of a dropped window that still run. They count against the window until they end, so the
   * hub never has more than `windowSize` requests of this edge at once. Their outcomes are ignored.
   */
  private readonly abandoned = new Set<Promise<void>>();
  /** The acknowledged batch whose range is deleted once the next batch is on its way. */
  private acknowledging: PreparedBatch | null = null;
  /** The batch after the last one sent, built while the window's requests run. It is dropped with the window. */
  private prefetched: Promise<PreparedBatch | null> | undefined;
  /** Builds started ahead, including dropped ones, which `stop` waits for. */
  private readonly builds = new Set<Promise<unknown>>();
  /** Earliest time the drain rate allows the next batch to be sent, in epoch ms. */
  private nextSendAt = -Infinity;

  constructor(private readonly options: UploaderOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
    this.logger = options.logger;
    this.limits = this.configuredLimits();
    this.windowSize = options.config.maxUploadsInFlight;
  }

  /** Current batch limits; lower than configured for a while after a 413. */
  get batchLimits(): BatchLimits {
    return { ...this.limits };
  }

  /** Batches the uploader keeps in flight at once: the configured number, or 1 after the hub declined a second. */
  get uploadsInFlightLimit(): number {
    return this.windowSize;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Aborts every request in flight and waits for them and the loop to end; unacknowledged rows stay queued. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    await Promise.all([...this.window.map((entry) => entry.outcome), ...this.abandoned, ...this.builds]);
  }

  private async loop(): Promise<void> {
    const { config } = this.options;
    this.logger.info(
      {
        maxRowsPerSecond: config.maxRowsPerSecond,
        batchEvents: config.batchEvents,
        batchRollupRows: config.batchRollupRows,
        maxUploadsInFlight: this.windowSize,
      },
      'upload to the cloud hub started',
    );
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
      if (step.waitMs > 0 && step.result === 'idle') await this.idleSleep(step.waitMs, signal);
      else if (step.waitMs > 0) await this.sleep(step.waitMs, signal);
    }
    this.logger.info({ revoked: this.options.stats.revoked }, 'upload to the cloud hub stopped');
  }

  /**
   * Ends an idle wait at once, so something just queued that users wait for, such as an alarm
   * transition, goes out now instead of after `idleIntervalMs`. Waits after a failure or a
   * `Retry-After` are not shortened.
   */
  wake(): void {
    this.woken = true;
    this.idleWait?.abort();
  }

  private async idleSleep(ms: number, signal: AbortSignal): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return;
    }
    this.idleWait = new AbortController();
    try {
      await this.sleep(ms, AbortSignal.any([signal, this.idleWait.signal]));
    } finally {
      this.idleWait = undefined;
      this.woken = false;
    }
  }

  /**
   * Fills the window with batches, waits for the oldest one's outcome and handles it. After an
   * acknowledgement the next batch is sent before the acknowledged range is deleted. The loop calls it,
   * and tests call it step by step. The first batch of an empty window is sent even before the drain
   * rate allows it, so every call makes progress, and the loop keeps the rate by sleeping `waitMs`.
   */
  async uploadOnce(): Promise<UploadStep> {
    const signal = this.abort.signal;
    if (signal.aborted) return { result: 'stopped', waitMs: 0 };
    this.restoreLimits(this.now());
    try {
      await this.fillWindow(true);
      this.prefetchNext();
      const oldest = this.window[0];
      if (oldest === undefined) return { result: 'idle', waitMs: this.options.config.idleIntervalMs };

      const outcome = await oldest.outcome;
      this.window.shift();
      if (signal.aborted) {
        this.dropWindow();
        return { result: 'stopped', waitMs: 0 };
      }
      const step = await this.handleOutcome(oldest, outcome);
      if (step.result !== 'acked') this.dropWindow();
      return step;
    } catch (error) {
      this.dropWindow();
      throw error;
    }
  }

  /**
   * Sends batches while the window has room and the drain rate allows. With `fromHead`, an empty window
   * first waits for a free slot and then reads its first batch from the outbox head without waiting for
   * the drain rate. Later batches come from the build that reads after the last batch sent, and none
   * follows a batch that left nothing queued or was held back as too large.
   */
  private async fillWindow(fromHead: boolean): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      const empty = this.window.length === 0 && this.acknowledging === null;
      if (fromHead && empty && this.abandoned.size >= this.windowSize) {
        await Promise.race(this.abandoned);
        continue;
      }
      if (this.window.length + this.abandoned.size >= this.windowSize) return;
      if (!(fromHead && empty) && this.now() < this.nextSendAt) return;

      let prepared: PreparedBatch | null;
      if (empty && this.prefetched === undefined) {
        prepared = await buildBatch(this.options.outbox, this.limits, this.now());
      } else {
        this.prefetchNext();
        if (this.prefetched === undefined) return;
        prepared = await this.prefetched;
        this.prefetched = undefined;
      }
      if (prepared === null) return;
      this.send(prepared);
    }
  }

  /** Sends `prepared` and appends it to the window, or appends it held back when it is too large to send. */
  private send(prepared: PreparedBatch): void {
    const { client, config } = this.options;
    this.reportUnsendable(prepared);
    const sentAt = this.now();
    prepared.batch.sentAt = sentAt;
    const body = batchBody(prepared.batch);
    const bytes = Buffer.byteLength(body);
    // The hub returns 413 above this size anyway, so the request is not worth sending.
    if (bytes > MAX_UPLOAD_BODY_BYTES) {
      this.window.push({ prepared, bytes, sent: false, concurrent: false, outcome: Promise.resolve({ kind: 'too_large' }) });
      return;
    }

    const concurrent = this.window.length + this.abandoned.size > 0;
    for (const entry of this.window) entry.concurrent ||= concurrent;

    const outcome = client
      .request(UPLOAD_PATH, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal: this.abort.signal })
      .then(readResponse, (error: unknown): UploadOutcome => ({ kind: 'threw', error }));
    this.window.push({ prepared, bytes, sent: true, concurrent, outcome });
    // The drain rate: a batch of n rows occupies n / maxRowsPerSecond seconds of the window, sending included.
    if (config.maxRowsPerSecond > 0) {
      const rows = prepared.eventCount + prepared.rollupRowCount;
      this.nextSendAt = Math.max(this.nextSendAt, sentAt) + (rows * 1000) / config.maxRowsPerSecond;
    }
  }

  /**
   * Starts building the batch after the last one sent, when that one left more queued, so reading the
   * outbox overlaps with the requests. It reads after the seqs of every batch not yet deleted, so it
   * never repeats an item of them.
   */
  private prefetchNext(): void {
    if (this.prefetched !== undefined || this.abort.signal.aborted) return;
    const last = this.window.at(-1);
    if (last !== undefined && !last.sent) return;
    const pending = this.pendingBatches();
    const { backlog } = pending.at(-1)?.batch ?? { backlog: { events: 0, rollups: 0 } };
    if (backlog.events + backlog.rollups === 0) return;

    const build = buildBatch(this.options.outbox, this.limits, this.now(), readStartAfterAll(pending)).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'building the next upload batch ahead failed; it is built again from the outbox head');
      return null;
    });
    this.prefetched = build;
    this.builds.add(build);
    void build.finally(() => this.builds.delete(build));
  }

  /** Batches read and not yet deleted, oldest first: the one being acknowledged and those in the window. */
  private pendingBatches(): PreparedBatch[] {
    const inWindow = this.window.map((entry) => entry.prepared);
    return this.acknowledging === null ? inWindow : [this.acknowledging, ...inWindow];
  }

  /**
   * Forgets the window after a failure, so reading restarts at the outbox head. Requests still running
   * move to `abandoned`, and the build ahead is dropped.
   */
  private dropWindow(): void {
    for (const entry of this.window) {
      if (!entry.sent) continue;
      const settled: Promise<void> = entry.outcome.then(() => {
        this.abandoned.delete(settled);
      });
      this.abandoned.add(settled);
    }
    this.window.length = 0;
    this.prefetched = undefined;
  }

  private async handleOutcome(entry: WindowEntry, outcome: UploadOutcome): Promise<UploadStep> {
    const { prepared } = entry;
    switch (outcome.kind) {
      case 'too_large':
        return this.tooLarge(prepared, entry.bytes);
      case 'threw':
        return this.rejected(outcome.error, entry);
      case 'unreadable':
        this.options.link.contact(this.now());
        return this.failed(`the hub responded ${outcome.status} to batch ${prepared.batch.batchId} without a JSON acknowledgement; resending`, outcome.error);
      case 'responded':
        return this.acknowledged(outcome.status, outcome.body, prepared);
    }
  }

  private async acknowledged(status: number, body: unknown, prepared: PreparedBatch): Promise<UploadStep> {
    const { link, outbox, stats, config } = this.options;
    link.contact(this.now());
    const ack = uploadAckSchema.safeParse(body);
    if (!ack.success || ack.data.batchId !== prepared.batch.batchId) {
      return this.failed(`the hub responded ${status} to batch ${prepared.batch.batchId} without a valid acknowledgement; resending`, ack.error);
    }

    // Every batch before this one was acknowledged and deleted, so its range goes now. The next batch is
    // sent first, so the delete does not hold it back.
    this.acknowledging = prepared;
    try {
      await this.fillWindow(false);
      // A build that runs across the delete would count this batch's rows as queued or not depending on
      // timing, so the delete waits for it and the backlog a batch reports stays exact.
      await this.prefetched;
      outbox.deleteSent(prepared.eventsThroughSeq, prepared.rollupsThroughSeq);
    } finally {
      this.acknowledging = null;
    }
    this.prefetchNext();

    link.lastAckAt = this.now();
    link.clockSkewMs = ack.data.clockSkewMs;
    link.lastError = null;
    stats.batches.acked++;
    stats.eventsAcked += prepared.eventCount;
    stats.rollupRowsAcked += prepared.rollupRowCount;
    if (this.failures > 0) this.logger.info({ failures: this.failures }, 'upload to the cloud hub resumed');
    this.failures = 0;
    this.logger.debug({ batchId: prepared.batch.batchId, events: prepared.eventCount, rollupRows: prepared.rollupRowCount, backlog: prepared.batch.backlog }, 'batch acknowledged');

    if (config.maxRowsPerSecond === 0) return { result: 'acked', waitMs: 0 };
    return { result: 'acked', waitMs: Math.max(0, Math.round(this.nextSendAt - this.now())) };
  }

  /** Handles a request that threw: revoked, an error status, or no response at all. */
  private rejected(error: unknown, entry: WindowEntry): UploadStep {
    const { link, stats } = this.options;
    const { prepared } = entry;
    if (!(error instanceof HubResponseError)) return this.failed('upload to the cloud hub failed; keeping the batch queued', error);
    link.contact(this.now());
    if (error instanceof ProtocolMismatchError) {
      stats.batches.failed++;
      link.lastError = error.message;
      this.logger.error({ err: error, edgeProtocol: error.edgeProtocol, hubProtocol: error.hubProtocol }, `uploads stopped: ${error.message}; queued rows stay in the outbox and are sent after the update and a restart`);
      return { result: 'stopped', waitMs: 0 };
    }
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
    if (error.status === 429 && error.code === UPLOAD_IN_PROGRESS_CODE && entry.concurrent && this.windowSize > 1) {
      return this.fallBackToOneInFlight(error);
    }
    if (error.status === 413) return this.tooLarge(prepared, entry.bytes);
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
   * Sends one batch at a time for the rest of the session after the hub returned 429
   * `upload_in_progress` to a batch in flight together with another, as a hub that takes one upload
   * per edge does. The batch was not stored, so it is sent again at once.
   */
  private fallBackToOneInFlight(error: HubResponseError): UploadStep {
    this.options.stats.batches.throttled++;
    this.windowSize = 1;
    this.logger.info(
      { err: error, maxUploadsInFlight: this.options.config.maxUploadsInFlight },
      'the hub takes one upload at a time from this edge (429 upload_in_progress); sending one batch at a time until the edge node restarts',
    );
    return { result: 'throttled', waitMs: 0 };
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
  const [bucketStart] = JSON.parse(series.rows[0]!) as [number];
  return `${series.resolution} rollup row of ${series.point} at ${bucketStart}`;
}

/**
 * Returns where the batch after `pending` starts reading: after the highest seqs read so far, with every
 * entry of `pending` counted as in flight. A batch without events has no event seq, so the position of
 * an earlier batch stays.
 */
function readStartAfterAll(pending: readonly PreparedBatch[]): ReadStart {
  const start: ReadStart = { eventsAfterSeq: 0, rollupsAfterSeq: 0, eventsInFlight: 0, rollupsInFlight: 0 };
  for (const prepared of pending) {
    const after = readStartAfter(prepared);
    start.eventsAfterSeq = Math.max(start.eventsAfterSeq, after.eventsAfterSeq);
    start.rollupsAfterSeq = Math.max(start.rollupsAfterSeq, after.rollupsAfterSeq);
    start.eventsInFlight += after.eventsInFlight;
    start.rollupsInFlight += after.rollupsInFlight;
  }
  return start;
}
