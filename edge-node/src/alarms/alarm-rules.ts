import { alarmRuleSchema, pointId, type AlarmRule } from '@simtestlab/sync';
import type { z } from 'zod';
import type { Logger } from '../logger';
import type { SqliteDatabase } from '../store/database';

/** A rule the edge runs, with the device it watches. */
export interface LoadedRule {
  rule: AlarmRule;
  /** The device of the rule's point, or the device a `device_offline` rule names. */
  device: string | null;
  source: 'site file' | 'hub';
}

interface SyncedRuleRow {
  id: string;
  point_id: string | null;
  name: string;
  severity: string;
  enabled: number;
  condition: string;
  point_key: string | null;
  device_key: string | null;
}

/** Returns the device a rule watches. Device keys contain no dot, so a point's device is the part of its id before the first dot. */
function deviceOfRule(rule: AlarmRule): string | null {
  if (rule.point !== null) return rule.point.slice(0, rule.point.indexOf('.'));
  if (rule.condition.type === 'device_offline') return rule.condition.device ?? null;
  return null;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'rule'}: ${issue.message}`).join('; ');
}

/** Reads the rules the hub synced, mapping each `point_id` to the edge's `device.point` id. Rules that cannot run are logged and skipped. */
function loadSyncedRules(db: SqliteDatabase, logger: Logger): AlarmRule[] {
  const rows = db
    .prepare<[], SyncedRuleRow>(
      `SELECT r.id, r.point_id, r.name, r.severity, r.enabled, r.condition, p.key AS point_key, d.key AS device_key
       FROM cloud_alarm_rules r
       LEFT JOIN cloud_points p ON p.id = r.point_id
       LEFT JOIN cloud_devices d ON d.id = p.device_id
       ORDER BY r.id`,
    )
    .all();
  const rules: AlarmRule[] = [];
  for (const row of rows) {
    if (row.point_id !== null && (row.point_key === null || row.device_key === null)) {
      // NOTE: the rule is left out like a removed one, so an alarm it had goes back to normal until its
      // point syncs again. Shapes sync on their own, so this can happen when a point is deleted first.
      logger.warn(
        { rule: row.id, pointId: row.point_id },
        `skipped alarm rule ${row.id}: its point ${row.point_id} or that point's device is not synced to this edge; the rule runs once both are`,
      );
      continue;
    }
    const parsed = alarmRuleSchema.safeParse({
      id: row.id,
      name: row.name,
      severity: row.severity,
      enabled: row.enabled === 1,
      point: row.point_key === null ? null : pointId(row.device_key!, row.point_key),
      condition: JSON.parse(row.condition) as unknown,
    });
    if (!parsed.success) {
      const problem = describeIssues(parsed.error);
      logger.warn({ rule: row.id, problem }, `skipped alarm rule ${row.id}: its definition is invalid (${problem}); correct the rule on the hub`);
      continue;
    }
    rules.push(parsed.data);
  }
  return rules;
}

/**
 * Loads the enabled rules of the site file and of the hub. Both sets run; a hub rule replaces a site
 * file rule with the same id, with a warning. A disabled rule is left out, so its alarm is treated as
 * that of a removed rule.
 */
export function loadAlarmRules(db: SqliteDatabase, fileRules: readonly AlarmRule[], logger: Logger): LoadedRule[] {
  const byId = new Map<string, LoadedRule>();
  const withDevice = (rule: AlarmRule, source: LoadedRule['source']): LoadedRule => ({ rule, device: deviceOfRule(rule), source });
  for (const rule of fileRules) byId.set(rule.id, withDevice(rule, 'site file'));
  for (const rule of loadSyncedRules(db, logger)) {
    if (byId.has(rule.id)) logger.warn({ rule: rule.id }, `alarm rule ${rule.id} is in the site file and on the hub; the hub's rule is used`);
    byId.set(rule.id, withDevice(rule, 'hub'));
  }
  return [...byId.values()].filter((loaded) => loaded.rule.enabled);
}

/**
 * Returns a version string that changes whenever the sync stores a batch of the rules, points or
 * devices shapes, because the shape consumer writes each shape's offset and time in `shape_state`
 * with every batch it stores.
 */
export function syncedRulesVersion(db: SqliteDatabase): string {
  const row = db
    .prepare<[], { version: string | null }>(
      `SELECT group_concat(shape || '@' || "offset" || '@' || updated_at, ',') AS version
       FROM (SELECT shape, "offset", updated_at FROM shape_state WHERE shape IN ('alarm_rules', 'points', 'devices') ORDER BY shape)`,
    )
    .get();
  return row?.version ?? '';
}
