import type { AlarmTransition } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../audit/parse-csv';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { pairEdge } from '../uploads/paired-edge';
import { T0, transition, uploadTransitions } from './alarm-fixture';

let fixture: CloudFixture;
let ctx: SiteRoles;

/** Transitions by site: a warning raised and cleared on meter.W and a critical offline alarm at the main site, one at each other site. */
let main: AlarmTransition[];
let other: AlarmTransition[];
let foreign: AlarmTransition[];

beforeAll(async () => {
  fixture = await createCloudFixture('alarm_history');
  ctx = await seedSiteRoles(fixture);
  const mainEdge = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId);
  const otherEdge = await pairEdge(fixture.app, ctx.tokens.org_admin, ctx.otherSiteId);
  const foreignEdge = await pairEdge(fixture.app, ctx.outsiderToken, ctx.foreignSiteId);

  const raise = transition('power-high', { seq: 1, at: T0 });
  main = [
    raise,
    transition('power-high', { seq: 2, action: 'clear', from: 'active_unack', to: 'cleared_unack', occurrence: raise.occurrence, at: T0 + 60_000, value: 70 }),
    transition('pump-offline', {
      seq: 3,
      at: T0 + 120_000,
      severity: 'critical',
      point: null,
      device: 'pump',
      value: null,
      message: '=HYPERLINK("http://example.test") pump is offline',
    }),
  ];
  other = [transition('other-rule', { seq: 1, at: T0 + 30_000, device: 'boiler', point: 'boiler.temp' })];
  foreign = [transition('foreign-rule', { seq: 1, at: T0 + 30_000 })];
  await uploadTransitions(fixture, mainEdge, main);
  await uploadTransitions(fixture, otherEdge, other);
  await uploadTransitions(fixture, foreignEdge, foreign);
});

afterAll(async () => {
  await fixture?.close();
});

async function historyIds(token: string, query = ''): Promise<string[]> {
  const response = await call(fixture.app, token, 'GET', `/api/alarms/history${query}`);
  if (response.status !== 200) throw new Error(`history failed with ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.transitions.map((t: AlarmTransition) => t.id);
}

const ids = (transitions: AlarmTransition[]) => transitions.map((t) => t.id);

describe('alarm history scope', () => {
  it('returns one site newest first', async () => {
    expect(await historyIds(ctx.tokens.viewer, `?siteId=${ctx.siteId}`)).toEqual(ids(main).reverse());
  });

  it('covers the granted sites of a viewer', async () => {
    expect(await historyIds(ctx.tokens.viewer)).toEqual(ids(main).reverse());
  });

  it("covers every site of an org admin's organization", async () => {
    const seen = await historyIds(ctx.tokens.org_admin);
    expect(seen.sort()).toEqual([...ids(main), ...ids(other)].sort());
  });

  it('covers every site for a platform admin', async () => {
    const seen = await historyIds(ctx.tokens.platform_admin);
    expect(seen.sort()).toEqual([...ids(main), ...ids(other), ...ids(foreign)].sort());
  });

  it('keeps an org admin of another organization to it', async () => {
    expect(await historyIds(ctx.outsiderToken)).toEqual(ids(foreign));
    const probe = await call(fixture.app, ctx.outsiderToken, 'GET', `/api/alarms/history?siteId=${ctx.siteId}`);
    expect(probe.status).toBe(404);
  });

  it('shows nothing to a member without site access', async () => {
    expect(await historyIds(ctx.tokens.member)).toEqual([]);
    expect((await call(fixture.app, ctx.tokens.member, 'GET', `/api/alarms/history?siteId=${ctx.siteId}`)).status).toBe(404);
  });

  it('returns a transition as the edge uploaded it', async () => {
    const response = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/alarms/history?siteId=${ctx.siteId}&ruleId=pump-offline`);
    const [entry] = response.body.transitions;
    const { siteId, recordedAt, ...uploaded } = entry;
    expect(uploaded).toEqual(main[2]);
    expect(siteId).toBe(ctx.siteId);
    expect(typeof recordedAt).toBe('number');
  });
});

describe('alarm history filters', () => {
  const at = (ms: number) => new Date(ms).toISOString();
  const cases: { name: string; query: string; expected: () => string[] }[] = [
    { name: 'device', query: 'device=pump', expected: () => [main[2]!.id] },
    { name: 'point', query: 'point=meter.W', expected: () => [main[1]!.id, main[0]!.id] },
    { name: 'severity', query: 'severity=critical', expected: () => [main[2]!.id] },
    { name: 'state after the transition', query: 'state=cleared_unack', expected: () => [main[1]!.id] },
    { name: 'action', query: 'action=raise', expected: () => [main[2]!.id, main[0]!.id] },
    { name: 'time range in ISO 8601', query: `from=${at(T0 + 1)}&to=${at(T0 + 120_000)}`, expected: () => [main[1]!.id] },
    { name: 'time range in epoch ms', query: `from=${T0}&to=${T0 + 60_000}`, expected: () => [main[0]!.id] },
    { name: 'limit', query: 'limit=1', expected: () => [main[2]!.id] },
  ];

  it.each(cases)('filters by $name', async ({ query, expected }) => {
    expect(await historyIds(ctx.tokens.viewer, `?siteId=${ctx.siteId}&${query}`)).toEqual(expected());
  });

  it('marks a page cut by the limit', async () => {
    const cut = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/alarms/history?siteId=${ctx.siteId}&limit=2`);
    expect(cut.body.truncated).toBe(true);
    const whole = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/alarms/history?siteId=${ctx.siteId}&limit=3`);
    expect(whole.body.truncated).toBe(false);
  });

  it.each([
    { query: 'from=yesterday', parameter: 'from' },
    { query: `from=${T0 + 10}&to=${T0}`, parameter: 'to' },
    { query: 'severity=fatal', parameter: 'severity' },
    { query: 'limit=0', parameter: 'limit' },
  ])('rejects $query naming $parameter', async ({ query, parameter }) => {
    const response = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/alarms/history?siteId=${ctx.siteId}&${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error.parameter).toBe(parameter);
  });
});

describe('alarm history CSV', () => {
  it('exports the transitions newest first', async () => {
    const response = await call(fixture.app, ctx.tokens.operator, 'GET', `/api/alarms/history.csv?siteId=${ctx.siteId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('x-export-truncated')).toBeNull();
    const [header, ...rows] = parseCsv(response.body as string);
    expect(header!.slice(0, 7)).toEqual(['at', 'siteId', 'ruleId', 'severity', 'action', 'from', 'to']);
    expect(rows.map((row) => row[header!.indexOf('id')])).toEqual(ids(main).reverse());
    const offline = rows[0]!;
    expect(offline[header!.indexOf('at')]).toBe(new Date(T0 + 120_000).toISOString());
    expect(offline[header!.indexOf('message')]).toBe(`'${main[2]!.message}`);
    expect(rows[1]![header!.indexOf('value')]).toBe('70');
  });

  it('marks a truncated export', async () => {
    const response = await call(fixture.app, ctx.tokens.operator, 'GET', `/api/alarms/history.csv?siteId=${ctx.siteId}&limit=2`);
    expect(response.headers.get('x-export-truncated')).toBe('true');
    expect(parseCsv(response.body as string)).toHaveLength(3);
  });

  it('needs report.export at the site', async () => {
    const response = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/alarms/history.csv?siteId=${ctx.siteId}`);
    expect(response.status).toBe(403);
  });

  it('leaves out sites where the caller may not export', async () => {
    const response = await call(fixture.app, ctx.tokens.viewer, 'GET', '/api/alarms/history.csv');
    expect(response.status).toBe(200);
    expect(parseCsv(response.body as string)).toHaveLength(1);
  });

  it('covers the organization of an org admin', async () => {
    const response = await call(fixture.app, ctx.tokens.org_admin, 'GET', '/api/alarms/history.csv');
    const [header, ...rows] = parseCsv(response.body as string);
    expect(rows.map((row) => row[header!.indexOf('id')]).sort()).toEqual([...ids(main), ...ids(other)].sort());
  });
});
