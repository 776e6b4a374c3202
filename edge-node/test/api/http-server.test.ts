import { afterEach, describe, expect, it } from 'vitest';
import { isLoopbackAddress } from '../../src/api/loopback';
import { startHttpServer, type RunningHttpServer } from '../../src/api/server';
import { createSilentLogger } from '../../src/logger';
import { LiveTestClient } from '../live/live-test-client';
import { createApiFixture, type ApiFixture } from './api-fixture';

describe('isLoopbackAddress', () => {
  const cases: Array<[string | undefined, boolean]> = [
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['127.255.255.254', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:127.9.9.9', true],
    ['10.77.0.1', false],
    ['192.168.1.20', false],
    ['128.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['::', false],
    ['fe80::1', false],
    ['2001:db8::1', false],
    ['0.0.0.0', false],
    ['', false],
    [undefined, false],
  ];

  for (const [address, expected] of cases) {
    it(`returns ${expected} for ${address === undefined ? 'undefined' : `"${address}"`}`, () => {
      expect(isLoopbackAddress(address)).toBe(expected);
    });
  }
});

describe('startHttpServer on loopback', () => {
  let fixture: ApiFixture | undefined;
  let server: RunningHttpServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await fixture?.close();
    fixture = undefined;
  });

  it('serves the API and the live stream', async () => {
    fixture = await createApiFixture();
    server = await startHttpServer(fixture.runtime, createSilentLogger(), { host: '127.0.0.1', port: 0, auth: fixture.auth });

    const health = await fetch(`${server.url}/api/health`);
    const metrics = await fetch(`${server.url}/metrics`);
    const client = await LiveTestClient.connect(`${server.url.replace('http', 'ws')}/ws`, { token: fixture.token });
    const hello = await client.nextOfType('hello');
    client.send({ type: 'subscribe', points: ['pv.acPowerW'] });
    await client.nextOfType('subscribed');
    fixture.runtime.ingest(fixture.device('pv'), Date.now(), [{ point: 'acPowerW', value: 3100, quality: 'good' }], false);
    const frame = await client.nextOfType('samples');
    await client.close();

    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(hello.siteId).toBe('api-test');
    expect(frame.samples.map((sample) => [sample.point, sample.value, sample.quality])).toEqual([['pv.acPowerW', 3100, 'good']]);
    expect(client.invalidFrames).toEqual([]);
  });

  it('closes live clients on close', async () => {
    fixture = await createApiFixture();
    server = await startHttpServer(fixture.runtime, createSilentLogger(), { host: '127.0.0.1', port: 0, auth: fixture.auth });
    const client = await LiveTestClient.connect(`ws://127.0.0.1:${server.port}/ws`, { token: fixture.token });
    await client.nextOfType('hello');

    await server.close();
    server = undefined;

    expect(await client.waitForClose(3000)).toBe(1001);
    expect(fixture.runtime.hub.clientCount).toBe(0);
  });

  it('closes promptly with a client that stopped reading', async () => {
    fixture = await createApiFixture();
    server = await startHttpServer(fixture.runtime, createSilentLogger(), { host: '127.0.0.1', port: 0, auth: fixture.auth });
    const client = await LiveTestClient.connect(`ws://127.0.0.1:${server.port}/ws`, { token: fixture.token });
    await client.nextOfType('hello');
    client.socket.pause();

    const started = Date.now();
    await server.close();
    server = undefined;
    const closeMs = Date.now() - started;
    client.socket.resume();

    // The server waits 1 s for the closing handshake; `ws` alone would wait 30 s.
    expect(closeMs).toBeLessThan(5000);
    expect(await client.waitForClose(3000)).toBeGreaterThan(0);
  });

  it('rejects a port in use', async () => {
    fixture = await createApiFixture();
    server = await startHttpServer(fixture.runtime, createSilentLogger(), { host: '127.0.0.1', port: 0, auth: fixture.auth });

    await expect(startHttpServer(fixture.runtime, createSilentLogger(), { host: '127.0.0.1', port: server.port, auth: fixture.auth })).rejects.toThrow(/EADDRINUSE/);
  });
});
