import type { HubServerMessage, Sample } from '@simtestlab/sync';

/** The part of a `ws` WebSocket the outbox writes to. */
export interface OutboxSocket {
  readonly bufferedAmount: number;
  send(data: string): void;
}

export interface OutboxOptions {
  /** Bytes queued in the socket above which no new frame is sent and samples are only coalesced. */
  highWaterBytes: number;
  /** How long the socket may stay above the high-water mark before `onSlow` is called. */
  slowClientTimeoutMs: number;
  /** How often a lagging socket is checked again. */
  retryMs: number;
}

type DeviceStatusMessage = Extract<HubServerMessage, { type: 'site-device-status' }>;

/**
 * The live data waiting for one browser socket. Memory stays bounded by the points and devices of the
 * subscribed sites: a newer sample replaces the pending one of its point (counted in `coalesced`), and a
 * newer device status replaces the pending one of its device. While the socket's buffer is above the
 * high-water mark nothing is sent, and once it has stayed there for `slowClientTimeoutMs` the outbox
 * calls `onSlow`, which closes the socket.
 */
export class Outbox {
  private readonly samples = new Map<string, Map<string, Sample>>();
  private readonly coalesced = new Map<string, number>();
  private readonly statuses = new Map<string, DeviceStatusMessage>();
  private flushScheduled = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private slowSince: number | undefined;
  private closed = false;

  constructor(
    private readonly socket: OutboxSocket,
    private readonly options: OutboxOptions,
    private readonly onSlow: (details: { pendingPoints: number; bufferedBytes: number }) => void,
  ) {}

  /** Number of samples waiting, across sites. */
  get pendingSamples(): number {
    let count = 0;
    for (const points of this.samples.values()) count += points.size;
    return count;
  }

  /** Queues samples of a site, keeping only the latest per point. */
  addSamples(siteId: string, samples: readonly Sample[]): void {
    let points = this.samples.get(siteId);
    if (!points) {
      points = new Map();
      this.samples.set(siteId, points);
    }
    let replaced = 0;
    for (const sample of samples) {
      if (points.has(sample.point)) replaced++;
      points.set(sample.point, sample);
    }
    if (replaced > 0) this.coalesced.set(siteId, (this.coalesced.get(siteId) ?? 0) + replaced);
    this.scheduleFlush();
  }

  /** Queues a device status, replacing a pending one of the same device. */
  addDeviceStatus(message: DeviceStatusMessage): void {
    this.statuses.set(`${message.siteId}\n${message.device}`, message);
    this.scheduleFlush();
  }

  /** Forgets what is pending for a site the client no longer receives. */
  dropSite(siteId: string): void {
    this.samples.delete(siteId);
    this.coalesced.delete(siteId);
    for (const [key, message] of this.statuses) if (message.siteId === siteId) this.statuses.delete(key);
  }

  /** Stops every timer and drops what is pending. */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.samples.clear();
    this.statuses.clear();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.retryTimer !== undefined || this.closed) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.closed || (this.samples.size === 0 && this.statuses.size === 0)) return;
    const now = Date.now();
    if (this.socket.bufferedAmount > this.options.highWaterBytes) {
      this.slowSince ??= now;
      if (now - this.slowSince > this.options.slowClientTimeoutMs) {
        this.onSlow({ pendingPoints: this.pendingSamples, bufferedBytes: this.socket.bufferedAmount });
        this.close();
        return;
      }
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = undefined;
        this.flush();
      }, this.options.retryMs);
      return;
    }
    this.slowSince = undefined;

    const statuses = [...this.statuses.values()];
    this.statuses.clear();
    for (const message of statuses) this.socket.send(JSON.stringify(message));
    const sites = [...this.samples];
    this.samples.clear();
    for (const [siteId, points] of sites) {
      if (points.size === 0) continue;
      const coalesced = this.coalesced.get(siteId) ?? 0;
      this.coalesced.delete(siteId);
      const message: HubServerMessage = { type: 'site-samples', siteId, samples: [...points.values()], coalesced };
      this.socket.send(JSON.stringify(message));
    }
  }
}
