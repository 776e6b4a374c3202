import { ApplicationTag, PropertyIdentifier, type BACNetAddress } from '@bacnet-js/client';
import { ARRAY_ALL, objectKey } from '../../drivers/bacnet/bacnet-names';
import type { BacnetClientInstance } from '../../drivers/bacnet/bacnet-library';
import type { Logger } from '../../logger';
import { statusFlagsBits, type SimulatedObject } from './simulated-object';

/** A COV subscription as the simulated device stores it. */
export interface CovSubscriptionInfo {
  /** `ip:port` of the subscriber. */
  subscriber: string;
  processId: number;
  /** `type:instance` of the monitored object. */
  object: string;
  confirmed: boolean;
  lifetimeS: number;
  /** How many SubscribeCOV requests created or renewed it. */
  subscribeCount: number;
  notifications: number;
}

interface Subscription extends CovSubscriptionInfo {
  receiver: BACNetAddress;
  target: SimulatedObject;
  /** Epoch ms at which it lapses; undefined for a lifetime of 0 (no expiry). */
  expiresAt?: number;
  lastValue?: number;
  lastFlags?: string;
}

export interface CovPublisherOptions {
  client: BacnetClientInstance;
  deviceInstance: number;
  intervalMs: number;
  logger: Logger;
}

/**
 * The COV server side of the simulated device. A subscription gets a notification right after it is
 * made or renewed, and then whenever present-value moves by the object's cov-increment (any change
 * for binary and multi-state objects) or the status flags change. Subscriptions lapse after their
 * lifetime.
 */
export class CovPublisher {
  private readonly subscriptions = new Map<string, Subscription>();
  private timer: NodeJS.Timeout | undefined;
  private muted = false;
  private paused = false;

  constructor(private readonly options: CovPublisherOptions) {}

  start(): void {
    this.timer = setInterval(() => this.publish(), this.options.intervalMs);
    this.timer.unref();
  }

  subscribe(receiver: BACNetAddress, processId: number, target: SimulatedObject, confirmed: boolean, lifetimeS: number): void {
    const subscriber = receiver.address ?? '';
    const key = `${subscriber}|${processId}|${objectKey(target.id)}`;
    const existing = this.subscriptions.get(key);
    const subscription: Subscription = existing ?? {
      subscriber,
      processId,
      object: objectKey(target.id),
      confirmed,
      lifetimeS,
      subscribeCount: 0,
      notifications: 0,
      receiver,
      target,
    };
    subscription.confirmed = confirmed;
    subscription.lifetimeS = lifetimeS;
    subscription.subscribeCount++;
    if (lifetimeS > 0) subscription.expiresAt = Date.now() + lifetimeS * 1000;
    else delete subscription.expiresAt;
    this.subscriptions.set(key, subscription);
    this.notify(subscription);
  }

  cancel(receiver: BACNetAddress, processId: number, target: SimulatedObject): void {
    this.subscriptions.delete(`${receiver.address ?? ''}|${processId}|${objectKey(target.id)}`);
  }

  /** Sends the notifications that are due now. */
  publish(): void {
    const now = Date.now();
    for (const [key, subscription] of this.subscriptions) {
      if (subscription.expiresAt !== undefined && now >= subscription.expiresAt) {
        this.subscriptions.delete(key);
        continue;
      }
      if (this.changed(subscription)) this.notify(subscription);
    }
  }

  /** Muted, subscriptions are kept and acknowledged but no notification is sent. */
  setMuted(muted: boolean): void {
    this.muted = muted;
  }

  /** Paused while the device is silent. */
  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  clear(): void {
    this.subscriptions.clear();
  }

  list(): CovSubscriptionInfo[] {
    return [...this.subscriptions.values()].map(({ subscriber, processId, object, confirmed, lifetimeS, subscribeCount, notifications }) => ({
      subscriber,
      processId,
      object,
      confirmed,
      lifetimeS,
      subscribeCount,
      notifications,
    }));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.subscriptions.clear();
  }

  private changed(subscription: Subscription): boolean {
    const value = subscription.target.presentValue();
    const flags = JSON.stringify(subscription.target.statusFlags());
    if (subscription.lastValue === undefined || flags !== subscription.lastFlags) return true;
    const increment = subscription.target.covIncrement;
    return increment > 0 ? Math.abs(value - subscription.lastValue) >= increment : value !== subscription.lastValue;
  }

  private notify(subscription: Subscription): void {
    if (this.muted || this.paused) return;
    const { client, deviceInstance, logger } = this.options;
    const target = subscription.target;
    const flags = target.statusFlags();
    const values = [
      { property: { id: PropertyIdentifier.PRESENT_VALUE, index: ARRAY_ALL }, value: target.readProperty(PropertyIdentifier.PRESENT_VALUE) },
      { property: { id: PropertyIdentifier.STATUS_FLAGS, index: ARRAY_ALL }, value: [{ type: ApplicationTag.BIT_STRING, value: statusFlagsBits(flags) }] },
    ];
    const timeRemainingS = subscription.expiresAt === undefined ? 0 : Math.max(0, Math.round((subscription.expiresAt - Date.now()) / 1000));
    subscription.lastValue = target.presentValue();
    subscription.lastFlags = JSON.stringify(flags);
    subscription.notifications++;
    if (subscription.confirmed) {
      client
        .confirmedCOVNotification(subscription.receiver, target.id, subscription.processId, deviceInstance, timeRemainingS, values)
        .catch((error: unknown) => logger.debug({ err: error, subscriber: subscription.subscriber }, 'confirmed COV notification was not acknowledged'));
    } else {
      client.unconfirmedCOVNotification(subscription.receiver, subscription.processId, deviceInstance, target.id, timeRemainingS, values);
    }
  }
}
