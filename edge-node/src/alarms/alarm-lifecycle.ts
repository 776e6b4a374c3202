import { randomUUID } from 'node:crypto';
import {
  MAX_SHELVE_MS,
  type AlarmActionBody,
  type AlarmActor,
  type AlarmSeverity,
  type AlarmState,
  type AlarmTransition,
  type AlarmTransitionAction,
  type AlarmUserAction,
} from '@simtestlab/sync';
import type { AlarmValue } from './condition-evaluator';

/** The state of one rule's alarm as the edge keeps it: a row of `alarm_state`. */
export interface AlarmRecord {
  ruleId: string;
  name: string;
  severity: AlarmSeverity;
  point: string | null;
  device: string | null;
  state: AlarmState;
  conditionActive: boolean;
  occurrence: string | null;
  message: string;
  value: AlarmValue;
  activeSince: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: AlarmActor | null;
  shelvedUntil: number | null;
  updatedAt: number;
}

/** A transition before the store gives it its id and seq. */
export type TransitionDraft = Omit<AlarmTransition, 'id' | 'seq'>;

/** A record after a step, and the transition to store with it; without one, only the record changed. */
export interface AlarmStep {
  record: AlarmRecord;
  transition: TransitionDraft | undefined;
  duplicate: boolean;
}

/** Reason a user action was not applied, with a code of `alarmActionResultSchema`. */
export interface AlarmActionRejection {
  code: 'stale_occurrence' | 'invalid_state' | 'invalid_request';
  message: string;
}

/** States in which the condition is evaluated but nothing is announced. */
const suppressed: ReadonlySet<AlarmState> = new Set(['shelved', 'out_of_service']);

/** Builds a record in `normal` for a rule that has had no alarm yet. */
export function normalRecord(rule: { ruleId: string; name: string; severity: AlarmSeverity; point: string | null; device: string | null }, at: number): AlarmRecord {
  return {
    ...rule,
    state: 'normal',
    conditionActive: false,
    occurrence: null,
    message: '',
    value: null,
    activeSince: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    shelvedUntil: null,
    updatedAt: at,
  };
}

interface TransitionInput {
  action: AlarmTransitionAction;
  at: number;
  user?: AlarmActor | null;
  comment?: string | null;
  requestId?: string | null;
  /** The occurrence the transition concerns, when it is not the record's. */
  occurrence?: string | null;
}

function draft(before: AlarmRecord, after: AlarmRecord, input: TransitionInput): TransitionDraft {
  return {
    ruleId: after.ruleId,
    occurrence: input.occurrence !== undefined ? input.occurrence : (after.occurrence ?? before.occurrence),
    action: input.action,
    from: before.state,
    to: after.state,
    at: input.at,
    value: after.value,
    severity: after.severity,
    message: after.message,
    point: after.point,
    device: after.device,
    user: input.user ?? null,
    comment: input.comment ?? null,
    shelvedUntil: after.shelvedUntil,
    requestId: input.requestId ?? null,
  };
}

/** Returns the record of an alarm that starts a new activation, with a new occurrence, at `at`. */
function activated(record: AlarmRecord, at: number, value: AlarmValue, message: string): AlarmRecord {
  return {
    ...record,
    state: 'active_unack',
    conditionActive: true,
    occurrence: randomUUID(),
    message,
    value,
    activeSince: at,
    acknowledgedAt: null,
    acknowledgedBy: null,
    shelvedUntil: null,
    updatedAt: at,
  };
}

/** Returns the record of an alarm back in `normal`, where the activation is over. */
function normalised(record: AlarmRecord, at: number, value: AlarmValue): AlarmRecord {
  return { ...record, state: 'normal', occurrence: null, value, activeSince: null, acknowledgedAt: null, acknowledgedBy: null, shelvedUntil: null, updatedAt: at };
}

/**
 * Applies a change of the debounced condition. Raising from `normal` starts a new occurrence; raising
 * from `cleared_unack` keeps the occurrence, because the activation was never acknowledged and ended.
 * While shelved or out of service only `conditionActive` and the value change, without a transition,
 * because a suppressed alarm announces nothing. `render` builds the activation's message for a value.
 */
export function applyCondition(record: AlarmRecord, active: boolean, at: number, value: AlarmValue, render: (value: AlarmValue) => string): AlarmStep {
  // NOTE: no transition means no upload, so the hub's `condition_active` of a suppressed alarm stays as
  // it was until the alarm returns from the suppression.
  if (suppressed.has(record.state) || record.conditionActive === active) {
    return { record: { ...record, conditionActive: active, value, updatedAt: at }, transition: undefined, duplicate: false };
  }
  let next: AlarmRecord;
  if (active && record.state === 'cleared_unack') {
    next = { ...record, state: 'active_unack', conditionActive: true, value, message: render(value), updatedAt: at };
  } else if (active) {
    next = activated(record, at, value, render(value));
  } else if (record.state === 'active_unack') {
    next = { ...record, state: 'cleared_unack', conditionActive: false, value, updatedAt: at };
  } else {
    next = { ...normalised(record, at, value), conditionActive: false };
  }
  return { record: next, transition: draft(record, next, { action: active ? 'raise' : 'clear', at }), duplicate: false };
}

/**
 * Ends a shelve whose time is up, or an unshelve or return to service by a user: the alarm takes the
 * state its condition has now. An alarm still active comes back as a new occurrence in `active_unack`,
 * because whatever was acknowledged before the suppression was not this activation.
 */
function resume(record: AlarmRecord, at: number, render: (value: AlarmValue) => string): AlarmRecord {
  if (record.conditionActive) return activated(record, at, record.value, render(record.value));
  return { ...normalised(record, at, record.value), conditionActive: false };
}

/** Returns the shelve-expired step of a shelved alarm whose `shelvedUntil` is at or before `at`. */
export function expireShelve(record: AlarmRecord, at: number, render: (value: AlarmValue) => string): AlarmStep | undefined {
  if (record.state !== 'shelved' || record.shelvedUntil === null || record.shelvedUntil > at) return undefined;
  const next = resume(record, at, render);
  return { record: next, transition: draft(record, next, { action: 'shelve_expired', at, occurrence: next.occurrence }), duplicate: false };
}

/** A user's action with who took it and when. */
export interface UserActionInput {
  action: AlarmUserAction;
  body: AlarmActionBody;
  user: AlarmActor;
  at: number;
  requestId: string | null;
  /** Whether this rule's history has an acknowledgement of `body.occurrence`. */
  occurrenceAcknowledged: (occurrence: string) => boolean;
  render: (value: AlarmValue) => string;
}

/**
 * Applies a user's action to a record, following ISA-18.2. Acknowledge moves `active_unack` to
 * `active_ack` and `cleared_unack` to `normal`. Shelve, unshelve, remove from service and return to
 * service move in and out of the suppressed states. Comment changes nothing but the history. An
 * acknowledgement of an occurrence already acknowledged, the current one or an earlier one, is a
 * duplicate, kept in the history with `from` equal to `to`.
 */
export function applyUserAction(record: AlarmRecord, input: UserActionInput): AlarmStep | AlarmActionRejection {
  const { action, body, user, at, requestId } = input;
  const transitionOf = (next: AlarmRecord, extra: Partial<TransitionInput> = {}) =>
    draft(record, next, { action, at, user, comment: body.comment ?? null, requestId, ...extra });

  switch (action) {
    case 'acknowledge': {
      if (body.occurrence === undefined) {
        return { code: 'invalid_request', message: 'acknowledge needs the occurrence the user saw: send "occurrence" from the alarm (GET /api/alarms)' };
      }
      if (body.occurrence === record.occurrence && (record.state === 'active_unack' || record.state === 'cleared_unack')) {
        const next: AlarmRecord =
          record.state === 'active_unack'
            ? { ...record, state: 'active_ack', acknowledgedAt: at, acknowledgedBy: user, updatedAt: at }
            : { ...normalised(record, at, record.value), conditionActive: false };
        return { record: next, transition: transitionOf(next, { occurrence: record.occurrence }), duplicate: false };
      }
      const current = body.occurrence === record.occurrence && record.state === 'active_ack';
      if (current || input.occurrenceAcknowledged(body.occurrence)) {
        const next = { ...record, updatedAt: at };
        return { record: next, transition: transitionOf(next, { occurrence: body.occurrence }), duplicate: true };
      }
      if (body.occurrence === record.occurrence) {
        return { code: 'invalid_state', message: `alarm ${record.ruleId} is ${record.state}; only an active or cleared unacknowledged alarm can be acknowledged` };
      }
      return {
        code: 'stale_occurrence',
        message: `occurrence ${body.occurrence} of alarm ${record.ruleId} is over (the current one is ${record.occurrence ?? 'none, the alarm is normal'}); reload the alarm and acknowledge what it shows now`,
      };
    }
    case 'shelve': {
      if (body.shelvedUntil === undefined) return { code: 'invalid_request', message: 'shelve needs "shelvedUntil", epoch ms UTC, at most 7 days ahead' };
      if (body.shelvedUntil <= at || body.shelvedUntil > at + MAX_SHELVE_MS) {
        return {
          code: 'invalid_request',
          message: `shelvedUntil ${new Date(body.shelvedUntil).toISOString()} must be after now (${new Date(at).toISOString()}) and at most 7 days ahead`,
        };
      }
      if (record.state === 'out_of_service') return { code: 'invalid_state', message: `alarm ${record.ruleId} is out of service; return it to service before shelving it` };
      const next: AlarmRecord = { ...record, state: 'shelved', shelvedUntil: body.shelvedUntil, updatedAt: at };
      return { record: next, transition: transitionOf(next), duplicate: false };
    }
    case 'unshelve': {
      if (record.state !== 'shelved') return { code: 'invalid_state', message: `alarm ${record.ruleId} is ${record.state}, not shelved` };
      const next = resume(record, at, input.render);
      return { record: next, transition: transitionOf(next, { occurrence: next.occurrence }), duplicate: false };
    }
    case 'remove_from_service': {
      if (record.state === 'out_of_service') return { code: 'invalid_state', message: `alarm ${record.ruleId} is already out of service` };
      const next: AlarmRecord = { ...record, state: 'out_of_service', shelvedUntil: null, updatedAt: at };
      return { record: next, transition: transitionOf(next), duplicate: false };
    }
    case 'return_to_service': {
      if (record.state !== 'out_of_service') return { code: 'invalid_state', message: `alarm ${record.ruleId} is ${record.state}, not out of service` };
      const next = resume(record, at, input.render);
      return { record: next, transition: transitionOf(next, { occurrence: next.occurrence }), duplicate: false };
    }
    case 'comment': {
      if (body.comment === undefined) return { code: 'invalid_request', message: 'comment needs a non-empty "comment"' };
      const next = { ...record, updatedAt: at };
      return { record: next, transition: transitionOf(next), duplicate: false };
    }
  }
}
