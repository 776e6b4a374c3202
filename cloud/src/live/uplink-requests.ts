import { UPLINK_REQUEST_TIMEOUT_MS, type ControlResult, type UplinkControlCommand, type UplinkEdgeMessage, type UplinkHubMessage } from '@simtestlab/sync';
import type { Redis } from 'ioredis';
import { loadUndeliveredAlarmActions, recordAlarmActionResult } from '../alarms/alarm-delivery';
import { createAlarmChangePublisher, type AlarmChangePublisher } from '../alarms/alarm-publisher';
import { edgeOffline, uplinkClosedBeforeResult } from '../control/relay-failures';
import type { Sql } from '../db/connect';
import type { Logger } from '../logger';
import { uplinkReplyChannel, uplinkRequestChannel, uplinkRequestEnvelopeSchema, type UplinkReply } from './edge-request-channels';

/** Messages that carry an edge's result of a request. */
export type UplinkResultMessage = Extract<UplinkEdgeMessage, { type: 'alarm-action-result' | 'control-result' }>;

/** The request side of one open uplink, as the uplink gateway drives it. */
export interface UplinkRequestPort {
  /** Handles a result the edge sent on this uplink. */
  receive(message: UplinkResultMessage): void;
  /** Ends the uplink's requests when its socket closed: commands without a result get `edge_timeout`. */
  detach(): void;
}

export interface UplinkRequestServerOptions {
  sql: Sql;
  redis: Redis;
  /** A connection in subscriber mode for this instance's request channel. */
  subscriber: Redis;
  prefix: string;
  instanceId: string;
  logger: Logger;
  /**
   * How long a sent request waits for its result. A control result that comes later is only logged,
   * because the requester has returned `edge_timeout` by then. An alarm action is sent again.
   */
  pendingMs?: number;
}

/**
 * The requests side of the uplinks open on this hub instance. It listens on the instance's request
 * channel and forwards each request to the uplink of its site. The edge's control results go back on
 * the reply channel of the request, and its alarm action results are stored in Postgres.
 */
export class UplinkRequestServer {
  private readonly uplinks = new Map<string, OpenUplink>();
  private readonly channel: string;
  readonly pendingMs: number;
  private readonly onMessage = (channel: string, text: string) => {
    if (channel !== this.channel) return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      this.options.logger.error({ err: error, channel }, 'a request for an edge is not JSON; dropping it');
      return;
    }
    const parsed = uplinkRequestEnvelopeSchema.safeParse(json);
    if (!parsed.success) {
      this.options.logger.error({ channel, value: text.slice(0, 200) }, 'a request for an edge does not match the request schema; dropping it');
      return;
    }
    const envelope = parsed.data;
    const uplink = this.uplinks.get(envelope.siteId);
    if (envelope.kind === 'alarm-actions') {
      uplink?.deliverAlarmActions();
      return;
    }
    if (uplink === undefined) {
      this.options.logger.info({ siteId: envelope.siteId, requestId: envelope.command.requestId }, 'a control command arrived for a site whose uplink is no longer open here');
      this.reply(envelope.command.requestId, edgeOffline(envelope.command.point, 'the uplink of the edge node closed before the command reached it'));
      return;
    }
    uplink.forwardControl(envelope.command);
  };

  constructor(private readonly options: UplinkRequestServerOptions) {
    this.channel = uplinkRequestChannel(options.prefix, options.instanceId);
    this.pendingMs = options.pendingMs ?? UPLINK_REQUEST_TIMEOUT_MS;
    this.publishAlarmChanges = createAlarmChangePublisher(options.redis, options.prefix, options.logger.child({ component: 'alarms' }));
  }

  /** Publishes alarm changes on the sites' alerts channels, such as a hub acknowledgement the edge refused. */
  readonly publishAlarmChanges: AlarmChangePublisher;

  /** Subscribes to this instance's request channel. */
  async start(): Promise<void> {
    this.options.subscriber.on('message', this.onMessage);
    await this.options.subscriber.subscribe(this.channel);
  }

  /** Unsubscribes; uplinks still open keep their ports until their sockets close. */
  async stop(): Promise<void> {
    this.options.subscriber.off('message', this.onMessage);
    await this.options.subscriber.unsubscribe(this.channel);
  }

  /**
   * Registers the uplink of `siteId` that just opened, so requests for the site go to `send`, and sends
   * the site's undelivered alarm actions. A newer uplink of the same site replaces an older one.
   */
  attach(siteId: string, send: (message: UplinkHubMessage) => void, logger: Logger): UplinkRequestPort {
    const uplink = new OpenUplink(siteId, send, logger, this);
    this.uplinks.set(siteId, uplink);
    uplink.deliverAlarmActions();
    return {
      receive: (message) => uplink.receive(message),
      detach: () => {
        uplink.close();
        if (this.uplinks.get(siteId) === uplink) this.uplinks.delete(siteId);
      },
    };
  }

  /** Publishes the result of control command `requestId` on its reply channel. */
  reply(requestId: string, result: ControlResult): void {
    const message: UplinkReply = { result };
    this.options.redis
      .publish(uplinkReplyChannel(this.options.prefix, requestId), JSON.stringify(message))
      .catch((error: unknown) => this.options.logger.error({ err: error, requestId }, 'publishing a control result on Redis failed; the requester returns edge_timeout'));
  }

  get sql(): Sql {
    return this.options.sql;
  }
}

/** One open uplink: its control commands awaiting a result and its alarm actions in flight. */
class OpenUplink {
  private readonly pendingControl = new Map<string, { point: string; timer: NodeJS.Timeout }>();
  /** Alarm actions sent on this uplink without a result yet, with when they were sent (epoch ms). */
  private readonly alarmsInFlight = new Map<string, number>();
  private closed = false;
  private alarmPassRunning = false;
  private alarmPassAgain = false;
  private lastAlarmPassFull = false;

  constructor(
    private readonly siteId: string,
    private readonly send: (message: UplinkHubMessage) => void,
    private readonly logger: Logger,
    private readonly server: UplinkRequestServer,
  ) {}

  forwardControl(command: UplinkControlCommand): void {
    if (this.closed) {
      this.server.reply(command.requestId, edgeOffline(command.point, 'the uplink of the edge node closed before the command reached it'));
      return;
    }
    if (this.pendingControl.has(command.requestId)) return;
    const timer = setTimeout(() => {
      this.pendingControl.delete(command.requestId);
      this.logger.warn({ requestId: command.requestId, point: command.point, pendingMs: this.server.pendingMs }, 'the edge sent no result for a control command in time');
    }, this.server.pendingMs);
    timer.unref();
    this.pendingControl.set(command.requestId, { point: command.point, timer });
    this.logger.info({ requestId: command.requestId, point: command.point, kind: command.command.kind, userId: command.user.id }, 'forwarding a control command to the edge');
    this.send(command);
  }

  receive(message: UplinkResultMessage): void {
    if (message.type === 'control-result') {
      const pending = this.pendingControl.get(message.requestId);
      if (pending === undefined) {
        this.logger.warn({ requestId: message.requestId, ok: message.result.ok }, 'the edge sent a control result for no command waiting on this uplink; it came too late or was never asked for');
        return;
      }
      clearTimeout(pending.timer);
      this.pendingControl.delete(message.requestId);
      this.server.reply(message.requestId, message.result);
      return;
    }
    this.alarmsInFlight.delete(message.requestId);
    recordAlarmActionResult(this.server.sql, this.siteId, message.requestId, message.result).then(
      ({ updated, withdrawal }) => {
        if (!updated) this.logger.debug({ requestId: message.requestId }, 'an alarm action result arrived for a request that is delivered already or not of this site');
        else this.logger.info({ requestId: message.requestId, ok: message.result.ok }, 'alarm action delivered to the edge');
        if (withdrawal !== null) void this.server.publishAlarmChanges([withdrawal]);
        if (this.lastAlarmPassFull && this.alarmsInFlight.size === 0) this.deliverAlarmActions();
      },
      (error: unknown) => this.logger.error({ err: error, requestId: message.requestId }, 'storing an alarm action result failed; the action is sent again when the uplink reconnects'),
    );
  }

  /** Sends the site's undelivered alarm actions that are not in flight on this uplink, in the order they were requested. */
  deliverAlarmActions(): void {
    if (this.closed) return;
    if (this.alarmPassRunning) {
      this.alarmPassAgain = true;
      return;
    }
    this.alarmPassRunning = true;
    void this.runAlarmPasses().finally(() => {
      this.alarmPassRunning = false;
    });
  }

  close(): void {
    this.closed = true;
    for (const [requestId, pending] of this.pendingControl) {
      clearTimeout(pending.timer);
      this.server.reply(requestId, uplinkClosedBeforeResult(pending.point));
    }
    this.pendingControl.clear();
    this.alarmsInFlight.clear();
  }

  private async runAlarmPasses(): Promise<void> {
    do {
      this.alarmPassAgain = false;
      try {
        await this.sendAlarmActions();
      } catch (error) {
        this.logger.error({ err: error }, 'reading undelivered alarm actions failed; they are sent at the next request or reconnect');
        return;
      }
    } while (this.alarmPassAgain && !this.closed);
  }

  private async sendAlarmActions(): Promise<void> {
    const now = Date.now();
    // An action without a result in time is sent again, because the edge returns the stored result for a resend.
    for (const [requestId, sentAt] of this.alarmsInFlight) {
      if (now - sentAt >= this.server.pendingMs) this.alarmsInFlight.delete(requestId);
    }
    const { messages, full } = await loadUndeliveredAlarmActions(this.server.sql, this.siteId, [...this.alarmsInFlight.keys()], this.logger);
    this.lastAlarmPassFull = full;
    for (const message of messages) {
      if (this.closed) return;
      this.alarmsInFlight.set(message.requestId, Date.now());
      this.send(message);
    }
    if (messages.length > 0) this.logger.info({ count: messages.length }, 'sent undelivered alarm actions to the edge');
  }
}
