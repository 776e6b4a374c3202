import type { AlarmRow } from '../alarms/alarm-rows';
import type { Sql } from '../db/connect';
import { allOrganizations, inTenantScope } from '../db/scope';
import { enqueueDeliveries, type NewDelivery } from './delivery-queue';
import type { WebhookPayload } from './webhook-event';

/** An unacknowledged alarm that is due for escalation to one webhook. The scan selects only rows with an occurrence and activation time. */
type EscalationRow = Pick<AlarmRow, 'organization_id' | 'site_id' | 'rule_id' | 'name' | 'severity' | 'state' | 'message' | 'point' | 'device' | 'value'> & {
  occurrence: string;
  active_since: Date;
  webhook_id: string;
  escalation_minutes: number;
  site_name: string | null;
};

function payloadOf(row: EscalationRow, now: Date): WebhookPayload {
  return {
    type: 'alarm.escalated',
    eventKey: `escalation:${row.occurrence}`,
    organizationId: row.organization_id,
    at: now.getTime(),
    alarm: {
      siteId: row.site_id,
      siteName: row.site_name,
      ruleId: row.rule_id,
      name: row.name,
      severity: row.severity,
      state: row.state,
      occurrence: row.occurrence,
      message: row.message,
      point: row.point,
      device: row.device,
      value: row.value,
      activeSince: row.active_since.getTime(),
    },
    transition: null,
    escalationMinutes: row.escalation_minutes,
  };
}

/**
 * Queues `alarm.escalated` for every alarm still unacknowledged (active or cleared) whose activation
 * is older than a subscribing webhook's `escalation_minutes`, once per webhook and activation: the
 * event key is the occurrence. Sets `alarms.escalated_at` when the first escalation of the activation
 * is queued, and a value older than `active_since` belongs to an earlier activation. Webhooks with a
 * longer delay still get theirs later. Acknowledged, shelved and out-of-service alarms are not
 * escalated. An alarm acknowledged on the hub keeps its unacknowledged state until the edge uploads its
 * own transition, so the hub's acknowledgement time counts as well. Returns the number of deliveries queued.
 */
export async function scanEscalations(sql: Sql, now: Date, batchSize: number): Promise<number> {
  return inTenantScope(sql, allOrganizations, async (tx) => {
    const rows = await tx<EscalationRow[]>`
      SELECT w.id AS webhook_id, w.escalation_minutes, a.organization_id, a.site_id, s.name AS site_name, a.rule_id,
             a.name, a.severity, a.state, a.occurrence, a.message, a.point, a.device, a.value, a.active_since
      FROM alarms a
      JOIN webhooks w ON w.organization_id = a.organization_id
      LEFT JOIN sites s ON s.id = a.site_id
      WHERE a.state IN ('active_unack', 'cleared_unack') AND a.acknowledged_at IS NULL
        AND a.occurrence IS NOT NULL AND a.active_since IS NOT NULL
        AND w.enabled AND 'alarm.escalated' = ANY (w.events) AND w.escalation_minutes IS NOT NULL
        AND array_position(ARRAY['info', 'warning', 'critical'], a.severity) >= array_position(ARRAY['info', 'warning', 'critical'], w.min_severity)
        AND a.active_since <= ${now}::timestamptz - make_interval(mins => w.escalation_minutes)
        AND NOT EXISTS (
          SELECT 1 FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.event_key = 'escalation:' || a.occurrence::text)
      ORDER BY a.active_since
      LIMIT ${batchSize}`;
    if (rows.length === 0) return 0;

    const deliveries: NewDelivery[] = rows.map((row) => ({
      webhookId: row.webhook_id,
      organizationId: row.organization_id,
      event: 'alarm.escalated',
      eventKey: `escalation:${row.occurrence}`,
      payload: payloadOf(row, now),
    }));
    const queued = await enqueueDeliveries(tx, deliveries, now);
    const occurrences = [...new Set(rows.map((row) => row.occurrence))];
    await tx`
      UPDATE alarms SET escalated_at = ${now}
      WHERE occurrence = ANY(${tx.array(occurrences, 2950)}) AND (escalated_at IS NULL OR escalated_at < active_since)`;
    return queued;
  });
}
