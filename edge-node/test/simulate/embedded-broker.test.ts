import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { isBrokerReachable, startEmbeddedBroker } from '../../src/simulate/embedded-broker';
import { uniqueTestId } from './mqtt-test-broker';

describe('embedded broker', () => {
  it('relays messages until stopped', async () => {
    const broker = await startEmbeddedBroker({ port: 0 });
    try {
      expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
      expect(await isBrokerReachable(broker.url, 1000)).toBe(true);
      const subscriber = await mqtt.connectAsync(broker.url, { clientId: uniqueTestId('simtestlab-test-sub-with-a-long-client-id') });
      const publisher = await mqtt.connectAsync(broker.url, { clientId: uniqueTestId('simtestlab-test-pub') });
      await subscriber.subscribeAsync('demo/#');
      const received = new Promise<string>((resolve) => subscriber.once('message', (_topic, payload) => resolve(payload.toString())));
      await publisher.publishAsync('demo/weather', '{"oat_C":21.5}');
      expect(await received).toBe('{"oat_C":21.5}');
      await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
    } finally {
      await broker.stop();
    }
    expect(await isBrokerReachable(broker.url, 500)).toBe(false);
  });

  it('stops twice without error', async () => {
    const broker = await startEmbeddedBroker({ port: 0 });
    await broker.stop();
    await expect(broker.stop()).resolves.toBeUndefined();
  });

  it('reports a closed port as unreachable quickly', async () => {
    const startedMs = Date.now();
    expect(await isBrokerReachable('mqtt://127.0.0.1:1', 2000)).toBe(false);
    expect(Date.now() - startedMs).toBeLessThan(1500);
  });

  it('reports an unusable URL as unreachable', async () => {
    expect(await isBrokerReachable('gopher://127.0.0.1:1', 500)).toBe(false);
  });

  it('reports a silent server as unreachable', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      expect(await isBrokerReachable(`mqtt://127.0.0.1:${port}`, 300)).toBe(false);
    } finally {
      silent.close();
    }
  });
});
