import { deviceSchema } from '@simtestlab/sync';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMqttDriver } from '../../src/drivers/mqtt';
import { createSilentLogger } from '../../src/logger';
import { loadDataset } from '../../src/simulate/datasets/catalog';
import { weatherPayloads } from '../../src/simulate/mqtt/weather-publisher';
import { startSimulator, type RunningSimulator } from '../../src/simulate/simulators';
import { recordMessages, requireSharedBroker, SHARED_BROKER_URL, uniqueTestId, waitFor, type ReceivedMessage } from './mqtt-test-broker';

const MINUTE_MS = 60_000;
const flexlab = loadDataset('flexlab-external');
/** 07:23 local time on 2020-07-21: every cell of the row is empty. */
const EMPTY_ROW = 7 * 60 + 23;
/** 17:01 local time: only the PV cell has a value. */
const PV_ONLY_ROW = 17 * 60 + 1;

describe('MQTT weather simulator', () => {
  const stops: Array<() => Promise<unknown>> = [];

  beforeAll(requireSharedBroker);

  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  async function replayRows(startRow: number, rowCount: number): Promise<{ site: string; messages: ReceivedMessage[]; simulator: RunningSimulator }> {
    const site = uniqueTestId('weather');
    const recorder = await recordMessages(SHARED_BROKER_URL, `simtestlab/${site}/#`);
    stops.push(() => recorder.client.endAsync());
    // 120x: one dataset minute every 500 ms. The replay clock starts before the publisher connects,
    // so the first row is skipped only if connecting takes longer than that.
    const simulator = await startSimulator('mqtt-weather', { brokerUrl: SHARED_BROKER_URL, site, speed: 120, startOffsetMs: startRow * MINUTE_MS });
    stops.push(() => simulator.stop());
    const lastTs = flexlab.rows[startRow + rowCount - 1]!.ts;
    await waitFor(
      () => recorder.messages.some((message) => JSON.parse(message.payload).datasetTs >= lastTs),
      rowCount * 500 + 5000,
      `the message of dataset time ${new Date(lastTs).toISOString()}`,
    );
    return { site, messages: recorder.messages, simulator };
  }

  it('publishes the source values', async () => {
    const { site, messages, simulator } = await replayRows(600, 3);
    expect(simulator.topics).toEqual([`simtestlab/${site}/weather`, `simtestlab/${site}/pv`]);
    for (const message of messages) {
      const payload = JSON.parse(message.payload);
      const row = flexlab.rows.find((candidate) => candidate.ts === payload.datasetTs);
      expect(row, `row of ${message.payload}`).toBeDefined();
      const expected = weatherPayloads(row!, payload.ts);
      const kind = message.topic.endsWith('/weather') ? 'weather' : 'pv';
      expect(payload).toEqual(expected[kind]);
      expect(message.retain).toBe(false);
    }
    const weather = messages.filter((message) => message.topic.endsWith('/weather')).map((message) => JSON.parse(message.payload));
    const noon = weather.find((payload) => payload.datasetTs === flexlab.rows[601]!.ts);
    expect(noon.oat_C).toBe(flexlab.rows[601]!.values.oat_C);
    expect(noon.irradiance.global_Wm2).toBe(flexlab.rows[601]!.values.global_irradiance_Wm2);
    expect(noon.irradiance.diffuse_Wm2).toBe(flexlab.rows[601]!.values.diffused_irradiance_Wm2);
  });

  it('sends nothing for an empty row', async () => {
    const { messages } = await replayRows(EMPTY_ROW - 2, 4);
    const datasetTimes = new Set(messages.map((message) => JSON.parse(message.payload).datasetTs));
    expect(datasetTimes.has(flexlab.rows[EMPTY_ROW - 1]!.ts)).toBe(true);
    expect(datasetTimes.has(flexlab.rows[EMPTY_ROW]!.ts)).toBe(false);
    expect(datasetTimes.has(flexlab.rows[EMPTY_ROW + 1]!.ts)).toBe(true);
  });

  it('sends only the PV topic when weather cells are empty', async () => {
    const { messages } = await replayRows(PV_ONLY_ROW - 1, 3);
    const at = (ts: number) => messages.filter((message) => JSON.parse(message.payload).datasetTs === ts).map((message) => message.topic.split('/').at(-1));
    expect(at(flexlab.rows[PV_ONLY_ROW]!.ts)).toEqual(['pv']);
    expect(at(flexlab.rows[PV_ONLY_ROW - 1]!.ts).sort()).toEqual(['pv', 'weather']);
  });

  it('feeds the MQTT driver the source values', async () => {
    const site = uniqueTestId('weather');
    const device = deviceSchema.parse({
      key: 'flexlab-weather',
      driver: 'mqtt',
      connection: { url: SHARED_BROKER_URL, staleAfterS: 120 },
      points: [
        { key: 'oat', topic: `simtestlab/${site}/weather`, path: 'oat_C', unit: 'C' },
        { key: 'ghi', topic: `simtestlab/${site}/weather`, path: 'irradiance.global_Wm2', unit: 'W/m2' },
        { key: 'pv', topic: `simtestlab/${site}/pv`, path: 'pv_generation_scaled_W', unit: 'W' },
      ],
    });
    const delivered: Array<{ sourceTs: number | undefined; point: string; value: unknown }> = [];
    const driver = createMqttDriver(device, {
      logger: createSilentLogger(),
      onReadings: (readings) => delivered.push(...readings.map(({ point, value, sourceTs }) => ({ point, value, sourceTs }))),
    });
    await driver.start();
    stops.push(() => driver.stop());
    const simulator = await startSimulator('mqtt-weather', { brokerUrl: SHARED_BROKER_URL, site, speed: 600, startOffsetMs: 600 * MINUTE_MS });
    stops.push(() => simulator.stop());
    await waitFor(() => delivered.filter((reading) => reading.point === 'pv').length >= 3, 5000, 'three PV readings');

    const columns: Record<string, string> = { oat: 'oat_C', ghi: 'global_irradiance_Wm2', pv: 'pv_generation_scaled_W' };
    for (const reading of delivered) {
      const frame = simulator.replay.frame(reading.sourceTs!);
      expect(frame.row, `row at ${reading.sourceTs}`).toBeDefined();
      expect(reading.value).toBe(frame.row!.values[columns[reading.point]!]);
    }
  });

  it('fails to start without a broker', async () => {
    await expect(startSimulator('mqtt-weather', { brokerUrl: 'mqtt://127.0.0.1:1' })).rejects.toThrow(/failed to connect the weather publisher to mqtt:\/\/127\.0\.0\.1:1/);
  });
});
