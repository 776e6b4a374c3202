import { pointId, type AnyPoint, type Device, type DeviceStatus } from '@simtestlab/sync';
import type { Driver, PointReading } from '../drivers/driver';
import { DeviceError, DeviceTimeoutError } from '../drivers/errors';
import type { Logger } from '../logger';
import { backoffDelayMs } from './backoff';
import { nextTick } from './schedule';

/** Upper bounds of the poll duration histogram, in seconds. */
export const POLL_DURATION_BOUNDS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Per-device counts for `/metrics`; all of them only grow, as Prometheus counters must. */
export interface DevicePollStats {
  polls: number;
  failures: number;
  timeouts: number;
  skippedTicks: number;
  lastPollMs: number;
  /** Polls that took at most each bound of `POLL_DURATION_BOUNDS_S` (cumulative buckets). */
  durationBuckets: number[];
  durationSumS: number;
}

export interface DevicePollerHooks {
  /** The device's points became known (after start or discovery). */
  onPoints(device: Device, points: AnyPoint[]): void;
  /** Readings stamped with the edge's clock. */
  onReadings(device: Device, ts: number, readings: PointReading[]): void;
  onStatus(device: Device, status: DeviceStatus, ts: number, error?: string): void;
}

const MAX_BACKOFF_MS = 60_000;

/**
 * Polls one device on its own timer, so a slow or dead device never delays another. Ticks follow a
 * drift-free schedule anchored at the first poll; a poll never overlaps the previous one of the same
 * device. A device that fails is marked offline and retried with exponential backoff, and marked
 * online again at the first poll that succeeds, which also anchors a new schedule.
 */
export class DevicePoller {
  status: DeviceStatus = 'unknown';
  lastError: string | undefined;
  /** Whether the last successful poll returned a bad reading for every point it read. */
  allPointsBad = false;
  readonly stats: DevicePollStats = {
    polls: 0,
    failures: 0,
    timeouts: 0,
    skippedTicks: 0,
    lastPollMs: 0,
    durationBuckets: POLL_DURATION_BOUNDS_S.map(() => 0),
    durationSumS: 0,
  };
  private started = false;
  private consecutiveFailures = 0;
  private lastFailureRetryable = true;
  /** Grid time of the tick being polled; undefined while backing off, so recovery starts a new grid. */
  private tickAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastTs = 0;
  private points: AnyPoint[] = [];

  /** `logger` is expected to carry the device key already, as the runtime's child logger does. */
  constructor(
    readonly device: Device,
    private readonly driver: Driver,
    private readonly hooks: DevicePollerHooks,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Stamps readings with the edge clock, strictly increasing per device so keys never collide. */
  stamp(): number {
    const ts = Math.max(this.now(), this.lastTs + 1);
    this.lastTs = ts;
    return ts;
  }

  start(): void {
    this.tickAt = this.now();
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    const began = this.now();
    try {
      if (!this.started) {
        this.points = await this.driver.start();
        if (this.stopped) return;
        this.started = true;
        this.hooks.onPoints(this.device, this.points);
      }
      const readings = await this.driver.read();
      if (this.stopped) return;
      this.hooks.onReadings(this.device, this.stamp(), readings);
      this.allPointsBad = readings.length > 0 && readings.every((reading) => reading.quality === 'bad');
      this.succeeded();
    } catch (error) {
      if (this.stopped) return;
      this.failed(error);
    } finally {
      this.recordDuration(this.now() - began);
    }
    if (this.consecutiveFailures > 0) {
      const maxDelayMs = Math.max(MAX_BACKOFF_MS, this.device.pollIntervalMs);
      // A permanent error (wrong configuration) waits the longest delay: only a change on the
      // device or a restart with a corrected site file can fix it.
      this.schedule(this.lastFailureRetryable ? backoffDelayMs(this.consecutiveFailures, this.device.pollIntervalMs, maxDelayMs) : maxDelayMs);
      this.tickAt = undefined;
      return;
    }
    const { at, skipped } = nextTick(this.tickAt ?? began, this.device.pollIntervalMs, this.now());
    this.tickAt = at;
    if (skipped > 0) {
      this.stats.skippedTicks += skipped;
      this.logger.debug({ skipped }, 'poll overran its interval: skipped ticks');
    }
    this.schedule(at - this.now());
  }

  private recordDuration(durationMs: number): void {
    const durationS = durationMs / 1000;
    this.stats.polls++;
    this.stats.lastPollMs = durationMs;
    this.stats.durationSumS += durationS;
    POLL_DURATION_BOUNDS_S.forEach((bound, index) => {
      if (durationS <= bound) this.stats.durationBuckets[index]!++;
    });
  }

  private succeeded(): void {
    this.lastError = undefined;
    if (this.consecutiveFailures > 0 || this.status !== 'online') {
      if (this.status === 'offline') this.logger.info({ failures: this.consecutiveFailures }, 'device responds again: online');
      this.setStatus('online');
    }
    this.consecutiveFailures = 0;
  }

  private failed(error: unknown): void {
    this.consecutiveFailures++;
    this.stats.failures++;
    if (error instanceof DeviceTimeoutError) this.stats.timeouts++;
    const message = error instanceof Error ? error.message : String(error);
    this.lastError = message;
    const retryable = !(error instanceof DeviceError) || error.retryable;
    this.lastFailureRetryable = retryable;
    const fields = { failures: this.consecutiveFailures, retryable, err: error };
    // Repeated failures of a dead device are logged at debug, so the log does not fill up.
    if (this.status !== 'offline' && !retryable) this.logger.error(fields, `device failed: ${message}; offline, retrying every ${Math.max(MAX_BACKOFF_MS, this.device.pollIntervalMs) / 1000} s`);
    else if (this.status !== 'offline') this.logger.warn(fields, `device failed: ${message}; offline, retrying with backoff`);
    else this.logger.debug(fields, 'device still failing');
    if (this.status !== 'offline') {
      const ts = this.stamp();
      const reason = error instanceof DeviceTimeoutError ? 'timeout' : 'connection';
      this.hooks.onReadings(
        this.device,
        ts,
        // Before the first successful start the configured points stand in for the device's.
        (this.started ? this.points : this.device.points).map((point) => ({ point: point.key, value: null, quality: 'bad' as const, reason })),
      );
      this.setStatus('offline', message);
    }
  }

  private setStatus(status: DeviceStatus, error?: string): void {
    this.status = status;
    this.hooks.onStatus(this.device, status, this.now(), error);
  }

  /** Returns the driver once it has started, for writes; undefined before the first successful start. */
  startedDriver(): Driver | undefined {
    return this.started ? this.driver : undefined;
  }

  /** Point ids of this device, once known. */
  pointIds(): string[] {
    return this.points.map((point) => pointId(this.device.key, point.key));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.driver.stop();
  }
}
