import { randomUUID } from 'node:crypto';
import type { AlarmActionResult, UplinkAlarmAction } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../live/live-support';
import { call, type CloudFixture } from '../support/cloud-fixture';
import type { ServedHub } from '../support/served-hub';
import { asOwner, type SiteRoles } from '../support/site-roles';
import { serveRelayHub, waitForPresence, type RelayApp, type RelayHub } from './relay-support';
import { auditEntries } from '../support/audit-entries';
import { alarmEnvelopeSchema, alertsChannel, type AlarmEnvelope } from '../../src/live/redis-keys';
import { StubEdge } from './stub-edge';

/* Faults found by trying to break the hub's requests to the edge over its uplink, each kept as a test. */

let fixture: CloudFixture;
let ctx: SiteRoles;
let hub: ServedHub;
let relay: RelayApp;
let dataDir: string;
let served: RelayHub | undefined;
let edge: StubEdge | undefined;

beforeAll(async () => {
  served = await serveRelayHub('uplink_regressions');
  ({ fixture, ctx, hub, relay, dataDir } = served);
}, 60_000);

afterAll(async () => {
  await edge?.close();
  await served?.close();
});

/** Puts an active, unacknowledged alarm of a new rule at the site, as an upload of its raise would, and returns its rule and occurrence. */
async function activeAlarm(): Promise<{ ruleId: string; occurrence: string }> {
  const ruleId = `rule-${randomUUID().slice(0, 8)}`;
  const occurrence = randomUUID();
  await asOwner(fixture, (tx) => tx`
    INSERT INTO alarms (organization_id, site_id, rule_id, name, severity, point, device, state, condition_active, occurrence,
                        message, value, active_since, last_seq)
    SELECT organization_id, id, ${ruleId}, 'Boiler hot', 'warning', 'boiler.temp', 'boiler', 'active_unack', true, ${occurrence},
           'Boiler temperature above 90 °C', ${tx.json(92.5)}, now() - interval '1 hour', 1
    FROM sites WHERE id = ${ctx.siteId}`);
  return { ruleId, occurrence };
}

async function acknowledgement(ruleId: string): Promise<{ acknowledged_at: Date | null; acknowledged_by: unknown }> {
  const [row] = await asOwner(fixture, (tx) => tx<{ acknowledged_at: Date | null; acknowledged_by: unknown }[]>`
    SELECT acknowledged_at, acknowledged_by FROM alarms WHERE site_id = ${ctx.siteId} AND rule_id = ${ruleId}`);
  return row!;
}

async function delivered(requestId: string): Promise<boolean> {
  const [row] = await asOwner(fixture, (tx) => tx<{ delivered_at: Date | null }[]>`SELECT delivered_at FROM alarm_action_requests WHERE id = ${requestId}`);
  return row?.delivered_at != null;
}

async function connectEdge(answer: (action: UplinkAlarmAction) => AlarmActionResult | undefined): Promise<void> {
  await edge?.close();
  await waitForPresence(fixture, ctx.siteId, false);
  edge = await StubEdge.connect(hub.port, dataDir);
  edge.answerAlarm = answer;
  await waitForPresence(fixture, ctx.siteId);
}

describe('an acknowledgement the edge rejects', () => {
  // The hub sets its acknowledgement when the user requests it. When the edge rejected it (its synced users
  // did not allow it yet), the hub kept "acknowledged by" that user for good: the edge's own later
  // acknowledgement could not replace it, and the alarm was never escalated.
  it('is withdrawn after the rejection', async () => {
    const { ruleId, occurrence } = await activeAlarm();
    await connectEdge(() => ({ ok: false, code: 'not_permitted', message: 'operator may not acknowledge alarms here' }));

    const response = await call(relay.app, ctx.tokens.operator, 'POST', `/api/sites/${ctx.siteId}/alarms/${ruleId}/acknowledge`, { occurrence });
    expect(response.status).toBe(202);
    expect((await acknowledgement(ruleId)).acknowledged_at).not.toBeNull();

    await until(() => delivered(response.body.requestId));
    expect(await acknowledgement(ruleId)).toEqual({ acknowledged_at: null, acknowledged_by: null });

    const again = await call(relay.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/alarms/${ruleId}/acknowledge`, { occurrence });
    expect(again.body.duplicate).toBe(false);
    expect(again.body.alarm.acknowledgedBy).toMatchObject({ name: 'site_manager', origin: 'cloud' });
  });

  it('tells live browsers of the withdrawal', async () => {
    const { ruleId, occurrence } = await activeAlarm();
    await connectEdge(() => ({ ok: false, code: 'not_permitted', message: 'operator may not acknowledge alarms here' }));
    const listener = fixture.subscriber.duplicate();
    const received: AlarmEnvelope[] = [];
    await listener.subscribe(alertsChannel(fixture.redisPrefix, ctx.siteId));
    listener.on('message', (_channel, text: string) => received.push(alarmEnvelopeSchema.parse(JSON.parse(text))));
    try {
      const response = await call(relay.app, ctx.tokens.operator, 'POST', `/api/sites/${ctx.siteId}/alarms/${ruleId}/acknowledge`, { occurrence });
      await until(() => received.some((envelope) => envelope.change.alarm.ruleId === ruleId && envelope.change.alarm.acknowledgedBy === null));

      const withdrawal = received.find((envelope) => envelope.change.alarm.ruleId === ruleId && envelope.change.alarm.acknowledgedBy === null)!;
      expect(withdrawal.change.transition).toMatchObject({ id: response.body.requestId, action: 'comment', user: null });
      expect(withdrawal.change.transition.comment).toContain('the edge refused the acknowledgement by operator (not_permitted');
    } finally {
      listener.disconnect();
    }
  });

  it('keeps an acknowledgement the edge applied', async () => {
    const { ruleId, occurrence } = await activeAlarm();
    await connectEdge(() => undefined);
    const response = await call(relay.app, ctx.tokens.operator, 'POST', `/api/sites/${ctx.siteId}/alarms/${ruleId}/acknowledge`, { occurrence });
    const action = await edge!.next('alarm-action', (message) => message.requestId === response.body.requestId);
    const at = Date.now();
    edge!.send({
      type: 'alarm-action-result',
      requestId: action.requestId,
      result: {
        ok: true,
        duplicate: false,
        transition: {
          id: randomUUID(), seq: 2, ruleId, occurrence, action: 'acknowledge', from: 'active_unack', to: 'active_ack', at, value: 92.5,
          severity: 'warning', message: 'Boiler temperature above 90 °C', point: 'boiler.temp', device: 'boiler',
          user: { id: action.user.id, name: action.user.name, origin: 'cloud' }, comment: null, shelvedUntil: null, requestId: action.requestId,
        },
      },
    });

    await until(() => delivered(response.body.requestId));
    expect((await acknowledgement(ruleId)).acknowledged_by).toMatchObject({ name: 'operator', origin: 'cloud' });
  });
});

describe('control point ids the edge cannot have', () => {
  // The route checked only for a dot, so it relayed and audited ids such as "meter/../.W" or one
  // with a right-to-left override, which shows in the audit log as another point's name.
  const oddIds = [
    ['an encoded slash', 'meter%2F..%2F.W', 'meter/../.W'],
    ['a right-to-left override', encodeURIComponent('meter.W\u202eXX'), 'meter.W\u202eXX'],
    ['a zero-width space', encodeURIComponent('meter.W\u200b'), 'meter.W\u200b'],
    ['an uppercase device key', 'Meter.W', 'Meter.W'],
  ] as const;

  for (const [name, path, pointId] of oddIds) {
    it(`rejects ${name} before the edge`, async () => {
      await connectEdge(() => undefined);
      const response = await call(relay.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/points/${path}/control`, { value: 1 });

      expect(response.status).toBe(400);
      expect(response.body.error.parameter).toBe('pointId');
      expect(edge!.all('control-command')).toEqual([]);
      expect(await auditEntries(fixture, 'point.control', pointId)).toEqual([]);
    });
  }
});
