import { alarmActionBodySchema, alarmUserActionSchema, relayedUserSchema, type AlarmActionResult, type AlarmTransition, type UplinkAlarmAction } from '@simtestlab/sync';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Sql } from '../db/connect';
import { allOrganizations, inTenantScope } from '../db/scope';
import { uplinkRequestChannel, type UplinkRequestEnvelope } from '../live/edge-request-channels';
import { uplinkPresenceKey, type AlarmEnvelope } from '../live/redis-keys';
import type { Logger } from '../logger';
import { ALARM_COLUMNS, toAlarmStatus, type AlarmRow } from './alarm-rows';

/*
 * Alarm actions that hub users take (acknowledge, shelve, comment ...) are stored first as rows of
 * `alarm_action_requests` and sent to the edge over its uplink until the edge returns a result. The edge
 * applies a request id once and returns the stored result for a resend, so sending a row twice is safe.
 */

/** Sends the undelivered alarm actions of a site to its edge. The alarm routes call it after committing a request. */
export interface AlarmActionDelivery {
  deliver(siteId: string): void;
}

export interface AlarmActionDeliveryOptions {
  redis: Redis;
  prefix: string;
  logger: Logger;
}

/**
 * Creates the delivery that any hub instance uses: it notifies the instance with the site's uplink,
 * which sends the site's undelivered actions. Without an uplink the rows wait, and the holder sends them when
 * the edge connects.
 */
export function createAlarmActionDelivery({ redis, prefix, logger }: AlarmActionDeliveryOptions): AlarmActionDelivery {
  const notify = async (siteId: string) => {
    const holder = await redis.get(uplinkPresenceKey(prefix, siteId));
    if (holder === null) {
      logger.debug({ siteId }, 'the site has no uplink open; its alarm actions wait until the edge connects');
      return;
    }
    const envelope: UplinkRequestEnvelope = { kind: 'alarm-actions', siteId };
    const receivers = await redis.publish(uplinkRequestChannel(prefix, holder), JSON.stringify(envelope));
    if (receivers === 0) logger.info({ siteId, holder }, 'the hub instance that held the uplink is gone; the alarm actions wait until the edge connects again');
  };
  return {
    deliver(siteId) {
      notify(siteId).catch((error: unknown) =>
        logger.warn({ err: error, siteId }, 'notifying the uplink holder of new alarm actions failed; they are sent when the edge connects again'),
      );
    },
  };
}

/** Maximum number of undelivered actions one pass reads; the next pass, after their results arrive, sends the rest. */
export const ALARM_ACTIONS_PER_PASS = 500;

const requestRowSchema = z.object({
  id: z.string(),
  rule_id: z.string(),
  action: alarmUserActionSchema,
  body: alarmActionBodySchema,
  // The stored user also carries the role the hub checked; the edge gets the identity only.
  user: z.looseObject(relayedUserSchema.shape),
  requested_at: z.date(),
});

/**
 * Reads undelivered alarm actions of a site in the order they were requested, leaving out `skip`
 * (actions sent on the open uplink without a result yet). A row that does not parse is logged and left
 * out, because the edge would reject it anyway.
 */
export async function loadUndeliveredAlarmActions(sql: Sql, siteId: string, skip: readonly string[], logger: Logger): Promise<{ messages: UplinkAlarmAction[]; full: boolean }> {
  const rows = await inTenantScope(sql, allOrganizations, (tx) => tx`
    SELECT id::text, rule_id, action, body, "user", requested_at FROM alarm_action_requests
    WHERE site_id = ${siteId} AND delivered_at IS NULL AND NOT (id = ANY(${tx.array([...skip], 2950)}))
    ORDER BY requested_at, id
    LIMIT ${ALARM_ACTIONS_PER_PASS}`);
  const messages: UplinkAlarmAction[] = [];
  for (const row of rows) {
    const parsed = requestRowSchema.safeParse(row);
    if (!parsed.success) {
      logger.error({ siteId, requestId: row.id, issues: parsed.error.issues.slice(0, 3) }, 'an alarm action request row is invalid; it is not sent to the edge');
      continue;
    }
    const { id, rule_id: ruleId, action, body, user, requested_at: requestedAt } = parsed.data;
    messages.push({
      type: 'alarm-action',
      requestId: id,
      ruleId,
      action,
      body,
      user: { id: user.id, email: user.email, name: user.name },
      at: requestedAt.getTime(),
    });
  }
  return { messages, full: rows.length === ALARM_ACTIONS_PER_PASS };
}

/** The outcome of storing a result: whether a row was updated, and the change to publish when the hub's acknowledgement was withdrawn. */
export interface StoredAlarmActionResult {
  updated: boolean;
  withdrawal: AlarmEnvelope | null;
}

/**
 * Stores the edge's result of an alarm action. Only a request of the uplink's own site that is still
 * undelivered is updated, so a resent result changes nothing.
 * The hub sets its acknowledgement when a user requests it. When the edge rejects that acknowledgement
 * (not permitted there, or an unknown rule), the hub withdraws it. The alarm then shows as
 * unacknowledged, escalates, and takes the next acknowledgement. The returned change is for live browsers.
 */
export async function recordAlarmActionResult(sql: Sql, siteId: string, requestId: string, result: AlarmActionResult): Promise<StoredAlarmActionResult> {
  return inTenantScope(sql, allOrganizations, async (tx) => {
    const [request] = await tx<{ rule_id: string; action: string; user_id: string; user_name: string; requested_at: Date }[]>`
      UPDATE alarm_action_requests SET delivered_at = now(), result = ${tx.json(result as Parameters<typeof tx.json>[0])}
      WHERE id = ${requestId} AND site_id = ${siteId} AND delivered_at IS NULL
      RETURNING rule_id, action, "user"->>'id' AS user_id, "user"->>'name' AS user_name, requested_at`;
    if (request === undefined) return { updated: false, withdrawal: null };
    if (result.ok || request.action !== 'acknowledge') return { updated: true, withdrawal: null };
    // The hub's acknowledgement of this request carries the request's time and user.
    const [row] = await tx<AlarmRow[]>`
      UPDATE alarms SET acknowledged_at = NULL, acknowledged_by = NULL, updated_at = now()
      WHERE site_id = ${siteId} AND rule_id = ${request.rule_id} AND acknowledged_at = ${request.requested_at}
        AND acknowledged_by->>'origin' = 'cloud' AND acknowledged_by->>'id' = ${request.user_id}
      RETURNING ${tx(ALARM_COLUMNS)}`;
    if (row === undefined) return { updated: true, withdrawal: null };
    const alarm = toAlarmStatus(row);
    // Like the hub's own acknowledgement, the change carries a transition the hub builds; it is not
    // stored, and its id is the request id.
    const transition: AlarmTransition = {
      id: requestId,
      seq: Math.max(1, Number(row.last_seq)),
      ruleId: alarm.ruleId,
      occurrence: alarm.occurrence,
      action: 'comment',
      from: alarm.state,
      to: alarm.state,
      at: alarm.updatedAt,
      value: alarm.value,
      severity: alarm.severity,
      message: alarm.message,
      point: alarm.point,
      device: alarm.device,
      user: null,
      comment: `the edge refused the acknowledgement by ${request.user_name || request.user_id} (${result.code}: ${result.message}); the alarm is unacknowledged`,
      shelvedUntil: null,
      requestId,
    };
    return { updated: true, withdrawal: { siteId, change: { alarm, transition } } };
  });
}
