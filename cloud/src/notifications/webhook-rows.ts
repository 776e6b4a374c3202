import type { AlarmSeverity } from '@simtestlab/sync';
import type { WebhookEventType } from './webhook-event';

/** A row of the webhooks table as the API selects it; the secret is never selected for a response. */
export interface WebhookRow {
  id: string;
  organization_id: string;
  name: string;
  url: string;
  enabled: boolean;
  events: WebhookEventType[];
  min_severity: AlarmSeverity;
  escalation_minutes: number | null;
  created_at: Date;
  updated_at: Date;
}

export const WEBHOOK_COLUMNS = ['id', 'organization_id', 'name', 'url', 'enabled', 'events', 'min_severity', 'escalation_minutes', 'created_at', 'updated_at'];

/** Converts a webhook row to its API shape. */
export function toWebhook(row: WebhookRow) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    url: row.url,
    enabled: row.enabled,
    events: row.events,
    minSeverity: row.min_severity,
    escalationMinutes: row.escalation_minutes,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Returns the audited state of a webhook: its settings without the secret. */
export function webhookAuditState(row: WebhookRow) {
  const { id: _id, organizationId: _organizationId, createdAt: _createdAt, updatedAt: _updatedAt, ...settings } = toWebhook(row);
  return settings;
}

/** A row of the webhook_deliveries table. */
export interface DeliveryRow {
  id: string;
  webhook_id: string;
  organization_id: string;
  event: string;
  event_key: string;
  payload: unknown;
  attempts: number;
  next_attempt_at: Date;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  given_up_at: Date | null;
  created_at: Date;
}

function deliveryStatus(row: DeliveryRow): 'pending' | 'delivered' | 'failed' {
  if (row.delivered_at !== null) return 'delivered';
  if (row.given_up_at !== null) return 'failed';
  return 'pending';
}

/** Converts a delivery row to its API shape. */
export function toDelivery(row: DeliveryRow) {
  const finished = row.delivered_at !== null || row.given_up_at !== null;
  return {
    id: row.id,
    webhookId: row.webhook_id,
    event: row.event,
    eventKey: row.event_key,
    status: deliveryStatus(row),
    attempts: row.attempts,
    nextAttemptAt: finished ? null : row.next_attempt_at.toISOString(),
    lastStatus: row.last_status,
    lastError: row.last_error,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    givenUpAt: row.given_up_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    payload: row.payload,
  };
}
