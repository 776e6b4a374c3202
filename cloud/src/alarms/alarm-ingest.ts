import { alarmTransitionSchema, type AlarmTransition, type EdgeEvent } from '@simtestlab/sync';
import type { TransactionSql } from '../db/connect';
import type { EdgeIdentity } from '../edge-auth/authenticate-edge';
import type { AlarmEnvelope } from '../live/redis-keys';
import type { Logger } from '../logger';
import { findAlarm, toAlarmTransition, TRANSITION_COLUMNS, type TransitionRow } from './alarm-rows';
import { applyTransition, snapshotOfRow, statusOfSnapshot, type AlarmSnapshot } from './alarm-snapshot';
import { ruleNameOf, writeSnapshot } from './alarm-store';

/** Settings of the alarm part of an upload: where invalid alarm events are logged, and who publishes the changes. */
export interface AlarmIngestOptions {
  logger: Logger;
  /** Called after the batch committed with its alarm changes, in order. */
  publish: (changes: readonly AlarmEnvelope[]) => Promise<void>;
}

/**
 * Reads the transitions of a batch's `alarm` events. An event whose payload is not a transition, or
 * names another id than the event's, is logged and skipped: it stays in edge_events only and does not
 * fail the batch, because the edge would resend it forever.
 */
export function parseAlarmEvents(events: readonly EdgeEvent[], edge: EdgeIdentity, logger: Logger | undefined): AlarmTransition[] {
  const transitions: AlarmTransition[] = [];
  const reject = (event: EdgeEvent, problem: string) =>
    logger?.warn({ eventId: event.id, siteId: edge.siteId, edgeNodeId: edge.edgeNodeId, problem }, 'alarm event is not a valid transition; kept in edge_events only');
  for (const event of events) {
    if (event.kind !== 'alarm') continue;
    const parsed = alarmTransitionSchema.safeParse(event.payload);
    if (!parsed.success) {
      reject(event, parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '));
    } else if (parsed.data.id !== event.id) {
      reject(event, `payload id ${parsed.data.id} differs from the event id`);
    } else {
      transitions.push(parsed.data);
    }
  }
  return transitions;
}

/** Inserts the transitions the hub does not have yet and returns those it inserted. */
async function insertTransitions(tx: TransactionSql, transitions: readonly AlarmTransition[], edge: EdgeIdentity): Promise<AlarmTransition[]> {
  const records = transitions.map((t) => ({
    id: t.id,
    rule_id: t.ruleId,
    seq: t.seq,
    occurrence: t.occurrence,
    action: t.action,
    from_state: t.from,
    to_state: t.to,
    at: t.at,
    value: t.value,
    severity: t.severity,
    message: t.message,
    point: t.point,
    device: t.device,
    user: t.user,
    comment: t.comment,
    shelved_until: t.shelvedUntil,
    request_id: t.requestId,
  }));
  const rows = await tx<TransitionRow[]>`
    INSERT INTO alarm_transitions (id, organization_id, site_id, edge_node_id, rule_id, seq, occurrence, action, from_state, to_state,
                                   at, value, severity, message, point, device, "user", comment, shelved_until, request_id)
    SELECT r.id, ${edge.organizationId}, ${edge.siteId}, ${edge.edgeNodeId}, r.rule_id, r.seq, r.occurrence, r.action, r.from_state, r.to_state,
           to_timestamp(r.at / 1000.0), r.value, r.severity, r.message, r.point, r.device, r."user", r.comment,
           to_timestamp(r.shelved_until / 1000.0), r.request_id
    FROM jsonb_to_recordset(${JSON.stringify(records)}::text::jsonb) AS r(
      id uuid, rule_id text, seq bigint, occurrence uuid, action text, from_state text, to_state text, at double precision, value jsonb,
      severity text, message text, point text, device text, "user" jsonb, comment text, shelved_until double precision, request_id uuid)
    ON CONFLICT (id) DO NOTHING
    RETURNING ${tx(TRANSITION_COLUMNS)}`;
  return rows.map(toAlarmTransition);
}

/** Orders strings by their UTF-16 code units, the same order in every upload. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Locks the alarm of a rule, creating it in state normal when the hub has none yet. */
async function lockAlarm(tx: TransactionSql, edge: EdgeIdentity, first: AlarmTransition): Promise<AlarmSnapshot> {
  await tx`
    INSERT INTO alarms (organization_id, site_id, rule_id, name, severity, point, device, state, condition_active, message, last_seq, edge_node_id)
    VALUES (${edge.organizationId}, ${edge.siteId}, ${first.ruleId}, ${first.ruleId}, ${first.severity}, ${first.point}, ${first.device},
            'normal', false, ${first.message}, 0, ${edge.edgeNodeId})
    ON CONFLICT (site_id, rule_id) DO NOTHING`;
  const row = await findAlarm(tx, edge.siteId, first.ruleId, { lock: true });
  return snapshotOfRow(row!);
}

/**
 * Stores the alarm transitions of a batch, inside the batch's transaction, and updates the alarms they
 * belong to. Each transition is stored once, so a resent batch changes nothing. Within a rule the new
 * transitions are applied in seq order. Rules are locked in the order of their ids, so two uploads of
 * one site wait for each other instead of deadlocking. Returns one change per new transition, with the alarm's state after it.
 */
export async function ingestAlarmEvents(tx: TransactionSql, events: readonly EdgeEvent[], edge: EdgeIdentity, logger: Logger | undefined): Promise<AlarmEnvelope[]> {
  const parsed = parseAlarmEvents(events, edge, logger);
  if (parsed.length === 0) return [];
  const inserted = await insertTransitions(tx, parsed, edge);

  const byRule = new Map<string, AlarmTransition[]>();
  for (const transition of inserted) {
    const list = byRule.get(transition.ruleId) ?? [];
    list.push(transition);
    byRule.set(transition.ruleId, list);
  }

  const changes: AlarmEnvelope[] = [];
  const ruleIds = [...byRule.keys()].sort(compareText);
  for (const ruleId of ruleIds) {
    const transitions = byRule.get(ruleId)!.sort((a, b) => a.seq - b.seq || a.at - b.at);
    let snapshot = await lockAlarm(tx, edge, transitions[0]!);
    snapshot.name = (await ruleNameOf(tx, edge.siteId, ruleId)) ?? snapshot.name;
    const updatedAt = Date.now();
    for (const transition of transitions) {
      snapshot = applyTransition(snapshot, transition, edge.edgeNodeId);
      changes.push({ siteId: edge.siteId, change: { alarm: statusOfSnapshot(snapshot, updatedAt), transition } });
    }
    await writeSnapshot(tx, snapshot, updatedAt);
  }
  return changes;
}
