import { randomUUID } from 'node:crypto';
import {
  alarmActionResultSchema,
  alarmStatusSchema,
  alarmTransitionSchema,
  type AlarmActionResult,
  type AlarmStatus,
  type AlarmTransition,
  type EffectiveRole,
} from '@simtestlab/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../../src/api/server';
import { fileAlarmRulesSchema } from '../../src/config/schema';
import { createSilentLogger } from '../../src/logger';
import { UPLOAD_QUEUE_META_KEY } from '../../src/upload/event-queue';
import { createApiFixture, testSiteConfig, type ApiFixture } from '../api/api-fixture';
import { addHubKey, addSiteUser, signHubToken } from '../auth/hub-support';
import { LiveTestClient } from '../live/live-test-client';

let fixture: ApiFixture | undefined;
let server: RunningHttpServer | undefined;
let client: LiveTestClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  await fixture?.close();
  client = undefined;
  server = undefined;
  fixture = undefined;
});

const alarmRules = fileAlarmRulesSchema.parse([
  { id: 'import-high', name: 'Import high', severity: 'warning', point: 'meter.powerW', condition: { type: 'high', limit: 100 } },
  { id: 'pv-low', name: 'PV low', severity: 'info', point: 'pv.acPowerW', condition: { type: 'low', limit: 10 } },
]);

type Tokens = Record<'viewer' | 'operator' | 'site_manager', string>;

/** Starts an edge with the alarm rules, the upload outbox on, and a hub token per site role. */
async function setUp(): Promise<{ site: ApiFixture; tokens: Tokens }> {
  const site = (fixture = await createApiFixture({ ...testSiteConfig(), alarms: alarmRules }));
  site.runtime.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(UPLOAD_QUEUE_META_KEY, String(Date.now()));
  const key = await addHubKey(site.runtime.db);
  const tokens = {} as Tokens;
  for (const role of ['viewer', 'operator', 'site_manager'] as const satisfies readonly EffectiveRole[]) {
    tokens[role] = await signHubToken(key, await addSiteUser(site.runtime.db, { email: `${role}@example.com`, role }));
  }
  return { site, tokens };
}

/** Feeds one good reading of `meter.powerW` or `pv.acPowerW`. */
function feed(site: ApiFixture, point: 'meter.powerW' | 'pv.acPowerW', value: number): void {
  const [device, key] = point.split('.') as [string, string];
  site.runtime.ingest(site.device(device), Date.now(), [{ point: key, value, quality: 'good' }], false);
}

function request(site: ApiFixture, token: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, ...init.headers };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  return Promise.resolve(
    site.app.request(path, { method: init.method ?? 'GET', headers, ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }) }),
  );
}

async function activeAlarms(site: ApiFixture, token: string): Promise<AlarmStatus[]> {
  const response = await request(site, token, '/api/alarms');
  expect(response.status).toBe(200);
  return ((await response.json()) as { alarms: unknown[] }).alarms.map((alarm) => alarmStatusSchema.parse(alarm));
}

async function act(site: ApiFixture, token: string, ruleId: string, action: string, body: unknown = {}, headers: Record<string, string> = {}) {
  const response = await request(site, token, `/api/alarms/${ruleId}/${action}`, { method: 'POST', body, headers });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function applied(json: unknown): Extract<AlarmActionResult, { ok: true }> {
  const result = alarmActionResultSchema.parse(json);
  if (!result.ok) throw new Error(`expected an applied action, got ${result.code}`);
  return result;
}

describe('GET /api/alarms', () => {
  it('lists alarms that are not normal to a viewer', async () => {
    const { site, tokens } = await setUp();
    feed(site, 'meter.powerW', 150);
    feed(site, 'pv.acPowerW', 500);

    const alarms = await activeAlarms(site, tokens.viewer);

    expect(alarms.map((alarm) => [alarm.ruleId, alarm.state, alarm.siteId, alarm.value])).toEqual([['import-high', 'active_unack', 'api-test', 150]]);
  });

  it('requires a token', async () => {
    const { site } = await setUp();

    const response = await site.app.request('/api/alarms');

    expect(response.status).toBe(401);
  });
});

describe('POST /api/alarms/{ruleId}/{action}', () => {
  it('rejects a viewer acknowledgement and applies an operator one', async () => {
    const { site, tokens } = await setUp();
    feed(site, 'meter.powerW', 150);
    const [alarm] = await activeAlarms(site, tokens.viewer);

    const denied = await act(site, tokens.viewer, 'import-high', 'acknowledge', { occurrence: alarm!.occurrence });
    const done = await act(site, tokens.operator, 'import-high', 'acknowledge', { occurrence: alarm!.occurrence });

    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({ error: expect.objectContaining({ code: 'not_permitted', message: expect.stringContaining('alarm.acknowledge') }) });
    expect(done.status).toBe(200);
    expect(applied(done.json).transition).toEqual(expect.objectContaining({ action: 'acknowledge', from: 'active_unack', to: 'active_ack', user: expect.objectContaining({ name: 'operator', origin: 'edge' }) }));
  });

  it('lets a site manager take an alarm out of service, not an operator', async () => {
    const { site, tokens } = await setUp();

    const operator = await act(site, tokens.operator, 'import-high', 'remove-from-service');
    const manager = await act(site, tokens.site_manager, 'import-high', 'remove-from-service', { comment: 'meter replaced' });
    const back = await act(site, tokens.site_manager, 'import-high', 'return-to-service');

    expect(operator.status).toBe(403);
    expect(operator.json).toEqual({ error: expect.objectContaining({ code: 'not_permitted', message: expect.stringContaining('site.manage') }) });
    expect(manager.status).toBe(200);
    expect(applied(manager.json).transition).toEqual(expect.objectContaining({ action: 'remove_from_service', to: 'out_of_service', comment: 'meter replaced' }));
    expect(applied(back.json).transition).toEqual(expect.objectContaining({ action: 'return_to_service', to: 'normal' }));
  });

  it('stores a second acknowledgement as a duplicate', async () => {
    const { site, tokens } = await setUp();
    feed(site, 'meter.powerW', 150);
    const [alarm] = await activeAlarms(site, tokens.viewer);
    await act(site, tokens.operator, 'import-high', 'acknowledge', { occurrence: alarm!.occurrence });

    const second = await act(site, tokens.site_manager, 'import-high', 'acknowledge', { occurrence: alarm!.occurrence });

    expect(second.status).toBe(200);
    expect(applied(second.json)).toEqual(expect.objectContaining({ duplicate: true, transition: expect.objectContaining({ from: 'active_ack', to: 'active_ack' }) }));
  });

  it('applies a request with the same Idempotency-Key once', async () => {
    const { site, tokens } = await setUp();
    const headers = { 'Idempotency-Key': randomUUID() };

    const first = await act(site, tokens.operator, 'import-high', 'comment', { comment: 'first try' }, headers);
    const again = await act(site, tokens.operator, 'import-high', 'comment', { comment: 'first try' }, headers);
    const history = await request(site, tokens.viewer, '/api/alarms/history?action=comment');

    expect(again).toEqual(first);
    expect(applied(first.json).transition.requestId).toBe(headers['Idempotency-Key']);
    expect(((await history.json()) as { transitions: unknown[] }).transitions).toHaveLength(1);
  });

  it.each([
    { case: 'an unknown action', path: 'import-high/silence', body: {}, status: 404, code: 'unknown_action', message: /"silence"/ },
    { case: 'an unknown rule', path: 'no-such-rule/comment', body: { comment: 'x' }, status: 404, code: 'unknown_alarm', message: /"no-such-rule"/ },
    { case: 'an unknown body field', path: 'import-high/comment', body: { comment: 'x', urgent: true }, status: 400, code: 'invalid_body', message: /urgent/ },
    { case: 'a shelve without an end', path: 'import-high/shelve', body: {}, status: 400, code: 'invalid_request', message: /shelvedUntil/ },
    { case: 'an occurrence that is over', path: 'import-high/acknowledge', body: { occurrence: randomUUID() }, status: 409, code: 'stale_occurrence', message: /is over/ },
    { case: 'an unshelve of an alarm not shelved', path: 'import-high/unshelve', body: {}, status: 409, code: 'invalid_state', message: /not shelved/ },
  ])('rejects $case with $status', async ({ path, body, status, code, message }) => {
    const { site, tokens } = await setUp();
    feed(site, 'meter.powerW', 150);

    const response = await request(site, tokens.operator, `/api/alarms/${path}`, { method: 'POST', body });
    const json = (await response.json()) as { error: { code: string; message: string } };

    expect(response.status).toBe(status);
    expect(json.error.code).toBe(code);
    expect(json.error.message).toMatch(message);
  });

  it('rejects an Idempotency-Key that is not a UUID', async () => {
    const { site, tokens } = await setUp();

    const response = await act(site, tokens.operator, 'import-high', 'comment', { comment: 'x' }, { 'Idempotency-Key': 'abc' });

    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: expect.objectContaining({ parameter: 'Idempotency-Key' }) });
  });

  it('queues every transition for upload with the transition as payload', async () => {
    const { site, tokens } = await setUp();
    feed(site, 'meter.powerW', 150);
    const [alarm] = await activeAlarms(site, tokens.viewer);
    const ack = applied((await act(site, tokens.operator, 'import-high', 'acknowledge', { occurrence: alarm!.occurrence })).json);

    const events = site.runtime.db
      .prepare<[], { id: string; kind: string; at: number; payload: string }>("SELECT id, kind, at, payload FROM upload_events WHERE kind = 'alarm' ORDER BY seq")
      .all();
    const payloads = events.map((event) => alarmTransitionSchema.parse(JSON.parse(event.payload)));

    expect(payloads.map((payload) => payload.action)).toEqual(['raise', 'acknowledge']);
    expect(events.map((event) => event.id)).toEqual(payloads.map((payload) => payload.id));
    expect(payloads[1]).toEqual(ack.transition);
    expect(events[1]!.at).toBe(ack.transition.at);
  });
});

describe('GET /api/alarms/history', () => {
  /** Raises and clears both rules, comments on one, and returns the transitions newest first. */
  async function withHistory(): Promise<{ site: ApiFixture; tokens: Tokens }> {
    const setup = await setUp();
    const { site, tokens } = setup;
    feed(site, 'meter.powerW', 150);
    feed(site, 'pv.acPowerW', 2);
    await act(site, tokens.operator, 'import-high', 'comment', { comment: 'feeder 2, "load test"' });
    feed(site, 'meter.powerW', 50);
    return setup;
  }

  async function history(site: ApiFixture, token: string, query: string): Promise<AlarmTransition[]> {
    const response = await request(site, token, `/api/alarms/history${query}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { transitions: unknown[] }).transitions.map((transition) => alarmTransitionSchema.parse(transition));
  }

  it.each([
    { filter: '', expected: ['import-high:clear', 'import-high:comment', 'pv-low:raise', 'import-high:raise'] },
    { filter: '?ruleId=pv-low', expected: ['pv-low:raise'] },
    { filter: '?device=meter', expected: ['import-high:clear', 'import-high:comment', 'import-high:raise'] },
    { filter: '?point=pv.acPowerW', expected: ['pv-low:raise'] },
    { filter: '?severity=info', expected: ['pv-low:raise'] },
    { filter: '?state=cleared_unack', expected: ['import-high:clear'] },
    { filter: '?action=raise', expected: ['pv-low:raise', 'import-high:raise'] },
    { filter: '?action=raise&limit=1', expected: ['pv-low:raise'] },
    { filter: '?to=2000-01-01T00:00:00Z', expected: [] },
  ])('filters with "$filter"', async ({ filter, expected }) => {
    const { site, tokens } = await withHistory();

    const transitions = await history(site, tokens.viewer, filter);

    expect(transitions.map((transition) => `${transition.ruleId}:${transition.action}`)).toEqual(expected);
  });

  it('filters by time', async () => {
    const { site, tokens } = await withHistory();
    const all = await history(site, tokens.viewer, '');
    const newest = all[0]!;

    const fromNewest = await history(site, tokens.viewer, `?from=${newest.at}`);
    const beforeNewest = await history(site, tokens.viewer, `?to=${new Date(newest.at).toISOString()}`);

    expect(fromNewest.every((transition) => transition.at >= newest.at)).toBe(true);
    expect(fromNewest.map((transition) => transition.id)).toContain(newest.id);
    expect(beforeNewest.every((transition) => transition.at < newest.at)).toBe(true);
  });

  it.each([
    { query: '?severity=urgent', parameter: 'severity' },
    { query: '?state=ringing', parameter: 'state' },
    { query: '?from=yesterday', parameter: 'from' },
    { query: '?limit=0', parameter: 'limit' },
    { query: '?from=2026-12-05T10:00:00Z&to=2026-12-05T09:00:00Z', parameter: 'to' },
    { query: '?rule=import-high', parameter: 'query' },
  ])('rejects $query naming $parameter', async ({ query, parameter }) => {
    const { site, tokens } = await setUp();

    const response = await request(site, tokens.viewer, `/api/alarms/history${query}`);

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { parameter: string } }).error.parameter).toBe(parameter);
  });
});

describe('GET /api/alarms/history.csv', () => {
  it('streams the history to an operator, newest first', async () => {
    const { site, tokens } = await setUp();
    feed(site, 'meter.powerW', 150);
    await act(site, tokens.operator, 'import-high', 'comment', { comment: 'feeder 2, "load test"' });

    const response = await request(site, tokens.operator, '/api/alarms/history.csv');
    const lines = (await response.text()).trimEnd().split('\n');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(lines[0]).toBe('time,seq,id,ruleId,action,from,to,severity,point,device,value,message,user,userOrigin,comment,occurrence,shelvedUntil,requestId');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(',import-high,comment,active_unack,active_unack,warning,meter.powerW,meter,150,');
    expect(lines[1]).toContain(',operator,edge,"feeder 2, ""load test""",');
    expect(lines[2]).toContain(',import-high,raise,normal,active_unack,');
  });

  it('rejects a viewer', async () => {
    const { site, tokens } = await setUp();

    const response = await request(site, tokens.viewer, '/api/alarms/history.csv');

    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('report.export');
  });

  it('pages through more rows than one read', async () => {
    const { site, tokens } = await setUp();
    for (let index = 0; index < 1203; index++) site.runtime.alarms.apply({ ruleId: 'pv-low', action: 'comment', body: { comment: `note ${index}` }, actor: { id: 'u', name: 'u', role: 'operator', developer: false, origin: 'edge' } });

    const all = (await (await request(site, tokens.operator, '/api/alarms/history.csv?limit=10000')).text()).trimEnd().split('\n');
    const limited = (await (await request(site, tokens.operator, '/api/alarms/history.csv?limit=700')).text()).trimEnd().split('\n');

    expect(all).toHaveLength(1204);
    expect(all[1]).toContain('note 1202');
    expect(all.at(-1)).toContain('note 0');
    expect(limited).toHaveLength(701);
  });
});

describe('live alarm messages', () => {
  it('sends every change to every authenticated client', async () => {
    const { site, tokens } = await setUp();
    server = await startHttpServer(site.runtime, createSilentLogger(), { host: '127.0.0.1', port: 0, auth: site.auth });
    client = await LiveTestClient.connect(`ws://127.0.0.1:${server.port}/ws`, { token: tokens.viewer });
    await client.nextOfType('hello');

    feed(site, 'meter.powerW', 150);
    const message = await client.nextOfType('alarm');

    expect(message.change.transition).toEqual(expect.objectContaining({ ruleId: 'import-high', action: 'raise', to: 'active_unack' }));
    expect(message.change.alarm).toEqual(expect.objectContaining({ ruleId: 'import-high', state: 'active_unack', occurrence: message.change.transition.occurrence }));
    expect(client.invalidFrames).toEqual([]);
  });
});
