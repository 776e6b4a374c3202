import { randomUUID } from 'node:crypto';
import { MAX_SHELVE_MS, type Action, type AlarmActionBody, type AlarmActor, type AlarmState, type AlarmStatus, type AlarmUserAction } from '@simtestlab/sync';
import type { Caller } from '../access/caller';
import type { SiteRef } from '../access/guards';
import { HttpError } from '../api/http-error';
import type { TransactionSql } from '../db/connect';
import type { AlarmEnvelope } from '../live/redis-keys';
import { findAlarm } from './alarm-rows';
import { invalidField } from './invalid-field';
import { snapshotOfRow, statusOfSnapshot, type AlarmSnapshot } from './alarm-snapshot';
import { writeSnapshot } from './alarm-store';

/** Taking an alarm out of service or back needs site.manage; the other actions need alarm.acknowledge (operator and up). */
export function permissionFor(action: AlarmUserAction): Action {
  return action === 'remove_from_service' || action === 'return_to_service' ? 'site.manage' : 'alarm.acknowledge';
}

/** An alarm action a hub user asks for. */
export interface AlarmActionRequest {
  site: SiteRef;
  caller: Caller;
  ruleId: string;
  action: AlarmUserAction;
  body: AlarmActionBody;
  /** The hub's clock, epoch ms. */
  now: number;
}

/** The hub's record of an action. */
export interface RecordedAlarmAction {
  requestId: string;
  duplicate: boolean;
  message: string;
  alarm: AlarmStatus;
  /** The change to publish once committed. Only a hub acknowledgement changes the alarm before the edge applies the request. */
  change: AlarmEnvelope | null;
  /** The alarm before the action, for the audit entry. */
  before: Pick<AlarmStatus, 'state' | 'occurrence' | 'acknowledgedBy'>;
}

/** Checks that the body carries what the action needs, and nothing another action needs. */
function checkBody(action: AlarmUserAction, body: AlarmActionBody, now: number): void {
  if (action === 'acknowledge' && body.occurrence === undefined) {
    throw invalidField('occurrence', 'missing occurrence: send the occurrence of the alarm you acknowledge, as the alarm status shows it');
  }
  if (action === 'comment' && body.comment === undefined) throw invalidField('comment', 'missing comment: send the text to add to the history');
  if (action !== 'shelve') {
    if (body.shelvedUntil !== undefined) throw invalidField('shelvedUntil', `applies only to shelve, not to ${action}`);
    return;
  }
  if (body.shelvedUntil === undefined) throw invalidField('shelvedUntil', 'missing shelvedUntil: send until when to shelve the alarm, epoch ms UTC');
  if (body.shelvedUntil <= now) throw invalidField('shelvedUntil', `${new Date(body.shelvedUntil).toISOString()} is not in the future`);
  if (body.shelvedUntil > now + MAX_SHELVE_MS) {
    throw invalidField('shelvedUntil', `${new Date(body.shelvedUntil).toISOString()} is more than ${MAX_SHELVE_MS / 86_400_000} days ahead; shelve for a shorter time`);
  }
}

/** States in which each action applies, by the hub's copy of the alarm. The edge checks again with its own state. */
const allowedStates: Record<AlarmUserAction, readonly AlarmState[] | 'any'> = {
  acknowledge: ['active_unack', 'active_ack', 'cleared_unack'],
  shelve: ['normal', 'active_unack', 'active_ack', 'cleared_unack', 'shelved'],
  unshelve: ['shelved'],
  comment: 'any',
  remove_from_service: ['normal', 'active_unack', 'active_ack', 'cleared_unack', 'shelved'],
  return_to_service: ['out_of_service'],
};

function checkState(request: AlarmActionRequest, alarm: AlarmSnapshot): void {
  const { body, action, ruleId } = request;
  if (body.occurrence !== undefined && body.occurrence !== alarm.occurrence) {
    const now = alarm.occurrence === null ? 'the alarm is back to normal' : `its current occurrence is ${alarm.occurrence}`;
    throw new HttpError(409, 'stale_occurrence', `occurrence ${body.occurrence} of the alarm of rule ${ruleId} is over (${now}); reload the alarm and act on what it shows now`);
  }
  const states = allowedStates[action];
  if (states !== 'any' && !states.includes(alarm.state)) {
    throw new HttpError(409, 'invalid_state', `${action} does not apply to the alarm of rule ${ruleId} in state ${alarm.state}`);
  }
}

function describeAcknowledgement(by: AlarmActor | null, at: number): string {
  return `already acknowledged by ${by?.name || by?.id || 'an unnamed user'} (${by?.origin ?? 'edge'}) at ${new Date(at).toISOString()}`;
}

/**
 * Records an alarm action of a hub user, for delivery to the edge. The alarm is locked while the action
 * is checked against it. An acknowledgement also sets the alarm's acknowledgement at once, unless the hub
 * has one for this occurrence already. Then the request is still recorded, so that the edge keeps it in
 * the history, and the result names who acknowledged first. Raises 404 `unknown_alarm` for an alarm no
 * edge has reported, 400 for a body the action cannot use, and 409 for a stale occurrence or a state the
 * action does not apply to.
 */
export async function recordAlarmAction(tx: TransactionSql, request: AlarmActionRequest): Promise<RecordedAlarmAction> {
  const { site, caller, ruleId, action, body, now } = request;
  const row = await findAlarm(tx, site.id, ruleId, { lock: true });
  if (!row) {
    throw new HttpError(404, 'unknown_alarm', `alarm of rule ${ruleId} not found at site ${site.id}: the hub knows an alarm once its edge uploaded a transition of it`);
  }
  checkBody(action, body, now);
  const alarm = snapshotOfRow(row);
  checkState(request, alarm);
  const before = { state: alarm.state, occurrence: alarm.occurrence, acknowledgedBy: alarm.acknowledgedBy };

  const requestId = randomUUID();
  const actor: AlarmActor = { id: caller.userId, name: caller.permissions.name || caller.permissions.email, origin: 'cloud' };
  let status = statusOfSnapshot(alarm, row.updated_at.getTime());
  let change: AlarmEnvelope | null = null;
  let duplicate = false;
  let message = `${action} recorded; it reaches the edge over its uplink`;

  if (action === 'acknowledge') {
    if (alarm.acknowledgedAt === null) {
      const acknowledged: AlarmSnapshot = { ...alarm, acknowledgedAt: now, acknowledgedBy: actor };
      await writeSnapshot(tx, acknowledged, now);
      status = statusOfSnapshot(acknowledged, now);
      // The edge's own transition follows with its next upload. Until then the change carries a
      // transition the hub builds for this request: its id is the request id, and the state is unchanged.
      const transition = {
        id: requestId,
        seq: Math.max(1, acknowledged.lastSeq),
        ruleId,
        occurrence: acknowledged.occurrence,
        action: 'acknowledge' as const,
        from: acknowledged.state,
        to: acknowledged.state,
        at: now,
        value: acknowledged.value,
        severity: acknowledged.severity,
        message: acknowledged.message,
        point: acknowledged.point,
        device: acknowledged.device,
        user: actor,
        comment: body.comment ?? null,
        shelvedUntil: null,
        requestId,
      };
      change = { siteId: site.id, change: { alarm: status, transition } };
    } else {
      duplicate = true;
      message = `${describeAcknowledgement(alarm.acknowledgedBy, alarm.acknowledgedAt)}; your acknowledgement is recorded in the history`;
    }
  }

  const user = { id: caller.userId, email: caller.permissions.email, name: caller.permissions.name, role: site.role };
  await tx`
    INSERT INTO alarm_action_requests (id, organization_id, site_id, rule_id, action, body, "user", requested_at)
    VALUES (${requestId}, ${site.organizationId}, ${site.id}, ${ruleId}, ${action}, ${tx.json(body)}, ${tx.json(user)}, ${new Date(now)})`;
  return { requestId, duplicate, message, alarm: status, change, before };
}
