import type { AnyPoint, Device, MqttDevice, MqttPoint } from '@simtestlab/sync';
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from '../../logger';
import type { Driver, DriverContext, DriverFactory, PointReading } from '../driver';
import { DeviceConnectionError, DeviceRequestError } from '../errors';
import { ExponentialBackoff, type BackoffOptions } from './backoff';
import { redactBrokerUrl } from './broker-url';
import { releaseClientId, reserveClientId } from './client-id';
import { checkFutureTimestamp } from './future-timestamp';
import { ParsedPayload, type PayloadProblem } from './payload';
import { mqttStatsFor, type MqttDeviceStats } from './stats';
import { topicMatchesFilter } from './topic-filter';

/** Settings of the MQTT driver that are not part of a device's configuration. */
export interface MqttDriverOptions {
  /** First part of every client id, such as the site id. Default `simtestlab-edge`. */
  clientIdPrefix?: string;
  /** Delays between reconnect attempts. Default 1 s growing to 60 s. */
  reconnect?: BackoffOptions;
  /** Time allowed for a connection and its CONNACK, in ms. Default 10 000. */
  connectTimeoutMs?: number;
  /** MQTT keepalive, in seconds. Default 30. */
  keepaliveS?: number;
  /** Minimum time between two log lines about malformed payloads on one topic, in ms. Default 60 000. */
  malformedLogIntervalMs?: number;
  /** Clock for freshness checks, in epoch ms. Default `Date.now`. */
  now?: () => number;
}

interface LatestValue {
  reading: PointReading;
  /** Wall time the message arrived, in epoch ms. */
  receivedAtMs: number;
}

const PAYLOAD_EXCERPT_CHARS = 120;

/** Returns the first characters of a payload with control characters escaped, for a log line. */
function payloadExcerpt(text: string): string {
  const excerpt = JSON.stringify(text.slice(0, PAYLOAD_EXCERPT_CHARS)).slice(1, -1);
  return text.length > PAYLOAD_EXCERPT_CHARS ? `${excerpt}…` : excerpt;
}

/**
 * Driver for devices that publish on MQTT (mqtt.js 5). It subscribes to the topics of the device's
 * points and keeps the latest value of each: the JSON value at the point's `path`, or the whole
 * payload, read by the point's data type (see `ParsedPayload.extract`), then `scale` and `offset`.
 * Values go to `onReadings` as messages arrive; `read` returns them, and marks a point bad once it
 * has had no message for `staleAfterS`.
 *
 * Sessions are clean and QoS 0 is not queued, so a broker outage never ends in a burst of old
 * messages. A message whose own timestamp (`ts`, `timestamp` or `time`) is older than `staleAfterS`
 * is dropped, retained ones included. A message whose timestamp is more than
 * `MAX_SOURCE_CLOCK_AHEAD_MS` ahead of the edge clock is rejected as invalid and never sets the
 * point's latest source time. A retained message without a timestamp has an unknown age, so
 * its values are `uncertain`. The client reconnects with exponential backoff, because mqtt.js itself
 * offers only a fixed period, which is turned off here.
 */
class MqttDriver implements Driver {
  readonly mode = 'push' as const;
  private readonly device: MqttDevice;
  private readonly context: DriverContext;
  private readonly logger: Logger;
  private readonly options: MqttDriverOptions;
  private readonly now: () => number;
  private readonly staleAfterMs: number;
  private readonly stats: MqttDeviceStats;
  private readonly backoff: ExponentialBackoff;
  /** Points by subscription filter; one topic may feed several points through different paths. */
  private readonly pointsByFilter = new Map<string, MqttPoint[]>();
  private readonly latest = new Map<string, LatestValue>();
  private readonly lastSourceTs = new Map<string, number>();
  private readonly malformedLog = new Map<string, { lastLoggedMs: number; suppressed: number }>();
  private client: MqttClient | undefined;
  private clientId: string | undefined;
  private brokerLabel = '';
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly onReconnected = () => {
    if (this.client !== undefined) this.handleReconnected(this.client);
  };
  private readonly onClose = () => this.handleClose();

  constructor(device: MqttDevice, context: DriverContext, options: MqttDriverOptions) {
    this.device = device;
    this.context = context;
    this.options = options;
    this.logger = context.logger.child({ device: device.key, driver: 'mqtt' });
    this.now = options.now ?? Date.now;
    this.staleAfterMs = device.connection.staleAfterS * 1000;
    this.stats = mqttStatsFor(device.key);
    this.backoff = new ExponentialBackoff(options.reconnect ?? { initialDelayMs: 1000, maxDelayMs: 60_000 });
    for (const point of device.points) {
      const points = this.pointsByFilter.get(point.topic) ?? [];
      points.push(point);
      this.pointsByFilter.set(point.topic, points);
    }
  }

  async start(): Promise<AnyPoint[]> {
    const url = this.device.connection.url ?? this.context.siteMqttUrl;
    if (url === undefined) {
      throw new DeviceRequestError(`device ${this.device.key} names no MQTT broker URL and the site has none; set connection.url or mqtt.url`, {
        device: this.device.key,
      });
    }
    if (this.client !== undefined) return this.device.points;
    this.stopped = false;
    this.brokerLabel = redactBrokerUrl(url);
    this.clientId = reserveClientId([this.options.clientIdPrefix ?? 'simtestlab-edge', this.device.key]);
    // A fresh options object per client: mqtt.js keeps a reference, and clients sharing one object
    // have ended up sharing a client id.
    const clientOptions: IClientOptions = {
      clientId: this.clientId,
      clean: true,
      reconnectPeriod: 0,
      resubscribe: false,
      queueQoSZero: false,
      connectTimeout: this.options.connectTimeoutMs ?? 10_000,
      keepalive: this.options.keepaliveS ?? 30,
    };
    const client = mqtt.connect(url, clientOptions);
    this.client = client;
    client.on('message', (topic, payload, packet) => this.handleMessage(topic, payload, packet));
    client.on('error', (error) => this.logger.debug({ err: error, broker: this.brokerLabel }, 'MQTT client error'));

    try {
      await this.waitForFirstConnect(client);
      await this.subscribe(client);
    } catch (error) {
      await this.closeClient();
      if (error instanceof DeviceRequestError) throw error;
      throw new DeviceConnectionError(`could not connect to MQTT broker ${this.brokerLabel} for device ${this.device.key}`, {
        device: this.device.key,
        cause: error,
      });
    }

    client.on('connect', this.onReconnected);
    client.on('close', this.onClose);
    this.logger.info({ broker: this.brokerLabel, clientId: this.clientId, topics: [...this.pointsByFilter.keys()] }, 'MQTT device subscribed');
    return this.device.points;
  }

  async read(): Promise<PointReading[]> {
    const nowMs = this.now();
    const isFresh = (entry: LatestValue | undefined) => {
      if (entry === undefined) return false;
      const sinceMs = Math.min(entry.receivedAtMs, entry.reading.sourceTs ?? entry.receivedAtMs);
      return nowMs - sinceMs <= this.staleAfterMs;
    };
    const anyFresh = this.device.points.some((point) => isFresh(this.latest.get(point.key)));
    return this.device.points.map((point) => {
      const entry = this.latest.get(point.key);
      if (entry !== undefined && isFresh(entry)) return entry.reading;
      // A point alone without news has timed out; when no point of the device has news, the
      // publisher (or the way to it) is gone.
      return { point: point.key, value: null, quality: 'bad', reason: anyFresh ? 'timeout' : 'device_offline' };
    });
  }

  async write(pointKey: string): Promise<void> {
    throw new DeviceRequestError(`point ${pointKey} of MQTT device ${this.device.key} is read-only: the MQTT driver does not publish`, {
      device: this.device.key,
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    await this.closeClient();
  }

  private async closeClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.stats.connected = false;
    if (client !== undefined) {
      // Only this driver's listeners: mqtt.js registers its own on the same events.
      client.off('close', this.onClose);
      client.off('connect', this.onReconnected);
      await client.endAsync(!client.connected);
    }
    if (this.clientId !== undefined) releaseClientId(this.clientId);
    this.clientId = undefined;
  }

  private waitForFirstConnect(client: MqttClient): Promise<void> {
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        client.off('connect', onConnect);
        client.off('error', onError);
        client.off('close', onClose);
      };
      const onConnect = () => {
        cleanup();
        this.stats.connected = true;
        this.stats.connects++;
        resolve();
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const onClose = () => {
        cleanup();
        reject(new Error('connection closed before CONNACK'));
      };
      client.on('connect', onConnect);
      client.on('error', onError);
      client.on('close', onClose);
    });
  }

  private async subscribe(client: MqttClient): Promise<void> {
    const filters = [...this.pointsByFilter.keys()];
    if (filters.length === 0) return;
    const granted = await client.subscribeAsync(Object.fromEntries(filters.map((filter) => [filter, { qos: 0 as const }])));
    const rejected = granted.filter((grant) => grant.qos === 128).map((grant) => grant.topic);
    if (rejected.length > 0) {
      throw new DeviceRequestError(`MQTT broker ${this.brokerLabel} rejected the subscription to ${rejected.join(', ')}; check the topic filters and the broker's ACL`, { device: this.device.key });
    }
  }

  private handleReconnected(client: MqttClient): void {
    const attempts = this.backoff.attempts;
    this.backoff.reset();
    this.stats.connected = true;
    this.stats.connects++;
    this.logger.info({ broker: this.brokerLabel, attempts }, 'MQTT broker connection restored');
    this.subscribe(client).catch((error: unknown) => {
      this.logger.error({ err: error, broker: this.brokerLabel }, 'MQTT subscription after reconnect failed');
    });
  }

  private handleClose(): void {
    this.stats.connected = false;
    if (this.stopped || this.reconnectTimer !== undefined || this.client === undefined) return;
    const delayMs = this.backoff.nextDelayMs();
    const attempt = this.backoff.attempts;
    // The level rises as the outage lasts; after the first few, one line in ten is enough.
    const fields = { broker: this.brokerLabel, attempt, delayMs };
    if (attempt <= 3) this.logger.warn(fields, 'MQTT broker connection lost; reconnecting');
    else if (attempt % 10 === 0) this.logger.error(fields, 'MQTT broker still unreachable; reconnecting');
    else this.logger.debug(fields, 'MQTT broker still unreachable; reconnecting');

    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.stopped || this.client === undefined) return;
      this.stats.reconnectAttempts++;
      this.client.reconnect();
    }, delayMs);
  }

  private handleMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    try {
      this.acceptMessage(topic, payload, packet);
    } catch (error) {
      this.logger.error({ err: error, topic, payload: payloadExcerpt(payload.toString('utf8')) }, 'MQTT message handling failed');
    }
  }

  private acceptMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    this.stats.messagesReceived++;
    const nowMs = this.now();
    const parsed = new ParsedPayload(payload.toString('utf8'));
    const sourceTs = parsed.sourceTimestampMs();
    if (sourceTs !== undefined && nowMs - sourceTs > this.staleAfterMs) {
      this.stats.staleMessagesIgnored++;
      this.logger.debug({ topic, sourceTs, retained: packet.retain }, 'MQTT message older than staleAfterS ignored');
      return;
    }
    // A message stamped too far ahead is invalid as a whole. Each of its points reads bad, and its
    // timestamp never becomes a point's latest source time.
    const futureProblem = sourceTs === undefined ? undefined : checkFutureTimestamp(sourceTs, nowMs);

    const readings: PointReading[] = [];
    let firstProblem: { problem: PayloadProblem; detail: string; point: string } | undefined;
    for (const [filter, points] of this.pointsByFilter) {
      if (!topicMatchesFilter(filter, topic)) continue;
      for (const point of points) {
        const reading = futureProblem ?? this.readPoint(point, parsed, packet.retain, sourceTs);
        if (reading === undefined) continue;
        if ('problem' in reading) {
          firstProblem ??= { ...reading, point: point.key };
          readings.push({ point: point.key, value: null, quality: 'bad', reason: 'payload' });
        } else {
          readings.push(reading);
        }
      }
    }
    for (const reading of readings) this.latest.set(reading.point, { reading, receivedAtMs: nowMs });
    if (firstProblem !== undefined) this.countMalformed(topic, parsed.text, firstProblem);
    if (readings.length > 0) this.context.onReadings(readings);
  }

  /**
   * Reads one point from a payload. Returns the problem when the payload has no value for it, or
   * undefined when the value is older than one already taken.
   */
  private readPoint(
    point: MqttPoint,
    parsed: ParsedPayload,
    retained: boolean,
    sourceTs: number | undefined,
  ): PointReading | { problem: PayloadProblem; detail: string } | undefined {
    const result = parsed.extract(point.path, point.dataType);
    if (!result.ok) return { problem: result.problem, detail: result.detail };
    if (sourceTs !== undefined) {
      const lastTs = this.lastSourceTs.get(point.key);
      if (lastTs !== undefined && sourceTs < lastTs) {
        this.stats.outOfOrderValuesIgnored++;
        return undefined;
      }
      this.lastSourceTs.set(point.key, sourceTs);
    }
    const value = typeof result.value === 'number' ? result.value * point.scale + point.offset : result.value;
    const reading: PointReading = { point: point.key, value, quality: retained && sourceTs === undefined ? 'uncertain' : 'good' };
    if (sourceTs !== undefined) reading.sourceTs = sourceTs;
    return reading;
  }

  private countMalformed(topic: string, text: string, problem: { problem: PayloadProblem; detail: string; point: string }): void {
    this.stats.malformedMessages[problem.problem]++;
    const nowMs = this.now();
    const intervalMs = this.options.malformedLogIntervalMs ?? 60_000;
    const state = this.malformedLog.get(topic);
    if (state !== undefined && nowMs - state.lastLoggedMs < intervalMs) {
      state.suppressed++;
      return;
    }
    this.logger.warn(
      { topic, point: problem.point, problem: problem.problem, detail: problem.detail, payload: payloadExcerpt(text), suppressed: state?.suppressed ?? 0 },
      problem.problem === 'future_timestamp' ? 'MQTT payload timestamp ahead of the edge clock; message rejected' : 'malformed MQTT payload',
    );
    this.malformedLog.set(topic, { lastLoggedMs: nowMs, suppressed: 0 });
  }
}

/** Creates a factory of MQTT drivers with the given settings. */
export function createMqttDriverFactory(options: MqttDriverOptions = {}): DriverFactory {
  return (device: Device, context: DriverContext): Driver => {
    if (device.driver !== 'mqtt') {
      throw new DeviceRequestError(`device ${device.key} uses driver "${device.driver}", not mqtt`, { device: device.key });
    }
    return new MqttDriver(device, context, options);
  };
}

/** The MQTT driver with default settings: 1 s to 60 s reconnect backoff, 10 s connect timeout. */
export const createMqttDriver: DriverFactory = createMqttDriverFactory();
