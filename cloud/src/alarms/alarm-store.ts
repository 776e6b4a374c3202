import type { TransactionSql } from '../db/connect';
import type { AlarmSnapshot } from './alarm-snapshot';

const dateOf = (ms: number | null) => (ms === null ? null : new Date(ms));

/** Returns the name of the hub's rule `ruleId` at the site, or undefined for a rule only the edge's site file has. */
export async function ruleNameOf(tx: TransactionSql, siteId: string, ruleId: string): Promise<string | undefined> {
  const [rule] = await tx<{ name: string }[]>`SELECT name FROM alarm_rules WHERE site_id = ${siteId} AND id::text = ${ruleId}`;
  return rule?.name;
}

/** Stores an alarm's snapshot in its alarms row, which the caller has locked. */
export async function writeSnapshot(tx: TransactionSql, snapshot: AlarmSnapshot, updatedAt: number): Promise<void> {
  await tx`
    UPDATE alarms SET
      name = ${snapshot.name},
      severity = ${snapshot.severity},
      point = ${snapshot.point},
      device = ${snapshot.device},
      state = ${snapshot.state},
      condition_active = ${snapshot.conditionActive},
      occurrence = ${snapshot.occurrence},
      message = ${snapshot.message},
      value = ${snapshot.value === null ? null : tx.json(snapshot.value)},
      active_since = ${dateOf(snapshot.activeSince)},
      acknowledged_at = ${dateOf(snapshot.acknowledgedAt)},
      acknowledged_by = ${snapshot.acknowledgedBy === null ? null : tx.json(snapshot.acknowledgedBy)},
      shelved_until = ${dateOf(snapshot.shelvedUntil)},
      last_seq = ${snapshot.lastSeq},
      edge_node_id = ${snapshot.edgeNodeId},
      escalated_at = ${dateOf(snapshot.escalatedAt)},
      updated_at = ${new Date(updatedAt)}
    WHERE site_id = ${snapshot.siteId} AND rule_id = ${snapshot.ruleId}`;
}
