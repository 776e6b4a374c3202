import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { applyTransition, type AlarmSnapshot } from '../../src/alarms/alarm-snapshot';
import { T0, transition } from './alarm-fixture';

const EDGE = randomUUID();
const operator = { id: 'u-1', name: 'Olga Operator', origin: 'edge' as const };
const hubUser = { id: 'u-2', name: 'Hanna Hub', origin: 'cloud' as const };

function fresh(): AlarmSnapshot {
  return {
    ruleId: 'rule-1',
    siteId: 'site-1',
    name: 'rule-1',
    severity: 'warning',
    point: 'meter.W',
    device: 'meter',
    state: 'normal',
    conditionActive: false,
    occurrence: null,
    message: '',
    value: null,
    activeSince: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    shelvedUntil: null,
    lastSeq: 0,
    edgeNodeId: EDGE,
    escalatedAt: null,
  };
}

describe('applyTransition', () => {
  it('raises an alarm', () => {
    const raise = transition('rule-1', { seq: 1, at: T0 });
    const after = applyTransition(fresh(), raise, EDGE);
    expect(after.state).toBe('active_unack');
    expect(after.conditionActive).toBe(true);
    expect(after.occurrence).toBe(raise.occurrence);
    expect(after.activeSince).toBe(T0);
    expect(after.lastSeq).toBe(1);
  });

  it('ignores an older seq for state', () => {
    const raise = transition('rule-1', { seq: 5 });
    const late = transition('rule-1', { seq: 3, action: 'clear', from: 'active_unack', to: 'cleared_unack', occurrence: raise.occurrence });
    const after = applyTransition(applyTransition(fresh(), raise, EDGE), late, EDGE);
    expect(after.state).toBe('active_unack');
    expect(after.lastSeq).toBe(5);
  });

  it('lets a newly paired edge count from 1', () => {
    const raise = transition('rule-1', { seq: 40 });
    const clear = transition('rule-1', { seq: 1, action: 'clear', from: 'active_unack', to: 'cleared_unack', occurrence: raise.occurrence });
    const after = applyTransition(applyTransition(fresh(), raise, EDGE), clear, randomUUID());
    expect(after.state).toBe('cleared_unack');
    expect(after.conditionActive).toBe(false);
  });

  it('keeps the first acknowledgement of an occurrence', () => {
    const raise = transition('rule-1', { seq: 1 });
    const first = transition('rule-1', { seq: 2, action: 'acknowledge', from: 'active_unack', to: 'active_ack', occurrence: raise.occurrence, user: hubUser, at: T0 + 1_000 });
    const second = transition('rule-1', { seq: 3, action: 'acknowledge', from: 'active_ack', to: 'active_ack', occurrence: raise.occurrence, user: operator, at: T0 + 2_000 });
    const after = [raise, first, second].reduce((state, t) => applyTransition(state, t, EDGE), fresh());
    expect(after.acknowledgedBy).toEqual(hubUser);
    expect(after.acknowledgedAt).toBe(T0 + 1_000);
    expect(after.lastSeq).toBe(3);
  });

  it('records an acknowledgement that arrives before its raise', () => {
    const raise = transition('rule-1', { seq: 1, at: T0 });
    const acknowledge = transition('rule-1', { seq: 2, action: 'acknowledge', from: 'active_unack', to: 'active_ack', occurrence: raise.occurrence, user: operator, at: T0 + 5_000 });
    const after = [acknowledge, raise].reduce((state, t) => applyTransition(state, t, EDGE), fresh());
    expect(after.state).toBe('active_ack');
    expect(after.acknowledgedBy).toEqual(operator);
    expect(after.activeSince).toBe(T0);
  });

  it('ignores an acknowledgement of an earlier occurrence', () => {
    const earlier = transition('rule-1', { seq: 1 });
    const later = transition('rule-1', { seq: 4 });
    const lateAcknowledge = transition('rule-1', { seq: 2, action: 'acknowledge', from: 'active_unack', to: 'active_ack', occurrence: earlier.occurrence, user: operator });
    const after = [earlier, later, lateAcknowledge].reduce((state, t) => applyTransition(state, t, EDGE), fresh());
    expect(after.occurrence).toBe(later.occurrence);
    expect(after.acknowledgedAt).toBeNull();
  });

  it('clears acknowledgement and escalation for a new occurrence', () => {
    const raise = transition('rule-1', { seq: 1 });
    const acknowledged = applyTransition(
      applyTransition(fresh(), raise, EDGE),
      transition('rule-1', { seq: 2, action: 'acknowledge', from: 'active_unack', to: 'active_ack', occurrence: raise.occurrence, user: operator }),
      EDGE,
    );
    const again = applyTransition({ ...acknowledged, escalatedAt: T0 }, transition('rule-1', { seq: 3, from: 'normal', to: 'active_unack' }), EDGE);
    expect(again.acknowledgedAt).toBeNull();
    expect(again.acknowledgedBy).toBeNull();
    expect(again.escalatedAt).toBeNull();
  });

  it('keeps the shelve expiry only while shelved', () => {
    const raise = transition('rule-1', { seq: 1 });
    const until = T0 + 3_600_000;
    const shelved = applyTransition(
      applyTransition(fresh(), raise, EDGE),
      transition('rule-1', { seq: 2, action: 'shelve', from: 'active_unack', to: 'shelved', occurrence: raise.occurrence, shelvedUntil: until }),
      EDGE,
    );
    expect(shelved.shelvedUntil).toBe(until);
    expect(shelved.conditionActive).toBe(true);
    const unshelved = applyTransition(shelved, transition('rule-1', { seq: 3, action: 'unshelve', from: 'shelved', to: 'active_unack', occurrence: raise.occurrence }), EDGE);
    expect(unshelved.shelvedUntil).toBeNull();
    expect(unshelved.state).toBe('active_unack');
  });
});
