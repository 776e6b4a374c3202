import { randomUUID } from 'node:crypto';
import { alarmChangeSchema, type AlarmActionResult, type AlarmTransition } from '@simtestlab/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { actor, AlarmHarness, rules, T0 } from './alarm-support';

let harness: AlarmHarness | undefined;

afterEach(() => {
  harness?.close();
  harness = undefined;
});

const highRule = () => rules({ id: 'high', name: 'Grid import', condition: { type: 'high', limit: 100, deadband: 10 } });

function start(fileRules = highRule()): AlarmHarness {
  harness = new AlarmHarness(fileRules);
  return harness;
}

function ok(result: AlarmActionResult): AlarmTransition {
  if (!result.ok) throw new Error(`expected the action to be applied, got ${result.code}: ${result.message}`);
  return result.transition;
}

const operator = actor('operator');
const manager = actor('site_manager');

function occurrenceOf(h: AlarmHarness, ruleId = 'high'): string {
  const occurrence = h.service.get(ruleId)?.occurrence;
  if (!occurrence) throw new Error(`alarm ${ruleId} has no occurrence`);
  return occurrence;
}

describe('alarm lifecycle', () => {
  it('raises, acknowledges and clears to normal', () => {
    const h = start();

    h.sample(150);
    const occurrence = occurrenceOf(h);
    h.advance(1000);
    ok(h.service.apply({ ruleId: 'high', action: 'acknowledge', body: { occurrence }, actor: operator }));
    h.advance(1000);
    h.sample(80);

    const transitions = h.transitions();
    expect(transitions.map((t) => [t.action, t.from, t.to])).toEqual([
      ['raise', 'normal', 'active_unack'],
      ['acknowledge', 'active_unack', 'active_ack'],
      ['clear', 'active_ack', 'normal'],
    ]);
    expect(transitions.map((t) => t.occurrence)).toEqual([occurrence, occurrence, occurrence]);
    expect(transitions[0]!.message).toBe('Grid import: meter.powerW is 150 W, above 100 W');
    expect(transitions[1]!.user).toEqual({ id: 'operator-1', name: 'operator user', origin: 'edge' });
    expect(h.service.get('high')).toEqual(expect.objectContaining({ state: 'normal', occurrence: null, conditionActive: false }));
    expect(h.service.active()).toEqual([]);
  });

  it('clears unacknowledged, then acknowledges to normal', () => {
    const h = start();
    h.sample(150);
    const occurrence = occurrenceOf(h);

    h.advance(1000);
    h.sample(80);
    const cleared = h.service.get('high');
    ok(h.service.apply({ ruleId: 'high', action: 'acknowledge', body: { occurrence }, actor: operator }));

    expect(cleared).toEqual(expect.objectContaining({ state: 'cleared_unack', occurrence, conditionActive: false }));
    expect(h.transitions().map((t) => [t.action, t.from, t.to])).toEqual([
      ['raise', 'normal', 'active_unack'],
      ['clear', 'active_unack', 'cleared_unack'],
      ['acknowledge', 'cleared_unack', 'normal'],
    ]);
    expect(h.service.get('high')?.state).toBe('normal');
  });

  it('raises a cleared unacknowledged alarm again with its occurrence', () => {
    const h = start();
    h.sample(150);
    const occurrence = occurrenceOf(h);
    h.sample(80);

    h.sample(150);

    expect(h.service.get('high')).toEqual(expect.objectContaining({ state: 'active_unack', occurrence }));
    expect(h.transitions().at(-1)).toEqual(expect.objectContaining({ action: 'raise', from: 'cleared_unack', to: 'active_unack' }));
  });

  it('stores every transition with its state row and upload event', () => {
    const h = start();
    h.sample(150);
    ok(h.service.apply({ ruleId: 'high', action: 'comment', body: { comment: 'checking the feeder' }, actor: operator }));

    const events = h.uploadEvents();
    const transitions = h.transitions();
    const row = h.db.prepare<[], { state: string; occurrence: string }>("SELECT state, occurrence FROM alarm_state WHERE rule_id = 'high'").get();

    expect(events.map((event) => event.id)).toEqual(transitions.map((transition) => transition.id));
    expect(events.map((event) => event.transition)).toEqual(transitions);
    expect(events[0]!.at).toBe(T0);
    expect(events[1]!.transition).toEqual(expect.objectContaining({ action: 'comment', from: 'active_unack', to: 'active_unack', comment: 'checking the feeder' }));
    expect(row).toEqual({ state: 'active_unack', occurrence: occurrenceOf(h) });
  });

  it('tells listeners about each change', () => {
    const h = start();

    h.sample(150);

    expect(h.changes).toHaveLength(1);
    expect(alarmChangeSchema.parse(h.changes[0]).alarm).toEqual(expect.objectContaining({ siteId: 'alarm-test', state: 'active_unack', value: 150 }));
  });
});

describe('acknowledge', () => {
  it('rejects an occurrence that is over', () => {
    const h = start();
    h.sample(150);
    const first = occurrenceOf(h);
    h.sample(80);
    ok(h.service.apply({ ruleId: 'high', action: 'acknowledge', body: { occurrence: first }, actor: operator }));
    h.sample(150);

    const result = h.service.apply({ ruleId: 'high', action: 'acknowledge', body: { occurrence: randomUUID() }, actor: operator });

    expect(result).toEqual(expect.objectContaining({ ok: false, code: 'stale_occurrence' }));
    expect(h.service.get('high')?.state).toBe('active_unack');
  });

  it('requires the occurrence', () => {
    const h = start();
    h.sample(150);

    const result = h.service.apply({ ruleId: 'high', action: 'acknowledge', body: {}, actor: operator });

    expect(result).toEqual(expect.objectContaining({ ok: false, code: 'invalid_request' }));
  });

  it('stores a second acknowledgement as a duplicate', () => {
    const h = start();
    h.sample(150);
    const occurrence = occurrenceOf(h);
    ok(h.service.apply({ ruleId: 'high', action: 'acknowledge', body: { occurrence }, actor: operator }));

    const second = h.service.apply({ ruleId: 'high', action: 'acknowledge', body: { occurrence }, actor: { ...actor('operator', 'hub-user'), origin: 'cloud' } });

    expect(second).toEqual(expect.objectContaining({ ok: true, duplicate: true }));
    expect(ok(second)).toEqual(expect.objectContaining({ action: 'acknowledge', from: 'active_ack', to: 'active_ack', occurrence, user: expect.objectContaining({ origin: 'cloud' }) }));
    expect(h.service.get('high')?.acknowledgedBy?.id).toBe('operator-1');
    expect(h.uploadEvents()).toHaveLength(3);
  });

  it('stores an acknowledgement of an occurrence acknowledged and ended as a duplicate', () => {
    const h = start();
    h.sample(150);
    const occurrence = occurrenceOf(h);
    h.sample(80);
    ok(h.service.apply({ ruleId: 'high', action: 'acknowledge', body: { occurrence }, actor: operator }));

    const late = h.service.apply({ ruleId: 'high', action: 'acknowledge', body: { occurrence }, actor: operator });

    expect(late).toEqual(expect.objectContaining({ ok: true, duplicate: true }));
    expect(ok(late)).toEqual(expect.objectContaining({ from: 'normal', to: 'normal', occurrence }));
  });

  it('returns the stored result for a request applied before', () => {
    const h = start();
    h.sample(150);
    const occurrence = occurrenceOf(h);
    const requestId = randomUUID();

    const first = h.service.apply({ ruleId: 'high', action: 'acknowledge', body: { occurrence }, actor: operator, requestId });
    const again = h.service.apply({ ruleId: 'high', action: 'acknowledge', body: { occurrence }, actor: operator, requestId });

    expect(again).toEqual(first);
    expect(ok(first).requestId).toBe(requestId);
    expect(h.transitions().filter((t) => t.action === 'acknowledge')).toHaveLength(1);
  });

  it('rejects a request id that is not a UUID', () => {
    const h = start();
    h.sample(150);

    const result = h.service.apply({ ruleId: 'high', action: 'comment', body: { comment: 'x' }, actor: operator, requestId: 'req-1' });

    expect(result).toEqual(expect.objectContaining({ ok: false, code: 'invalid_request' }));
  });
});

describe('rights', () => {
  it.each([
    { who: 'viewer', role: 'viewer' as const, action: 'acknowledge' as const, allowed: false },
    { who: 'a user without a role', role: null, action: 'comment' as const, allowed: false },
    { who: 'operator', role: 'operator' as const, action: 'shelve' as const, allowed: true },
    { who: 'operator', role: 'operator' as const, action: 'remove_from_service' as const, allowed: false },
    { who: 'site manager', role: 'site_manager' as const, action: 'remove_from_service' as const, allowed: true },
  ])('$who may $action: $allowed', ({ role, action, allowed }) => {
    const h = start();
    h.sample(150);
    const body = { occurrence: occurrenceOf(h), comment: 'note', shelvedUntil: h.now + 60_000 };

    const result = h.service.apply({ ruleId: 'high', action, body: action === 'acknowledge' ? { occurrence: body.occurrence } : body, actor: actor(role) });

    expect(result.ok).toBe(allowed);
    if (!result.ok) expect(result.code).toBe('not_permitted');
  });

  it('rejects an unknown rule', () => {
    const h = start();

    const result = h.service.apply({ ruleId: 'nope', action: 'comment', body: { comment: 'x' }, actor: operator });

    expect(result).toEqual(expect.objectContaining({ ok: false, code: 'unknown_alarm' }));
  });
});

describe('shelve', () => {
  it('suppresses changes and returns active when the shelve expires', () => {
    const h = start();
    h.sample(150);
    const first = occurrenceOf(h);
    ok(h.service.apply({ ruleId: 'high', action: 'shelve', body: { shelvedUntil: T0 + 60_000, comment: 'sensor swap' }, actor: operator }));

    h.advance(10_000);
    h.sample(50);
    h.advance(10_000);
    h.sample(150);
    const whileShelved = h.transitions().length;
    h.advance(39_999);
    const beforeExpiry = h.service.get('high')?.state;
    h.advance(1);

    expect(whileShelved).toBe(2);
    expect(beforeExpiry).toBe('shelved');
    expect(h.transitions().at(-1)).toEqual(expect.objectContaining({ action: 'shelve_expired', from: 'shelved', to: 'active_unack', at: T0 + 60_000 }));
    expect(h.service.get('high')?.occurrence).not.toBe(first);
    expect(h.service.get('high')?.activeSince).toBe(T0 + 60_000);
  });

  it('returns to normal at expiry when the condition is gone', () => {
    const h = start();
    h.sample(150);
    ok(h.service.apply({ ruleId: 'high', action: 'shelve', body: { shelvedUntil: T0 + 5_000 }, actor: operator }));
    h.sample(20);

    h.advance(5_000);

    expect(h.transitions().at(-1)).toEqual(expect.objectContaining({ action: 'shelve_expired', to: 'normal', occurrence: null }));
    expect(h.service.get('high')?.state).toBe('normal');
  });

  it('unshelves to the state of the condition', () => {
    const h = start();
    h.sample(150);
    ok(h.service.apply({ ruleId: 'high', action: 'shelve', body: { shelvedUntil: T0 + 60_000 }, actor: operator }));

    const result = ok(h.service.apply({ ruleId: 'high', action: 'unshelve', body: {}, actor: operator }));

    expect(result).toEqual(expect.objectContaining({ from: 'shelved', to: 'active_unack' }));
  });

  it.each([
    { case: 'missing', body: {}, message: /shelvedUntil/ },
    { case: 'in the past', body: { shelvedUntil: T0 - 1 }, message: /must be after now/ },
    { case: 'over 7 days ahead', body: { shelvedUntil: T0 + 7 * 86_400_000 + 1 }, message: /at most 7 days/ },
  ])('rejects a shelve time $case', ({ body, message }) => {
    const h = start();

    const result = h.service.apply({ ruleId: 'high', action: 'shelve', body, actor: operator });

    expect(result).toEqual(expect.objectContaining({ ok: false, code: 'invalid_request', message: expect.stringMatching(message) }));
  });

  it('rejects an unshelve of an alarm not shelved', () => {
    const h = start();

    expect(h.service.apply({ ruleId: 'high', action: 'unshelve', body: {}, actor: operator })).toEqual(expect.objectContaining({ ok: false, code: 'invalid_state' }));
  });
});

describe('out of service', () => {
  it('returns to the condition state', () => {
    const h = start();
    ok(h.service.apply({ ruleId: 'high', action: 'remove_from_service', body: { comment: 'meter replaced' }, actor: manager }));

    h.sample(150);
    const shelve = h.service.apply({ ruleId: 'high', action: 'shelve', body: { shelvedUntil: T0 + 60_000 }, actor: manager });
    const back = ok(h.service.apply({ ruleId: 'high', action: 'return_to_service', body: {}, actor: manager }));

    expect(shelve).toEqual(expect.objectContaining({ ok: false, code: 'invalid_state' }));
    expect(h.transitions().map((t) => [t.action, t.from, t.to])).toEqual([
      ['remove_from_service', 'normal', 'out_of_service'],
      ['return_to_service', 'out_of_service', 'active_unack'],
    ]);
    expect(back.occurrence).toBe(occurrenceOf(h));
  });
});

describe('comment', () => {
  it('needs a comment and changes no state', () => {
    const h = start();

    const empty = h.service.apply({ ruleId: 'high', action: 'comment', body: {}, actor: operator });
    const noted = ok(h.service.apply({ ruleId: 'high', action: 'comment', body: { comment: 'all quiet' }, actor: operator }));

    expect(empty).toEqual(expect.objectContaining({ ok: false, code: 'invalid_request' }));
    expect(noted).toEqual(expect.objectContaining({ from: 'normal', to: 'normal', comment: 'all quiet' }));
  });
});

describe('restart', () => {
  it('keeps the alarm state and does not raise again', () => {
    const h = start();
    h.sample(150);
    const occurrence = occurrenceOf(h);

    h.restart();
    h.sample(160);
    const afterRestart = h.transitions().length;
    h.sample(50);

    expect(afterRestart).toBe(1);
    expect(h.service.get('high')).toEqual(expect.objectContaining({ state: 'cleared_unack', occurrence }));
  });

  it('puts the alarm of a removed rule back to normal', () => {
    const h = start([...highRule(), ...rules({ id: 'low', condition: { type: 'low', limit: 10 } })]);
    h.sample(150);

    h.restart(rules({ id: 'low', condition: { type: 'low', limit: 10 } }));

    expect(h.transitions().at(-1)).toEqual(expect.objectContaining({ action: 'clear', from: 'active_unack', to: 'normal', comment: 'rule removed or disabled' }));
    expect(h.db.prepare("SELECT count(*) AS n FROM alarm_state WHERE rule_id = 'high'").get()).toEqual({ n: 0 });
    expect(h.service.get('high')).toBeUndefined();
    expect(h.service.active()).toEqual([]);
  });

  it('treats a disabled rule as removed', () => {
    const h = start();
    h.sample(150);

    h.restart(rules({ id: 'high', enabled: false, condition: { type: 'high', limit: 100 } }));

    expect(h.transitions().at(-1)).toEqual(expect.objectContaining({ action: 'clear', to: 'normal' }));
    expect(h.service.get('high')).toBeUndefined();
  });
});

describe('timers', () => {
  it('raises after the on-delay with no new sample', () => {
    const h = start(rules({ id: 'high', condition: { type: 'high', limit: 100, onDelayS: 30 } }));
    h.sample(150);

    h.advance(29_000);
    const early = h.service.get('high')?.state;
    h.advance(1_000);

    expect(early).toBe('normal');
    expect(h.service.get('high')).toEqual(expect.objectContaining({ state: 'active_unack', activeSince: T0 + 30_000 }));
  });

  it('clears after the off-delay with no new sample', () => {
    const h = start(rules({ id: 'high', condition: { type: 'high', limit: 100, offDelayS: 10 } }));
    h.sample(150);
    h.sample(50);

    h.advance(9_000);
    const early = h.service.get('high')?.state;
    h.advance(1_000);

    expect(early).toBe('active_unack');
    expect(h.service.get('high')?.state).toBe('cleared_unack');
  });

  it('raises a stale alarm from the tick', () => {
    const h = start(rules({ id: 'stale', name: 'Meter silent', condition: { type: 'stale', afterS: 60 } }));
    h.advance(30_000);
    h.sample(1);

    h.advance(59_000);
    const early = h.service.get('stale')?.state;
    h.advance(1_000);

    expect(early).toBe('normal');
    expect(h.service.get('stale')).toEqual(expect.objectContaining({ state: 'active_unack', message: 'Meter silent: no good value from meter.powerW for 60 s' }));
  });
});
