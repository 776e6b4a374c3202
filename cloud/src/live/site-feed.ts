import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { alarmEnvelopeSchema, alertsChannel, telemetryChannel, telemetryEnvelopeSchema, type AlarmEnvelope, type TelemetryEnvelope } from './redis-keys';
import type { WatcherRegistry } from './watcher-registry';

/** A message of a watched site: live telemetry from its edge, or an alarm change the hub recorded. */
export type SiteFeedMessage = { kind: 'telemetry'; envelope: TelemetryEnvelope } | { kind: 'alarm'; envelope: AlarmEnvelope };

export type SiteListener = (message: SiteFeedMessage) => void;

/**
 * Receives the telemetry and alarm changes of the sites the browsers on this instance watch. Each site's
 * two Redis channels are subscribed once per instance, on the shared subscriber connection, while at
 * least one listener wants the site, and the site is registered as watched in the WatcherRegistry for
 * that time. ioredis subscribes again by itself after a reconnect, so the feed survives a Redis restart.
 */
export class SiteFeed {
  private readonly listenersBySite = new Map<string, Set<SiteListener>>();
  private readonly siteByChannel = new Map<string, { siteId: string; kind: SiteFeedMessage['kind'] }>();
  private readonly onMessage = (channel: string, text: string) => {
    const source = this.siteByChannel.get(channel);
    if (source === undefined) return;
    let message: SiteFeedMessage;
    try {
      const json: unknown = JSON.parse(text);
      message =
        source.kind === 'telemetry'
          ? { kind: 'telemetry', envelope: telemetryEnvelopeSchema.parse(json) }
          : { kind: 'alarm', envelope: alarmEnvelopeSchema.parse(json) };
    } catch (error) {
      this.logger.warn({ err: error, channel, value: text.slice(0, 200) }, `invalid ${source.kind} message on Redis; dropping it`);
      return;
    }
    for (const listener of this.listenersBySite.get(source.siteId) ?? []) listener(message);
  };

  constructor(
    private readonly subscriber: Redis,
    private readonly prefix: string,
    private readonly registry: WatcherRegistry,
    private readonly logger: Logger,
  ) {
    subscriber.on('message', this.onMessage);
  }

  /** Delivers every telemetry message and alarm change of `siteId` to `listener` until `remove` is called. */
  async add(siteId: string, listener: SiteListener): Promise<void> {
    let listeners = this.listenersBySite.get(siteId);
    if (listeners) {
      listeners.add(listener);
      return;
    }
    listeners = new Set([listener]);
    this.listenersBySite.set(siteId, listeners);
    const channels = this.channelsOf(siteId);
    this.siteByChannel.set(channels.telemetry, { siteId, kind: 'telemetry' });
    this.siteByChannel.set(channels.alarm, { siteId, kind: 'alarm' });
    await this.subscriber.subscribe(channels.telemetry, channels.alarm);
    // A `remove` of the last listener while the subscription ran has unsubscribed the site again.
    if (this.listenersBySite.get(siteId) !== listeners) return;
    await this.registry.watch(siteId);
  }

  /** Stops delivering `siteId` to `listener`, and unsubscribes the site when it was the last listener. */
  async remove(siteId: string, listener: SiteListener): Promise<void> {
    const listeners = this.listenersBySite.get(siteId);
    if (!listeners?.delete(listener) || listeners.size > 0) return;
    this.listenersBySite.delete(siteId);
    const channels = this.channelsOf(siteId);
    this.siteByChannel.delete(channels.telemetry);
    this.siteByChannel.delete(channels.alarm);
    await this.subscriber.unsubscribe(channels.telemetry, channels.alarm);
    await this.registry.unwatch(siteId);
  }

  private channelsOf(siteId: string): Record<SiteFeedMessage['kind'], string> {
    return { telemetry: telemetryChannel(this.prefix, siteId), alarm: alertsChannel(this.prefix, siteId) };
  }

  /** Detaches from the subscriber connection. */
  close(): void {
    this.subscriber.off('message', this.onMessage);
  }
}
