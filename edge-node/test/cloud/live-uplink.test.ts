import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UPLINK_PATH, UPLINK_PROTOCOL_HEADER, UPLINK_PROTOCOL_VERSION, uplinkEdgeMessageSchema, type UplinkEdgeMessage, type UplinkHubMessage } from '@simtestlab/sync';
import { decodeJwt, exportJWK, generateKeyPair } from 'jose';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CloudCredential } from '../../src/cloud/credential';
import { HubClient } from '../../src/cloud/hub-client';
import { LinkStatus } from '../../src/cloud/link-status';
import { startLiveUplink, type LiveUplink } from '../../src/cloud/live-uplink';
import { LiveHub } from '../../src/live/live-hub';
import { createSilentLogger } from '../../src/logger';

/*
 * The uplink against a stand-in hub on loopback: a WebSocket server on the uplink path that records
 * each connection's headers and frames and sends the messages a test passes to `send`.
 */

interface HubConnection {
  socket: WebSocket;
  request: IncomingMessage;
  frames: UplinkEdgeMessage[];
}

let server: WebSocketServer;
let connections: HubConnection[];
let client: HubClient;
let hub: LiveHub;
let status: LinkStatus;
let uplink: LiveUplink | undefined;

beforeEach(async () => {
  connections = [];
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: UPLINK_PATH });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket, request) => {
    const connection: HubConnection = { socket, request, frames: [] };
    socket.on('message', (data) => connection.frames.push(uplinkEdgeMessageSchema.parse(JSON.parse(data.toString()))));
    connections.push(connection);
    send(connection, { type: 'uplink-hello', protocol: UPLINK_PROTOCOL_VERSION, siteId: 'site-1', serverTime: Date.now() });
  });
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const credential: CloudCredential = {
    cloudUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    edgeNodeId: '0b6f6f3e-8a51-4c5e-9a55-3f1f5f0f2f11',
    organizationId: 'org',
    siteId: 'site-1',
    siteName: 'Plant A',
    timeZone: 'Europe/Paris',
    privateJwk: { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y!, d: jwk.d! },
    pairedAt: new Date().toISOString(),
  };
  client = await HubClient.create(credential);
  hub = new LiveHub(createSilentLogger());
  status = new LinkStatus();
});

afterEach(async () => {
  await uplink?.stop();
  uplink = undefined;
  for (const socket of server.clients) socket.terminate();
  await new Promise((resolve) => server.close(resolve));
});

function send(connection: HubConnection, message: UplinkHubMessage): void {
  connection.socket.send(JSON.stringify(message));
}

function start(options: { initialBackoffMs?: number } = {}): void {
  uplink = startLiveUplink({ client, hub, status, logger: createSilentLogger(), initialBackoffMs: options.initialBackoffMs ?? 50, maxBackoffMs: 200 });
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function sample(point: string, value: number) {
  return { point, ts: Date.now(), value, quality: 'good' as const };
}

describe('live uplink', () => {
  it('offers the protocol with an assertion', async () => {
    start();
    await until(() => status.liveConnected);

    const { headers } = connections[0]!.request;
    expect(headers[UPLINK_PROTOCOL_HEADER.toLowerCase()]).toBe(String(UPLINK_PROTOCOL_VERSION));
    const assertion = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    expect(decodeJwt(assertion!).sub).toBe('0b6f6f3e-8a51-4c5e-9a55-3f1f5f0f2f11');
  });

  it('sends nothing while unwatched', async () => {
    start();
    await until(() => status.liveConnected);
    const connection = connections[0]!;

    hub.publish(sample('meter.W', 1));
    hub.publishDeviceStatus('meter', 'offline', Date.now());
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(connection.frames).toEqual([]);
    expect(status.liveWatched).toBe(false);
  });

  it('batches the latest value per point', async () => {
    start();
    await until(() => status.liveConnected);
    const connection = connections[0]!;
    send(connection, { type: 'watch', watched: true });
    await until(() => status.liveWatched);

    for (let value = 1; value <= 5; value++) hub.publish(sample('meter.W', value));
    hub.publish(sample('meter.V', 230));
    hub.publishDeviceStatus('meter', 'online', 1_000);
    await until(() => connection.frames.some((frame) => frame.type === 'samples'));

    expect(connection.frames[0]).toEqual({ type: 'device-status', device: 'meter', status: 'online', ts: 1_000 });
    const batch = connection.frames[1] as Extract<UplinkEdgeMessage, { type: 'samples' }>;
    expect(batch.samples.map((item) => [item.point, item.value])).toEqual([
      ['meter.W', 5],
      ['meter.V', 230],
    ]);
    expect(batch.coalesced).toBe(4);
  });

  it('sends the latest value of every point when the site becomes watched', async () => {
    const latest = [sample('meter.W', 7), sample('meter.V', 231)];
    uplink = startLiveUplink({ client, hub, status, logger: createSilentLogger(), snapshot: () => latest, initialBackoffMs: 50, maxBackoffMs: 200 });
    await until(() => status.liveConnected);
    const connection = connections[0]!;
    send(connection, { type: 'watch', watched: true });
    await until(() => connection.frames.some((frame) => frame.type === 'samples'));

    const batch = connection.frames[0] as Extract<UplinkEdgeMessage, { type: 'samples' }>;
    expect(batch.samples.map((item) => [item.point, item.value])).toEqual([
      ['meter.W', 7],
      ['meter.V', 231],
    ]);
  });

  it('stops sending when unwatched', async () => {
    start();
    await until(() => status.liveConnected);
    const connection = connections[0]!;
    send(connection, { type: 'watch', watched: true });
    await until(() => status.liveWatched);
    send(connection, { type: 'watch', watched: false });
    await until(() => !status.liveWatched);

    hub.publish(sample('meter.W', 1));
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(connection.frames).toEqual([]);
  });

  it('reconnects with a new assertion', async () => {
    start();
    await until(() => status.liveConnected);
    connections[0]!.socket.close(1001, 'hub instance shutting down');
    await until(() => connections.length === 2 && status.liveConnected);

    const assertions = connections.map((connection) => connection.request.headers.authorization);
    expect(assertions[0]).not.toBe(assertions[1]);
    expect(status.liveWatched).toBe(false);
  });

  it('retries until the hub is back', async () => {
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    start({ initialBackoffMs: 100 });
    await until(() => status.lastError !== null);
    expect(status.liveConnected).toBe(false);
    expect(status.lastError).toContain(`live uplink to ws://127.0.0.1:${port}${UPLINK_PATH} failed`);

    server = new WebSocketServer({ host: '127.0.0.1', port, path: UPLINK_PATH });
    server.on('connection', (socket) => socket.send(JSON.stringify({ type: 'uplink-hello', protocol: UPLINK_PROTOCOL_VERSION, siteId: 'site-1', serverTime: Date.now() })));
    await until(() => status.liveConnected);
  });

  it('reports a rejected upgrade', async () => {
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    server = new WebSocketServer({ host: '127.0.0.1', port, path: UPLINK_PATH, verifyClient: (_info, done) => done(false, 401, 'edge node is not paired') });
    start();
    await until(() => status.lastError !== null);

    expect(status.lastError).toBe('the hub rejected the live uplink with 401: edge node is not paired');
    expect(status.liveConnected).toBe(false);
  });

  it('retries after a rejected upgrade', async () => {
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    let attempts = 0;
    server = new WebSocketServer({
      host: '127.0.0.1',
      port,
      path: UPLINK_PATH,
      verifyClient: (_info, done) => {
        attempts++;
        done(false, 503, 'hub starting');
      },
    });
    start();

    await until(() => attempts >= 3);
    expect(status.liveConnected).toBe(false);
  });

  it('closes cleanly on stop', async () => {
    start();
    await until(() => status.liveConnected);
    const closed = new Promise<number>((resolve) => connections[0]!.socket.once('close', (code) => resolve(code)));

    await uplink!.stop();
    uplink = undefined;

    expect(await closed).toBe(1000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(connections).toHaveLength(1);
    expect(status.liveConnected).toBe(false);
  });
});
