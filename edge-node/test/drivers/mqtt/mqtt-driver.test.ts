import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../../src/drivers/driver';
import { DeviceConnectionError, DeviceRequestError } from '../../../src/drivers/errors';
import { createMqttDriver, createMqttDriverFactory, getMqttStats, mqttMetricFamilies } from '../../../src/drivers/mqtt';
import { MAX_SOURCE_CLOCK_AHEAD_MS } from '../../../src/drivers/mqtt/future-timestamp';
import { createSilentLogger } from '../../../src/logger';
import { requireSharedBroker, SHARED_BROKER_URL, uniqueTestId, waitFor } from '../../simulate/mqtt-test-broker';
import { createMemoryLogger, mqttDevice, readingCollector } from './mqtt-test-support';

describe('MQTT driver on Mosquitto', () => {
  let publisher: MqttClient;
  const drivers: Driver[] = [];
  const retainedTopics: string[] = [];

  beforeAll(async () => {
    await requireSharedBroker();
    publisher = await mqtt.connectAsync(SHARED_BROKER_URL, { clientId: uniqueTestId('simtestlab-test-publisher') });
  });

  afterEach(async () => {
    await Promise.all(drivers.splice(0).map((driver) => driver.stop()));
    await Promise.all(retainedTopics.splice(0).map((topic) => publisher.publishAsync(topic, '', { retain: true })));
  });

  afterAll(async () => {
    await publisher.endAsync();
  });

  const publish = (topic: string, payload: string, retain = false) => publisher.publishAsync(topic, payload, { qos: 1, retain });

  it('reads JSON paths and plain payloads', async () => {
    const base = uniqueTestId('simtestlab-test');
    const device = mqttDevice('weather', SHARED_BROKER_URL, [
      { key: 'oat', topic: `${base}/weather`, path: 'oat_C', unit: 'C' },
      { key: 'ghi', topic: `${base}/weather`, path: 'irradiance.global_Wm2', scale: 0.001, offset: 1 },
      { key: 'phase2', topic: `${base}/phases`, path: 'v[1]' },
      { key: 'plain', topic: `${base}/plain` },
      { key: 'door', topic: `${base}/door`, dataType: 'bool' },
    ]);
    const collector = readingCollector();
    const driver = createMqttDriver(device, { logger: createSilentLogger(), onReadings: collector.onReadings });
    drivers.push(driver);
    expect(driver.mode).toBe('push');
    expect(await driver.start()).toEqual(device.points);

    await publish(`${base}/weather`, JSON.stringify({ oat_C: 21.5, irradiance: { global_Wm2: 871.2 } }));
    await publish(`${base}/phases`, '{"v": [230.1, 231.4, 229.9]}');
    await publish(`${base}/plain`, '42.25');
    await publish(`${base}/door`, 'true');
    await waitFor(() => collector.readings.length >= 5, 3000, 'five readings');

    expect(collector.last('oat')).toEqual({ point: 'oat', value: 21.5, quality: 'good' });
    expect(collector.last('ghi')?.value).toBeCloseTo(1.8712, 9);
    expect(collector.last('phase2')?.value).toBe(231.4);
    expect(collector.last('plain')?.value).toBe(42.25);
    expect(collector.last('door')?.value).toBe(1);
    const read = await driver.read();
    expect(read.map((reading) => [reading.point, reading.quality])).toEqual([
      ['oat', 'good'],
      ['ghi', 'good'],
      ['phase2', 'good'],
      ['plain', 'good'],
      ['door', 'good'],
    ]);
  });

  it('matches wildcard topics', async () => {
    const base = uniqueTestId('simtestlab-test');
    const device = mqttDevice('wildcard', SHARED_BROKER_URL, [{ key: 'any', topic: `${base}/+/power`, path: 'W' }]);
    const collector = readingCollector();
    const driver = createMqttDriver(device, { logger: createSilentLogger(), onReadings: collector.onReadings });
    drivers.push(driver);
    await driver.start();
    await publish(`${base}/inverter7/power`, '{"W": 1234}');
    await waitFor(() => collector.readings.length === 1, 3000, 'a reading');
    expect(collector.last('any')?.value).toBe(1234);
  });

  it('counts malformed payloads and logs them rate-limited', async () => {
    const base = uniqueTestId('simtestlab-test');
    const key = uniqueTestId('malformed');
    const device = mqttDevice(key, SHARED_BROKER_URL, [
      { key: 'oat', topic: `${base}/weather`, path: 'oat_C' },
      { key: 'plain', topic: `${base}/plain` },
    ]);
    const { logger, lines } = createMemoryLogger();
    const collector = readingCollector();
    const driver = createMqttDriver(device, { logger, onReadings: collector.onReadings });
    drivers.push(driver);
    await driver.start();

    await publish(`${base}/weather`, '{"oat_C": 21.5');
    await publish(`${base}/weather`, '{"rh": 40}');
    await publish(`${base}/weather`, '{"oat_C": "warm"}');
    await publish(`${base}/plain`, 'n/a');
    await publish(`${base}/weather`, '{"oat_C": 22}');
    await waitFor(() => collector.last('oat')?.value === 22, 3000, 'the valid message after the bad ones');

    const stats = getMqttStats().find((candidate) => candidate.device === key)!;
    expect(stats.malformedMessages).toEqual({ invalid_json: 1, missing_path: 1, not_numeric: 2, not_boolean: 0, future_timestamp: 0 });
    expect(stats.messagesReceived).toBe(5);
    expect(collector.last('plain')).toEqual({ point: 'plain', value: null, quality: 'bad', reason: 'payload' });
    const warnings = lines.filter((line) => line.msg === 'malformed MQTT payload');
    expect(warnings.map((line) => line.topic)).toEqual([`${base}/weather`, `${base}/plain`]);
    expect(warnings[0]).toMatchObject({ problem: 'invalid_json', payload: '{\\"oat_C\\": 21.5', device: key });
    const family = mqttMetricFamilies().find((candidate) => candidate.name === 'edge_mqtt_malformed_messages_total')!;
    expect(family.values).toContainEqual({ labels: { device: key, problem: 'not_numeric' }, value: 2 });
  });

  it('rejects hex and booleans on numeric points', async () => {
    const base = uniqueTestId('simtestlab-test');
    const key = uniqueTestId('strict');
    const device = mqttDevice(key, SHARED_BROKER_URL, [
      { key: 'power', topic: `${base}/power`, path: 'W', dataType: 'float64' },
      { key: 'level', topic: `${base}/level`, dataType: 'float64' },
      { key: 'door', topic: `${base}/door`, dataType: 'bool' },
    ]);
    const collector = readingCollector();
    const driver = createMqttDriver(device, { logger: createSilentLogger(), onReadings: collector.onReadings });
    drivers.push(driver);
    await driver.start();

    await publish(`${base}/power`, '{"W": "0x10"}');
    await publish(`${base}/level`, 'true');
    await publish(`${base}/door`, '2');
    await publish(`${base}/door`, 'false');
    await waitFor(() => collector.readings.length === 4, 3000, 'four readings');

    expect(collector.last('power')).toEqual({ point: 'power', value: null, quality: 'bad', reason: 'payload' });
    expect(collector.last('level')).toEqual({ point: 'level', value: null, quality: 'bad', reason: 'payload' });
    expect(collector.readings[2]).toEqual({ point: 'door', value: null, quality: 'bad', reason: 'payload' });
    expect(collector.last('door')).toEqual({ point: 'door', value: 0, quality: 'good' });
    const stats = getMqttStats().find((candidate) => candidate.device === key)!;
    expect(stats.malformedMessages.not_numeric).toBe(2);
    expect(stats.malformedMessages.not_boolean).toBe(1);
  });

  it('rejects timestamps from the future', async () => {
    const base = uniqueTestId('simtestlab-test');
    const key = uniqueTestId('future');
    const topic = `${base}/weather`;
    const nowMs = Date.now();
    const device = mqttDevice(key, SHARED_BROKER_URL, [
      { key: 'oat', topic, path: 'oat_C' },
      { key: 'rh', topic, path: 'rh_Pct' },
    ]);
    const { logger, lines } = createMemoryLogger();
    const collector = readingCollector();
    const driver = createMqttDriverFactory({ now: () => nowMs })(device, { logger, onReadings: collector.onReadings });
    drivers.push(driver);
    await driver.start();

    // The first message is stamped 2100-01-01 and two more just past the limit, all within one log
    // interval. Real messages follow.
    await publish(topic, '{"ts":4102444800000,"oat_C":5}');
    await publish(topic, JSON.stringify({ ts: nowMs + MAX_SOURCE_CLOCK_AHEAD_MS + 1000, oat_C: 6, rh_Pct: 40 }));
    await publish(topic, JSON.stringify({ ts: nowMs + MAX_SOURCE_CLOCK_AHEAD_MS + 2000, oat_C: 7 }));
    await publish(topic, JSON.stringify({ ts: nowMs - 1000, oat_C: 21, rh_Pct: 50 }));
    await publish(topic, JSON.stringify({ ts: nowMs, oat_C: 22, rh_Pct: 51 }));
    await waitFor(() => collector.last('oat')?.value === 22, 3000, 'the real message after the future ones');

    const oatReadings = collector.readings.filter((reading) => reading.point === 'oat');
    expect(oatReadings).toEqual([
      { point: 'oat', value: null, quality: 'bad', reason: 'payload' },
      { point: 'oat', value: null, quality: 'bad', reason: 'payload' },
      { point: 'oat', value: null, quality: 'bad', reason: 'payload' },
      { point: 'oat', value: 21, quality: 'good', sourceTs: nowMs - 1000 },
      { point: 'oat', value: 22, quality: 'good', sourceTs: nowMs },
    ]);
    expect(collector.last('rh')).toEqual({ point: 'rh', value: 51, quality: 'good', sourceTs: nowMs });
    expect(await driver.read()).toEqual([
      { point: 'oat', value: 22, quality: 'good', sourceTs: nowMs },
      { point: 'rh', value: 51, quality: 'good', sourceTs: nowMs },
    ]);

    const stats = getMqttStats().find((candidate) => candidate.device === key)!;
    expect(stats.malformedMessages.future_timestamp).toBe(3);
    expect(stats.outOfOrderValuesIgnored).toBe(0);
    const family = mqttMetricFamilies().find((candidate) => candidate.name === 'edge_mqtt_malformed_messages_total')!;
    expect(family.values).toContainEqual({ labels: { device: key, problem: 'future_timestamp' }, value: 3 });

    const warnings = lines.filter((line) => line.problem === 'future_timestamp');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      level: 40,
      msg: 'MQTT payload timestamp ahead of the edge clock; message rejected',
      topic,
      point: 'oat',
      payload: '{\\"ts\\":4102444800000,\\"oat_C\\":5}',
    });
    expect(warnings[0]!.detail).toMatch(/^payload timestamp 2100-01-01T00:00:00\.000Z is \d+ s ahead of the edge clock, more than the 300 s allowed/);
  });

  it('accepts timestamps slightly ahead', async () => {
    const base = uniqueTestId('simtestlab-test');
    const nowMs = Date.now();
    const device = mqttDevice(uniqueTestId('ahead'), SHARED_BROKER_URL, [{ key: 'v', topic: `${base}/v`, path: 'v' }]);
    const collector = readingCollector();
    const driver = createMqttDriverFactory({ now: () => nowMs })(device, { logger: createSilentLogger(), onReadings: collector.onReadings });
    drivers.push(driver);
    await driver.start();
    await publish(`${base}/v`, JSON.stringify({ ts: nowMs + MAX_SOURCE_CLOCK_AHEAD_MS, v: 3 }));
    await waitFor(() => collector.readings.length === 1, 3000, 'a reading');
    expect(collector.last('v')).toEqual({ point: 'v', value: 3, quality: 'good', sourceTs: nowMs + MAX_SOURCE_CLOCK_AHEAD_MS });
  });

  it('reports points stale after staleAfterS', async () => {
    const base = uniqueTestId('simtestlab-test');
    let nowMs = Date.now();
    const device = mqttDevice('stale', SHARED_BROKER_URL, [
      { key: 'a', topic: `${base}/a` },
      { key: 'b', topic: `${base}/b` },
    ], 60);
    const collector = readingCollector();
    const driver = createMqttDriverFactory({ now: () => nowMs })(device, { logger: createSilentLogger(), onReadings: collector.onReadings });
    drivers.push(driver);
    await driver.start();
    expect((await driver.read()).map((reading) => reading.reason)).toEqual(['device_offline', 'device_offline']);

    await publish(`${base}/a`, '1');
    await waitFor(() => collector.readings.length === 1, 3000, 'a reading');
    nowMs += 30_000;
    await publish(`${base}/b`, '2');
    await waitFor(() => collector.readings.length === 2, 3000, 'a second reading');

    nowMs += 45_000;
    expect(await driver.read()).toEqual([
      { point: 'a', value: null, quality: 'bad', reason: 'timeout' },
      { point: 'b', value: 2, quality: 'good' },
    ]);
    nowMs += 30_000;
    expect(await driver.read()).toEqual([
      { point: 'a', value: null, quality: 'bad', reason: 'device_offline' },
      { point: 'b', value: null, quality: 'bad', reason: 'device_offline' },
    ]);
  });

  it('ignores old retained messages and old timestamps', async () => {
    const base = uniqueTestId('simtestlab-test');
    const key = uniqueTestId('retained');
    retainedTopics.push(`${base}/old`, `${base}/fresh`, `${base}/unknown`);
    const nowMs = Date.now();
    await publish(`${base}/old`, JSON.stringify({ ts: nowMs - 600_000, v: 1 }), true);
    await publish(`${base}/fresh`, JSON.stringify({ ts: nowMs - 1000, v: 2 }), true);
    await publish(`${base}/unknown`, JSON.stringify({ v: 3 }), true);
    const device = mqttDevice(key, SHARED_BROKER_URL, [
      { key: 'old', topic: `${base}/old`, path: 'v' },
      { key: 'fresh', topic: `${base}/fresh`, path: 'v' },
      { key: 'unknown', topic: `${base}/unknown`, path: 'v' },
    ], 60);
    const collector = readingCollector();
    const driver = createMqttDriver(device, { logger: createSilentLogger(), onReadings: collector.onReadings });
    drivers.push(driver);
    await driver.start();
    await waitFor(() => collector.readings.length === 2, 3000, 'two retained readings');

    expect(collector.last('fresh')).toEqual({ point: 'fresh', value: 2, quality: 'good', sourceTs: nowMs - 1000 });
    expect(collector.last('unknown')).toEqual({ point: 'unknown', value: 3, quality: 'uncertain' });
    expect(collector.last('old')).toBeUndefined();
    expect(getMqttStats().find((stats) => stats.device === key)!.staleMessagesIgnored).toBe(1);

    await publish(`${base}/fresh`, JSON.stringify({ ts: nowMs - 5000, v: 9 }));
    await publish(`${base}/fresh`, JSON.stringify({ ts: nowMs, v: 10 }));
    await waitFor(() => collector.last('fresh')?.value === 10, 3000, 'the newest value');
    expect(collector.readings.some((reading) => reading.value === 9)).toBe(false);
    expect(getMqttStats().find((stats) => stats.device === key)!.outOfOrderValuesIgnored).toBe(1);
  });

  it('gives two drivers of one device distinct client ids', async () => {
    const base = uniqueTestId('simtestlab-test');
    const device = mqttDevice('twin', SHARED_BROKER_URL, [{ key: 'v', topic: `${base}/v` }]);
    const first = readingCollector();
    const second = readingCollector();
    drivers.push(createMqttDriver(device, { logger: createSilentLogger(), onReadings: first.onReadings }));
    drivers.push(createMqttDriver(device, { logger: createSilentLogger(), onReadings: second.onReadings }));
    await Promise.all(drivers.map((driver) => driver.start()));
    // A shared client id would make the broker disconnect one of them, so give that time to happen.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await publish(`${base}/v`, '5');
    await waitFor(() => first.readings.length === 1 && second.readings.length === 1, 3000, 'a reading on both drivers');
    expect(getMqttStats().find((stats) => stats.device === 'twin')!.connects).toBe(2);
  });

  it('fails to start without a reachable broker', async () => {
    const device = mqttDevice('nobroker', 'mqtt://127.0.0.1:1', [{ key: 'v', topic: 'x' }]);
    const driver = createMqttDriverFactory({ connectTimeoutMs: 1000 })(device, { logger: createSilentLogger(), onReadings: () => undefined });
    drivers.push(driver);
    const failure = driver.start();
    await expect(failure).rejects.toBeInstanceOf(DeviceConnectionError);
    await expect(failure).rejects.toThrow(/could not connect to MQTT broker mqtt:\/\/127\.0\.0\.1:1 for device nobroker/);
  });

  it('needs a broker URL', async () => {
    const device = mqttDevice('nourl', SHARED_BROKER_URL, [{ key: 'v', topic: 'x' }]);
    const withoutUrl = { ...device, connection: { staleAfterS: 120 } };
    const driver = createMqttDriver(withoutUrl, { logger: createSilentLogger(), onReadings: () => undefined });
    await expect(driver.start()).rejects.toBeInstanceOf(DeviceRequestError);
  });

  it('uses the site broker when the device names none', async () => {
    const base = uniqueTestId('simtestlab-test');
    const device = { ...mqttDevice('siteurl', SHARED_BROKER_URL, [{ key: 'v', topic: `${base}/v` }]), connection: { staleAfterS: 120 } };
    const collector = readingCollector();
    const driver = createMqttDriver(device, { logger: createSilentLogger(), siteMqttUrl: SHARED_BROKER_URL, onReadings: collector.onReadings });
    drivers.push(driver);
    await driver.start();
    await publish(`${base}/v`, '7');
    await waitFor(() => collector.readings.length === 1, 3000, 'a reading');
  });

  it('rejects writes', async () => {
    const device = mqttDevice('readonly', SHARED_BROKER_URL, [{ key: 'v', topic: 'x' }]);
    const driver = createMqttDriver(device, { logger: createSilentLogger(), onReadings: () => undefined });
    await expect(driver.write('v', 1)).rejects.toThrow(/read-only/);
  });

  it('stops twice', async () => {
    const device = mqttDevice('twice', SHARED_BROKER_URL, [{ key: 'v', topic: uniqueTestId('simtestlab-test') }]);
    const driver = createMqttDriver(device, { logger: createSilentLogger(), onReadings: () => undefined });
    await driver.start();
    await driver.stop();
    await expect(driver.stop()).resolves.toBeUndefined();
    expect(getMqttStats().find((stats) => stats.device === 'twice')!.connected).toBe(false);
  });
});
