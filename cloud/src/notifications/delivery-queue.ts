import type { Queryable, Sql } from '../db/connect';
import { allOrganizations, inTenantScope } from '../db/scope';
import type { WebhookPayload } from './webhook-event';

/** A delivery to add to the queue. */
export interface NewDelivery {
  webhookId: string;
  organizationId: string;
  event: string;
  eventKey: string;
  payload: WebhookPayload;
}

/** A delivery a worker has claimed for one attempt, with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  webhookName: string;
  organizationId: string;
  event: string;
  payload: unknown;
  /** The number of this attempt, 1 for the first. */
  attempt: number;
  url: string;
  secret: string;
}

/**
 * Adds deliveries, due at `dueAt`, in the caller's transaction. An event already queued for a webhook
 * (same event key) is skipped, so rescans and concurrent workers add each event once. Returns the
 * number added.
 */
export async function enqueueDeliveries(tx: Queryable, deliveries: readonly NewDelivery[], dueAt: Date): Promise<number> {
  if (deliveries.length === 0) return 0;
  const rows = deliveries.map((delivery) => ({
    webhook_id: delivery.webhookId,
    organization_id: delivery.organizationId,
    event: delivery.event,
    event_key: delivery.eventKey,
    payload: delivery.payload,
    next_attempt_at: dueAt,
  }));
  const inserted = await tx`
    INSERT INTO webhook_deliveries (webhook_id, organization_id, event, event_key, payload, next_attempt_at)
    SELECT webhook_id, organization_id, event, event_key, payload, next_attempt_at
    FROM json_populate_recordset(null::webhook_deliveries, ${tx.json(rows)}::json)
    ON CONFLICT (webhook_id, event_key) DO NOTHING
    RETURNING id`;
  return inserted.length;
}

/** The last error of a delivery given up because its webhook was disabled. */
const DISABLED_ERROR = 'the webhook was disabled before the delivery was sent';

/**
 * Gives up every undelivered delivery of a webhook that is being disabled, in the caller's
 * transaction, retries scheduled for later included, so enabling it again sends no stale alarm.
 * A delivery in flight that reaches the receiver is still recorded as delivered.
 */
export async function giveUpDeliveriesOf(tx: Queryable, webhookId: string, now: Date): Promise<number> {
  const dropped = await tx`
    UPDATE webhook_deliveries SET given_up_at = ${now}, last_error = ${DISABLED_ERROR}
    WHERE webhook_id = ${webhookId} AND delivered_at IS NULL AND given_up_at IS NULL
    RETURNING id`;
  return dropped.length;
}

/**
 * Gives up the due deliveries of disabled webhooks, so disabling a webhook drops what was queued for
 * it instead of sending stale alarms when it is enabled again. Returns the number given up.
 */
export async function dropDisabledDeliveries(sql: Sql, now: Date): Promise<number> {
  return inTenantScope(sql, allOrganizations, async (tx) => {
    const dropped = await tx`
      UPDATE webhook_deliveries d
      SET given_up_at = ${now}, last_error = ${DISABLED_ERROR}
      FROM webhooks w
      WHERE w.id = d.webhook_id AND NOT w.enabled
        AND d.delivered_at IS NULL AND d.given_up_at IS NULL AND d.next_attempt_at <= ${now}
      RETURNING d.id`;
    return dropped.length;
  });
}

/**
 * Claims up to `limit` due deliveries of enabled webhooks for one attempt each. Claiming counts the
 * attempt and moves `next_attempt_at` to `leaseUntil`, in one statement that skips rows another worker
 * has locked, so two workers never claim the same delivery. A worker that stops mid-send leaves the
 * delivery claimed until the lease ends. Then any worker claims it again, so a receiver may get one
 * delivery twice.
 */
export async function claimDueDeliveries(sql: Sql, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
  return inTenantScope(sql, allOrganizations, async (tx) => {
    const rows = await tx<{ id: string; webhook_id: string; webhook_name: string; organization_id: string; event: string; payload: unknown; attempts: number; url: string; secret: string }[]>`
      WITH due AS (
        SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE d.delivered_at IS NULL AND d.given_up_at IS NULL AND d.next_attempt_at <= ${now} AND w.enabled
        ORDER BY d.next_attempt_at
        LIMIT ${limit}
        FOR UPDATE OF d SKIP LOCKED
      )
      UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = ${leaseUntil}
      FROM due, webhooks w
      WHERE d.id = due.id AND w.id = d.webhook_id
      RETURNING d.id, d.webhook_id, w.name AS webhook_name, d.organization_id, d.event, d.payload, d.attempts, w.url, w.secret`;
    return rows.map((row) => ({
      id: row.id,
      webhookId: row.webhook_id,
      webhookName: row.webhook_name,
      organizationId: row.organization_id,
      event: row.event,
      payload: row.payload,
      attempt: row.attempts,
      url: row.url,
      secret: row.secret,
    }));
  });
}

/** The outcome of one attempt to store. `retryAt` null means no further attempt: delivered, or given up. */
export interface AttemptOutcome {
  delivered: boolean;
  status: number | null;
  error: string | null;
  retryAt: Date | null;
}

/**
 * Stores the outcome of attempt `attempt` of a delivery. The attempt number guards the update, so a
 * worker whose lease ran out cannot overwrite the outcome of a later attempt. A failed attempt of a
 * webhook disabled while it was in flight is given up instead of retried, as disabling gives up
 * everything queued.
 */
export async function recordAttempt(tx: Queryable, deliveryId: string, attempt: number, outcome: AttemptOutcome, now: Date): Promise<void> {
  const finished = outcome.delivered || outcome.retryAt === null;
  await tx`
    UPDATE webhook_deliveries d SET
      last_status = ${outcome.status},
      last_error = ${outcome.error},
      delivered_at = ${outcome.delivered ? now : null},
      given_up_at = CASE WHEN ${!outcome.delivered && finished} OR (${!outcome.delivered} AND NOT w.enabled) THEN ${now}::timestamptz END,
      next_attempt_at = ${outcome.retryAt ?? now}
    FROM webhooks w
    WHERE d.id = ${deliveryId} AND d.attempts = ${attempt} AND w.id = d.webhook_id`;
}

/**
 * Deletes delivered and given-up deliveries created before `before`. Returns the number deleted.
 * NOTE: an escalation is queued once per activation because its delivery row exists, so an alarm left
 * unacknowledged for longer than the retention is escalated once more after its row is deleted.
 */
export async function pruneDeliveries(sql: Sql, before: Date): Promise<number> {
  return inTenantScope(sql, allOrganizations, async (tx) => {
    const deleted = await tx`
      DELETE FROM webhook_deliveries
      WHERE created_at < ${before} AND (delivered_at IS NOT NULL OR given_up_at IS NOT NULL)
      RETURNING id`;
    return deleted.length;
  });
}
