import type { AnyPoint, Device, DriverName, QualityReason, SampleValue } from '@simtestlab/sync';
import type { Logger } from '../logger';

/**
 * One value a driver read, before the poller stamps it. A driver returns every point it was asked
 * for: a point it could not read comes back with `value: null`, `quality: 'bad'` and a reason.
 */
export interface PointReading {
  /** Point key inside the device. */
  point: string;
  value: SampleValue;
  quality: 'good' | 'uncertain' | 'bad';
  reason?: QualityReason;
  /** The source's own timestamp in epoch ms UTC, when the protocol carries one (MQTT payloads may). */
  sourceTs?: number;
}

/** Services the edge node gives a driver. */
export interface DriverContext {
  /** The node's logger; a driver binds its device key itself, and a shared bus logs without one. */
  logger: Logger;
  /** Broker URL of the site, for MQTT devices that name none. */
  siteMqttUrl?: string;
  /**
   * Push drivers (MQTT, and BACnet COV later) deliver readings here as they arrive; the caller stamps
   * them with the edge's clock. Poll drivers never call it.
   */
  onReadings(readings: PointReading[]): void;
}

/** Options of a write. */
export interface WriteOptions {
  /** BACnet command priority, 1 (highest) to 16. */
  priority?: number;
}

/**
 * A device driver. `poll` drivers are read by the poller on the device's interval; `push` drivers
 * deliver through `DriverContext.onReadings` and are still polled so they can report stale points.
 * Values are in engineering units after scale and offset, as the point definition states.
 */
export interface Driver {
  readonly mode: 'poll' | 'push';
  /**
   * Connects and returns the points the device has. Usually that is the configured list; a SunSpec
   * device returns the points discovered from its model chain. Throws a `DeviceError` when the device
   * cannot be reached; the poller retries with backoff.
   */
  start(): Promise<AnyPoint[]>;
  /**
   * Reads all points. Throws a `DeviceError` when the device as a whole did not respond (timeout,
   * connection lost), which marks it offline; per-point failures come back as bad readings.
   */
  read(): Promise<PointReading[]>;
  /**
   * Writes one point in engineering units. Throws a `DeviceError` naming the point on failure. A
   * BACnet write goes to `options.priority` (else the point's `writePriority`); drivers without command
   * priorities ignore it.
   */
  write(pointKey: string, value: number | boolean | string, options?: WriteOptions): Promise<void>;
  /**
   * Gives up the edge's command of a point at `priority`: BACnet writes NULL there, so a lower priority
   * or the relinquish default takes over. Only drivers with command priorities have it.
   */
  relinquish?(pointKey: string, priority: number): Promise<unknown>;
  /**
   * Reads one point now, for reading back a write. Throws a `DeviceError` when the device did not
   * respond. Drivers without it are read back through `read()`.
   */
  readPointNow?(pointKey: string): Promise<PointReading>;
  /** Closes connections and rejects requests in flight. Safe to call twice. */
  stop(): Promise<void>;
}

export type DriverFactory = (device: Device, context: DriverContext) => Driver;
export type { DriverName };
