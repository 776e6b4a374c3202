import { randomUUID } from 'node:crypto';
import type { AlarmTransition, EdgeEvent } from '@simtestlab/sync';
import { call, type CloudFixture } from '../support/cloud-fixture';
import { asOwner } from '../support/site-roles';
import { batchOf, upload, type PairedEdge } from '../uploads/paired-edge';

/** A fixed time for transitions, inside the upload contract's range. */
export const T0 = Date.UTC(2026, 10, 3, 10, 0);

/** Builds a transition of `ruleId`; fields not given describe a raise of a high limit on meter.W. */
export function transition(ruleId: string, fields: Partial<AlarmTransition> = {}): AlarmTransition {
  return {
    id: randomUUID(),
    seq: 1,
    ruleId,
    occurrence: randomUUID(),
    action: 'raise',
    from: 'normal',
    to: 'active_unack',
    at: T0,
    value: 81.5,
    severity: 'warning',
    message: 'Meter power high: meter.W is 81.5 W, above 80 W',
    point: 'meter.W',
    device: 'meter',
    user: null,
    comment: null,
    shelvedUntil: null,
    requestId: null,
    ...fields,
  };
}

/** Wraps a transition in the edge event that carries it, whose id is the transition's id. */
export function alarmEvent(t: AlarmTransition): EdgeEvent {
  return { id: t.id, kind: 'alarm', at: t.at, payload: t as unknown as Record<string, unknown> };
}

/** Uploads the transitions in one batch and fails the test unless the hub stores it. */
export async function uploadTransitions(fixture: CloudFixture, edge: PairedEdge, transitions: AlarmTransition[]): Promise<any> {
  const response = await upload(fixture, edge, batchOf({ events: transitions.map(alarmEvent) }));
  if (response.status !== 200) throw new Error(`upload failed with ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Raises an alarm of a new rule id at the edge's site and returns the raise. */
export async function raiseAlarm(fixture: CloudFixture, edge: PairedEdge, fields: Partial<AlarmTransition> = {}): Promise<AlarmTransition> {
  const raise = transition(`rule-${randomUUID().slice(0, 8)}`, fields);
  await uploadTransitions(fixture, edge, [raise]);
  return raise;
}

export interface StoredAlarm {
  state: string;
  occurrence: string | null;
  last_seq: string;
  acknowledged_at: Date | null;
  acknowledged_by: { id: string; name: string; origin: string } | null;
  active_since: Date | null;
  condition_active: boolean;
  shelved_until: Date | null;
  name: string;
}

/** Reads the hub's alarm of a rule as the owner. */
export async function storedAlarm(fixture: CloudFixture, siteId: string, ruleId: string): Promise<StoredAlarm | undefined> {
  const [row] = await asOwner(fixture, (tx) => tx<StoredAlarm[]>`
    SELECT state, occurrence, last_seq::text, acknowledged_at, acknowledged_by, active_since, condition_active, shelved_until, name
    FROM alarms WHERE site_id = ${siteId} AND rule_id = ${ruleId}`);
  return row;
}

/** Adds the meter device (points W and status) to a site with a site manager's token. */
export async function addMeter(fixture: CloudFixture, managerToken: string, siteId: string, key = 'meter'): Promise<void> {
  const response = await call(fixture.app, managerToken, 'POST', `/api/sites/${siteId}/devices`, {
    device: {
      key,
      driver: 'modbus-tcp',
      connection: { host: '192.0.2.10', unitId: 1 },
      points: [
        { key: 'W', address: 52, dataType: 'float32', unit: 'W' },
        { key: 'status', address: 100, dataType: 'uint16', kind: 'state' },
      ],
    },
  });
  if (response.status !== 201) throw new Error(`adding device ${key} failed with ${response.status}: ${JSON.stringify(response.body)}`);
}
