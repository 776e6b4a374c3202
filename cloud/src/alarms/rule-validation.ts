import { DEFAULT_POLL_INTERVAL_MS, pollIntervalProblem, type AlarmCondition } from '@simtestlab/sync';
import type { TransactionSql } from '../db/connect';
import { invalidField } from './invalid-field';
import type { RuleFields } from './rule-store';

/** Finds the point `device.point` of the site; raises 400 naming `point` when the site has no such point. */
async function resolvePoint(tx: TransactionSql, siteId: string, point: string): Promise<{ pointId: string; deviceKey: string; dataType: string; pollIntervalMs: number }> {
  const dot = point.indexOf('.');
  const deviceKey = point.slice(0, dot);
  const [row] = await tx<{ id: string; data_type: string; poll_interval_ms: number }[]>`
    SELECT p.id, coalesce(p.config->>'dataType', 'float32') AS data_type, ${devicePollIntervalSql(tx)} AS poll_interval_ms
    FROM points p JOIN devices d ON d.id = p.device_id
    WHERE d.site_id = ${siteId} AND d.key = ${deviceKey} AND p.key = ${point.slice(dot + 1)}`;
  if (!row) throw invalidField('point', `point "${point}" not found at site ${siteId}: name a point of one of the site's devices as device.point`);
  return { pointId: row.id, deviceKey, dataType: row.data_type, pollIntervalMs: row.poll_interval_ms };
}

/** The device's poll interval from its stored definition, or the shared model's default. */
const devicePollIntervalSql = (tx: TransactionSql) => tx`coalesce((d.config->>'pollIntervalMs')::integer, ${DEFAULT_POLL_INTERVAL_MS}::integer)`;

/** Raises 400 naming the condition field whose time does not fit the device's poll interval. */
function requireFittingTimes(condition: AlarmCondition, device: { key: string; pollIntervalMs: number }): void {
  const problem = pollIntervalProblem(condition, device);
  if (problem) throw invalidField(`condition.${problem.field}`, problem.message);
}

/** Conditions that compare numbers; the edge skips them for a value that is not a number, so they would never be active. */
const numericConditions: readonly AlarmCondition['type'][] = ['high', 'high_high', 'low', 'low_low', 'rate_of_change'];

/** Raises 400 naming `condition.type` for a numeric condition on a point whose values are not numbers. */
function requireNumericPoint(condition: AlarmCondition, point: string, dataType: string): void {
  if (!numericConditions.includes(condition.type) || (dataType !== 'bool' && dataType !== 'string')) return;
  throw invalidField(
    'condition.type',
    `a ${condition.type} condition compares numbers, but point "${point}" has ${dataType} values: use a state condition or a numeric point`,
  );
}

async function requireDevice(tx: TransactionSql, siteId: string, deviceKey: string): Promise<void> {
  const [row] = await tx`SELECT 1 FROM devices WHERE site_id = ${siteId} AND key = ${deviceKey}`;
  if (!row) throw invalidField('condition.device', `device "${deviceKey}" not found at site ${siteId}: name the key of one of the site's devices`);
}

/**
 * Checks a rule against the site and resolves its point. The point must be one of the site's points. A
 * rule without a point must be a device_offline rule that names one of the site's devices. A
 * device_offline rule with a point may name only the point's own device. A limit or rate of change
 * needs a point with numeric values.
 */
export async function resolveRuleFields(
  tx: TransactionSql,
  siteId: string,
  rule: { name: string; severity: RuleFields['severity']; enabled: boolean; point: string | null; condition: AlarmCondition },
): Promise<RuleFields> {
  const { condition } = rule;
  if (rule.point === null) {
    if (condition.type !== 'device_offline' || condition.device === undefined) {
      throw invalidField('point', 'missing point: only a device_offline rule that names its device in condition.device may have no point');
    }
    await requireDevice(tx, siteId, condition.device);
    return { ...rule, pointId: null };
  }

  const { pointId, deviceKey, dataType, pollIntervalMs } = await resolvePoint(tx, siteId, rule.point);
  requireNumericPoint(condition, rule.point, dataType);
  requireFittingTimes(condition, { key: deviceKey, pollIntervalMs });
  if (condition.type === 'device_offline' && condition.device !== undefined && condition.device !== deviceKey) {
    throw invalidField('condition.device', `device "${condition.device}" is not the device of point "${rule.point}": leave condition.device out or name "${deviceKey}"`);
  }
  return { ...rule, pointId };
}
