import type { AlarmChange, DeviceStatus, Sample, ServerMessage } from '@simtestlab/sync';
import type { Logger } from '../logger';

/** Connection interface the hub writes to; the `ws` WebSocket implements it. */
export interface LiveSocket {
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface LiveHubOptions {
  /** Bytes queued in a socket above which the hub stops sending to it and only coalesces. */
  highWaterBytes?: number;
  /** How long a client may stay above the high-water mark before it is dropped. */
  slowClientTimeoutMs?: number;
  /** Largest number of points one client may subscribe to. */
  maxPointsPerClient?: number;
}

/** Receives every sample and device status the hub publishes, whether or not a client subscribed. */
export interface LiveTap {
  sample(sample: Sample): void;
  deviceStatus(device: string, status: DeviceStatus, ts: number, error?: string): void;
}

/** A connected client with its subscriptions and the samples waiting for it. */
export class LiveClient {
  readonly points = new Set<string>();
  readonly devices = new Set<string>();
  /** Latest sample per point not yet sent: a newer sample replaces an older one (coalescing). */
  readonly pending = new Map<string, Sample>();
  coalesced = 0;
  slowSince: number | undefined;

  constructor(readonly socket: LiveSocket) {}

  send(message: ServerMessage): void {
    this.socket.send(JSON.stringify(message));
  }
}

/**
 * Fans samples out to WebSocket clients. `publish` only records the sample in each subscriber's
 * pending map and schedules one flush for the end of the current event loop turn, so the poller never
 * waits for a socket. A client whose socket buffer stays above the high-water mark receives no new
 * frames; its pending map keeps only the latest value per point, and after `slowClientTimeoutMs` it
 * is disconnected.
 */
export class LiveHub {
  private readonly clients = new Set<LiveClient>();
  private readonly subscribersByPoint = new Map<string, Set<LiveClient>>();
  private readonly pointsByDevice = new Map<string, string[]>();
  private readonly knownPoints = new Set<string>();
  private flushScheduled = false;
  private readonly taps = new Set<LiveTap>();
  private readonly highWaterBytes: number;
  private readonly slowClientTimeoutMs: number;
  readonly maxPointsPerClient: number;
  droppedClients = 0;
  framesSent = 0;

  constructor(
    private readonly logger: Logger,
    options: LiveHubOptions = {},
  ) {
    this.highWaterBytes = options.highWaterBytes ?? 1_000_000;
    this.slowClientTimeoutMs = options.slowClientTimeoutMs ?? 10_000;
    this.maxPointsPerClient = options.maxPointsPerClient ?? 50_000;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Declares the points of a device, so a client can subscribe to a whole device. */
  setDevicePoints(deviceKey: string, pointIds: string[]): void {
    for (const point of this.pointsByDevice.get(deviceKey) ?? []) this.knownPoints.delete(point);
    this.pointsByDevice.set(deviceKey, pointIds);
    for (const point of pointIds) this.knownPoints.add(point);
    for (const client of this.clients) if (client.devices.has(deviceKey)) this.addPoints(client, pointIds);
  }

  knowsPoint(pointId: string): boolean {
    return this.knownPoints.has(pointId);
  }

  connect(socket: LiveSocket): LiveClient {
    const client = new LiveClient(socket);
    this.clients.add(client);
    return client;
  }

  disconnect(client: LiveClient): void {
    this.clients.delete(client);
    for (const point of client.points) this.subscribersByPoint.get(point)?.delete(client);
  }

  /** Adds subscriptions and returns the ids that matched nothing. */
  subscribe(client: LiveClient, points: readonly string[], devices: readonly string[]): string[] {
    const unknown: string[] = [];
    for (const device of devices) {
      const devicePoints = this.pointsByDevice.get(device);
      if (!devicePoints) {
        unknown.push(device);
        continue;
      }
      client.devices.add(device);
      this.addPoints(client, devicePoints);
    }
    const known = points.filter((point) => {
      if (this.knowsPoint(point)) return true;
      unknown.push(point);
      return false;
    });
    this.addPoints(client, known);
    return unknown;
  }

  unsubscribe(client: LiveClient, points: readonly string[], devices: readonly string[]): void {
    const remove = new Set(points);
    for (const device of devices) {
      client.devices.delete(device);
      for (const point of this.pointsByDevice.get(device) ?? []) remove.add(point);
    }
    for (const point of remove) {
      client.points.delete(point);
      client.pending.delete(point);
      this.subscribersByPoint.get(point)?.delete(client);
    }
  }

  private addPoints(client: LiveClient, points: readonly string[]): void {
    for (const point of points) {
      client.points.add(point);
      let subscribers = this.subscribersByPoint.get(point);
      if (!subscribers) {
        subscribers = new Set();
        this.subscribersByPoint.set(point, subscribers);
      }
      subscribers.add(client);
    }
  }

  /** Adds a tap, such as the cloud uplink; returns its removal. */
  addTap(tap: LiveTap): () => void {
    this.taps.add(tap);
    return () => this.taps.delete(tap);
  }

  /** Queues a sample for every subscriber of its point and hands it to every tap. */
  publish(sample: Sample): void {
    for (const tap of this.taps) tap.sample(sample);
    const subscribers = this.subscribersByPoint.get(sample.point);
    if (!subscribers || subscribers.size === 0) return;
    for (const client of subscribers) {
      if (client.pending.has(sample.point)) client.coalesced++;
      client.pending.set(sample.point, sample);
    }
    this.scheduleFlush();
  }

  /** Sends a device status change to clients subscribed to the device or any of its points. */
  publishDeviceStatus(device: string, status: DeviceStatus, ts: number, error?: string): void {
    for (const tap of this.taps) tap.deviceStatus(device, status, ts, error);
    const points = this.pointsByDevice.get(device) ?? [];
    const message: ServerMessage = error === undefined ? { type: 'device-status', device, status, ts } : { type: 'device-status', device, status, ts, error };
    for (const client of this.clients) {
      if (client.devices.has(device) || points.some((point) => client.points.has(point))) this.trySend(client, message);
    }
  }

  /**
   * Sends an alarm change to every client, whatever it subscribed to. Every client is authenticated,
   * because the live server checks the token before the upgrade.
   */
  publishAlarm(change: AlarmChange): void {
    const message: ServerMessage = { type: 'alarm', change };
    for (const client of this.clients) this.trySend(client, message);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Sends every client its pending samples as one frame, skipping clients that lag. */
  flush(): void {
    const now = Date.now();
    for (const client of this.clients) {
      if (client.pending.size === 0) continue;
      if (client.socket.bufferedAmount > this.highWaterBytes) {
        client.slowSince ??= now;
        if (now - client.slowSince > this.slowClientTimeoutMs) this.drop(client);
        else this.scheduleRetry();
        continue;
      }
      client.slowSince = undefined;
      const samples = [...client.pending.values()];
      client.pending.clear();
      const coalesced = client.coalesced;
      client.coalesced = 0;
      this.trySend(client, { type: 'samples', samples, coalesced });
    }
  }

  private retryTimer: NodeJS.Timeout | undefined;

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.flush();
    }, 50);
    this.retryTimer.unref();
  }

  private trySend(client: LiveClient, message: ServerMessage): void {
    try {
      client.send(message);
      this.framesSent++;
    } catch (error) {
      this.logger.warn({ err: error }, 'sending to a live client failed: disconnecting it');
      this.disconnect(client);
    }
  }

  private drop(client: LiveClient): void {
    this.droppedClients++;
    this.logger.warn(
      { pendingPoints: client.pending.size, bufferedBytes: client.socket.bufferedAmount },
      'live client too slow: disconnecting it',
    );
    this.disconnect(client);
    // NOTE: a client that never reads again never finishes the closing handshake, so `ws` 8 keeps
    // its socket and buffered frames in memory until its 30 s close timeout destroys them.
    client.socket.close(1008, 'slow consumer: the client did not read its stream');
  }

  /** Disconnects every client, for shutdown. */
  closeAll(): void {
    for (const client of this.clients) {
      client.socket.close(1001, 'edge node shutting down');
      this.disconnect(client);
    }
  }
}
