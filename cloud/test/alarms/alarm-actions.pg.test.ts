import { randomUUID } from 'node:crypto';
import type { AlarmTransition } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type CloudApp } from '../../src/api/app';
import { alarmEnvelopeSchema, alertsChannel, type AlarmEnvelope } from '../../src/live/redis-keys';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { asOwner, auditEntries, seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { pairEdge, type PairedEdge } from '../uploads/paired-edge';
import { raiseAlarm, storedAlarm, T0, transition, uploadTransitions } from './alarm-fixture';

let fixture: CloudFixture;
let ctx: SiteRoles;
let edge: PairedEdge;
/** The app with a delivery that records the sites it was asked to deliver to. */
let app: CloudApp;
const deliveredSites: string[] = [];

beforeAll(async () => {
  fixture = await createCloudFixture('alarm_actions');
  ctx = await seedSiteRoles(fixture);
  edge = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId);
  app = createApp({ ...fixture.deps, alarmDelivery: { deliver: (siteId) => deliveredSites.push(siteId) } });
});

afterAll(async () => {
  await fixture?.close();
});

const actionPath = (ruleId: string, action: string, siteId = ctx.siteId) => `/api/sites/${siteId}/alarms/${ruleId}/${action}`;

interface RequestRow {
  id: string;
  action: string;
  rule_id: string;
  body: Record<string, unknown>;
  user: { id: string; email: string; name: string; role: string };
  delivered_at: Date | null;
}

async function requestRows(ruleId: string): Promise<RequestRow[]> {
  return asOwner(fixture, (tx) => tx<RequestRow[]>`
    SELECT id, action, rule_id, body, "user", delivered_at FROM alarm_action_requests WHERE rule_id = ${ruleId} ORDER BY requested_at`);
}

/** Uploads the edge's own acknowledgement of `raise` with the next seq. */
function edgeAcknowledgement(raise: AlarmTransition, fields: Partial<AlarmTransition> = {}): AlarmTransition {
  return transition(raise.ruleId, {
    seq: raise.seq + 1,
    action: 'acknowledge',
    from: 'active_unack',
    to: 'active_ack',
    occurrence: raise.occurrence,
    user: { id: 'local-olga', name: 'Olga on site', origin: 'edge' },
    at: T0 + 5_000,
    ...fields,
  });
}

describe('acknowledge', () => {
  it('records the request, acknowledges at once and delivers', async () => {
    const raise = await raiseAlarm(fixture, edge);
    deliveredSites.length = 0;
    const response = await call(app, ctx.tokens.operator, 'POST', actionPath(raise.ruleId, 'acknowledge'), { occurrence: raise.occurrence, comment: 'on it' });

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ siteId: ctx.siteId, ruleId: raise.ruleId, action: 'acknowledge', duplicate: false });
    expect(response.body.alarm).toMatchObject({ state: 'active_unack', occurrence: raise.occurrence, acknowledgedBy: { name: 'operator', origin: 'cloud' } });
    expect(deliveredSites).toEqual([ctx.siteId]);

    const rows = await requestRows(raise.ruleId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: response.body.requestId, action: 'acknowledge', body: { occurrence: raise.occurrence, comment: 'on it' }, delivered_at: null });
    expect(rows[0]!.user).toMatchObject({ email: 'operator@acme.test', name: 'operator', role: 'operator' });

    const audit = await auditEntries(fixture, raise.ruleId);
    expect(audit.map((entry) => entry.action)).toEqual(['alarm.acknowledge']);
    expect(audit[0]!.after).toMatchObject({ requestId: response.body.requestId, duplicate: false });
  });

  it('keeps hub acknowledgement over later edge one', async () => {
    const raise = await raiseAlarm(fixture, edge);
    const hub = await call(app, ctx.tokens.operator, 'POST', actionPath(raise.ruleId, 'acknowledge'), { occurrence: raise.occurrence });
    expect(hub.status).toBe(202);

    const local = edgeAcknowledgement(raise);
    // The edge then applies the hub's request, already acknowledged there, as an acknowledgement with from equal to to.
    const relayed = edgeAcknowledgement(raise, {
      seq: raise.seq + 2,
      from: 'active_ack',
      to: 'active_ack',
      user: { id: hub.body.alarm.acknowledgedBy.id, name: 'operator', origin: 'cloud' },
      requestId: hub.body.requestId,
      at: T0 + 6_000,
    });
    await uploadTransitions(fixture, edge, [local, relayed]);

    const alarm = await storedAlarm(fixture, ctx.siteId, raise.ruleId);
    expect(alarm).toMatchObject({ state: 'active_ack', last_seq: String(raise.seq + 2) });
    expect(alarm!.acknowledged_by).toMatchObject({ name: 'operator', origin: 'cloud' });

    const history = await call(app, ctx.tokens.operator, 'GET', `/api/alarms/history?siteId=${ctx.siteId}&ruleId=${raise.ruleId}&action=acknowledge`);
    expect(history.body.transitions.map((t: AlarmTransition) => t.user?.name)).toEqual(['operator', 'Olga on site']);
  });

  it('reports earlier edge acknowledgement as duplicate', async () => {
    const raise = await raiseAlarm(fixture, edge);
    await uploadTransitions(fixture, edge, [edgeAcknowledgement(raise)]);

    const response = await call(app, ctx.tokens.site_manager, 'POST', actionPath(raise.ruleId, 'acknowledge'), { occurrence: raise.occurrence });
    expect(response.status).toBe(202);
    expect(response.body.duplicate).toBe(true);
    expect(response.body.message).toMatch(/already acknowledged by Olga on site \(edge\)/);
    expect(response.body.alarm.acknowledgedBy).toEqual({ id: 'local-olga', name: 'Olga on site', origin: 'edge' });
    expect(await requestRows(raise.ruleId)).toHaveLength(1);

    const again = await call(app, ctx.tokens.operator, 'POST', actionPath(raise.ruleId, 'acknowledge'), { occurrence: raise.occurrence });
    expect(again.body.duplicate).toBe(true);
    expect((await storedAlarm(fixture, ctx.siteId, raise.ruleId))!.acknowledged_by?.name).toBe('Olga on site');
  });

  it('rejects a stale occurrence', async () => {
    const raise = await raiseAlarm(fixture, edge);
    const response = await call(app, ctx.tokens.operator, 'POST', actionPath(raise.ruleId, 'acknowledge'), { occurrence: randomUUID() });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('stale_occurrence');
    expect(await requestRows(raise.ruleId)).toEqual([]);
  });

  it('rejects a missing occurrence', async () => {
    const raise = await raiseAlarm(fixture, edge);
    const response = await call(app, ctx.tokens.operator, 'POST', actionPath(raise.ruleId, 'acknowledge'), {});
    expect(response.status).toBe(400);
    expect(response.body.error.parameter).toBe('occurrence');
  });

  it('answers 404 for an alarm no edge reported', async () => {
    const response = await call(app, ctx.tokens.operator, 'POST', actionPath('no-such-rule', 'acknowledge'), { occurrence: randomUUID() });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('unknown_alarm');
  });

  it('publishes the hub acknowledgement on Redis', async () => {
    const raise = await raiseAlarm(fixture, edge);
    const listener = fixture.subscriber.duplicate();
    const received: AlarmEnvelope[] = [];
    await listener.subscribe(alertsChannel(fixture.redisPrefix, ctx.siteId));
    listener.on('message', (_channel, text: string) => received.push(alarmEnvelopeSchema.parse(JSON.parse(text))));
    try {
      const response = await call(app, ctx.tokens.operator, 'POST', actionPath(raise.ruleId, 'acknowledge'), { occurrence: raise.occurrence });
      const deadline = Date.now() + 5_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(received).toHaveLength(1);
      expect(received[0]!.change.transition).toMatchObject({ id: response.body.requestId, action: 'acknowledge', requestId: response.body.requestId });
      expect(received[0]!.change.alarm.acknowledgedBy).toMatchObject({ origin: 'cloud' });
    } finally {
      listener.disconnect();
    }
  });
});

describe('other actions', () => {
  it('shelves with an expiry in range', async () => {
    const raise = await raiseAlarm(fixture, edge);
    const until = Date.now() + 3_600_000;
    const response = await call(app, ctx.tokens.operator, 'POST', actionPath(raise.ruleId, 'shelve'), { shelvedUntil: until, comment: 'maintenance' });
    expect(response.status).toBe(202);
    expect((await requestRows(raise.ruleId))[0]).toMatchObject({ action: 'shelve', body: { shelvedUntil: until } });
  });

  it.each([
    { name: 'no expiry', body: {}, parameter: 'shelvedUntil' },
    { name: 'an expiry in the past', body: { shelvedUntil: Date.now() - 1_000 }, parameter: 'shelvedUntil' },
    { name: 'an expiry over 7 days ahead', body: { shelvedUntil: Date.now() + 8 * 86_400_000 }, parameter: 'shelvedUntil' },
  ])('rejects a shelve with $name', async ({ body, parameter }) => {
    const raise = await raiseAlarm(fixture, edge);
    const response = await call(app, ctx.tokens.operator, 'POST', actionPath(raise.ruleId, 'shelve'), body);
    expect(response.status).toBe(400);
    expect(response.body.error.parameter).toBe(parameter);
  });

  it('rejects unshelve of an alarm that is not shelved', async () => {
    const raise = await raiseAlarm(fixture, edge);
    const response = await call(app, ctx.tokens.operator, 'POST', actionPath(raise.ruleId, 'unshelve'), {});
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('invalid_state');
  });

  it('rejects a comment without text', async () => {
    const raise = await raiseAlarm(fixture, edge);
    const response = await call(app, ctx.tokens.operator, 'POST', actionPath(raise.ruleId, 'comment'), {});
    expect(response.status).toBe(400);
    expect(response.body.error.parameter).toBe('comment');
  });

  it('rejects an unknown action', async () => {
    const raise = await raiseAlarm(fixture, edge);
    const response = await call(app, ctx.tokens.operator, 'POST', actionPath(raise.ruleId, 'silence'), {});
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/unknown alarm action "silence"/);
  });

  it('accepts the underscore spelling of an action', async () => {
    const raise = await raiseAlarm(fixture, edge);
    const response = await call(app, ctx.tokens.site_manager, 'POST', actionPath(raise.ruleId, 'remove_from_service'), { comment: 'sensor replaced' });
    expect(response.status).toBe(202);
    expect(response.body.action).toBe('remove_from_service');
  });
});

describe('alarm action access', () => {
  type Caller = 'viewer' | 'operator' | 'site_manager' | 'org_admin' | 'platform_admin' | 'member' | 'outsider';
  const callers: Caller[] = ['viewer', 'operator', 'site_manager', 'org_admin', 'platform_admin', 'member', 'outsider'];
  const tokenOf = (caller: Caller) => (caller === 'outsider' ? ctx.outsiderToken : ctx.tokens[caller]);

  /**
   * Operators and above may acknowledge, shelve and comment; site managers and above take alarms out of
   * and back into service. A platform admin without a role in the organization is refused, because the
   * edge, which applies the action, does not know them.
   */
  const operatorActions: Record<Caller, number> = { viewer: 403, operator: 202, site_manager: 202, org_admin: 202, platform_admin: 403, member: 404, outsider: 404 };
  const managerActions: Record<Caller, number> = { ...operatorActions, operator: 403 };

  const cases = callers.flatMap((caller) => [
    { caller, action: 'acknowledge', expected: operatorActions[caller] },
    { caller, action: 'shelve', expected: operatorActions[caller] },
    { caller, action: 'comment', expected: operatorActions[caller] },
    { caller, action: 'remove-from-service', expected: managerActions[caller] },
    { caller, action: 'return-to-service', expected: managerActions[caller] },
  ]);

  it.each(cases)('answers $expected to $caller on $action', async ({ caller, action, expected }) => {
    const raise = await raiseAlarm(fixture, edge);
    if (action === 'return-to-service') {
      await uploadTransitions(fixture, edge, [
        transition(raise.ruleId, { seq: 2, action: 'remove_from_service', from: 'active_unack', to: 'out_of_service', occurrence: raise.occurrence }),
      ]);
    }
    const bodies: Record<string, unknown> = {
      acknowledge: { occurrence: raise.occurrence },
      shelve: { shelvedUntil: Date.now() + 60_000 },
      comment: { comment: 'checked the meter' },
      'remove-from-service': {},
      'return-to-service': {},
    };
    const response = await call(app, tokenOf(caller), 'POST', actionPath(raise.ruleId, action), bodies[action]);
    expect(response.status).toBe(expected);
    expect(await requestRows(raise.ruleId)).toHaveLength(expected === 202 ? 1 : 0);
    if (caller === 'platform_admin') expect(response.body.error.message).toContain('platform admins are not among them');
  });
});

describe('active alarms', () => {
  it('lists alarms that are not normal, most severe first', async () => {
    const warning = await raiseAlarm(fixture, edge, { severity: 'warning' });
    const critical = await raiseAlarm(fixture, edge, { severity: 'critical' });
    const ended = await raiseAlarm(fixture, edge);
    await uploadTransitions(fixture, edge, [
      transition(ended.ruleId, { seq: 2, action: 'clear', from: 'active_unack', to: 'cleared_unack', occurrence: ended.occurrence }),
      transition(ended.ruleId, { seq: 3, action: 'acknowledge', from: 'cleared_unack', to: 'normal', occurrence: null, user: { id: 'local-olga', name: 'Olga', origin: 'edge' } }),
    ]);

    const response = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/sites/${ctx.siteId}/alarms`);
    expect(response.status).toBe(200);
    const ruleIds: string[] = response.body.alarms.map((alarm: { ruleId: string }) => alarm.ruleId);
    expect(ruleIds).toContain(warning.ruleId);
    expect(ruleIds).not.toContain(ended.ruleId);
    expect(ruleIds.indexOf(critical.ruleId)).toBeLessThan(ruleIds.indexOf(warning.ruleId));
    const shown = response.body.alarms.find((alarm: { ruleId: string }) => alarm.ruleId === warning.ruleId);
    expect(shown).toMatchObject({ siteId: ctx.siteId, state: 'active_unack', conditionActive: true, occurrence: warning.occurrence, activeSince: T0 });
  });

  it('hides the site from callers who cannot open it', async () => {
    expect((await call(fixture.app, ctx.tokens.member, 'GET', `/api/sites/${ctx.siteId}/alarms`)).status).toBe(404);
    expect((await call(fixture.app, ctx.outsiderToken, 'GET', `/api/sites/${ctx.siteId}/alarms`)).status).toBe(404);
  });
});
