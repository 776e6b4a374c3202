import type { Sql } from '../db/connect';
import { allOrganizations, inTenantScope } from '../db/scope';
import type { Logger } from '../logger';
import { retryDelayMs } from './backoff';
import { claimDueDeliveries, dropDisabledDeliveries, pruneDeliveries, recordAttempt, type AttemptOutcome, type ClaimedDelivery } from './delivery-queue';
import { scanEscalations } from './escalation-scan';
import type { NotificationWorkerSettings } from './notification-settings';
import { scanTransitions } from './transition-scan';
import { sendWebhook } from './webhook-sender';

/** Transitions read, and escalations queued, per round. */
const BATCH_SIZE = 200;
/** Deliveries one worker claims and sends at once per round. */
const SEND_BATCH_SIZE = 20;

/** Time a claimed delivery stays claimed beyond the send timeout, for recording the outcome. */
const LEASE_MARGIN_MS = 30_000;

/** How long finished deliveries stay in the history: 30 days. */
export const DELIVERY_RETENTION_MS = 30 * 86_400_000;

/** How often a worker deletes finished deliveries past the retention. */
const PRUNE_INTERVAL_MS = 3_600_000;

/** Failed rounds in a row between two log lines while the failure lasts, so an outage logs about once per 5 minutes at the default poll interval. */
const FAILED_ROUND_LOG_EVERY = 60;

/** Attempts below this number log their failure at info, later ones at warn. */
const QUIET_ATTEMPTS = 3;

/** Counts of one round. */
export interface RoundSummary {
  /** Deliveries queued from new transitions; null when another worker held the transition cursor. */
  queuedFromTransitions: number | null;
  queuedEscalations: number;
  sent: number;
  delivered: number;
  givenUp: number;
}

export interface NotificationWorkerOptions {
  sql: Sql;
  logger: Logger;
  settings: NotificationWorkerSettings;
  /** The clock, epoch ms; tests move it to reach retries without waiting. */
  now?: () => number;
  /** Source of the backoff jitter, in [0, 1). */
  random?: () => number;
}

// TODO: notifications go to webhooks only. Email needs an SMTP client dependency (such as nodemailer)
// in cloud/package.json and a recipients setting per organization.
/**
 * Turns alarm transitions and unacknowledged alarms into webhook deliveries and sends the due ones.
 * One runs in each hub process; several share the work through row locks in Postgres, so each
 * delivery attempt is made by one of them.
 */
export class NotificationWorker {
  private readonly now: () => number;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<unknown> | undefined;
  private stopped = true;
  private lastPruneMs = Number.NEGATIVE_INFINITY;
  private failedRounds = 0;

  constructor(private readonly options: NotificationWorkerOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** Starts a round now and one every `pollIntervalMs` after the previous one ends. */
  start(): void {
    this.stopped = false;
    this.options.logger.info({ pollIntervalMs: this.options.settings.pollIntervalMs, maxAttempts: this.options.settings.maxAttempts }, 'notification worker started');
    this.schedule(0);
  }

  /** Stops scheduling rounds and waits for the running one to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
    this.options.logger.info('notification worker stopped');
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.runOnce()
        .then(() => this.roundSucceeded(), (error: unknown) => this.roundFailed(error))
        .finally(() => this.schedule(this.options.settings.pollIntervalMs));
    }, delayMs);
    this.timer.unref();
  }

  private roundSucceeded(): void {
    if (this.failedRounds > 0) this.options.logger.info({ failedRounds: this.failedRounds }, 'notification rounds succeed again');
    this.failedRounds = 0;
  }

  private roundFailed(error: unknown): void {
    if (this.failedRounds % FAILED_ROUND_LOG_EVERY === 0) {
      this.options.logger.error({ err: error, failedRounds: this.failedRounds + 1 }, 'notification round failed; retrying after the poll interval');
    }
    this.failedRounds += 1;
  }

  /** Runs one round: queue new events, queue escalations, then send what is due. */
  async runOnce(): Promise<RoundSummary> {
    const { sql } = this.options;
    const now = new Date(this.now());
    const scan = await scanTransitions(sql, now, BATCH_SIZE);
    const queuedEscalations = await scanEscalations(sql, now, BATCH_SIZE);
    const dropped = await dropDisabledDeliveries(sql, now);
    if (dropped > 0) this.options.logger.info({ deliveries: dropped }, 'deliveries of disabled webhooks given up');

    if (now.getTime() - this.lastPruneMs >= PRUNE_INTERVAL_MS) {
      this.lastPruneMs = now.getTime();
      const pruned = await pruneDeliveries(sql, new Date(now.getTime() - DELIVERY_RETENTION_MS));
      if (pruned > 0) this.options.logger.info({ deliveries: pruned }, 'finished deliveries past the retention deleted');
    }

    const leaseUntil = new Date(now.getTime() + this.options.settings.timeoutMs + LEASE_MARGIN_MS);
    const claimed = await claimDueDeliveries(sql, now, leaseUntil, SEND_BATCH_SIZE);
    const outcomes = await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
    return {
      queuedFromTransitions: scan === null ? null : scan.queued,
      queuedEscalations,
      sent: claimed.length,
      delivered: outcomes.filter((outcome) => outcome === 'delivered').length,
      givenUp: outcomes.filter((outcome) => outcome === 'given_up').length,
    };
  }

  private async attempt(delivery: ClaimedDelivery): Promise<'delivered' | 'retry' | 'given_up'> {
    const { settings, logger } = this.options;
    const body = JSON.stringify(delivery.payload);
    const result = await sendWebhook({ url: delivery.url, secret: delivery.secret, event: delivery.event, deliveryId: delivery.id, body }, settings, this.now());
    const context = { webhookId: delivery.webhookId, webhookName: delivery.webhookName, organizationId: delivery.organizationId, deliveryId: delivery.id, event: delivery.event, attempt: delivery.attempt };

    if (result.ok) {
      await this.store(delivery, { delivered: true, status: result.status, error: null, retryAt: null });
      logger.debug({ ...context, status: result.status }, 'webhook delivered');
      return 'delivered';
    }

    const giveUp = result.permanent || delivery.attempt >= settings.maxAttempts;
    if (giveUp) {
      await this.store(delivery, { delivered: false, status: result.status, error: result.error, retryAt: null });
      logger.error({ ...context, status: result.status, lastError: result.error, permanent: result.permanent }, 'webhook delivery given up');
      return 'given_up';
    }
    const delayMs = retryDelayMs(delivery.attempt, settings, this.random);
    const retryAt = new Date(this.now() + delayMs);
    await this.store(delivery, { delivered: false, status: result.status, error: result.error, retryAt });
    const level = delivery.attempt < QUIET_ATTEMPTS ? 'info' : 'warn';
    logger[level]({ ...context, status: result.status, error: result.error, retryInMs: delayMs }, 'webhook attempt failed; retrying');
    return 'retry';
  }

  private store(delivery: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
    const finishedAt = new Date(this.now());
    return inTenantScope(this.options.sql, allOrganizations, (tx) => recordAttempt(tx, delivery.id, delivery.attempt, outcome, finishedAt));
  }
}
