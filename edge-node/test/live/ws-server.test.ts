import type { Sample } from '@simtestlab/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LiveTestClient } from './live-test-client';
import { startLiveTestServer, type LiveTestServer } from './live-test-server';

const METER_POINTS = ['meter.powerW', 'meter.energyWh', 'meter.voltageV'];
const PV_POINTS = ['pv.acPowerW', 'pv.dcVoltageV'];

let server: LiveTestServer | undefined;
const clients: LiveTestClient[] = [];

async function setUp(options: Parameters<typeof startLiveTestServer>[0] = {}, serverOptions: Parameters<typeof startLiveTestServer>[1] = {}) {
  server = await startLiveTestServer(options, serverOptions);
  server.hub.setDevicePoints('meter', METER_POINTS);
  server.hub.setDevicePoints('pv', PV_POINTS);
  return server;
}

async function connect(url = server!.url): Promise<LiveTestClient> {
  const client = await LiveTestClient.connect(url);
  clients.push(client);
  await client.nextOfType('hello');
  return client;
}

const sample = (point: string, value: number, ts = 1_768_478_400_000): Sample => ({ point, ts, value, quality: 'good' });

afterEach(async () => {
  const open = clients.splice(0);
  await Promise.all(open.map((client) => client.close()));
  await server?.close();
  server = undefined;
  for (const client of open) expect(client.invalidFrames, 'frames that failed serverMessageSchema').toEqual([]);
});

describe('live stream handshake', () => {
  it('greets with hello', async () => {
    await setUp();
    const before = Date.now();
    const client = await LiveTestClient.connect(server!.url);
    clients.push(client);

    const hello = await client.nextOfType('hello');

    expect(hello.siteId).toBe('test-site');
    expect(hello.serverTime).toBeGreaterThanOrEqual(before);
    expect(hello.serverTime).toBeLessThanOrEqual(Date.now());
    expect(server!.hub.clientCount).toBe(1);
  });

  it('rejects paths other than /ws', async () => {
    await setUp();
    const socket = new WebSocket(`ws://127.0.0.1:${server!.port}/live`);

    const status = await new Promise<number>((resolve, reject) => {
      socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.once('open', () => reject(new Error('upgrade on /live was accepted')));
      socket.once('error', () => undefined);
    });

    expect(status).toBe(404);
    expect(server!.hub.clientCount).toBe(0);
  });

  it('rejects upgrades the authorizer refuses', async () => {
    await setUp({}, { authorize: () => ({ status: 403, message: 'remote clients are not allowed' }) });
    const socket = new WebSocket(server!.url);

    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      socket.once('unexpected-response', (_request, response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      socket.once('open', () => reject(new Error('upgrade was accepted')));
      socket.once('error', () => undefined);
    });

    expect(status).toBe(403);
    expect(body).toContain('remote clients are not allowed');
    expect(server!.hub.clientCount).toBe(0);
  });

  it('answers ping with pong', async () => {
    await setUp();
    const client = await connect();

    client.send({ type: 'ping', id: 'p-17' });
    const pong = await client.nextOfType('pong');
    client.send({ type: 'ping' });
    const anonymousPong = await client.nextOfType('pong');

    expect(pong.id).toBe('p-17');
    expect(anonymousPong.id).toBeUndefined();
  });

  it('forgets a client that disconnects', async () => {
    await setUp();
    const client = await connect();
    client.send({ type: 'subscribe', devices: ['meter'] });
    await client.nextOfType('subscribed');

    await client.close();
    await waitUntil(() => server!.hub.clientCount === 0, 2000);
    server!.hub.publish(sample('meter.powerW', 1));
    await new Promise((resolve) => setImmediate(resolve));

    expect(server!.hub.framesSent).toBe(0);
  });
});

describe('live stream subscriptions', () => {
  it('subscribes to points and lists unknown ids', async () => {
    await setUp();
    const client = await connect();

    client.send({ type: 'subscribe', points: ['meter.powerW', 'pv.acPowerW', 'meter.nope', 'ghost.powerW'] });
    const subscribed = await client.nextOfType('subscribed');

    expect(subscribed.points).toEqual(['meter.powerW', 'pv.acPowerW']);
    expect(subscribed.unknown).toEqual(['meter.nope', 'ghost.powerW']);
  });

  it('subscribes to every point of a device', async () => {
    await setUp();
    const client = await connect();

    client.send({ type: 'subscribe', devices: ['meter', 'ghost'] });
    const subscribed = await client.nextOfType('subscribed');

    expect(subscribed.points).toEqual([...METER_POINTS].sort());
    expect(subscribed.unknown).toEqual(['ghost']);
  });

  it('adds points discovered after a device subscription', async () => {
    await setUp();
    const client = await connect();
    client.send({ type: 'subscribe', devices: ['pv'] });
    await client.nextOfType('subscribed');

    server!.hub.setDevicePoints('pv', [...PV_POINTS, 'pv.model103.W']);
    server!.hub.publish(sample('pv.model103.W', 4200));
    const frame = await client.nextOfType('samples');

    expect(frame.samples).toEqual([sample('pv.model103.W', 4200)]);
  });

  it('unsubscribes points and devices', async () => {
    await setUp();
    const client = await connect();
    client.send({ type: 'subscribe', devices: ['meter', 'pv'] });
    await client.nextOfType('subscribed');

    client.send({ type: 'unsubscribe', devices: ['meter'], points: ['pv.dcVoltageV'] });
    const subscribed = await client.nextOfType('subscribed');
    server!.hub.publish(sample('meter.powerW', 1));
    server!.hub.publish(sample('pv.dcVoltageV', 2));
    server!.hub.publish(sample('pv.acPowerW', 3));
    const frame = await client.nextOfType('samples');

    expect(subscribed.points).toEqual(['pv.acPowerW']);
    expect(frame.samples).toEqual([sample('pv.acPowerW', 3)]);
  });

  it('rejects subscriptions over the per-client limit', async () => {
    await setUp({ maxPointsPerClient: 4 });
    const client = await connect();
    client.send({ type: 'subscribe', points: ['meter.powerW', 'pv.acPowerW'] });
    await client.nextOfType('subscribed');

    client.send({ type: 'subscribe', points: ['meter.powerW'], devices: ['meter', 'pv'] });
    const error = await client.nextOfType('error');
    client.send({ type: 'subscribe', points: [] });
    const after = await client.nextOfType('subscribed');

    expect(error.code).toBe('too_many_subscriptions');
    expect(error.message).toContain('at most 4 points');
    // The rejected request must not remove what the client had subscribed to before it.
    expect(after.points).toEqual(['meter.powerW', 'pv.acPowerW']);
  });
});

describe('live stream samples', () => {
  it('sends samples published in one turn as one frame', async () => {
    await setUp();
    const client = await connect();
    client.send({ type: 'subscribe', devices: ['meter'] });
    await client.nextOfType('subscribed');

    server!.hub.publish(sample('meter.powerW', 1500));
    server!.hub.publish(sample('meter.energyWh', 72_000));
    server!.hub.publish(sample('meter.voltageV', 231.4));
    const frame = await client.nextOfType('samples');

    expect(frame.samples).toEqual([sample('meter.powerW', 1500), sample('meter.energyWh', 72_000), sample('meter.voltageV', 231.4)]);
    expect(frame.coalesced).toBe(0);
    expect(server!.hub.framesSent).toBe(1);
  });

  it('keeps only the newest sample per point in a frame', async () => {
    await setUp();
    const client = await connect();
    client.send({ type: 'subscribe', points: ['meter.powerW'] });
    await client.nextOfType('subscribed');

    server!.hub.publish(sample('meter.powerW', 1, 1000));
    server!.hub.publish(sample('meter.powerW', 2, 2000));
    server!.hub.publish(sample('meter.powerW', 3, 3000));
    const frame = await client.nextOfType('samples');

    expect(frame.samples).toEqual([sample('meter.powerW', 3, 3000)]);
    expect(frame.coalesced).toBe(2);
  });

  it('sends each client only its points', async () => {
    await setUp();
    const meterClient = await connect();
    const pvClient = await connect();
    meterClient.send({ type: 'subscribe', devices: ['meter'] });
    pvClient.send({ type: 'subscribe', points: ['pv.acPowerW'] });
    await meterClient.nextOfType('subscribed');
    await pvClient.nextOfType('subscribed');

    server!.hub.publish(sample('meter.powerW', 10));
    server!.hub.publish(sample('pv.acPowerW', 20));
    server!.hub.publish(sample('pv.dcVoltageV', 30));
    const meterFrame = await meterClient.nextOfType('samples');
    const pvFrame = await pvClient.nextOfType('samples');

    expect(meterFrame.samples).toEqual([sample('meter.powerW', 10)]);
    expect(pvFrame.samples).toEqual([sample('pv.acPowerW', 20)]);
  });

  it('carries bad quality and its reason', async () => {
    await setUp();
    const client = await connect();
    client.send({ type: 'subscribe', points: ['meter.powerW'] });
    await client.nextOfType('subscribed');

    server!.hub.publish({ point: 'meter.powerW', ts: 5000, value: null, quality: 'bad', reason: 'timeout' });
    const frame = await client.nextOfType('samples');

    expect(frame.samples).toEqual([{ point: 'meter.powerW', ts: 5000, value: null, quality: 'bad', reason: 'timeout' }]);
  });

  it('sends device status to device and point subscribers', async () => {
    await setUp();
    const deviceClient = await connect();
    const pointClient = await connect();
    const otherClient = await connect();
    deviceClient.send({ type: 'subscribe', devices: ['meter'] });
    pointClient.send({ type: 'subscribe', points: ['meter.energyWh'] });
    otherClient.send({ type: 'subscribe', devices: ['pv'] });
    await Promise.all([deviceClient, pointClient, otherClient].map((client) => client.nextOfType('subscribed')));

    server!.hub.publishDeviceStatus('meter', 'offline', 7000, 'no reply within 1000 ms');
    server!.hub.publishDeviceStatus('pv', 'online', 7001);
    const deviceStatus = await deviceClient.nextOfType('device-status');
    const pointStatus = await pointClient.nextOfType('device-status');
    const otherStatus = await otherClient.nextOfType('device-status');

    const expected = { type: 'device-status', device: 'meter', status: 'offline', ts: 7000, error: 'no reply within 1000 ms' };
    expect(deviceStatus).toEqual(expected);
    expect(pointStatus).toEqual(expected);
    expect(otherStatus).toEqual({ type: 'device-status', device: 'pv', status: 'online', ts: 7001 });
  });
});

describe('live stream invalid frames', () => {
  const cases: Array<{ name: string; frame: string; mentions: string[] }> = [
    { name: 'text that is not JSON', frame: '{"type":"subscribe",', mentions: ['not valid JSON', '{"type":"subscribe",'] },
    { name: 'an unknown type', frame: JSON.stringify({ type: 'subscribe-all' }), mentions: ['type'] },
    { name: 'a missing type', frame: JSON.stringify({ points: ['meter.powerW'] }), mentions: ['type'] },
    { name: 'points that are not a list', frame: JSON.stringify({ type: 'subscribe', points: 'meter.powerW' }), mentions: ['points', 'array'] },
    { name: 'an empty point id', frame: JSON.stringify({ type: 'subscribe', points: ['meter.powerW', ''] }), mentions: ['points.1'] },
    { name: 'a ping id that is a number', frame: JSON.stringify({ type: 'ping', id: 5 }), mentions: ['id', 'string'] },
    { name: 'a JSON array', frame: '[1,2]', mentions: ['expected object'] },
  ];

  for (const { name, frame, mentions } of cases) {
    it(`answers ${name} and stays open`, async () => {
      await setUp();
      const client = await connect();

      client.send(frame);
      const error = await client.nextOfType('error');
      client.send({ type: 'ping', id: 'still-open' });
      const pong = await client.nextOfType('pong');

      expect(error.code).toBe('invalid_message');
      for (const text of mentions) expect(error.message).toContain(text);
      expect(pong.id).toBe('still-open');
      expect(client.closeCode).toBeUndefined();
    });
  }

  it('answers a binary frame and stays open', async () => {
    await setUp();
    const client = await connect();

    client.socket.send(Buffer.from(JSON.stringify({ type: 'ping' })), { binary: true });
    const error = await client.nextOfType('error');
    client.send({ type: 'ping', id: 'after-binary' });
    const pong = await client.nextOfType('pong');

    expect(error.code).toBe('invalid_message');
    expect(error.message).toContain('binary');
    expect(pong.id).toBe('after-binary');
  });
});

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition still false after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
