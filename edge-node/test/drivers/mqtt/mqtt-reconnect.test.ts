import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMqttDriverFactory, getMqttStats } from '../../../src/drivers/mqtt';
import { uniqueTestId, waitFor } from '../../simulate/mqtt-test-broker';
import { createMemoryLogger, mqttDevice, readingCollector } from './mqtt-test-support';
import { startPrivateMosquitto, type PrivateMosquitto } from './private-mosquitto';

describe('MQTT driver across broker restarts', () => {
  let broker: PrivateMosquitto;

  beforeAll(async () => {
    broker = await startPrivateMosquitto();
  });

  afterAll(async () => {
    await broker?.dispose();
  });

  it('reconnects with growing delays and subscribes again', async () => {
    const key = uniqueTestId('restart');
    const topic = `${key}/power`;
    const device = mqttDevice(key, broker.url, [{ key: 'power', topic, path: 'W' }]);
    const { logger, lines } = createMemoryLogger();
    const collector = readingCollector();
    const factory = createMqttDriverFactory({ reconnect: { initialDelayMs: 100, maxDelayMs: 800, jitter: 0 }, connectTimeoutMs: 1000 });
    const driver = factory(device, { logger, onReadings: collector.onReadings });
    const publisher = await mqtt.connectAsync(broker.url, { clientId: uniqueTestId('simtestlab-test-pub'), reconnectPeriod: 100 });
    try {
      await driver.start();
      await publisher.publishAsync(topic, '{"W": 1}');
      await waitFor(() => collector.readings.length === 1, 3000, 'the first reading');

      await broker.stop();
      await waitFor(() => lines.filter((line) => typeof line.delayMs === 'number').length >= 6, 5000, 'six reconnect attempts');
      const delays = lines.filter((line) => typeof line.delayMs === 'number').map((line) => line.delayMs);
      expect(delays.slice(0, 6)).toEqual([100, 200, 400, 800, 800, 800]);
      expect(lines.find((line) => line.delayMs === 100)).toMatchObject({ level: 40, msg: 'MQTT broker connection lost; reconnecting' });
      expect(getMqttStats().find((stats) => stats.device === key)!.connected).toBe(false);

      await broker.start();
      await waitFor(() => getMqttStats().find((stats) => stats.device === key)!.connected, 3000, 'the driver to reconnect');
      await waitFor(() => publisher.connected, 3000, 'the publisher to reconnect');
      await waitFor(() => lines.some((line) => line.msg === 'MQTT broker connection restored'), 1000, 'the restore log line');
      // The subscription after reconnect is not awaited by anything; retry the publish until it lands.
      for (let attempt = 0; attempt < 20 && collector.last('power')?.value !== 2; attempt++) {
        await publisher.publishAsync(topic, '{"W": 2}');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(collector.last('power')?.value).toBe(2);
    } finally {
      await driver.stop();
      await publisher.endAsync(true);
    }
  });

  it('drops messages a publisher queued during the outage', async () => {
    const key = uniqueTestId('burst');
    const topic = `${key}/power`;
    const device = mqttDevice(key, broker.url, [{ key: 'power', topic, path: 'W' }], 1);
    const collector = readingCollector();
    const factory = createMqttDriverFactory({ reconnect: { initialDelayMs: 50, maxDelayMs: 200, jitter: 0 }, connectTimeoutMs: 1000 });
    const driver = factory(device, { logger: createMemoryLogger().logger, onReadings: collector.onReadings });
    // mqtt.js defaults: QoS 0 messages are queued while offline and all sent on reconnect.
    const publisher = await mqtt.connectAsync(broker.url, { clientId: uniqueTestId('simtestlab-test-queue'), reconnectPeriod: 0 });
    try {
      await driver.start();
      await broker.stop();
      await waitFor(() => !publisher.connected, 2000, 'the publisher to see the outage');
      for (let value = 100; value < 105; value++) {
        publisher.publish(topic, JSON.stringify({ ts: Date.now(), W: value }));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await new Promise((resolve) => setTimeout(resolve, 1200));

      await broker.start();
      await waitFor(() => getMqttStats().find((stats) => stats.device === key)!.connected, 3000, 'the driver to reconnect');
      await new Promise((resolve) => setTimeout(resolve, 200));
      publisher.reconnect();
      await waitFor(() => getMqttStats().find((stats) => stats.device === key)!.staleMessagesIgnored === 5, 3000, 'five stale messages');

      await publisher.publishAsync(topic, JSON.stringify({ ts: Date.now(), W: 200 }));
      await waitFor(() => collector.readings.length > 0, 3000, 'the fresh reading');
      expect(collector.readings.map((reading) => reading.value)).toEqual([200]);
    } finally {
      await driver.stop();
      await publisher.endAsync(true);
    }
  });
});
