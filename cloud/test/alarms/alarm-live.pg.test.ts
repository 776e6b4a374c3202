import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlarmChangePublisher } from '../../src/alarms/alarm-publisher';
import { createSilentLogger } from '../../src/logger';
import { ingestBatch } from '../../src/uploads/ingest-batch';
import { BrowserClient } from '../live/live-support';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { serveHub, type ServedHub } from '../support/served-hub';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { batchOf, pairEdge, type PairedEdge } from '../uploads/paired-edge';
import { alarmEvent, raiseAlarm, transition } from './alarm-fixture';

let fixture: CloudFixture;
let ctx: SiteRoles;
let edge: PairedEdge;
let hub: ServedHub;
const clients: BrowserClient[] = [];

beforeAll(async () => {
  fixture = await createCloudFixture('alarm_live');
  ctx = await seedSiteRoles(fixture);
  edge = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId);
  hub = await serveHub(fixture);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await hub?.close();
  await fixture?.close();
});

/** Connects a browser with `token` and subscribes it to `siteId`. */
async function subscribedBrowser(token: string, siteId: string): Promise<BrowserClient> {
  const client = await BrowserClient.connect(hub.port, token);
  clients.push(client);
  client.send({ type: 'subscribe', sites: [siteId] });
  await client.next('site-subscribed');
  return client;
}

describe('site-alarm on /ws', () => {
  it('relays a hub acknowledgement to a subscribed browser', async () => {
    const viewer = await subscribedBrowser(ctx.tokens.viewer, ctx.siteId);
    const raise = await raiseAlarm(fixture, edge);
    const response = await call(fixture.app, ctx.tokens.operator, 'POST', `/api/sites/${ctx.siteId}/alarms/${raise.ruleId}/acknowledge`, { occurrence: raise.occurrence });
    expect(response.status).toBe(202);

    const message = await viewer.next('site-alarm', (m) => m.change.transition.id === response.body.requestId);
    expect(message.siteId).toBe(ctx.siteId);
    expect(message.change.alarm).toMatchObject({ ruleId: raise.ruleId, acknowledgedBy: { name: 'operator', origin: 'cloud' } });
  });

  it('relays every uploaded change in order', async () => {
    const viewer = await subscribedBrowser(ctx.tokens.viewer, ctx.siteId);
    const from = viewer.messages.length;
    const raise = transition('live-rule', { seq: 1 });
    const clear = transition('live-rule', { seq: 2, action: 'clear', from: 'active_unack', to: 'cleared_unack', occurrence: raise.occurrence });
    const logger = createSilentLogger();
    // The upload route passes no publisher yet, so the test ingests the batch as the route would with one.
    await ingestBatch(fixture.sql, batchOf({ events: [clear, raise].map(alarmEvent) }), {
      edge: { edgeNodeId: edge.id, organizationId: ctx.organizationId, siteId: ctx.siteId },
      uploadAt: Date.now(),
      clockSkewThresholdMs: 30_000,
      now: Date.now,
      alarms: { logger, publish: createAlarmChangePublisher(fixture.redis, fixture.redisPrefix, logger) },
    });

    await viewer.next('site-alarm', (m) => m.change.transition.id === clear.id, from);
    const relayed = viewer.messages.slice(from).flatMap((m) => (m.type === 'site-alarm' ? [m.change.transition.id] : []));
    expect(relayed).toEqual([raise.id, clear.id]);
    const states = viewer.messages.slice(from).flatMap((m) => (m.type === 'site-alarm' ? [m.change.alarm.state] : []));
    expect(states).toEqual(['active_unack', 'cleared_unack']);
  });

  it('sends nothing for a site the browser did not subscribe to', async () => {
    const otherSiteWatcher = await subscribedBrowser(ctx.tokens.org_admin, ctx.otherSiteId);
    const raise = await raiseAlarm(fixture, edge);
    const witness = await subscribedBrowser(ctx.tokens.viewer, ctx.siteId);
    const from = witness.messages.length;
    await call(fixture.app, ctx.tokens.operator, 'POST', `/api/sites/${ctx.siteId}/alarms/${raise.ruleId}/acknowledge`, { occurrence: raise.occurrence });
    await witness.next('site-alarm', (m) => m.change.alarm.ruleId === raise.ruleId, from);
    expect(otherSiteWatcher.messages.filter((m) => m.type === 'site-alarm')).toEqual([]);
  });

  it('denies a site the user may not see', async () => {
    const outsider = await BrowserClient.connect(hub.port, ctx.outsiderToken);
    clients.push(outsider);
    outsider.send({ type: 'subscribe', sites: [ctx.siteId] });
    const subscribed = await outsider.next('site-subscribed');
    expect(subscribed.denied).toEqual([ctx.siteId]);

    const raise = await raiseAlarm(fixture, edge);
    const witness = await subscribedBrowser(ctx.tokens.viewer, ctx.siteId);
    const from = witness.messages.length;
    await call(fixture.app, ctx.tokens.operator, 'POST', `/api/sites/${ctx.siteId}/alarms/${raise.ruleId}/acknowledge`, { occurrence: raise.occurrence });
    await witness.next('site-alarm', (m) => m.change.alarm.ruleId === raise.ruleId, from);
    expect(outsider.messages.filter((m) => m.type === 'site-alarm')).toEqual([]);
  });
});
