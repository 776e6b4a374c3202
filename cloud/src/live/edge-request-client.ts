import { UPLINK_REQUEST_TIMEOUT_MS, type ControlResult, type UplinkControlCommand } from '@simtestlab/sync';
import type { Redis } from 'ioredis';
import type { AlarmActionDelivery } from '../alarms/alarm-delivery';
import { edgeOffline, edgeTimeout } from '../control/relay-failures';
import type { Logger } from '../logger';
import { uplinkReplyChannel, uplinkReplySchema, uplinkRequestChannel, type UplinkRequestEnvelope } from './edge-request-channels';
import { uplinkPresenceKey } from './redis-keys';

/** Optional dependencies of the HTTP app for requests to edges; the service passes both. */
export interface UplinkRequestDeps {
  /** Relays control commands; the control routes are registered only when it is given. */
  edgeRequests?: EdgeRequestClient;
  /** Sends alarm actions taken on the hub to the edge. */
  alarmDelivery?: AlarmActionDelivery;
}

export interface EdgeRequestClientOptions {
  redis: Redis;
  /** A connection in subscriber mode, shared with other subscriptions; the client only adds a listener for its reply channels. */
  subscriber: Redis;
  prefix: string;
  logger: Logger;
  /** How long a command waits for the edge's result. */
  timeoutMs?: number;
}

/**
 * Sends control commands to the edge of a site through the hub instance that has its uplink open, and
 * waits for the result. A command is published once and never queued: when no instance has the
 * uplink open, the result is `edge_offline` at once, and without a result within the time limit it is
 * `edge_timeout`.
 */
export class EdgeRequestClient {
  private readonly waiting = new Map<string, (result: ControlResult) => void>();
  private readonly timeoutMs: number;
  private readonly onMessage = (channel: string, text: string) => {
    const resolve = this.waiting.get(channel);
    if (resolve === undefined) return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      this.options.logger.error({ err: error, channel }, 'a reply to an edge request is not JSON; waiting until the request times out');
      return;
    }
    const parsed = uplinkReplySchema.safeParse(json);
    if (!parsed.success) {
      this.options.logger.error({ channel, value: text.slice(0, 200) }, 'a reply to an edge request does not match the reply schema; waiting until the request times out');
      return;
    }
    resolve(parsed.data.result);
  };

  constructor(private readonly options: EdgeRequestClientOptions) {
    this.timeoutMs = options.timeoutMs ?? UPLINK_REQUEST_TIMEOUT_MS;
    options.subscriber.on('message', this.onMessage);
  }

  /** Sends `command` to the edge of `siteId` and resolves with its result, or with `edge_offline` or `edge_timeout`. */
  async sendControl(siteId: string, command: UplinkControlCommand): Promise<ControlResult> {
    const { redis, subscriber, prefix, logger } = this.options;
    const log = logger.child({ siteId, requestId: command.requestId, point: command.point });
    let holder: string | null;
    try {
      holder = await redis.get(uplinkPresenceKey(prefix, siteId));
    } catch (error) {
      log.error({ err: error }, 'reading the uplink presence key failed; the control command was not sent');
      return edgeOffline(command.point, 'the hub cannot reach Redis to find the uplink of the edge node');
    }
    if (holder === null) return edgeOffline(command.point, 'the edge node of the site has no uplink open to the hub');

    const replyChannel = uplinkReplyChannel(prefix, command.requestId);
    let timer: NodeJS.Timeout | undefined;
    const reply = new Promise<ControlResult>((resolve) => {
      this.waiting.set(replyChannel, resolve);
      timer = setTimeout(() => resolve(edgeTimeout(command.point, this.timeoutMs)), this.timeoutMs);
    });
    try {
      // Subscribed before the request is published, so a fast reply cannot be missed.
      await subscriber.subscribe(replyChannel);
      const envelope: UplinkRequestEnvelope = { kind: 'control', siteId, command };
      const receivers = await redis.publish(uplinkRequestChannel(prefix, holder), JSON.stringify(envelope));
      if (receivers === 0) {
        log.warn({ holder }, 'the hub instance named by the presence key does not listen for requests; it stopped or lost Redis');
        this.forget(replyChannel, timer);
        return edgeOffline(command.point, 'the hub instance that held the uplink of the edge node is gone');
      }
    } catch (error) {
      log.error({ err: error }, 'publishing the control command on Redis failed; the command was not sent');
      this.forget(replyChannel, timer);
      return edgeOffline(command.point, 'the hub cannot reach Redis to relay the command');
    }
    log.debug({ holder }, 'control command published to the hub instance holding the uplink');
    try {
      const result = await reply;
      if (!result.ok && result.code === 'edge_timeout') log.warn({ holder, timeoutMs: this.timeoutMs }, `no result for the control command: ${result.message}`);
      return result;
    } finally {
      this.forget(replyChannel, timer);
    }
  }

  /** Stops listening for replies; commands still waiting resolve with `edge_timeout` when their time runs out. */
  close(): void {
    this.options.subscriber.off('message', this.onMessage);
  }

  private forget(replyChannel: string, timer: NodeJS.Timeout | undefined): void {
    clearTimeout(timer);
    this.waiting.delete(replyChannel);
    this.options.subscriber.unsubscribe(replyChannel).catch((error: unknown) => this.options.logger.warn({ err: error, channel: replyChannel }, 'unsubscribing from a reply channel failed'));
  }
}
