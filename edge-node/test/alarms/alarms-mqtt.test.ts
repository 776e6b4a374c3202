import type { AlarmState, AlarmStatus } from '@simtestlab/sync';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fileAlarmRulesSchema } from '../../src/config/schema';
import { createApiFixture, testSiteConfig, type ApiFixture } from '../api/api-fixture';
import { requireSharedBroker, SHARED_BROKER_URL, uniqueTestId } from '../simulate/mqtt-test-broker';

/** State and stale rules on a push device: an MQTT device on the shared Mosquitto broker. */

let publisher: MqttClient;
let fixture: ApiFixture | undefined;

beforeAll(async () => {
  await requireSharedBroker();
  publisher = await mqtt.connectAsync(SHARED_BROKER_URL, { clientId: uniqueTestId('simtestlab-alarm-publisher') });
});

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

afterAll(async () => {
  await publisher.endAsync();
});

async function startSite(base: string): Promise<ApiFixture> {
  const config = testSiteConfig({
    devices: [
      {
        key: 'cabinet',
        driver: 'mqtt',
        connection: { url: SHARED_BROKER_URL },
        points: [
          { key: 'door', topic: `${base}/door`, dataType: 'bool' },
          { key: 'tempC', topic: `${base}/temp`, dataType: 'float64', unit: 'C' },
        ],
      },
    ],
  });
  const alarms = fileAlarmRulesSchema.parse([
    { id: 'door-open', name: 'Cabinet door open', severity: 'warning', point: 'cabinet.door', condition: { type: 'state', values: [true] } },
    { id: 'temp-silent', name: 'Cabinet sensor silent', severity: 'warning', point: 'cabinet.tempC', condition: { type: 'stale', afterS: 1 } },
  ]);
  fixture = await createApiFixture({ ...config, alarms }, { startPollers: true });
  return fixture;
}

async function waitForState(ruleId: string, state: AlarmState, timeoutMs = 5000): Promise<AlarmStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alarm = fixture!.runtime.alarms.get(ruleId);
    if (alarm?.state === state) return alarm;
    if (Date.now() > deadline) throw new Error(`alarm ${ruleId} is ${alarm?.state ?? 'unknown'} after ${timeoutMs} ms, expected ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Publishes until the edge has the value, because the driver may still be subscribing. */
async function publishUntilSeen(topic: string, payload: string, point: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    await publisher.publishAsync(topic, payload, { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (fixture!.runtime.lastValues.raw(point) !== undefined) return;
  }
  throw new Error(`the edge did not receive ${topic} within 5 s`);
}

describe('alarm rules on an MQTT device', () => {
  it('raises and clears a state rule on a boolean topic', async () => {
    const base = uniqueTestId('simtestlab/alarms');
    await startSite(base);
    await publishUntilSeen(`${base}/door`, 'false', 'cabinet.door');

    await publisher.publishAsync(`${base}/door`, 'true', { qos: 1 });
    const open = await waitForState('door-open', 'active_unack');
    await publisher.publishAsync(`${base}/door`, 'false', { qos: 1 });
    const closed = await waitForState('door-open', 'cleared_unack');

    expect(open.message).toBe('Cabinet door open: cabinet.door is 1');
    expect(closed.conditionActive).toBe(false);
  });

  it('raises stale on a quiet topic', async () => {
    const base = uniqueTestId('simtestlab/alarms');
    await startSite(base);
    await publishUntilSeen(`${base}/temp`, '21.5', 'cabinet.tempC');

    const stale = await waitForState('temp-silent', 'active_unack', 5000);
    await publisher.publishAsync(`${base}/temp`, '21.7', { qos: 1 });
    const fresh = await waitForState('temp-silent', 'cleared_unack');

    expect(stale.message).toBe('Cabinet sensor silent: no good value from cabinet.tempC for 1 s');
    expect(fresh.value).toBe(21.7);
  });
});
