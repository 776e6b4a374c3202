import type { AlarmSeverity, AlarmState, AlarmTransitionAction } from '@simtestlab/sync';
import type { TransitionRow } from '../alarms/alarm-rows';
import type { Sql, TransactionSql } from '../db/connect';
import { allOrganizations, inTenantScope } from '../db/scope';
import { enqueueDeliveries, type NewDelivery } from './delivery-queue';
import { meetsSeverity, type WebhookEventType, type WebhookPayload } from './webhook-event';

/** The cursor row of alarm_transitions in notification_cursors. */
const CURSOR_NAME = 'alarm_transitions';

/**
 * Time the cursor waits at a gap in recorded_seq. An identity value is taken at insert but becomes
 * visible at commit, so a transition with a lower number can appear after a higher one. A gap can
 * also be a rolled-back insert, which never appears.
 */
export const GAP_GRACE_MS = 60_000;

/** A transition as the scan reads it, with its organization and the names of its alarm and site. */
type ScannedTransition = TransitionRow & { organization_id: string; alarm_name: string | null; site_name: string | null; active_since: Date | null };

interface SubscribedWebhook {
  id: string;
  organization_id: string;
  events: WebhookEventType[];
  min_severity: AlarmSeverity;
}

/**
 * Returns the event a transition announces, or null. A repeated acknowledgement (from equal to to)
 * only adds to the history, so it announces nothing.
 */
export function eventOfTransition(action: AlarmTransitionAction, from: AlarmState, to: AlarmState): WebhookEventType | null {
  if (action === 'raise') return 'alarm.raised';
  if (action === 'clear') return 'alarm.cleared';
  if (action === 'acknowledge' && from !== to) return 'alarm.acknowledged';
  return null;
}

/**
 * Returns the new cursor position after reading `rows` (in recorded_seq order): the last row of the
 * unbroken run after `position`. A gap stops it until the row after the gap is GAP_GRACE_MS old.
 */
export function advanceCursor(position: bigint, rows: readonly { seq: bigint; recordedAtMs: number }[], nowMs: number): bigint {
  let next = position;
  for (const row of rows) {
    if (row.seq !== next + 1n && nowMs - row.recordedAtMs < GAP_GRACE_MS) break;
    next = row.seq;
  }
  return next;
}

function payloadOf(row: ScannedTransition, event: WebhookEventType): WebhookPayload {
  return {
    type: event,
    eventKey: `transition:${row.id}`,
    organizationId: row.organization_id,
    at: row.at.getTime(),
    alarm: {
      siteId: row.site_id,
      siteName: row.site_name,
      ruleId: row.rule_id,
      name: row.alarm_name,
      severity: row.severity,
      state: row.to_state,
      occurrence: row.occurrence,
      message: row.message,
      point: row.point,
      device: row.device,
      value: row.value,
      activeSince: event === 'alarm.raised' ? row.at.getTime() : (row.active_since?.getTime() ?? null),
    },
    transition: { id: row.id, action: row.action, from: row.from_state, to: row.to_state, user: row.user, comment: row.comment },
    escalationMinutes: null,
  };
}

async function subscribedWebhooks(tx: TransactionSql, organizationIds: string[]): Promise<SubscribedWebhook[]> {
  if (organizationIds.length === 0) return [];
  return tx<SubscribedWebhook[]>`
    SELECT id, organization_id, events, min_severity FROM webhooks
    WHERE enabled AND organization_id = ANY(${tx.array(organizationIds, 2950)})`;
}

/** Counts of one scan, or null when another worker held the cursor. */
export type TransitionScanResult = { read: number; queued: number; position: bigint } | null;

/**
 * Reads the transitions recorded after the cursor and queues a delivery of each announced event to
 * every enabled webhook of its organization that subscribes to the event at the transition's severity.
 * The cursor row stays locked until the commit, and a worker that finds it locked skips the scan.
 */
export async function scanTransitions(sql: Sql, now: Date, batchSize: number): Promise<TransitionScanResult> {
  return inTenantScope(sql, allOrganizations, async (tx) => {
    const [cursor] = await tx<{ position: string }[]>`
      SELECT position::text FROM notification_cursors WHERE name = ${CURSOR_NAME} FOR UPDATE SKIP LOCKED`;
    if (!cursor) return null;
    const position = BigInt(cursor.position);

    const rows = await tx<ScannedTransition[]>`
      SELECT t.recorded_seq::text, t.recorded_at, t.id, t.organization_id, t.site_id, t.rule_id, t.occurrence,
             t.action, t.from_state, t.to_state, t.at, t.value, t.severity, t.message, t.point, t.device,
             t."user", t.comment, a.name AS alarm_name, s.name AS site_name,
             -- The activation time of an alarm that is not back to normal: the first recorded transition of
             -- its occurrence, because the alarms row may already show a later occurrence.
             CASE WHEN t.to_state <> 'normal' THEN (
               SELECT min(o.at) FROM alarm_transitions o
               WHERE o.site_id = t.site_id AND o.rule_id = t.rule_id AND o.occurrence = t.occurrence
             ) END AS active_since
      FROM alarm_transitions t
      LEFT JOIN alarms a ON a.site_id = t.site_id AND a.rule_id = t.rule_id
      LEFT JOIN sites s ON s.id = t.site_id
      WHERE t.recorded_seq > ${cursor.position}::bigint
      ORDER BY t.recorded_seq
      LIMIT ${batchSize}`;

    const announced = rows.flatMap((row) => {
      const event = eventOfTransition(row.action, row.from_state, row.to_state);
      return event === null ? [] : [{ row, event }];
    });
    const webhooks = await subscribedWebhooks(tx, [...new Set(announced.map(({ row }) => row.organization_id))]);
    const deliveries: NewDelivery[] = [];
    for (const { row, event } of announced) {
      for (const webhook of webhooks) {
        if (webhook.organization_id !== row.organization_id || !webhook.events.includes(event)) continue;
        if (!meetsSeverity(row.severity, webhook.min_severity)) continue;
        deliveries.push({ webhookId: webhook.id, organizationId: row.organization_id, event, eventKey: `transition:${row.id}`, payload: payloadOf(row, event) });
      }
    }
    const queued = await enqueueDeliveries(tx, deliveries, now);

    const next = advanceCursor(position, rows.map((row) => ({ seq: BigInt(row.recorded_seq), recordedAtMs: row.recorded_at.getTime() })), now.getTime());
    if (next !== position) {
      await tx`UPDATE notification_cursors SET position = ${next.toString()}::bigint, updated_at = now() WHERE name = ${CURSOR_NAME}`;
    }
    return { read: rows.length, queued, position: next };
  });
}
