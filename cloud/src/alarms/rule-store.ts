import type { AlarmCondition, AlarmSeverity } from '@simtestlab/sync';
import { isUuid } from '../access/guards';
import type { SiteRef } from '../access/guards';
import type { TransactionSql } from '../db/connect';
import type { AlarmRuleModel } from './schemas';
import type { Change } from '../api/change';

/** A rule as the store reads it: the alarm_rules row with its point as the edge names it. */
interface RuleRow {
  id: string;
  site_id: string;
  point_id: string | null;
  point: string | null;
  name: string;
  severity: AlarmSeverity;
  enabled: boolean;
  condition: AlarmCondition;
  created_at: Date;
  updated_at: Date;
}

/** The fields of a rule that the API sets, with the point resolved to its row. */
export interface RuleFields {
  name: string;
  severity: AlarmSeverity;
  enabled: boolean;
  point: string | null;
  pointId: string | null;
  condition: AlarmCondition;
}

export function toRuleModel(row: RuleRow): AlarmRuleModel {
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    severity: row.severity,
    enabled: row.enabled,
    point: row.point,
    pointId: row.point_id,
    condition: row.condition,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Returns the fields of a rule that its audit entries record. */
export function ruleAuditState(rule: Pick<RuleFields, 'name' | 'severity' | 'enabled' | 'point' | 'condition'>) {
  return { name: rule.name, severity: rule.severity, enabled: rule.enabled, point: rule.point, condition: rule.condition };
}

function selectRules(tx: TransactionSql, siteId: string, ruleId: string | null, lock: boolean) {
  return tx<RuleRow[]>`
    SELECT r.id, r.site_id, r.point_id, d.key || '.' || p.key AS point, r.name, r.severity, r.enabled, r.condition, r.created_at, r.updated_at
    FROM alarm_rules r
    LEFT JOIN points p ON p.id = r.point_id
    LEFT JOIN devices d ON d.id = p.device_id
    WHERE r.site_id = ${siteId} ${ruleId === null ? tx`` : tx`AND r.id = ${ruleId}`}
    ORDER BY r.created_at, r.id
    ${lock ? tx`FOR UPDATE OF r` : tx``}`;
}

export async function listRules(tx: TransactionSql, siteId: string): Promise<AlarmRuleModel[]> {
  return (await selectRules(tx, siteId, null, false)).map(toRuleModel);
}

/** Reads one rule of the site, locked until the transaction ends, or undefined. */
export async function findRuleForUpdate(tx: TransactionSql, siteId: string, ruleId: string): Promise<AlarmRuleModel | undefined> {
  if (!isUuid(ruleId)) return undefined;
  const [row] = await selectRules(tx, siteId, ruleId, true);
  return row === undefined ? undefined : toRuleModel(row);
}

export async function insertRule(tx: TransactionSql, site: SiteRef, fields: RuleFields): Promise<AlarmRuleModel> {
  const [row] = await tx<{ id: string }[]>`
    INSERT INTO alarm_rules (organization_id, site_id, point_id, name, severity, enabled, condition)
    VALUES (${site.organizationId}, ${site.id}, ${fields.pointId}, ${fields.name}, ${fields.severity}, ${fields.enabled}, ${tx.json(fields.condition)})
    RETURNING id`;
  return (await findRuleForUpdate(tx, site.id, row!.id))!;
}

/** Replaces a rule's fields; the hub's alarm of the rule takes the new name. */
export async function updateRule(tx: TransactionSql, siteId: string, ruleId: string, fields: RuleFields): Promise<AlarmRuleModel> {
  await tx`
    UPDATE alarm_rules SET point_id = ${fields.pointId}, name = ${fields.name}, severity = ${fields.severity}, enabled = ${fields.enabled},
                           condition = ${tx.json(fields.condition)}, updated_at = now()
    WHERE id = ${ruleId} AND site_id = ${siteId}`;
  await tx`UPDATE alarms SET name = ${fields.name} WHERE site_id = ${siteId} AND rule_id = ${ruleId} AND name <> ${fields.name}`;
  return (await findRuleForUpdate(tx, siteId, ruleId))!;
}

/**
 * Deletes a rule. The edge drops it with the next sync of the alarm_rules shape.
 * NOTE: the hub keeps the rule's alarm row and history. An alarm that was not normal stays in the
 * active list until the edge uploads a transition that ends it.
 */
export async function deleteRule(tx: TransactionSql, siteId: string, ruleId: string): Promise<void> {
  await tx`DELETE FROM alarm_rules WHERE id = ${ruleId} AND site_id = ${siteId}`;
}

/**
 * Deletes the rules that would be left without their subject when a device, or one point of it, is
 * deleted: rules on its points, and for a whole device the `device_offline` rules naming its key.
 * Returns them as they were, for the audit log. Call it before deleting the device or point, whose
 * foreign key would otherwise remove the point rules without a trace.
 */
export async function deleteRulesOf(tx: TransactionSql, siteId: string, target: { deviceId: string; deviceKey: string } | { pointId: string }): Promise<AlarmRuleModel[]> {
  const rows = await tx<RuleRow[]>`
    SELECT r.id, r.site_id, r.point_id, d.key || '.' || p.key AS point, r.name, r.severity, r.enabled, r.condition, r.created_at, r.updated_at
    FROM alarm_rules r
    LEFT JOIN points p ON p.id = r.point_id
    LEFT JOIN devices d ON d.id = p.device_id
    WHERE r.site_id = ${siteId} AND ${
      'pointId' in target
        ? tx`r.point_id = ${target.pointId}`
        : tx`(p.device_id = ${target.deviceId} OR (r.point_id IS NULL AND r.condition->>'device' = ${target.deviceKey}))`
    }
    ORDER BY r.created_at, r.id
    FOR UPDATE OF r`;
  if (rows.length > 0) await tx`DELETE FROM alarm_rules WHERE id = ANY(${tx.array(rows.map((row) => row.id))}::uuid[])`;
  return rows.map(toRuleModel);
}

/** Deletes the rules `deleteRulesOf` finds and writes an `alarm_rule.delete` entry for each, naming why. */
export async function deleteAndAuditRulesOf(
  change: Pick<Change, 'tx' | 'audit'>,
  site: { id: string; organizationId: string },
  target: Parameters<typeof deleteRulesOf>[2],
  reason: string,
): Promise<void> {
  for (const rule of await deleteRulesOf(change.tx, site.id, target)) {
    await change.audit({
      action: 'alarm_rule.delete',
      targetType: 'alarm_rule',
      targetId: rule.id,
      organizationId: site.organizationId,
      siteId: site.id,
      before: ruleAuditState(rule),
      after: { reason },
    });
  }
}
