import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { telemetryChannel, telemetryEnvelopeSchema, type TelemetryEnvelope } from './redis-keys';
import type { WatcherRegistry } from './watcher-registry';

export type SiteListener = (envelope: TelemetryEnvelope) => void;

/**
 * Receives the telemetry of the sites the browsers on this instance watch. Each site's Redis channel is
 * subscribed once per instance, on the shared subscriber connection, while at least one listener wants
 * it, and the site is registered as watched in the WatcherRegistry for that time. ioredis subscribes
 * again by itself after a reconnect, so the feed survives a Redis restart.
 */
export class SiteFeed {
  private readonly listenersBySite = new Map<string, Set<SiteListener>>();
  private readonly siteByChannel = new Map<string, string>();
  private readonly onMessage = (channel: string, text: string) => {
    const siteId = this.siteByChannel.get(channel);
    if (siteId === undefined) return;
    let envelope: TelemetryEnvelope;
    try {
      envelope = telemetryEnvelopeSchema.parse(JSON.parse(text));
    } catch (error) {
      this.logger.warn({ err: error, channel, value: text.slice(0, 200) }, 'invalid telemetry message on Redis; dropping it');
      return;
    }
    for (const listener of this.listenersBySite.get(siteId) ?? []) listener(envelope);
  };

  constructor(
    private readonly subscriber: Redis,
    private readonly prefix: string,
    private readonly registry: WatcherRegistry,
    private readonly logger: Logger,
  ) {
    subscriber.on('message', this.onMessage);
  }

  /** Delivers every telemetry message of `siteId` to `listener` until `remove` is called. */
  async add(siteId: string, listener: SiteListener): Promise<void> {
    let listeners = this.listenersBySite.get(siteId);
    if (listeners) {
      listeners.add(listener);
      return;
    }
    listeners = new Set([listener]);
    this.listenersBySite.set(siteId, listeners);
    const channel = telemetryChannel(this.prefix, siteId);
    this.siteByChannel.set(channel, siteId);
    await this.subscriber.subscribe(channel);
    // A `remove` of the last listener while the subscription ran has unsubscribed the site again.
    if (this.listenersBySite.get(siteId) !== listeners) return;
    await this.registry.watch(siteId);
  }

  /** Stops delivering `siteId` to `listener`, and unsubscribes the site when it was the last listener. */
  async remove(siteId: string, listener: SiteListener): Promise<void> {
    const listeners = this.listenersBySite.get(siteId);
    if (!listeners?.delete(listener) || listeners.size > 0) return;
    this.listenersBySite.delete(siteId);
    const channel = telemetryChannel(this.prefix, siteId);
    this.siteByChannel.delete(channel);
    await this.subscriber.unsubscribe(channel);
    await this.registry.unwatch(siteId);
  }

  /** Detaches from the subscriber connection. */
  close(): void {
    this.subscriber.off('message', this.onMessage);
  }
}
