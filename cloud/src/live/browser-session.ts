import { hubClientMessageSchema, sampleSchema, type HubServerMessage, type Sample } from '@simtestlab/sync';
import type { WebSocket } from 'ws';
import { Caller } from '../access/caller';
import type { AppDeps } from '../api/env';
import type { Logger } from '../logger';
import { resolveWatchableSites } from './live-site-access';
import { Outbox, type OutboxOptions } from './outbox';
import { siteLastValuesKey, type AlarmEnvelope, type TelemetryEnvelope } from './redis-keys';
import type { SiteFeed, SiteFeedMessage, SiteListener } from './site-feed';
import { describeIssue, parseFrame } from './upgrade';

/** Close codes of a browser stream whose authorization no longer holds, from the range private to applications. */
export const CLOSE_TOKEN_EXPIRED = 4401;
export const CLOSE_FORBIDDEN = 4403;

/**
 * Subscribe and unsubscribe requests of one socket that may wait or run at once. Each one reads Postgres
 * and Redis, so a socket that sends faster than the hub handles them gets an error instead of an
 * ever longer queue.
 */
export const MAX_PENDING_REQUESTS = 4;

/** The browser's identity, as verified at the upgrade. */
export interface BrowserIdentity {
  caller: Caller;
  /** The token's permissions version (claim pv), compared with the user's token cutoff on every re-check. */
  tokenPermissionsVersion: number;
  expiresAtMs: number;
}

export interface BrowserSessionOptions {
  deps: Pick<AppDeps, 'sql' | 'permissions' | 'redis' | 'redisPrefix'>;
  feed: SiteFeed;
  outbox: OutboxOptions;
  logger: Logger;
}

/** Describes a failed parse of a browser message, naming the received `type` when no message has that type. */
function describeClientIssue(json: unknown, issues: Parameters<typeof describeIssue>[0]): string {
  const type = typeof json === 'object' && json !== null ? (json as { type?: unknown }).type : undefined;
  if (issues[0]?.path.join('.') === 'type') {
    return `unknown message type ${JSON.stringify(type)?.slice(0, 80) ?? '(none)'}: send subscribe, unsubscribe or ping`;
  }
  return describeIssue(issues);
}

/**
 * One browser socket on `/ws`: its subscriptions to sites, its outbox, and the re-check that follows a
 * permission change. Subscribe, unsubscribe and re-check run one at a time, in arrival order, so a
 * re-check never races with a subscription that is being added.
 */
export class BrowserSession {
  private readonly sites = new Set<string>();
  private readonly outbox: Outbox;
  private readonly listener: SiteListener = (message) => this.deliver(message);
  private queue: Promise<void> = Promise.resolve();
  private pendingRequests = 0;
  private droppedRequestLogged = false;
  private closed = false;
  private readonly expiryTimer: NodeJS.Timeout;

  constructor(
    private readonly socket: WebSocket,
    private identity: BrowserIdentity,
    private readonly options: BrowserSessionOptions,
  ) {
    this.outbox = new Outbox(socket, options.outbox, (details) => {
      options.logger.warn(details, 'live browser too slow: closing its socket');
      socket.close(1008, 'slow consumer: the client did not read its stream');
    });
    this.expiryTimer = setTimeout(() => {
      options.logger.info('access token of a live browser expired; closing its socket');
      socket.close(CLOSE_TOKEN_EXPIRED, 'access token expired; reconnect with a new one');
    }, Math.max(0, identity.expiresAtMs - Date.now()));
    this.expiryTimer.unref();
  }

  get userId(): string {
    return this.identity.caller.userId;
  }

  /** Sends one control message at once, outside the outbox. */
  send(message: HubServerMessage): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /** Handles one frame from the browser. */
  receive(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    const frame = parseFrame(data, isBinary);
    if ('error' in frame) {
      this.send({ type: 'error', code: 'invalid_message', message: frame.error });
      return;
    }
    const parsed = hubClientMessageSchema.safeParse(frame.json);
    if (!parsed.success) {
      this.send({ type: 'error', code: 'invalid_message', message: describeClientIssue(frame.json, parsed.error.issues) });
      return;
    }
    const message = parsed.data;
    if (message.type === 'ping') {
      this.send(message.id === undefined ? { type: 'pong', serverTime: Date.now() } : { type: 'pong', id: message.id, serverTime: Date.now() });
      return;
    }
    if (this.pendingRequests >= MAX_PENDING_REQUESTS) {
      if (!this.droppedRequestLogged) {
        this.droppedRequestLogged = true;
        this.options.logger.warn({ userId: this.userId, type: message.type, maxPending: MAX_PENDING_REQUESTS }, 'live browser sends requests faster than the hub handles them; dropping the excess (logged once per socket)');
      }
      this.send({
        type: 'error',
        code: 'invalid_message',
        message: `${message.type} dropped: at most ${MAX_PENDING_REQUESTS} subscribe or unsubscribe requests may be pending; wait for site-subscribed before sending the next`,
      });
      return;
    }
    this.pendingRequests++;
    const handle = message.type === 'subscribe' ? () => this.subscribe(message.sites) : () => this.unsubscribe(message.sites);
    this.enqueue(async () => {
      try {
        await handle();
      } finally {
        this.pendingRequests--;
      }
    });
  }

  /** Reloads the user's permissions, drops the sites they lost and sends `permissions-changed`, or closes the socket for a disabled user or a revoked token. */
  recheck(): void {
    this.enqueue(() => this.applyPermissions());
  }

  /** Releases the subscriptions and timers; called once the socket closed. */
  close(): void {
    this.closed = true;
    clearTimeout(this.expiryTimer);
    this.outbox.close();
    this.enqueue(() => this.removeSites([...this.sites]));
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: unknown) => {
      this.options.logger.error({ err: error }, 'handling a live browser request failed');
      this.send({ type: 'error', code: 'internal', message: 'the hub failed to handle the request; retry it' });
    });
  }

  private async subscribe(requested: readonly string[]): Promise<void> {
    if (this.closed) return;
    const { allowed, denied } = await resolveWatchableSites(this.options.deps.sql, this.identity.caller, requested);
    for (const siteId of allowed) {
      if (this.sites.has(siteId)) continue;
      this.sites.add(siteId);
      await this.options.feed.add(siteId, this.listener);
      const lastValues = await this.lastValues(siteId);
      if (lastValues.length > 0) this.outbox.addSamples(siteId, lastValues);
    }
    this.send({ type: 'site-subscribed', sites: [...this.sites].sort(), denied });
  }

  /** Reads the latest value of every point of the site from Redis. */
  private async lastValues(siteId: string): Promise<Sample[]> {
    const { redis, redisPrefix } = this.options.deps;
    const stored = await redis.hgetall(siteLastValuesKey(redisPrefix, siteId));
    const samples: Sample[] = [];
    for (const text of Object.values(stored)) {
      try {
        samples.push(sampleSchema.parse(JSON.parse(text)));
      } catch (error) {
        this.options.logger.warn({ err: error, siteId, value: text.slice(0, 200) }, 'invalid last value in Redis; skipping it');
      }
    }
    return samples;
  }

  private async unsubscribe(requested: readonly string[]): Promise<void> {
    await this.removeSites(requested.filter((siteId) => this.sites.has(siteId)));
    this.send({ type: 'site-subscribed', sites: [...this.sites].sort(), denied: [] });
  }

  private async removeSites(siteIds: readonly string[]): Promise<void> {
    for (const siteId of siteIds) {
      this.sites.delete(siteId);
      this.outbox.dropSite(siteId);
      await this.options.feed.remove(siteId, this.listener);
    }
  }

  private async applyPermissions(): Promise<void> {
    if (this.closed) return;
    const permissions = await this.options.deps.permissions.get(this.userId);
    if (!permissions || permissions.status !== 'active' || this.identity.tokenPermissionsVersion < permissions.tokensValidFromVersion) {
      const removedSites = [...this.sites].sort();
      await this.removeSites(removedSites);
      this.send({ type: 'permissions-changed', action: 'reconnect', removedSites });
      this.options.logger.info({ userId: this.userId }, 'live browser user disabled or token revoked; closing its socket');
      this.socket.close(CLOSE_FORBIDDEN, 'the account was disabled or the access token revoked; log in again');
      return;
    }
    this.identity = { ...this.identity, caller: new Caller(permissions) };
    const { denied } = await resolveWatchableSites(this.options.deps.sql, this.identity.caller, [...this.sites]);
    await this.removeSites(denied);
    this.send({ type: 'permissions-changed', action: 'refresh', removedSites: denied.sort() });
    if (denied.length > 0) this.options.logger.info({ userId: this.userId, removedSites: denied }, 'live browser lost access to sites; subscriptions dropped');
  }

  private deliver(message: SiteFeedMessage): void {
    if (message.kind === 'alarm') {
      this.deliverAlarm(message.envelope);
      return;
    }
    this.deliverTelemetry(message.envelope);
  }

  /**
   * Sends an alarm change at once, outside the outbox: every change counts, so none may be replaced by
   * a newer one as samples are, and alarm changes are few.
   */
  private deliverAlarm(envelope: AlarmEnvelope): void {
    if (!this.sites.has(envelope.siteId)) return;
    this.send({ type: 'site-alarm', siteId: envelope.siteId, change: envelope.change });
  }

  private deliverTelemetry(envelope: TelemetryEnvelope): void {
    if (!this.sites.has(envelope.siteId)) return;
    const { message } = envelope;
    if (message.type === 'samples') {
      this.outbox.addSamples(envelope.siteId, message.samples);
      return;
    }
    this.outbox.addDeviceStatus({
      type: 'site-device-status',
      siteId: envelope.siteId,
      device: message.device,
      status: message.status,
      ts: message.ts,
      ...(message.error === undefined ? {} : { error: message.error }),
    });
  }
}
