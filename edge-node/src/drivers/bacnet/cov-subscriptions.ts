import { PropertyIdentifier, type BACNetAppData, type CovNotifyPayload } from '@bacnet-js/client';
import type { BacnetPoint } from '@simtestlab/sync';
import type { Logger } from '../../logger';
import type { PointReading } from '../driver';
import { describeObject, objectKey, type ObjectId } from './bacnet-names';
import { decodeStatusFlags, decodeValue, qualityOf, type StatusFlags } from './point-values';
import type { RequestTarget, SharedBacnetClient } from './shared-client';

/** A COV-subscribed object with the points that read its present-value. */
interface Subscription {
  objectId: ObjectId;
  label: string;
  points: BacnetPoint[];
  /** When the device last acknowledged a SubscribeCOV, in epoch ms. */
  subscribedAt?: number;
  /** When the last notification arrived, in epoch ms. */
  notifiedAt?: number;
  /** When a SubscribeCOV was last sent. */
  attemptedAt?: number;
  /** Whether the last health check found notifications arriving. */
  fed: boolean;
  /** Whether notifications have arrived at any health check, so a later return is worth an info line. */
  everFed: boolean;
  presentValue?: BACNetAppData[];
  statusFlags?: StatusFlags;
  /** Consecutive failed SubscribeCOV requests, for rate-limited logging. */
  failures: number;
}

export interface CovSubscriptionsOptions {
  client: SharedBacnetClient;
  target: () => RequestTarget;
  deviceInstance: number;
  /** Subscriber process identifier; the same for every subscription of the device. */
  processId: number;
  lifetimeS: number;
  /** Maximum time one SubscribeCOV may take with its retries, in ms. */
  requestBudgetMs: number;
  logger: Logger;
  /** Receives the readings of each notification. */
  onReadings(readings: PointReading[]): void;
  now?: () => number;
}

/**
 * Returns a subscriber process identifier derived from the device key (FNV-1a, 22 bits, never 0), so
 * that the edge renews its own subscriptions after a restart instead of adding new ones. Devices
 * identify a subscription by subscriber address, process identifier and object.
 */
export function covProcessId(deviceKey: string): number {
  let hash = 0x811c9dc5;
  for (const char of deviceKey) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash & 0x3fffff) || 1;
}

/**
 * Unconfirmed COV subscriptions of one device, renewed at half their lifetime.
 *
 * A subscription counts as delivering ("fed") while a notification arrived within one renewal
 * interval plus the time a renewal may take. Standard devices send a notification right after every
 * successful SubscribeCOV, so a live subscription refreshes that at each renewal even when the value
 * does not change. When notifications stop, the object is polled again and subscribed again at once.
 * It returns to COV at its next notification. A device that sends no notification after a
 * subscription is therefore polled, which costs requests but keeps its values coming.
 */
export class CovSubscriptions {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly now: () => number;
  private readonly renewIntervalMs: number;
  private readonly silenceLimitMs: number;
  private renewTimer: NodeJS.Timeout | undefined;
  private stopListening: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly options: CovSubscriptionsOptions, points: readonly BacnetPoint[], objectIdOf: (point: BacnetPoint) => ObjectId) {
    this.now = options.now ?? Date.now;
    this.renewIntervalMs = (options.lifetimeS * 1000) / 2;
    this.silenceLimitMs = this.renewIntervalMs + options.requestBudgetMs + 1000;
    for (const point of points) {
      const objectId = objectIdOf(point);
      const key = objectKey(objectId);
      const existing = this.subscriptions.get(key);
      if (existing) existing.points.push(point);
      else this.subscriptions.set(key, { objectId, label: describeObject(objectId), points: [point], fed: false, everFed: false, failures: 0 });
    }
  }

  /** Number of subscribed objects. */
  get size(): number {
    return this.subscriptions.size;
  }

  /** Starts listening and subscribes every object; failures are logged and retried at the next renewal. */
  async start(): Promise<void> {
    if (this.subscriptions.size === 0) return;
    this.stopListening = this.options.client.listenForCov(this.options.processId, (notification) => this.receive(notification));
    await this.subscribeAll();
    this.renewTimer = setInterval(() => void this.subscribeAll(), this.renewIntervalMs);
    this.renewTimer.unref();
  }

  /** Returns whether the object's values currently arrive by COV, so a poll may skip it. */
  isFed(objectId: ObjectId): boolean {
    return this.subscriptions.get(objectKey(objectId))?.fed ?? false;
  }

  /**
   * Updates which subscriptions deliver. One that fell silent is logged, polled from now on and
   * subscribed again; one that delivers again is logged too.
   */
  checkHealth(): void {
    const now = this.now();
    for (const subscription of this.subscriptions.values()) {
      const fed = this.isDelivering(subscription, now);
      if (fed === subscription.fed) {
        if (!fed) this.resubscribeIfDue(subscription, now);
        continue;
      }
      subscription.fed = fed;
      if (fed) {
        const level = subscription.everFed ? 'info' : 'debug';
        subscription.everFed = true;
        this.options.logger[level]({ object: subscription.label }, `COV notifications for ${subscription.label} arrive: no longer polling it`);
      } else {
        this.options.logger.warn(
          { object: subscription.label, silentMs: subscription.notifiedAt === undefined ? undefined : now - subscription.notifiedAt },
          `COV notifications for ${subscription.label} stopped: polling it and subscribing again`,
        );
        this.resubscribeIfDue(subscription, now);
      }
    }
  }

  /**
   * Forgets every subscription after a request to the device failed. The device may have restarted
   * and lost them, so its objects are polled until a fresh subscription delivers.
   */
  deviceLost(): void {
    for (const subscription of this.subscriptions.values()) {
      if (subscription.fed) this.options.logger.info({ object: subscription.label }, `device request failed: polling ${subscription.label} until COV is subscribed again`);
      subscription.fed = false;
      subscription.subscribedAt = undefined;
      subscription.notifiedAt = undefined;
      subscription.attemptedAt = undefined;
    }
  }

  /** Readings of the subscribed points, from the last notification or poll. */
  cachedReadings(objectId: ObjectId): PointReading[] {
    const subscription = this.subscriptions.get(objectKey(objectId));
    return subscription ? this.readingsOf(subscription) : [];
  }

  /** Stores a polled present-value and status, so the cache is current when notifications resume. */
  recordPoll(objectId: ObjectId, presentValue: BACNetAppData[] | undefined, statusFlags: StatusFlags | undefined): void {
    const subscription = this.subscriptions.get(objectKey(objectId));
    if (!subscription || presentValue === undefined) return;
    subscription.presentValue = presentValue;
    subscription.statusFlags = statusFlags;
  }

  /** Stops renewing and cancels the subscriptions, waiting at most for one request budget. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.stopListening?.();
    const active = [...this.subscriptions.values()].filter((subscription) => subscription.subscribedAt !== undefined);
    if (active.length === 0) return;
    const cancels = Promise.allSettled(active.map((subscription) => this.send(subscription, true)));
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.requestBudgetMs);
    });
    await Promise.race([cancels, limit]);
    clearTimeout(timer);
  }

  private isDelivering(subscription: Subscription, now: number): boolean {
    if (subscription.subscribedAt === undefined || subscription.notifiedAt === undefined) return false;
    if (now >= subscription.subscribedAt + this.options.lifetimeS * 1000) return false;
    return now - subscription.notifiedAt <= this.silenceLimitMs;
  }

  private resubscribeIfDue(subscription: Subscription, now: number): void {
    if (subscription.attemptedAt !== undefined && now - subscription.attemptedAt < this.options.requestBudgetMs) return;
    void this.subscribe(subscription);
  }

  private async subscribeAll(): Promise<void> {
    await Promise.all([...this.subscriptions.values()].map((subscription) => this.subscribe(subscription)));
  }

  private async subscribe(subscription: Subscription): Promise<void> {
    if (this.stopped) return;
    subscription.attemptedAt = this.now();
    try {
      await this.send(subscription, false);
      subscription.subscribedAt = this.now();
      if (subscription.failures > 0) this.options.logger.info({ object: subscription.label, failures: subscription.failures }, 'COV subscription accepted again');
      subscription.failures = 0;
    } catch (error) {
      if (this.stopped) return;
      subscription.failures++;
      subscription.subscribedAt = undefined;
      // The 1st, 2nd, 4th, 8th ... failure is logged, so a device without COV does not fill the log.
      const failures = subscription.failures;
      if ((failures & (failures - 1)) === 0) {
        this.options.logger.warn({ err: error, object: subscription.label, failures }, `SubscribeCOV for ${subscription.label} failed: polling it`);
      }
    }
  }

  private async send(subscription: Subscription, cancel: boolean): Promise<void> {
    const target = this.options.target();
    const request = { service: cancel ? 'SubscribeCOV cancellation' : 'SubscribeCOV', object: subscription.label };
    await this.options.client.request(target, request, (client, invokeId) =>
      client.subscribeCov(target.receiver, subscription.objectId, this.options.processId, cancel, false, cancel ? 0 : this.options.lifetimeS, { invokeId }),
    );
  }

  private receive(notification: CovNotifyPayload): void {
    const initiating = notification.initiatingDeviceId as unknown;
    // The library types this as a number but decodes an object identifier.
    const instance = typeof initiating === 'number' ? initiating : (initiating as ObjectId | undefined)?.instance;
    if (instance !== this.options.deviceInstance) {
      this.options.logger.debug({ instance, processId: this.options.processId }, 'COV notification from another device ignored');
      return;
    }
    const subscription = this.subscriptions.get(objectKey(notification.monitoredObjectId));
    if (!subscription) {
      this.options.logger.debug({ object: describeObject(notification.monitoredObjectId) }, 'COV notification for an object without subscription ignored');
      return;
    }
    subscription.notifiedAt = this.now();
    for (const entry of notification.values) {
      if (entry.property.id === PropertyIdentifier.PRESENT_VALUE) subscription.presentValue = entry.value;
      if (entry.property.id === PropertyIdentifier.STATUS_FLAGS) subscription.statusFlags = decodeStatusFlags(entry.value);
    }
    this.options.logger.trace({ object: subscription.label, timeRemainingS: notification.timeRemaining }, 'COV notification');
    const readings = this.readingsOf(subscription);
    if (readings.length > 0) this.options.onReadings(readings);
  }

  private readingsOf(subscription: Subscription): PointReading[] {
    if (subscription.presentValue === undefined) return [];
    return subscription.points.map((point) => {
      const decoded = decodeValue(point, subscription.presentValue);
      if (!decoded.ok) return { point: point.key, value: null, quality: 'bad', reason: decoded.reason };
      return { point: point.key, value: decoded.value, ...qualityOf(subscription.statusFlags) };
    });
  }
}
