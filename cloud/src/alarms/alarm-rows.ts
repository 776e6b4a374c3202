import type { AlarmActor, AlarmSeverity, AlarmState, AlarmStatus, AlarmTransition, AlarmTransitionAction } from '@simtestlab/sync';
import type { TransactionSql } from '../db/connect';
import { snapshotOfRow, statusOfSnapshot } from './alarm-snapshot';
import type { AlarmHistoryEntry } from './schemas';

type AlarmValue = AlarmStatus['value'];

/** One row of `alarms`. */
export interface AlarmRow {
  organization_id: string;
  site_id: string;
  rule_id: string;
  name: string;
  severity: AlarmSeverity;
  point: string | null;
  device: string | null;
  state: AlarmState;
  condition_active: boolean;
  occurrence: string | null;
  message: string;
  value: AlarmValue;
  active_since: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: AlarmActor | null;
  shelved_until: Date | null;
  last_seq: string;
  edge_node_id: string | null;
  escalated_at: Date | null;
  updated_at: Date;
}

export const ALARM_COLUMNS = [
  'organization_id',
  'site_id',
  'rule_id',
  'name',
  'severity',
  'point',
  'device',
  'state',
  'condition_active',
  'occurrence',
  'message',
  'value',
  'active_since',
  'acknowledged_at',
  'acknowledged_by',
  'shelved_until',
  'last_seq',
  'edge_node_id',
  'escalated_at',
  'updated_at',
] as const;

/** One row of `alarm_transitions`. */
export interface TransitionRow {
  id: string;
  site_id: string;
  rule_id: string;
  seq: string;
  occurrence: string | null;
  action: AlarmTransitionAction;
  from_state: AlarmState;
  to_state: AlarmState;
  at: Date;
  value: AlarmValue;
  severity: AlarmSeverity;
  message: string;
  point: string | null;
  device: string | null;
  user: AlarmActor | null;
  comment: string | null;
  shelved_until: Date | null;
  request_id: string | null;
  recorded_at: Date;
  recorded_seq: string;
}

export const TRANSITION_COLUMNS = [
  'id',
  'site_id',
  'rule_id',
  'seq',
  'occurrence',
  'action',
  'from_state',
  'to_state',
  'at',
  'value',
  'severity',
  'message',
  'point',
  'device',
  'user',
  'comment',
  'shelved_until',
  'request_id',
  'recorded_at',
  'recorded_seq',
] as const;

const epochMs = (date: Date | null) => (date === null ? null : date.getTime());

/** Converts an alarms row to the REST and live view. */
export function toAlarmStatus(row: AlarmRow): AlarmStatus {
  return statusOfSnapshot(snapshotOfRow(row), row.updated_at.getTime());
}

/** Converts a stored transition back to the form the edge uploaded. */
export function toAlarmTransition(row: TransitionRow): AlarmTransition {
  return {
    id: row.id,
    seq: Number(row.seq),
    ruleId: row.rule_id,
    occurrence: row.occurrence,
    action: row.action,
    from: row.from_state,
    to: row.to_state,
    at: row.at.getTime(),
    value: row.value,
    severity: row.severity,
    message: row.message,
    point: row.point,
    device: row.device,
    user: row.user,
    comment: row.comment,
    shelvedUntil: epochMs(row.shelved_until),
    requestId: row.request_id,
  };
}

/** Converts a stored transition to a history entry. */
export function toHistoryEntry(row: TransitionRow): AlarmHistoryEntry {
  return { ...toAlarmTransition(row), siteId: row.site_id, recordedAt: row.recorded_at.getTime() };
}

/** Reads one alarm; with `lock` the row stays locked until the transaction ends. */
export async function findAlarm(tx: TransactionSql, siteId: string, ruleId: string, options: { lock?: boolean } = {}): Promise<AlarmRow | undefined> {
  const [row] = await tx<AlarmRow[]>`
    SELECT ${tx(ALARM_COLUMNS)} FROM alarms WHERE site_id = ${siteId} AND rule_id = ${ruleId}
    ${options.lock ? tx`FOR UPDATE` : tx``}`;
  return row;
}
