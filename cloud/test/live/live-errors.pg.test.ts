import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UPLINK_PATH, UPLINK_PROTOCOL_HEADER, UPLINK_PROTOCOL_VERSION, uplinkHubMessageSchema, type UplinkHubMessage } from '@simtestlab/sync';
import { decodeJwt } from 'jose';
import WebSocket from 'ws';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TTL_S, issueAccessToken } from '../../src/auth/access-tokens';
import { MAX_PENDING_REQUESTS } from '../../src/live/browser-session';
import { siteLastValuesKey } from '../../src/live/redis-keys';
import { CLOSE_EDGE_REVOKED, CLOSE_PROTOCOL_MISMATCH, MAX_LAST_VALUE_POINTS } from '../../src/live/uplink-gateway';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { pairEdge, stopProcess } from '../sync-faults/edge-process';
import { BrowserClient, rejectedUpgrade, signAssertionFromDataDir, startHubProcess, until, type HubProcess } from './live-support';

let fixture: CloudFixture;
let ctx: SiteRoles;
let hub: HubProcess;
let dataDir: string;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  fixture = await createCloudFixture('live_errors');
  ctx = await seedSiteRoles(fixture);
  hub = await startHubProcess(fixture);
  dataDir = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId, `http://127.0.0.1:${hub.port}`);
}, 90_000);

afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  await stopProcess(hub?.child);
  await fixture?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Opens an uplink with a valid assertion and `protocol` offered, and collects what the hub sends. */
async function openUplink(protocol: string | undefined) {
  const headers: Record<string, string> = { Authorization: `Bearer ${await signAssertionFromDataDir(dataDir)}` };
  if (protocol !== undefined) headers[UPLINK_PROTOCOL_HEADER] = protocol;
  const socket = new WebSocket(`ws://127.0.0.1:${hub.port}${UPLINK_PATH}`, { headers });
  sockets.push(socket);
  const messages: UplinkHubMessage[] = [];
  socket.on('message', (data) => messages.push(uplinkHubMessageSchema.parse(JSON.parse(data.toString()))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, messages, closed };
}

describe('browser upgrade', () => {
  it('rejects a missing token', async () => {
    const { status, body } = await rejectedUpgrade(`ws://127.0.0.1:${hub.port}/ws`);

    expect(status).toBe(401);
    expect(JSON.parse(body).error.code).toBe('unauthenticated');
    expect(JSON.parse(body).error.message).toContain('access_token subprotocol');
  });

  it('rejects an invalid token', async () => {
    const { status, body } = await rejectedUpgrade(`ws://127.0.0.1:${hub.port}/ws`, {}, ['access_token', 'not.a.jwt']);

    expect(status).toBe(401);
    expect(JSON.parse(body).error.code).toBe('invalid_token');
  });

  it('rejects an unknown path', async () => {
    const { status } = await rejectedUpgrade(`ws://127.0.0.1:${hub.port}/api/nothing-here`);

    expect(status).toBe(404);
  });

  it('selects the marker subprotocol', async () => {
    const browser = await BrowserClient.connect(hub.port, ctx.tokens.viewer);

    expect(browser.socket.protocol).toBe('access_token');
    browser.close();
  });

  it('accepts the header and query', async () => {
    for (const options of [
      { url: `ws://127.0.0.1:${hub.port}/ws`, headers: { Authorization: `Bearer ${ctx.tokens.viewer}` } },
      { url: `ws://127.0.0.1:${hub.port}/ws?access_token=${ctx.tokens.viewer}`, headers: {} },
    ]) {
      const socket = new WebSocket(options.url, { headers: options.headers });
      sockets.push(socket);
      const first = await new Promise<unknown>((resolve, reject) => {
        socket.once('message', (data) => resolve(JSON.parse(data.toString())));
        socket.once('error', reject);
      });
      expect(first).toMatchObject({ type: 'welcome', sites: [ctx.siteId] });
      socket.close();
    }
  });

  it('closes with 4401 when the token expires', async () => {
    const userId = decodeJwt(ctx.tokens.viewer).sub!;
    const permissions = await fixture.deps.permissions.get(userId);
    const nowS = Math.floor(Date.now() / 1000);
    const { token, expiresAtS } = await issueAccessToken(fixture.deps.keys(), fixture.deps.tokens, { userId, permissionsVersion: permissions!.permissionsVersion }, nowS - ACCESS_TOKEN_TTL_S + 2);

    const browser = await BrowserClient.connect(hub.port, token);
    expect(browser.messages[0]).toMatchObject({ type: 'welcome', expiresAt: expiresAtS * 1000 });
    expect(await browser.waitForClose()).toMatchObject({ code: 4401 });
  });
});

describe('browser frames', () => {
  it('answers invalid frames and stays open', async () => {
    const browser = await BrowserClient.connect(hub.port, ctx.tokens.viewer);

    browser.send('not json');
    expect(await browser.next('error')).toMatchObject({ code: 'invalid_message', message: 'frame is not valid JSON: not json' });
    browser.send({ type: 'subscribe' });
    expect(await browser.next('error', (message) => message.message.startsWith('sites'))).toMatchObject({ code: 'invalid_message' });
    browser.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await browser.next('error', (message) => message.message.includes('binary'));
    browser.send({ type: 'ping', id: 'p1' });
    expect(await browser.next('pong')).toMatchObject({ id: 'p1' });
    browser.close();
  });

  it('names what a message got wrong', async () => {
    const cases = [
      { name: 'an unknown type', message: { type: 'subscrib', sites: [] }, expected: 'unknown message type "subscrib"' },
      { name: 'over 1000 site ids', message: { type: 'subscribe', sites: Array.from({ length: 1_001 }, () => randomUUID()) }, expected: 'at most 1000 site ids' },
    ];
    const browser = await BrowserClient.connect(hub.port, ctx.tokens.viewer);

    for (const { name, message, expected } of cases) {
      const fromIndex = browser.messages.length;
      browser.send(message);
      const error = await browser.next('error', () => true, fromIndex);
      expect(error.code, name).toBe('invalid_message');
      expect(error.message, name).toContain(expected);
    }
    browser.close();
  });

  it('drops requests beyond the pending limit', async () => {
    const browser = await BrowserClient.connect(hub.port, ctx.tokens.viewer);
    const sent = 40;

    for (let index = 0; index < sent; index++) browser.send({ type: 'subscribe', sites: Array.from({ length: 1_000 }, () => randomUUID()) });
    await until(() => browser.messages.filter((message) => message.type === 'site-subscribed' || message.type === 'error').length === sent, 30_000);
    const errors = browser.messages.filter((message) => message.type === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ code: 'invalid_message', message: expect.stringContaining(`at most ${MAX_PENDING_REQUESTS}`) });
    expect(browser.messages.filter((message) => message.type === 'site-subscribed').length).toBeGreaterThanOrEqual(MAX_PENDING_REQUESTS);
    browser.close();
  }, 40_000);

  it('sends no empty site-samples', async () => {
    await fixture.redis.del(siteLastValuesKey(fixture.redisPrefix, ctx.siteId));
    const browser = await BrowserClient.connect(hub.port, ctx.tokens.viewer);

    browser.send({ type: 'subscribe', sites: [ctx.siteId] });
    await browser.next('site-subscribed');
    browser.send({ type: 'ping', id: 'after-subscribe' });
    await browser.next('pong');
    expect(browser.messages.filter((message) => message.type === 'site-samples')).toEqual([]);
    browser.close();
  });

  it('closes on an oversized frame', async () => {
    const browser = await BrowserClient.connect(hub.port, ctx.tokens.viewer);

    browser.send({ type: 'subscribe', sites: ['x'.repeat(300 * 1024)] });
    expect(await browser.waitForClose()).toMatchObject({ code: 1009 });
  });
});

describe('edge uplink', () => {
  it('rejects a missing assertion', async () => {
    const { status, body } = await rejectedUpgrade(`ws://127.0.0.1:${hub.port}${UPLINK_PATH}`);

    expect(status).toBe(401);
    expect(JSON.parse(body).error.message).toContain('Authorization');
  });

  it('rejects a forged assertion', async () => {
    const assertion = await signAssertionFromDataDir(dataDir);
    const [header, payload] = assertion.split('.');
    const { status, body } = await rejectedUpgrade(`ws://127.0.0.1:${hub.port}${UPLINK_PATH}`, { headers: { Authorization: `Bearer ${header}.${payload}.AAAA` } });

    expect(status).toBe(401);
    expect(JSON.parse(body).error.code).toBe('invalid_edge_assertion');
  });

  it('closes another protocol version', async () => {
    const { messages, closed } = await openUplink('2');

    const { code, reason } = await closed;
    expect(code).toBe(CLOSE_PROTOCOL_MISMATCH);
    expect(reason).toBe(`uplink protocol 2 is not supported; this hub speaks ${UPLINK_PROTOCOL_VERSION}`);
    expect(messages[0]).toMatchObject({ type: 'uplink-hello', protocol: UPLINK_PROTOCOL_VERSION, siteId: ctx.siteId });
  });

  it('answers invalid frames and stays open', async () => {
    const { socket, messages } = await openUplink(String(UPLINK_PROTOCOL_VERSION));
    await until(() => messages.some((message) => message.type === 'watch'));

    socket.send(JSON.stringify({ type: 'samples', samples: [{ point: 'a.b', ts: 'yesterday', value: 1, quality: 'good' }], coalesced: 0 }));
    await until(() => messages.some((message) => message.type === 'error'));
    expect(messages.find((message) => message.type === 'error')).toMatchObject({ code: 'invalid_message', message: expect.stringContaining('samples.0.ts') });
    const logged = await hub.log.waitFor('invalid uplink frame: samples.0.ts: Invalid input: expected number, received string');
    expect(logged.value).toContain('yesterday');

    socket.send(JSON.stringify({ type: 'ping', id: 'u1' }));
    await until(() => messages.some((message) => message.type === 'pong'));
    expect(messages.find((message) => message.type === 'pong')).toMatchObject({ id: 'u1' });
    socket.close();
  });

  it('drops samples out of bounds', async () => {
    const key = siteLastValuesKey(fixture.redisPrefix, ctx.siteId);
    await fixture.redis.del(key);
    const { socket } = await openUplink(String(UPLINK_PROTOCOL_VERSION));
    const longPoint = `meter.${'x'.repeat(300)}`;

    socket.send(JSON.stringify({
      type: 'samples',
      samples: [
        { point: longPoint, ts: Date.now(), value: 1, quality: 'good' },
        { point: 'meter.future', ts: 8.64e15, value: 2, quality: 'good' },
        { point: 'meter.ok', ts: Date.now(), value: 3, quality: 'good' },
      ],
      coalesced: 0,
    }));
    await until(async () => (await fixture.redis.hexists(key, 'meter.ok')) === 1);
    expect(await fixture.redis.hkeys(key)).toEqual(['meter.ok']);
    const warning = hub.log.lines.find((line) => line.msg?.startsWith('dropping live samples out of bounds'));
    expect(warning).toMatchObject({ dropped: 2, ts: expect.any(Number) });
    expect(warning?.msg).toContain(`point id of ${longPoint.length} characters`);
    socket.close();
  });

  it('caps the stored last values', async () => {
    const key = siteLastValuesKey(fixture.redisPrefix, ctx.siteId);
    await fixture.redis.del(key);
    const stored = Array.from({ length: MAX_LAST_VALUE_POINTS }, (_, index) => [`meter.p${index}`, JSON.stringify({ point: `meter.p${index}`, ts: 1, value: 0, quality: 'good' })]);
    await fixture.redis.hset(key, Object.fromEntries(stored));
    const { socket } = await openUplink(String(UPLINK_PROTOCOL_VERSION));
    const ts = Date.now();

    socket.send(JSON.stringify({
      type: 'samples',
      samples: [
        { point: 'meter.new', ts, value: 1, quality: 'good' },
        { point: 'meter.p0', ts, value: 2, quality: 'good' },
      ],
      coalesced: 0,
    }));
    await until(async () => JSON.parse((await fixture.redis.hget(key, 'meter.p0')) ?? '{}').ts === ts);
    expect(await fixture.redis.hexists(key, 'meter.new')).toBe(0);
    expect(await fixture.redis.hlen(key)).toBe(MAX_LAST_VALUE_POINTS);
    socket.close();
    await fixture.redis.del(key);
  });

  // Runs last in the file, because the revoked edge cannot open another uplink.
  it('closes when the edge is revoked', async () => {
    const { closed } = await openUplink(String(UPLINK_PROTOCOL_VERSION));
    const { edgeNodeId } = JSON.parse(readFileSync(join(dataDir, 'cloud-credential.json'), 'utf8')) as { edgeNodeId: string };

    const revoked = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/edge-nodes/${edgeNodeId}/revoke`);
    expect(revoked.status).toBe(200);

    expect(await closed).toEqual({ code: CLOSE_EDGE_REVOKED, reason: 'edge node revoked; pair it again with a new code' });
    const { status, body } = await rejectedUpgrade(`ws://127.0.0.1:${hub.port}${UPLINK_PATH}`, { headers: { Authorization: `Bearer ${await signAssertionFromDataDir(dataDir)}` } });
    expect(status).toBe(401);
    expect(JSON.parse(body).error.code).toBe('edge_revoked');
  }, 30_000);
});
