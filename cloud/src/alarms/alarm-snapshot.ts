import type { AlarmState, AlarmStatus, AlarmTransition } from '@simtestlab/sync';
import type { AlarmRow } from './alarm-rows';

/** An alarm's state as the hub keeps it, with times in epoch ms: the REST view plus the ordering fields. */
export interface AlarmSnapshot extends Omit<AlarmStatus, 'updatedAt'> {
  /** seq of the transition the state comes from. */
  lastSeq: number;
  /** The edge node whose seq `lastSeq` is. */
  edgeNodeId: string | null;
  escalatedAt: number | null;
}

const epochMs = (date: Date | null) => (date === null ? null : date.getTime());

export function snapshotOfRow(row: AlarmRow): AlarmSnapshot {
  return {
    ruleId: row.rule_id,
    siteId: row.site_id,
    name: row.name,
    severity: row.severity,
    point: row.point,
    device: row.device,
    state: row.state,
    conditionActive: row.condition_active,
    occurrence: row.occurrence,
    message: row.message,
    value: row.value,
    activeSince: epochMs(row.active_since),
    acknowledgedAt: epochMs(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by,
    shelvedUntil: epochMs(row.shelved_until),
    lastSeq: Number(row.last_seq),
    edgeNodeId: row.edge_node_id,
    escalatedAt: epochMs(row.escalated_at),
  };
}

/** Converts a snapshot to the REST view. */
export function statusOfSnapshot(snapshot: AlarmSnapshot, updatedAt: number): AlarmStatus {
  const { lastSeq: _lastSeq, edgeNodeId: _edgeNodeId, escalatedAt: _escalatedAt, ...status } = snapshot;
  return { ...status, updatedAt };
}

/**
 * Decides whether the condition is active after a transition. A raise or clear sets it, and a state of the
 * process part implies it. Shelving, taking out of service and comments leave it as it was.
 */
function conditionAfter(transition: AlarmTransition, before: boolean): boolean {
  if (transition.action === 'raise') return true;
  if (transition.action === 'clear') return false;
  const activeStates: readonly AlarmState[] = ['active_unack', 'active_ack'];
  const inactiveStates: readonly AlarmState[] = ['normal', 'cleared_unack'];
  if (activeStates.includes(transition.to)) return true;
  if (inactiveStates.includes(transition.to)) return false;
  return before;
}

/**
 * Applies one transition of `edgeNodeId` to the alarm. Only a transition newer than the state changes
 * the state: one with a higher seq, or one of a newly paired edge, which counts from 1 again. An older
 * one that arrives late adds history only. Two rules apply whatever the order:
 * - the first acknowledgement the hub records for the current occurrence names who acknowledged it, and
 *   a later one (from the edge or the hub) does not replace it;
 * - the raise of the current occurrence sets when it became active, even when it arrives after a later
 *   transition of that occurrence.
 * A new occurrence, or the end of one, clears the acknowledgement and the escalation.
 */
export function applyTransition(before: AlarmSnapshot, transition: AlarmTransition, edgeNodeId: string): AlarmSnapshot {
  const next: AlarmSnapshot = { ...before };
  const newer = edgeNodeId !== before.edgeNodeId || transition.seq > before.lastSeq;
  if (newer) {
    if (transition.occurrence !== before.occurrence) {
      next.acknowledgedAt = null;
      next.acknowledgedBy = null;
      next.escalatedAt = null;
      next.activeSince = transition.occurrence === null ? null : transition.at;
    }
    next.state = transition.to;
    next.conditionActive = conditionAfter(transition, before.conditionActive);
    next.occurrence = transition.occurrence;
    next.severity = transition.severity;
    next.message = transition.message;
    next.value = transition.value;
    next.point = transition.point;
    next.device = transition.device;
    next.shelvedUntil = transition.to === 'shelved' ? (transition.shelvedUntil ?? before.shelvedUntil) : null;
    next.lastSeq = transition.seq;
    next.edgeNodeId = edgeNodeId;
  }

  const ofCurrentOccurrence = transition.occurrence !== null && transition.occurrence === next.occurrence;
  if (ofCurrentOccurrence && transition.action === 'acknowledge' && next.acknowledgedAt === null) {
    next.acknowledgedAt = transition.at;
    next.acknowledgedBy = transition.user;
  }
  if (ofCurrentOccurrence && transition.action === 'raise' && (next.activeSince === null || transition.at < next.activeSince)) {
    next.activeSince = transition.at;
  }
  return next;
}
