import {
  alarmActionBodySchema,
  renderAlarmMessage,
  type Action,
  type AlarmActionBody,
  type AlarmActionResult,
  type AlarmChange,
  type AlarmRule,
  type AlarmStatus,
  type AlarmTransition,
  type AlarmUserAction,
  type DeviceStatus,
  type Sample,
} from '@simtestlab/sync';
import { z } from 'zod';
import { actorMay, sitePolicy, type SiteActor } from '../access/site-actor';
import type { Logger } from '../logger';
import type { SqliteDatabase } from '../store/database';
import { applyCondition, applyUserAction, expireShelve, normalRecord, type AlarmRecord, type AlarmStep } from './alarm-lifecycle';
import { loadAlarmRules, syncedRulesVersion, type LoadedRule } from './alarm-rules';
import { AlarmStore, type TransitionQuery } from './alarm-store';
import { ConditionEvaluator, type AlarmValue, type ConditionChange } from './condition-evaluator';

export interface AlarmServiceOptions {
  db: SqliteDatabase;
  siteId: string;
  /** Rules of the site file; the hub's rules are read from `cloud_alarm_rules`. */
  fileRules: readonly AlarmRule[];
  /** `site.operatorControl` of the site file, for the site policy of an edge without a synced site row. */
  fileOperatorControl: boolean;
  logger: Logger;
  /** Unit of a point for alarm messages; none when omitted. */
  pointUnit?: (point: string) => string | undefined;
  /** Clock in epoch ms; `Date.now` when omitted. */
  clock?: () => number;
}

/** A user's alarm action, from the edge's API or relayed by the hub. */
export interface AlarmActionRequest {
  ruleId: string;
  action: AlarmUserAction;
  body: AlarmActionBody;
  actor: SiteActor;
  /** The hub's request id: a request already applied returns its stored result again. */
  requestId?: string;
  /** When the action is taken, epoch ms; the service's clock when omitted. */
  at?: number;
}

/** Right each user action needs, from the shared permission matrix. */
const requiredRight: Record<AlarmUserAction, Action> = {
  acknowledge: 'alarm.acknowledge',
  shelve: 'alarm.acknowledge',
  unshelve: 'alarm.acknowledge',
  comment: 'alarm.acknowledge',
  remove_from_service: 'site.manage',
  return_to_service: 'site.manage',
};

const requestIdSchema = z.uuid();

/** Errors of evaluation logged in full before they are only counted, so a broken input cannot flood the log. */
const LOGGED_EVALUATION_ERRORS = 10;

function formatValue(value: AlarmValue): string {
  if (value === null) return '';
  return typeof value === 'number' ? String(Math.round(value * 1000) / 1000) : String(value);
}

/**
 * Alarms of this edge: evaluates every rule against the samples and device statuses the runtime
 * feeds it and against a clock tick, keeps each alarm's ISA-18.2 state in SQLite, applies users'
 * actions after checking their right, and notifies listeners of every transition. It is the single
 * stateful core of the alarms, so it is larger than most files; the pure parts are in
 * `condition-evaluator.ts` and `alarm-lifecycle.ts`.
 *
 * A rule that disappears (removed on the hub or in the site file, or disabled) has its alarm put
 * back to `normal` with a `clear` transition commented "rule removed or disabled", when it was not
 * normal already, and its `alarm_state` row deleted; its history stays.
 */
export class AlarmService {
  private readonly store: AlarmStore;
  private readonly clock: () => number;
  private readonly logger: Logger;
  private readonly records = new Map<string, AlarmRecord>();
  private readonly rules = new Map<string, LoadedRule>();
  private readonly evaluators = new Map<string, ConditionEvaluator>();
  private readonly byPoint = new Map<string, ConditionEvaluator[]>();
  private readonly byDevice = new Map<string, ConditionEvaluator[]>();
  private readonly listeners = new Set<(change: AlarmChange) => void>();
  private rulesVersion: string | undefined;
  private evaluationErrors = 0;

  constructor(private readonly options: AlarmServiceOptions) {
    this.store = new AlarmStore(options.db);
    this.clock = options.clock ?? Date.now;
    this.logger = options.logger;
  }

  /** Loads the stored alarms and the rules, putting the alarms of rules that are gone back to normal. */
  start(): void {
    for (const record of this.store.loadRecords()) this.records.set(record.ruleId, record);
    this.reloadRules();
    this.logger.info({ rules: this.rules.size, active: this.active().length }, 'alarms started');
  }

  /** Adds a listener for every alarm change; returns its removal. */
  onChange(listener: (change: AlarmChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Feeds a sample of any point; rules of other points ignore it. */
  observeSample(sample: Sample): void {
    const evaluators = this.byPoint.get(sample.point);
    if (!evaluators) return;
    const now = this.clock();
    for (const evaluator of evaluators) this.guarded(evaluator, () => evaluator.observeSample(sample, now));
  }

  /** Feeds a device's status; only `device_offline` rules of that device use it. */
  observeDeviceStatus(device: string, status: DeviceStatus): void {
    const evaluators = this.byDevice.get(device);
    if (!evaluators) return;
    const now = this.clock();
    for (const evaluator of evaluators) this.guarded(evaluator, () => evaluator.observeDeviceStatus(status, now));
  }

  /**
   * Advances the clock: reloads the rules when the sync stored a change to them, judges stale rules
   * and running on-delays and off-delays, and ends shelves whose time is up. The runtime calls it
   * every second, so delays work while no samples arrive.
   */
  tick(): void {
    try {
      if (syncedRulesVersion(this.options.db) !== this.rulesVersion) this.reloadRules();
      const now = this.clock();
      for (const evaluator of this.evaluators.values()) this.guarded(evaluator, () => evaluator.tick(now));
      for (const record of [...this.records.values()]) {
        const step = expireShelve(record, now, (value) => this.render(record.ruleId, value));
        if (step) this.persist(step);
      }
    } catch (error) {
      // A timer calls this, so an error thrown here would end the process; the next tick tries again.
      this.logger.error({ err: error }, 'alarm tick failed: rules, delays and shelve expiry are checked again at the next tick');
    }
  }

  /** Applies a user's action after checking the actor's right. Synchronous: one SQLite transaction. */
  apply(request: AlarmActionRequest): AlarmActionResult {
    const { ruleId, action, actor } = request;
    const at = request.at ?? this.clock();
    const right = requiredRight[action];
    if (!actorMay(actor, right, sitePolicy(this.options.db, this.options.fileOperatorControl))) {
      return {
        ok: false,
        code: 'not_permitted',
        message: `${actor.name} (role ${actor.role ?? 'none at this site'}) may not ${action.replaceAll('_', ' ')} alarms: that needs the right ${right}`,
      };
    }
    if (request.requestId !== undefined) {
      if (!requestIdSchema.safeParse(request.requestId).success) {
        return { ok: false, code: 'invalid_request', message: `requestId "${request.requestId.slice(0, 60)}" is not a UUID` };
      }
      const stored = this.store.findByRequestId(request.requestId);
      // A key names one request: reused for another alarm or action, the stored result would report a change that was never made.
      if (stored && (stored.ruleId !== ruleId || stored.action !== action)) {
        return {
          ok: false,
          code: 'invalid_request',
          message: `request id (Idempotency-Key) ${request.requestId} was already used for the ${stored.action} of alarm ${stored.ruleId}; send a new UUID for this ${action} of alarm ${ruleId}`,
        };
      }
      if (stored) return { ok: true, transition: stored, duplicate: stored.action === 'acknowledge' && stored.from === stored.to };
    }
    const body = alarmActionBodySchema.safeParse(request.body);
    if (!body.success) {
      const issue = body.error.issues[0]!;
      return { ok: false, code: 'invalid_request', message: `${issue.path.join('.') || 'body'}: ${issue.message}` };
    }
    const record = this.records.get(ruleId);
    if (!this.rules.has(ruleId) || !record) {
      return { ok: false, code: 'unknown_alarm', message: `no alarm rule "${ruleId}" at this site; GET /api/alarms/history lists the rules with alarms` };
    }

    const step = applyUserAction(record, {
      action,
      body: body.data,
      user: { id: actor.id, name: actor.name, origin: actor.origin },
      at,
      requestId: request.requestId ?? null,
      occurrenceAcknowledged: (occurrence) => this.store.occurrenceAcknowledged(ruleId, occurrence),
      render: (value) => this.render(ruleId, value),
    });
    if ('code' in step) return { ok: false, code: step.code, message: step.message };
    const transition = this.persist(step)!;
    return { ok: true, transition, duplicate: step.duplicate };
  }

  /** Alarms not in `normal`, the latest change first. */
  active(): AlarmStatus[] {
    return [...this.records.values()]
      .filter((record) => record.state !== 'normal' && this.rules.has(record.ruleId))
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .map((record) => this.status(record));
  }

  /** The alarm of one rule, or undefined for a rule this edge does not run. */
  get(ruleId: string): AlarmStatus | undefined {
    const loaded = this.rules.get(ruleId);
    if (!loaded) return undefined;
    return this.status(this.records.get(ruleId) ?? this.freshRecord(loaded, this.clock()));
  }

  /** Reads stored transitions newest first; `beforeSeq` continues after an earlier page. */
  history(query: TransitionQuery, beforeSeq?: number): AlarmTransition[] {
    return this.store.history(query, beforeSeq);
  }

  /**
   * Reads the rules again and rebuilds the evaluators. A rule whose definition is unchanged keeps its
   * evaluator, so its running delays and rate window survive a sync of other rules.
   */
  reloadRules(): void {
    this.rulesVersion = syncedRulesVersion(this.options.db);
    const now = this.clock();
    const loaded = loadAlarmRules(this.options.db, this.options.fileRules, this.logger);
    const next = new Map(loaded.map((rule) => [rule.rule.id, rule]));

    for (const record of [...this.records.values()]) {
      if (!next.has(record.ruleId)) this.retire(record, now);
    }
    this.rules.clear();
    this.byPoint.clear();
    this.byDevice.clear();
    const previous = new Map(this.evaluators);
    this.evaluators.clear();
    for (const rule of loaded) {
      this.rules.set(rule.rule.id, rule);
      this.refreshRecord(rule, now);
      const previousEvaluator = previous.get(rule.rule.id);
      const evaluator =
        previousEvaluator && JSON.stringify(previousEvaluator.rule) === JSON.stringify(rule.rule)
          ? previousEvaluator
          : new ConditionEvaluator(rule.rule, this.records.get(rule.rule.id)?.conditionActive ?? false, now);
      this.evaluators.set(rule.rule.id, evaluator);
      const index = rule.rule.condition.type === 'device_offline' ? [this.byDevice, rule.device] : [this.byPoint, rule.rule.point];
      const [map, key] = index as [Map<string, ConditionEvaluator[]>, string | null];
      if (key !== null) map.set(key, [...(map.get(key) ?? []), evaluator]);
    }
  }

  /** Puts the alarm of a rule that is gone back to normal, with a transition unless it was normal, and drops it from memory. */
  private retire(record: AlarmRecord, now: number): void {
    const next: AlarmRecord = { ...normalRecord(record, now), message: record.message, value: record.value };
    const transition = this.options.db.transaction(() => {
      let stored: AlarmTransition | undefined;
      if (record.state !== 'normal') {
        stored = this.store.commit(next, {
          ruleId: record.ruleId,
          occurrence: record.occurrence,
          action: 'clear',
          from: record.state,
          to: 'normal',
          at: now,
          value: record.value,
          severity: record.severity,
          message: record.message,
          point: record.point,
          device: record.device,
          user: null,
          comment: 'rule removed or disabled',
          shelvedUntil: null,
          requestId: null,
        });
      }
      this.store.deleteRecord(record.ruleId);
      return stored;
    })();
    this.records.delete(record.ruleId);
    if (transition) this.emit(next, transition);
    this.logger.info({ rule: record.ruleId, state: record.state }, 'alarm rule removed or disabled: its alarm is back to normal');
  }

  /** Takes a rule's name, severity and point into its stored alarm when they changed. */
  private refreshRecord(loaded: LoadedRule, now: number): void {
    const record = this.records.get(loaded.rule.id);
    if (!record) {
      this.records.set(loaded.rule.id, this.freshRecord(loaded, now));
      return;
    }
    const { name, severity, point } = loaded.rule;
    if (record.name === name && record.severity === severity && record.point === point && record.device === loaded.device) return;
    const updated = { ...record, name, severity, point, device: loaded.device };
    this.records.set(record.ruleId, updated);
    this.store.saveRecord(updated);
  }

  private freshRecord(loaded: LoadedRule, now: number): AlarmRecord {
    const { id, name, severity, point } = loaded.rule;
    return normalRecord({ ruleId: id, name, severity, point, device: loaded.device }, now);
  }

  /** Runs one evaluator input and applies the resulting change. It catches and logs errors, so they do not reach the poller. */
  private guarded(evaluator: ConditionEvaluator, evaluate: () => ConditionChange | undefined): void {
    const ruleId = evaluator.rule.id;
    try {
      const change = evaluate();
      if (!change) return;
      const record = this.records.get(ruleId);
      if (!record) return;
      this.persist(applyCondition(record, change.active, change.at, change.value, (value) => this.render(ruleId, value)));
    } catch (error) {
      this.evaluationErrors++;
      if (this.evaluationErrors <= LOGGED_EVALUATION_ERRORS || this.evaluationErrors % 1000 === 0) {
        this.logger.error({ err: error, rule: ruleId, count: this.evaluationErrors }, 'evaluating an alarm rule failed; its alarm keeps its state');
      }
    }
  }

  /** Stores a step, with its transition when it has one, and announces the transition. */
  private persist(step: AlarmStep): AlarmTransition | undefined {
    if (!step.transition) {
      this.store.saveRecord(step.record);
      this.records.set(step.record.ruleId, step.record);
      return undefined;
    }
    const transition = this.store.commit(step.record, step.transition);
    this.records.set(step.record.ruleId, step.record);
    this.logger.info(
      { rule: transition.ruleId, action: transition.action, from: transition.from, to: transition.to, occurrence: transition.occurrence, user: transition.user?.id },
      `alarm ${transition.action}: ${transition.from} -> ${transition.to}`,
    );
    this.emit(step.record, transition);
    return transition;
  }

  private emit(record: AlarmRecord, transition: AlarmTransition): void {
    const change: AlarmChange = { alarm: this.status(record), transition };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.logger.error({ err: error, rule: record.ruleId }, 'an alarm change listener failed');
      }
    }
  }

  private status(record: AlarmRecord): AlarmStatus {
    return { siteId: this.options.siteId, ...record };
  }

  /** Renders the message of a rule's activation for a value. */
  private render(ruleId: string, value: AlarmValue): string {
    const loaded = this.rules.get(ruleId);
    if (!loaded) return '';
    const { rule } = loaded;
    const condition = rule.condition;
    let limit: number | string = '';
    if ('limit' in condition) limit = condition.limit;
    else if (condition.type === 'rate_of_change') limit = condition.maxChangePerMinute;
    else if (condition.type === 'stale') limit = condition.afterS;
    return renderAlarmMessage(condition, {
      name: rule.name,
      point: rule.point ?? '',
      device: loaded.device ?? '',
      value: formatValue(value),
      unit: rule.point === null ? '' : (this.options.pointUnit?.(rule.point) ?? ''),
      limit: String(limit),
      severity: rule.severity,
    });
  }
}
