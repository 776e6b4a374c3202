import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { fileAlarmRulesSchema } from '../../src/config/schema';
import { createApiFixture, testSiteConfig, type ApiFixture } from '../api/api-fixture';
import { actor, AlarmHarness, rules, T0 } from './alarm-support';

let harness: AlarmHarness | undefined;
let fixture: ApiFixture | undefined;

afterEach(async () => {
  harness?.close();
  await fixture?.close();
  harness = undefined;
  fixture = undefined;
});

function start(...definitions: Record<string, unknown>[]): AlarmHarness {
  harness = new AlarmHarness(rules(...definitions));
  return harness;
}

describe('deadband after a restart', () => {
  it.each([
    { type: 'high', trip: 150, insideDeadband: 97 },
    { type: 'low', trip: 50, insideDeadband: 103 },
  ])('$type alarm stays active inside its deadband', ({ type, trip, insideDeadband }) => {
    const h = start({ id: 'high', condition: { type, limit: 100, deadband: 5 } });
    h.sample(trip);
    expect(h.service.get('high')?.state).toBe('active_unack');

    h.restart();
    h.advance(1000);
    h.sample(insideDeadband);

    expect(h.service.get('high')?.state).toBe('active_unack');
    expect(h.service.get('high')?.conditionActive).toBe(true);
    expect(h.transitions().map((transition) => transition.action)).toEqual(['raise']);
  });

  it('clears once the value passes the deadband', () => {
    const h = start({ id: 'high', condition: { type: 'high', limit: 100, deadband: 5 } });
    h.sample(150);
    h.restart();
    h.advance(1000);
    h.sample(94);

    expect(h.service.get('high')?.state).toBe('cleared_unack');
  });
});

describe('deadband after a rule edit', () => {
  it('keeps an active alarm when only the message changed', () => {
    const h = start({ id: 'high', condition: { type: 'high', limit: 100, deadband: 5 } });
    h.sample(150);

    h.restart(rules({ id: 'high', condition: { type: 'high', limit: 100, deadband: 5, message: '{name} is {value}' } }));
    h.advance(1000);
    h.sample(98);

    expect(h.service.get('high')?.state).toBe('active_unack');
  });
});

describe('alarm history CSV', () => {
  it('neutralizes formulas in text cells', async () => {
    const alarms = fileAlarmRulesSchema.parse([{ id: 'import-low', name: '=Import low', severity: 'warning', point: 'meter.powerW', condition: { type: 'low', limit: 0 } }]);
    const site = (fixture = await createApiFixture({ ...testSiteConfig(), alarms }));
    site.runtime.ingest(site.device('meter'), Date.now(), [{ point: 'powerW', value: -5, quality: 'good' }], false);
    const comment = '=HYPERLINK("http://127.0.0.1/x","open")';
    const posted = await site.app.request('/api/alarms/import-low/comment', {
      method: 'POST',
      headers: { Authorization: `Bearer ${site.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ comment }),
    });
    expect(posted.status).toBe(200);

    const response = await site.app.request('/api/alarms/history.csv?action=comment', { headers: { Authorization: `Bearer ${site.token}` } });
    const row = (await response.text()).trimEnd().split('\n')[1]!;

    expect(row).toContain(`,"'=HYPERLINK(""http://127.0.0.1/x"",""open"")",`);
    expect(row).not.toContain(',"=HYPERLINK');
    expect(row).toContain(',meter.powerW,meter,-5,');
  });
});

describe('idempotency key reused', () => {
  const twoRules = [
    { id: 'high', condition: { type: 'high', limit: 100 } },
    { id: 'low', condition: { type: 'low', limit: 10 } },
  ];

  it('for another alarm is rejected and changes nothing', () => {
    const h = start(...twoRules);
    const requestId = randomUUID();
    const first = h.service.apply({ ruleId: 'high', action: 'comment', body: { comment: 'checked' }, actor: actor('operator'), requestId });
    expect(first.ok).toBe(true);

    const reused = h.service.apply({ ruleId: 'low', action: 'shelve', body: { shelvedUntil: T0 + 3_600_000 }, actor: actor('operator'), requestId });

    expect(reused).toMatchObject({ ok: false, code: 'invalid_request' });
    expect(reused.ok ? '' : reused.message).toContain(requestId);
    expect(reused.ok ? '' : reused.message).toContain('comment of alarm high');
    expect(h.service.get('low')?.state).toBe('normal');
  });

  it('for another action on the same alarm is rejected', () => {
    const h = start(...twoRules);
    const requestId = randomUUID();
    h.service.apply({ ruleId: 'high', action: 'comment', body: { comment: 'checked' }, actor: actor('operator'), requestId });

    const reused = h.service.apply({ ruleId: 'high', action: 'remove_from_service', body: {}, actor: actor('site_manager'), requestId });

    expect(reused).toMatchObject({ ok: false, code: 'invalid_request' });
    expect(h.service.get('high')?.state).toBe('normal');
  });

  it('by a user without the right is not permitted', () => {
    const h = start(...twoRules);
    const requestId = randomUUID();
    h.service.apply({ ruleId: 'high', action: 'comment', body: { comment: 'checked' }, actor: actor('operator'), requestId });

    const reused = h.service.apply({ ruleId: 'high', action: 'comment', body: { comment: 'checked' }, actor: actor('viewer'), requestId });

    expect(reused).toMatchObject({ ok: false, code: 'not_permitted' });
  });

  it('for the same action still returns the stored result', () => {
    const h = start(...twoRules);
    const requestId = randomUUID();
    const first = h.service.apply({ ruleId: 'high', action: 'comment', body: { comment: 'checked' }, actor: actor('operator'), requestId });
    const again = h.service.apply({ ruleId: 'high', action: 'comment', body: { comment: 'checked' }, actor: actor('operator'), requestId });

    expect(again).toEqual(first);
    expect(h.transitions()).toHaveLength(1);
  });
});
