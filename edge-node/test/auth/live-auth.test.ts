import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startHttpServer, type RunningHttpServer } from '../../src/api/server';
import { createSilentLogger } from '../../src/logger';
import { createApiFixture, type ApiFixture } from '../api/api-fixture';
import { LiveTestClient } from '../live/live-test-client';
import { addHubKey, addSiteUser, signHubToken } from './hub-support';

let fixture: ApiFixture | undefined;
let server: RunningHttpServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  await fixture?.close();
  fixture = undefined;
});

async function start(): Promise<string> {
  fixture = await createApiFixture();
  server = await startHttpServer(fixture.runtime, createSilentLogger(), { host: '127.0.0.1', port: 0, auth: fixture.auth, liveReauthorizeIntervalMs: 100 });
  return `ws://127.0.0.1:${server.port}/ws`;
}

/** Opens a socket that the server is expected to reject, and returns the status and body. */
function rejectedUpgrade(socket: WebSocket): Promise<{ status: number; body: string; authenticate: string | undefined }> {
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, authenticate: response.headers['www-authenticate'] }));
    });
    socket.once('open', () => reject(new Error('the upgrade was accepted')));
    socket.once('error', () => undefined);
  });
}

describe('live stream authentication', () => {
  it('rejects an upgrade without a token', async () => {
    const url = await start();

    const { status, body, authenticate } = await rejectedUpgrade(new WebSocket(url));

    expect(status).toBe(401);
    expect(body).toContain('missing access token');
    expect(authenticate).toContain('Bearer');
    expect(fixture!.runtime.hub.clientCount).toBe(0);
  });

  it('rejects an invalid token', async () => {
    const url = await start();

    const { status } = await rejectedUpgrade(new WebSocket(url, ['access_token', `${fixture!.token}x`]));

    expect(status).toBe(401);
  });

  it('accepts a token as subprotocol', async () => {
    const url = await start();

    const client = await LiveTestClient.connect(url, { token: fixture!.token });
    const hello = await client.nextOfType('hello');
    const protocol = client.socket.protocol;
    await client.close();

    expect(hello.siteId).toBe('api-test');
    expect(protocol).toBe('access_token');
  });

  it('accepts a token as query parameter', async () => {
    const url = await start();

    const client = await LiveTestClient.connect(`${url}?access_token=${fixture!.token}`);
    const hello = await client.nextOfType('hello');
    await client.close();

    expect(hello.type).toBe('hello');
  });

  it('accepts a hub token of a viewer', async () => {
    const url = await start();
    const key = await addHubKey(fixture!.runtime.db);
    const viewerId = await addSiteUser(fixture!.runtime.db, { email: 'viewer@example.com', role: 'viewer' });

    const client = await LiveTestClient.connect(url, { token: await signHubToken(key, viewerId) });
    const hello = await client.nextOfType('hello');
    await client.close();

    expect(hello.type).toBe('hello');
  });

  it('closes the stream of a user disabled meanwhile', async () => {
    const url = await start();
    const key = await addHubKey(fixture!.runtime.db);
    const viewerId = await addSiteUser(fixture!.runtime.db, { email: 'leaving@example.com', role: 'viewer' });
    const client = await LiveTestClient.connect(url, { token: await signHubToken(key, viewerId) });
    await client.nextOfType('hello');

    fixture!.runtime.db.prepare("UPDATE cloud_site_users SET status = 'disabled' WHERE user_id = ?").run(viewerId);

    expect(await client.waitForClose(2_000)).toBe(4401);
    // The server drops the client when its side of the close completes, just after the client's.
    for (let tries = 0; tries < 50 && fixture!.runtime.hub.clientCount > 0; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fixture!.runtime.hub.clientCount).toBe(0);
  });

  it('keeps the stream of a user still allowed', async () => {
    const url = await start();
    const client = await LiveTestClient.connect(url, { token: fixture!.token });
    await client.nextOfType('hello');

    await expect(client.waitForClose(500)).rejects.toThrow('still open');
    await client.close();
  });

  it('serves metrics to loopback without a token', async () => {
    await start();

    const metrics = await fetch(`http://127.0.0.1:${server!.port}/metrics`);
    const devices = await fetch(`http://127.0.0.1:${server!.port}/api/devices`);

    expect(metrics.status).toBe(200);
    expect(devices.status).toBe(401);
  });
});
