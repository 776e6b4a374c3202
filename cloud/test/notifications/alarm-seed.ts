import { randomUUID } from 'node:crypto';
import type { AlarmSeverity, AlarmState, AlarmTransitionAction } from '@simtestlab/sync';
import type { CloudFixture } from '../support/cloud-fixture';
import { asOwner } from '../support/site-roles';

/** A transition to record as an upload would, with defaults for a raised warning. */
export interface TransitionSeed {
  organizationId: string;
  siteId: string;
  ruleId?: string;
  action?: AlarmTransitionAction;
  from?: AlarmState;
  to?: AlarmState;
  severity?: AlarmSeverity;
  occurrence?: string;
  at?: Date;
}

let nextSeq = 1;

/** Inserts one row of alarm_transitions and returns its id; the hub numbers it with recorded_seq. */
export async function recordTransition(fixture: CloudFixture, seed: TransitionSeed): Promise<string> {
  const id = randomUUID();
  await asOwner(fixture, (tx) => tx`
    INSERT INTO alarm_transitions (id, organization_id, site_id, rule_id, seq, occurrence, action, from_state, to_state, at,
                                   value, severity, message, point, device)
    VALUES (${id}, ${seed.organizationId}, ${seed.siteId}, ${seed.ruleId ?? 'boiler-temp-high'}, ${nextSeq++},
            ${seed.occurrence ?? randomUUID()}, ${seed.action ?? 'raise'}, ${seed.from ?? 'normal'}, ${seed.to ?? 'active_unack'},
            ${seed.at ?? new Date()}, ${tx.json(92.5)}, ${seed.severity ?? 'warning'}, 'Boiler temperature 92.5 °C above 90 °C',
            'boiler.temp', 'boiler')`);
  return id;
}

/** The current state of one alarm to write to the alarms table. */
export interface AlarmSeed {
  organizationId: string;
  siteId: string;
  ruleId: string;
  state: AlarmState;
  activeSince: Date;
  severity?: AlarmSeverity;
  occurrence?: string;
}

/** Inserts or replaces one row of alarms and returns its occurrence. */
export async function putAlarm(fixture: CloudFixture, seed: AlarmSeed): Promise<string> {
  const occurrence = seed.occurrence ?? randomUUID();
  await asOwner(fixture, (tx) => tx`
    INSERT INTO alarms (organization_id, site_id, rule_id, name, severity, point, device, state, condition_active, occurrence,
                        message, value, active_since, last_seq)
    VALUES (${seed.organizationId}, ${seed.siteId}, ${seed.ruleId}, ${`Rule ${seed.ruleId}`}, ${seed.severity ?? 'warning'}, 'boiler.temp',
            'boiler', ${seed.state}, ${seed.state.startsWith('active')}, ${occurrence}, 'Boiler temperature above 90 °C', ${tx.json(92.5)},
            ${seed.activeSince}, 1)
    ON CONFLICT (site_id, rule_id) DO UPDATE SET state = EXCLUDED.state, occurrence = EXCLUDED.occurrence,
      active_since = EXCLUDED.active_since, escalated_at = NULL`);
  return occurrence;
}
