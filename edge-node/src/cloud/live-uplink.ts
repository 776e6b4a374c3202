import {
  UPLINK_BATCH_MS,
  UPLINK_PATH,
  UPLINK_PROTOCOL_HEADER,
  UPLINK_PROTOCOL_VERSION,
  uplinkHubMessageSchema,
  type DeviceStatus,
  type Sample,
  type UplinkEdgeMessage,
} from '@simtestlab/sync';
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { LiveHub, LiveTap } from '../live/live-hub';
import type { Logger } from '../logger';
import type { HubClient } from './hub-client';
import type { LinkStatus } from './link-status';
import type { UplinkRequestHandler } from './uplink-requests';

/** Largest hub frame accepted; the hub only sends small control messages. */
const MAX_HUB_FRAME_BYTES = 64 * 1024;
/** How long the handshake may take before the attempt counts as failed. */
const HANDSHAKE_TIMEOUT_MS = 10_000;
/** How often the hub is pinged; without a pong by the next ping the socket is dropped and reopened. */
const KEEP_ALIVE_MS = 30_000;
/** How long `stop` waits for the hub's close frame in response to its own. */
const CLOSE_GRACE_MS = 1_000;

export interface LiveUplinkOptions {
  /** With `checkProtocol`, a hub of an incompatible protocol ends the uplink instead of a reconnect loop. */
  client: Pick<HubClient, 'headers' | 'url'> & Partial<Pick<HubClient, 'checkProtocol'>>;
  hub: Pick<LiveHub, 'addTap'>;
  status: LinkStatus;
  logger: Logger;
  /** The latest sample of every point, sent when the site becomes watched so browsers see every value at once. */
  snapshot?: () => Iterable<Sample>;
  /** Maximum time a sample waits before its batch is sent. */
  batchMs?: number;
  /** Bytes queued in the socket above which batches wait and keep only the latest sample per point. */
  highWaterBytes?: number;
  /** First reconnect delay; it doubles on each failed attempt up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Random source in [0, 1) for the reconnect jitter, for tests. */
  random?: () => number;
  /**
   * Runs the alarm actions and control commands hub users send, and ends remote leases when the uplink
   * closes. Without it, such requests are logged and get no result.
   */
  requests?: Pick<UplinkRequestHandler, 'handle' | 'linkLost'>;
}

/** The running uplink; `stop` closes it and stops reconnecting. */
export interface LiveUplink {
  stop(): Promise<void>;
}

type DeviceStatusMessage = Extract<UplinkEdgeMessage, { type: 'device-status' }>;

/**
 * Keeps one WebSocket to the hub's uplink endpoint and forwards the live hub's samples and device status
 * changes while the hub reports that a browser watches the site. Each connection attempt carries a fresh edge
 * assertion. Samples wait at most `batchMs` and only the latest per point is kept, also while the socket
 * lags, so memory stays bounded by the number of points. Nothing is sent, or kept, while unwatched. A
 * lost connection is reopened with exponential backoff and jitter. Requests from the hub go to
 * `requests`, and their results go back on the socket they came on.
 */
export function startLiveUplink(options: LiveUplinkOptions): LiveUplink {
  const { client, status, logger } = options;
  const batchMs = options.batchMs ?? UPLINK_BATCH_MS;
  const highWaterBytes = options.highWaterBytes ?? 1_000_000;
  const initialBackoffMs = options.initialBackoffMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const random = options.random ?? Math.random;

  let socket: WebSocket | undefined;
  let stopped = false;
  let failedAttempts = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let flushTimer: NodeJS.Timeout | undefined;
  let watched = false;
  const pendingSamples = new Map<string, Sample>();
  const pendingStatuses = new Map<string, DeviceStatusMessage>();
  let coalesced = 0;
  let leasesEnding: Promise<void> | undefined;

  const setWatched = (value: boolean) => {
    const started = value && !watched;
    watched = value;
    status.liveWatched = value;
    if (!value) clearPending();
    if (!started || options.snapshot === undefined) return;
    for (const sample of options.snapshot()) {
      if (!pendingSamples.has(sample.point)) pendingSamples.set(sample.point, sample);
    }
    if (pendingSamples.size > 0) scheduleFlush();
  };

  const clearPending = () => {
    pendingSamples.clear();
    pendingStatuses.clear();
    coalesced = 0;
    clearTimeout(flushTimer);
    flushTimer = undefined;
  };

  const scheduleFlush = () => {
    flushTimer ??= setTimeout(flush, batchMs);
  };

  const flush = () => {
    flushTimer = undefined;
    const open = socket;
    if (open === undefined || open.readyState !== WebSocket.OPEN || !watched) {
      clearPending();
      return;
    }
    if (open.bufferedAmount > highWaterBytes) {
      // The hub or the network lags: keep coalescing and try again after another batch interval.
      scheduleFlush();
      return;
    }
    for (const message of pendingStatuses.values()) open.send(JSON.stringify(message));
    if (pendingSamples.size > 0) {
      const message: UplinkEdgeMessage = { type: 'samples', samples: [...pendingSamples.values()], coalesced };
      open.send(JSON.stringify(message));
    }
    pendingSamples.clear();
    pendingStatuses.clear();
    coalesced = 0;
  };

  const tap: LiveTap = {
    sample(sample: Sample) {
      if (!watched) return;
      if (pendingSamples.has(sample.point)) coalesced++;
      pendingSamples.set(sample.point, sample);
      scheduleFlush();
    },
    deviceStatus(device: string, deviceStatus: DeviceStatus, ts: number, error?: string) {
      if (!watched) return;
      pendingStatuses.set(device, { type: 'device-status', device, status: deviceStatus, ts, ...(error === undefined ? {} : { error }) });
      scheduleFlush();
    },
  };
  const removeTap = options.hub.addTap(tap);

  const scheduleReconnect = () => {
    if (stopped) return;
    const ceilingMs = Math.min(maxBackoffMs, initialBackoffMs * 2 ** failedAttempts);
    // Jitter spreads the reconnects of many edges after a hub restart.
    const delayMs = Math.round(ceilingMs / 2 + (random() * ceilingMs) / 2);
    failedAttempts++;
    logger.debug({ delayMs, failedAttempts }, 'reconnecting the live uplink after a delay');
    reconnectTimer = setTimeout(() => void connect(), delayMs);
  };

  const connect = async () => {
    reconnectTimer = undefined;
    if (stopped) return;
    let headers: Record<string, string>;
    try {
      headers = await client.headers();
    } catch (error) {
      logger.error({ err: error }, 'signing the edge assertion for the live uplink failed; retrying');
      scheduleReconnect();
      return;
    }
    if (stopped) return;
    const url = client.url(UPLINK_PATH);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const current = new WebSocket(url, {
      headers: { ...headers, [UPLINK_PROTOCOL_HEADER]: String(UPLINK_PROTOCOL_VERSION) },
      maxPayload: MAX_HUB_FRAME_BYTES,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    });
    socket = current;
    attach(current, url);
  };

  /**
   * Stops the uplink for good when the hub's handshake response shows that the edge cannot talk to it,
   * and returns whether it did. The HubClient reports the mismatch to its listener, which logs it.
   */
  const endOnProtocolMismatch = async (response: IncomingMessage, body: string | null): Promise<boolean> => {
    if (client.checkProtocol === undefined || response.statusCode === undefined) return false;
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') headers.set(name, value);
    // A Response cannot carry the 101 of a completed handshake; only its headers matter then.
    const statusCode = response.statusCode < 200 ? 200 : response.statusCode;
    const mismatch = await client.checkProtocol(new Response(body, { status: statusCode, headers }));
    if (mismatch === null) return false;
    stopped = true;
    clearTimeout(reconnectTimer);
    status.lastError = mismatch.message;
    return true;
  };

  const attach = (current: WebSocket, url: URL) => {
    let rejected = false;
    let alive = true;
    let connected = false;
    const reply = (message: UplinkEdgeMessage) => {
      if (current.readyState === WebSocket.OPEN) current.send(JSON.stringify(message));
      else logger.warn({ type: message.type }, 'the live uplink closed before a result could be sent; the hub reports the outcome as unknown or sends the request again');
    };
    let keepAlive: NodeJS.Timeout | undefined;
    // Started once the socket is open: a ping before that throws, and would end the edge process.
    current.once('open', () => {
      keepAlive = setInterval(() => {
        if (!alive) {
          logger.warn({ uplinkUrl: url.href }, 'the hub sent no pong on the live uplink within the keep-alive interval; reconnecting');
          current.terminate();
          return;
        }
        alive = false;
        if (current.readyState === WebSocket.OPEN) current.ping();
      }, KEEP_ALIVE_MS);
      keepAlive.unref();
    });
    current.on('pong', () => {
      alive = true;
    });

    current.on('unexpected-response', (_request, response) => {
      rejected = true;
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (body.length < 1000) body += chunk;
      });
      response.on('end', () => {
        const message = `the hub rejected the live uplink with ${response.statusCode}: ${body.slice(0, 300)}`;
        status.lastError = message;
        logger.warn({ statusCode: response.statusCode, uplinkUrl: url.href }, message);
        void endOnProtocolMismatch(response, body).finally(() => {
          // Aborts the handshake so that `close` fires and a reconnect is scheduled, unless the protocols mismatch.
          current.terminate();
        });
      });
    });

    current.on('upgrade', (response) => {
      void endOnProtocolMismatch(response, null).then((mismatched) => {
        if (mismatched) current.close(1000, 'incompatible edge-hub protocol');
      });
    });

    current.on('message', (data, isBinary) => {
      status.contact(Date.now());
      if (isBinary) return;
      let json: unknown;
      try {
        json = JSON.parse(data.toString());
      } catch {
        logger.warn({ value: data.toString().slice(0, 200) }, 'the hub sent a frame that is not JSON on the live uplink; ignoring it');
        return;
      }
      const parsed = uplinkHubMessageSchema.safeParse(json);
      if (!parsed.success) {
        logger.warn({ value: JSON.stringify(json).slice(0, 200) }, 'the hub sent an unknown message on the live uplink; ignoring it');
        return;
      }
      const message = parsed.data;
      if (message.type === 'uplink-hello') {
        connected = true;
        failedAttempts = 0;
        status.liveConnected = true;
        logger.info({ uplinkUrl: url.href, protocol: message.protocol, siteId: message.siteId }, 'live uplink connected');
      } else if (message.type === 'watch') {
        logger.info({ watched: message.watched }, message.watched ? 'the site is watched: sending live samples to the hub' : 'nobody watches the site: live samples stay on the edge');
        setWatched(message.watched);
      } else if (message.type === 'alarm-action' || message.type === 'control-command') {
        if (options.requests) options.requests.handle(message, reply);
        else logger.warn({ type: message.type, requestId: message.requestId }, 'this edge node runs no requests from the hub; ignoring it');
      } else if (message.type === 'error') {
        logger.warn({ code: message.code }, `the hub reported an error on the live uplink: ${message.message}`);
      }
    });

    current.on('error', (error) => {
      // A rejected upgrade was logged with the hub's response already.
      if (rejected) return;
      logger.warn({ err: error, uplinkUrl: url.href }, 'live uplink connection failed');
      status.lastError = `live uplink to ${url.href} failed: ${error.message}`;
    });

    current.once('close', (code, reason) => {
      clearInterval(keepAlive);
      if (socket === current) socket = undefined;
      status.liveConnected = false;
      setWatched(false);
      if (connected && options.requests) {
        logger.info('the live uplink closed; ending remote control leases');
        leasesEnding = options.requests.linkLost();
      }
      if (stopped) return;
      if (code !== 1006 || reason.length > 0) logger.warn({ code, reason: reason.toString() }, 'the live uplink closed; reconnecting');
      scheduleReconnect();
    });
  };

  void connect();

  return {
    stop: async () => {
      stopped = true;
      clearTimeout(reconnectTimer);
      removeTap();
      clearPending();
      const current = socket;
      if (current === undefined || current.readyState === WebSocket.CLOSED) {
        await leasesEnding;
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => current.terminate(), CLOSE_GRACE_MS);
        current.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        if (current.readyState === WebSocket.CONNECTING) current.terminate();
        else current.close(1000, 'edge node stopping');
      });
      // The close handler started ending the remote leases; the runtime must not stop its drivers before that ends.
      await leasesEnding;
    },
  };
}
