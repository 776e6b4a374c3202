import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { pairEdge, type PairedEdge } from '../uploads/paired-edge';
import { addMeter, raiseAlarm } from './alarm-fixture';

/* Faults found by trying to break the hub's alarm API as its users would, each kept as a test. */

let fixture: CloudFixture;
let ctx: SiteRoles;
let edge: PairedEdge;

beforeAll(async () => {
  fixture = await createCloudFixture('alarm_regressions');
  ctx = await seedSiteRoles(fixture);
  edge = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId);
  await raiseAlarm(fixture, edge);
});

afterAll(async () => {
  await fixture?.close();
});

const history = (path: string, query: string) => call(fixture.app, ctx.tokens.site_manager, 'GET', `/api/alarms/${path}?siteId=${ctx.siteId}&${query}`);

describe('history times outside what Postgres reads', () => {
  // JavaScript dates reach years ±275760; the driver sends such a date with a signed six-digit year,
  // which Postgres refused, and the request failed with 500.
  const outOfRange = [
    ['an epoch ms time in year 33658', 'from=999999999999999'],
    ['the earliest JavaScript date', `from=${encodeURIComponent('-271821-04-20T00:00:00Z')}`],
    ['the latest JavaScript date', `to=${encodeURIComponent('+275760-09-13T00:00:00Z')}`],
    ['year 10000', `to=${encodeURIComponent('+010000-01-01T00:00:00Z')}`],
  ] as const;

  for (const [name, query] of outOfRange) {
    it(`answers 400 naming the parameter for ${name}, in JSON and CSV`, async () => {
      for (const path of ['history', 'history.csv']) {
        const response = await history(path, query);
        expect(response.status, `${path}?${query}`).toBe(400);
        expect(response.body.error.parameter).toBe(query.split('=')[0]);
        expect(response.body.error.message).toContain('years 0001 to 9999');
      }
    });
  }

  it('still reads the first and the last time of the range', async () => {
    const response = await history('history', `from=${encodeURIComponent('0001-01-01T00:00:00Z')}&to=${encodeURIComponent('9999-12-31T23:59:59.999Z')}`);
    expect(response.status).toBe(200);
    expect(response.body.transitions).toHaveLength(1);
  });
});

describe('rule conditions that cannot match their point', () => {
  // The edge judges limits and rates on numbers only and skips a boolean or text value, so such a rule
  // was accepted and then never raised its alarm.
  const rulesPath = () => `/api/sites/${ctx.siteId}/alarm-rules`;

  beforeAll(async () => {
    await addMeter(fixture, ctx.tokens.site_manager, ctx.siteId);
    const response = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/devices`, {
      device: {
        key: 'breaker',
        driver: 'modbus-tcp',
        connection: { host: '192.0.2.11', unitId: 1 },
        points: [
          { key: 'tripped', table: 'coil', address: 0, dataType: 'bool', kind: 'state' },
          { key: 'label', address: 10, dataType: 'string', kind: 'state' },
        ],
      },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  });

  const numeric = [
    ['a high limit on a boolean point', 'breaker.tripped', { type: 'high', limit: 0.5 }],
    ['a low-low limit on a text point', 'breaker.label', { type: 'low_low', limit: 1 }],
    ['a rate of change on a boolean point', 'breaker.tripped', { type: 'rate_of_change', maxChangePerMinute: 1 }],
  ] as const;

  for (const [name, point, condition] of numeric) {
    it(`rejects ${name}`, async () => {
      const response = await call(fixture.app, ctx.tokens.site_manager, 'POST', rulesPath(), { name: 'Never', severity: 'warning', point, condition });
      expect(response.status).toBe(400);
      expect(response.body.error.parameter).toBe('condition.type');
      expect(response.body.error.message).toContain(point);
    });
  }

  it('rejects a change of point that leaves a limit on a boolean', async () => {
    const created = await call(fixture.app, ctx.tokens.site_manager, 'POST', rulesPath(), { name: 'Power high', severity: 'warning', point: 'meter.W', condition: { type: 'high', limit: 80 } });
    expect(created.status).toBe(201);

    const changed = await call(fixture.app, ctx.tokens.site_manager, 'PATCH', `${rulesPath()}/${created.body.id}`, { point: 'breaker.tripped' });
    expect(changed.status).toBe(400);
    expect(changed.body.error.parameter).toBe('condition.type');
  });

  it('accepts a state condition on a boolean point', async () => {
    const response = await call(fixture.app, ctx.tokens.site_manager, 'POST', rulesPath(), {
      name: 'Breaker tripped',
      severity: 'critical',
      point: 'breaker.tripped',
      condition: { type: 'state', values: [true] },
    });
    expect(response.status).toBe(201);
  });
});
