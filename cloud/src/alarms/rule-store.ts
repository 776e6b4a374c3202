import type { AlarmCondition, AlarmSeverity } from '@simtestlab/sync';
import { isUuid } from '../access/guards';
import type { SiteRef } from '../access/guards';
import type { TransactionSql } from '../db/connect';
import type { AlarmRuleModel } from './schemas';

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
