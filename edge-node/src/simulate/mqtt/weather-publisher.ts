import mqtt, { type MqttClient } from 'mqtt';
import { redactBrokerUrl } from '../../drivers/mqtt/broker-url';
import { releaseClientId, reserveClientId } from '../../drivers/mqtt/client-id';
import type { Logger } from '../../logger';
import type { DatasetRow } from '../datasets/delimited-text';
import type { DatasetReplay } from '../replay';

/** Options of the simulated MQTT weather station. */
export interface WeatherPublisherOptions {
  brokerUrl: string;
  /** Site id in the topics `simtestlab/<site>/weather` and `simtestlab/<site>/pv`. Default `flexlab`. */
  site?: string;
  /** Replay of the FLEXLAB `external.csv` data set. */
  replay: DatasetReplay;
  /** Whether messages are retained by the broker. Default false. */
  retain?: boolean;
  logger: Logger;
}

/** A running weather publisher. */
export interface WeatherPublisher {
  clientId: string;
  topics: { weather: string; pv: string };
  /** Messages published so far. */
  readonly publishedCount: number;
  /** Stops publishing and disconnects. Safe to call twice. */
  stop(): Promise<void>;
}

/** Payloads of one FLEXLAB row, by topic kind; a kind whose values are all missing is left out. */
export function weatherPayloads(row: DatasetRow, wallMs: number): { weather?: object; pv?: object } {
  const value = (column: string) => row.values[column] ?? null;
  const common = { ts: wallMs, datasetTs: row.ts };
  const oatC = value('oat_C');
  const globalWm2 = value('global_irradiance_Wm2');
  const diffuseWm2 = value('diffused_irradiance_Wm2');
  const pvW = value('pv_generation_scaled_W');

  const payloads: { weather?: object; pv?: object } = {};
  if (oatC !== null || globalWm2 !== null || diffuseWm2 !== null) {
    const irradiance = {
      ...(globalWm2 === null ? {} : { global_Wm2: globalWm2 }),
      ...(diffuseWm2 === null ? {} : { diffuse_Wm2: diffuseWm2 }),
    };
    payloads.weather = {
      ...common,
      ...(oatC === null ? {} : { oat_C: oatC }),
      ...(Object.keys(irradiance).length === 0 ? {} : { irradiance }),
    };
  }
  if (pvW !== null) payloads.pv = { ...common, pv_generation_scaled_W: pvW };
  return payloads;
}

/**
 * Publishes the FLEXLAB weather and PV replay as JSON, one message per topic when each row begins:
 * `{"ts", "datasetTs", "oat_C", "irradiance": {"global_Wm2", "diffuse_Wm2"}}` on the weather topic and
 * `{"ts", "datasetTs", "pv_generation_scaled_W"}` on the PV topic, with `ts` the wall-clock time in
 * epoch ms. Missing values are left out of the payload, and nothing is sent during a gap. Messages
 * are QoS 0 and not queued while the broker is away, as a live sensor would drop them.
 */
export async function startWeatherPublisher(options: WeatherPublisherOptions): Promise<WeatherPublisher> {
  const { brokerUrl, replay, logger, retain = false } = options;
  const site = options.site ?? 'flexlab';
  const topics = { weather: `simtestlab/${site}/weather`, pv: `simtestlab/${site}/pv` };
  const clientId = reserveClientId(['simtestlab-sim', site, 'weather']);
  const client: MqttClient = mqtt.connect(brokerUrl, {
    clientId,
    clean: true,
    queueQoSZero: false,
    reconnectPeriod: 2000,
    connectTimeout: 5000,
  });
  let publishedCount = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const broker = redactBrokerUrl(brokerUrl);
  client.on('connect', () => logger.info({ broker, clientId }, 'weather publisher connected'));
  client.on('error', (error) => logger.warn({ err: error, broker, clientId }, 'weather publisher connection failed'));

  // A timer may fire a millisecond before the row it waits for begins; the row then still current
  // was sent already and is skipped.
  let lastSent: { loop: number; rowIndex: number } | undefined;
  const publishCurrentRow = () => {
    const frame = replay.frame();
    if (frame.row === undefined || !client.connected) return;
    if (lastSent?.loop === frame.loop && lastSent.rowIndex === frame.rowIndex) return;
    lastSent = { loop: frame.loop, rowIndex: frame.rowIndex };
    const payloads = weatherPayloads(frame.row, frame.wallMs);
    for (const kind of ['weather', 'pv'] as const) {
      const payload = payloads[kind];
      if (payload === undefined) continue;
      client.publish(topics[kind], JSON.stringify(payload), { qos: 0, retain });
      publishedCount++;
    }
  };

  const scheduleNext = () => {
    if (stopped) return;
    const wallMs = replay.now();
    const delayMs = Math.max(1, replay.nextRowStartWallMs(wallMs) - wallMs);
    timer = setTimeout(() => {
      publishCurrentRow();
      scheduleNext();
    }, delayMs);
  };

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      client.end(true);
      releaseClientId(clientId);
      reject(new Error(`failed to connect the weather publisher to ${broker}`, { cause: error }));
    };
    client.once('error', onError);
    client.once('connect', () => {
      client.off('error', onError);
      resolve();
    });
  });
  publishCurrentRow();
  scheduleNext();

  let stopping: Promise<void> | undefined;
  return {
    clientId,
    topics,
    get publishedCount() {
      return publishedCount;
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        clearTimeout(timer);
        await client.endAsync();
        releaseClientId(clientId);
      })();
      return stopping;
    },
  };
}
