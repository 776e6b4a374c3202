import { randomUUID } from 'node:crypto';
import type { AlarmActor, AlarmSeverity, AlarmState, AlarmTransition, AlarmTransitionAction } from '@simtestlab/sync';
import type { SqliteDatabase } from '../store/database';
import { QUEUE_EVENT_SQL, UPLOAD_QUEUE_ENABLED_SQL } from '../upload/event-queue';
import type { AlarmRecord, TransitionDraft } from './alarm-lifecycle';

interface StateRow {
  rule_id: string;
  name: string;
  severity: AlarmSeverity;
  point: string | null;
  device: string | null;
  state: AlarmState;
  condition_active: number;
  occurrence: string | null;
  message: string;
  value: string | null;
  active_since: number | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  shelved_until: number | null;
  updated_at: number;
}

interface TransitionRow {
  seq: number;
  id: string;
  rule_id: string;
  occurrence: string | null;
  action: AlarmTransitionAction;
  from_state: AlarmState;
  to_state: AlarmState;
  at: number;
  value: string | null;
  severity: AlarmSeverity;
  message: string;
  point: string | null;
  device: string | null;
  user: string | null;
  comment: string | null;
  shelved_until: number | null;
  request_id: string | null;
}

/** Filters of a history read, with times already parsed to epoch ms. */
export interface TransitionQuery {
  device?: string;
  point?: string;
  ruleId?: string;
  severity?: AlarmSeverity;
  state?: AlarmState;
  action?: AlarmTransitionAction;
  fromMs?: number;
  toMs?: number;
  limit: number;
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
const parsed = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

function recordOf(row: StateRow): AlarmRecord {
  return {
    ruleId: row.rule_id,
    name: row.name,
    severity: row.severity,
    point: row.point,
    device: row.device,
    state: row.state,
    conditionActive: row.condition_active === 1,
    occurrence: row.occurrence,
    message: row.message,
    value: parsed(row.value),
    activeSince: row.active_since,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: parsed<AlarmActor>(row.acknowledged_by),
    shelvedUntil: row.shelved_until,
    updatedAt: row.updated_at,
  };
}

function transitionOf(row: TransitionRow): AlarmTransition {
  return {
    id: row.id,
    seq: row.seq,
    ruleId: row.rule_id,
    occurrence: row.occurrence,
    action: row.action,
    from: row.from_state,
    to: row.to_state,
    at: row.at,
    value: parsed(row.value),
    severity: row.severity,
    message: row.message,
    point: row.point,
    device: row.device,
    user: parsed<AlarmActor>(row.user),
    comment: row.comment,
    shelvedUntil: row.shelved_until,
    requestId: row.request_id,
  };
}

/**
 * The alarm tables in SQLite: `alarm_state` (one row per rule's alarm) and `alarm_transitions` (the
 * history). A transition, the state row it leads to and its upload event are written in one transaction.
 */
export class AlarmStore {
  private readonly upsertState;
  private readonly insertTransition;
  private readonly uploadEnabled;
  private readonly queueEvent;

  constructor(private readonly db: SqliteDatabase) {
    this.upsertState = db.prepare(
      `INSERT OR REPLACE INTO alarm_state (rule_id, name, severity, point, device, state, condition_active, occurrence, message, value,
         active_since, acknowledged_at, acknowledged_by, shelved_until, updated_at)
       VALUES (@ruleId, @name, @severity, @point, @device, @state, @conditionActive, @occurrence, @message, @value,
         @activeSince, @acknowledgedAt, @acknowledgedBy, @shelvedUntil, @updatedAt)`,
    );
    this.insertTransition = db.prepare(
      `INSERT INTO alarm_transitions (id, rule_id, occurrence, action, from_state, to_state, at, value, severity, message, point, device,
         user, comment, shelved_until, request_id)
       VALUES (@id, @ruleId, @occurrence, @action, @from, @to, @at, @value, @severity, @message, @point, @device,
         @user, @comment, @shelvedUntil, @requestId)`,
    );
    this.uploadEnabled = db.prepare(UPLOAD_QUEUE_ENABLED_SQL);
    this.queueEvent = db.prepare(QUEUE_EVENT_SQL);
  }

  /** Reads every stored alarm. */
  loadRecords(): AlarmRecord[] {
    return this.db.prepare<[], StateRow>('SELECT * FROM alarm_state').all().map(recordOf);
  }

  /** Stores a record without a transition: a suppressed alarm's condition, or a rule's new name. */
  saveRecord(record: AlarmRecord): void {
    this.upsertState.run(this.stateParameters(record));
  }

  /**
   * Stores a transition and the record it leads to, and queues the transition for upload as an `alarm`
   * event whose id is the transition's, all in one transaction. Returns the stored transition.
   */
  commit(record: AlarmRecord, draft: TransitionDraft): AlarmTransition {
    return this.db.transaction(() => {
      const id = randomUUID();
      const { lastInsertRowid } = this.insertTransition.run({ ...draft, id, value: json(draft.value), user: json(draft.user) });
      const transition: AlarmTransition = { id, seq: Number(lastInsertRowid), ...draft };
      this.upsertState.run(this.stateParameters(record));
      // The event id is the transition id, so the hub stores a resent transition once.
      if (this.uploadEnabled.get() !== undefined) this.queueEvent.run(id, 'alarm', transition.at, JSON.stringify(transition));
      return transition;
    })();
  }

  /** Deletes the record of a rule that is gone. Its history stays. */
  deleteRecord(ruleId: string): void {
    this.db.prepare('DELETE FROM alarm_state WHERE rule_id = ?').run(ruleId);
  }

  /** Reads the transition a request made, or undefined when the request has not been applied. */
  findByRequestId(requestId: string): AlarmTransition | undefined {
    const row = this.db.prepare<[string], TransitionRow>('SELECT * FROM alarm_transitions WHERE request_id = ?').get(requestId);
    return row && transitionOf(row);
  }

  /** Checks whether an occurrence of a rule was acknowledged (a first acknowledgement, not a duplicate). */
  occurrenceAcknowledged(ruleId: string, occurrence: string): boolean {
    const row = this.db
      .prepare<[string, string], { found: number }>(
        "SELECT 1 AS found FROM alarm_transitions WHERE rule_id = ? AND occurrence = ? AND action = 'acknowledge' AND from_state <> to_state LIMIT 1",
      )
      .get(ruleId, occurrence);
    return row !== undefined;
  }

  /**
   * Reads transitions newest first. `beforeSeq` continues a read after the last transition of an
   * earlier page, so an export reads page by page and never keeps a statement open across awaits,
   * which would block the alarm writes on this connection.
   */
  history(query: TransitionQuery, beforeSeq?: number): AlarmTransition[] {
    const { where, parameters } = historyWhere({ ...query, beforeSeq });
    return this.db
      .prepare<unknown[], TransitionRow>(`SELECT * FROM alarm_transitions ${where} ORDER BY seq DESC LIMIT ?`)
      .all(...parameters, query.limit)
      .map(transitionOf);
  }

  private stateParameters(record: AlarmRecord) {
    return {
      ...record,
      conditionActive: record.conditionActive ? 1 : 0,
      value: json(record.value),
      acknowledgedBy: json(record.acknowledgedBy),
    };
  }
}

/** Builds the WHERE clause of a history read; every value is a bound parameter. */
function historyWhere(query: TransitionQuery & { beforeSeq: number | undefined }): { where: string; parameters: unknown[] } {
  const clauses: string[] = [];
  const parameters: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    if (value === undefined) return;
    clauses.push(clause);
    parameters.push(value);
  };
  add('device = ?', query.device);
  add('point = ?', query.point);
  add('rule_id = ?', query.ruleId);
  add('severity = ?', query.severity);
  add('to_state = ?', query.state);
  add('action = ?', query.action);
  add('at >= ?', query.fromMs);
  add('at < ?', query.toMs);
  add('seq < ?', query.beforeSeq);
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', parameters };
}
