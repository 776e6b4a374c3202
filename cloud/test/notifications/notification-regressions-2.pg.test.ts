import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanTransitions } from '../../src/notifications/transition-scan';
import { createWebhookSecret } from '../../src/notifications/webhook-signature';
import { T0, transition, uploadTransitions } from '../alarms/alarm-fixture';
import { createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { asOwner, seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { pairEdge, type PairedEdge } from '../uploads/paired-edge';

// Webhook bodies of alarm.acknowledged and alarm.cleared had activeSince null even while the alarm was
// still active (active_ack, cleared_unack), so a receiver could not tell how long it had been active.

let fixture: CloudFixture;
let roles: SiteRoles;
let edge: PairedEdge;

beforeAll(async () => {
  fixture = await createCloudFixture('notification_regressions_2');
  roles = await seedSiteRoles(fixture);
  edge = await pairEdge(fixture.app, roles.tokens.site_manager, roles.siteId);
  // The receiver is never called: the test reads the queued bodies only.
  await asOwner(fixture, (tx) => tx`
    INSERT INTO webhooks (organization_id, name, url, secret, events, min_severity)
    VALUES (${roles.organizationId}, 'Control room', 'http://127.0.0.1:9/hook', ${createWebhookSecret()},
            ${tx.array(['alarm.raised', 'alarm.acknowledged', 'alarm.cleared'])}, 'info')`);
});

afterAll(async () => {
  await fixture?.close();
});

/** Returns the queued body's alarm.activeSince of the event that announces `transitionId`. */
async function queuedActiveSince(transitionId: string): Promise<number | null | undefined> {
  const [row] = await asOwner(fixture, (tx) => tx<{ payload: { alarm: { activeSince: number | null } } }[]>`
    SELECT payload FROM webhook_deliveries WHERE event_key = ${`transition:${transitionId}`}`);
  return row?.payload.alarm.activeSince;
}

describe('activeSince in webhook bodies', () => {
  it('sets activeSince while active', async () => {
    const ruleId = 'boiler-high';
    const occurrence = randomUUID();
    const raise = transition(ruleId, { seq: 1, occurrence });
    const acknowledge = transition(ruleId, { seq: 2, occurrence, action: 'acknowledge', from: 'active_unack', to: 'active_ack', at: T0 + 60_000 });
    const clear = transition(ruleId, { seq: 3, occurrence, action: 'clear', from: 'active_ack', to: 'normal', at: T0 + 120_000 });
    const otherRaise = transition('pump-high', { seq: 1, at: T0 + 10_000 });
    const otherClear = transition('pump-high', {
      seq: 2,
      occurrence: otherRaise.occurrence,
      action: 'clear',
      from: 'active_unack',
      to: 'cleared_unack',
      at: T0 + 70_000,
    });
    await uploadTransitions(fixture, edge, [raise, acknowledge, clear, otherRaise, otherClear]);

    expect(await scanTransitions(fixture.sql, new Date(), 100)).toMatchObject({ read: 5, queued: 5 });

    expect(await queuedActiveSince(raise.id)).toBe(T0);
    expect(await queuedActiveSince(acknowledge.id)).toBe(T0);
    expect(await queuedActiveSince(otherClear.id)).toBe(T0 + 10_000);
    expect(await queuedActiveSince(clear.id)).toBeNull();
  });

  it('leaves activeSince null once normal', async () => {
    const ruleId = 'fan-high';
    const occurrence = randomUUID();
    const raise = transition(ruleId, { seq: 1, occurrence, at: T0 + 200_000 });
    const clear = transition(ruleId, { seq: 2, occurrence, action: 'clear', from: 'active_unack', to: 'cleared_unack', at: T0 + 210_000 });
    const acknowledge = transition(ruleId, { seq: 3, occurrence, action: 'acknowledge', from: 'cleared_unack', to: 'normal', at: T0 + 220_000 });
    await uploadTransitions(fixture, edge, [raise, clear, acknowledge]);

    await scanTransitions(fixture.sql, new Date(), 100);

    expect(await queuedActiveSince(clear.id)).toBe(T0 + 200_000);
    expect(await queuedActiveSince(acknowledge.id)).toBeNull();
  });
});
