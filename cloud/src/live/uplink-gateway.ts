import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  PROTOCOL_HEADER,
  PROTOCOL_MISMATCH_CODE,
  PROTOCOL_MISMATCH_STATUS,
  UPLINK_PROTOCOL_HEADER,
  UPLINK_PROTOCOL_VERSION,
  uplinkEdgeMessageSchema,
  type Sample,
  type UplinkHubMessage,
} from '@simtestlab/sync';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppDeps } from '../api/env';
import type { Sql } from '../db/connect';
import { allOrganizations, inTenantScope } from '../db/scope';
import { bearerToken } from '../api/middleware/authenticate';
import { HttpError } from '../api/http-error';
import { verifyEdgeAssertion, type EdgeIdentity } from '../edge-auth/authenticate-edge';
import { hubProtocolHeaders, judgeEdgeProtocol } from '../edge-protocol/edge-protocol';
import { siteLastValuesKey, telemetryChannel, uplinkPresenceKey, type TelemetryEnvelope } from './redis-keys';
import { createSampleFilter } from './sample-bounds';
import { authenticateUpgrade, closeSockets, describeIssue, keepAlive, parseFrame } from './upgrade';
import { UplinkRequestServer } from './uplink-requests';
import type { WatcherRegistry } from './watcher-registry';

/** Largest uplink frame accepted: a batch of the latest sample of every point of a large site. */
const MAX_UPLINK_FRAME_BYTES = 4 * 1024 * 1024;
/** Lifetime of the presence key, which is refreshed every PRESENCE_REFRESH_MS while the uplink is open. */
const PRESENCE_TTL_S = 30;
/**
 * How often the presence key is refreshed and the watch state and the edge's revocation are checked
 * again. The watch check also catches watcher entries that expired.
 */
const PRESENCE_REFRESH_MS = 10_000;
/** How long the latest values of a site stay in Redis after its last sample. */
const LAST_VALUES_TTL_S = 24 * 60 * 60;
/**
 * Maximum number of points whose last value the hub keeps per site. Once the hash contains this many
 * fields, a sample of a point not yet stored is relayed but not stored, so an edge cannot grow the hash
 * without bound.
 */
export const MAX_LAST_VALUE_POINTS = 50_000;
/**
 * Stores last values, adding a new field only while the hash contains fewer than the maximum, and renews
 * the TTL. KEYS: last-values hash. ARGV: max fields, TTL in s, then point and sample JSON pairs. Returns
 * the number of samples not stored.
 */
const STORE_LAST_VALUES = `
local count = redis.call('HLEN', KEYS[1])
local max = tonumber(ARGV[1])
local skipped = 0
for i = 3, #ARGV - 1, 2 do
  if count < max or redis.call('HEXISTS', KEYS[1], ARGV[i]) == 1 then
    count = count + redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  else
    skipped = skipped + 1
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return skipped`;
/** Close code for an edge that offers another uplink protocol version, from the range private to applications. */
export const CLOSE_PROTOCOL_MISMATCH = 4426;

/** Close code for an uplink whose edge node was revoked while it was open. */
export const CLOSE_EDGE_REVOKED = 4403;

/** Deletes the presence key only while it still names this instance. KEYS: presence key. ARGV: instance id. */
const DELETE_IF_OURS = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Publishes a samples envelope on the site's channel and stores the samples as last values, in one
 * transaction. Returns how many samples were not stored because the site reached MAX_LAST_VALUE_POINTS.
 */
async function publishSamples(redis: AppDeps['redis'], keys: { channel: string; lastValues: string }, envelope: TelemetryEnvelope, samples: readonly Sample[]): Promise<number> {
  const fields = samples.flatMap((sample) => [sample.point, JSON.stringify(sample)]);
  const results = await redis
    .multi()
    .publish(keys.channel, JSON.stringify(envelope))
    .eval(STORE_LAST_VALUES, 1, keys.lastValues, MAX_LAST_VALUE_POINTS, LAST_VALUES_TTL_S, ...fields)
    .exec();
  const failure = results?.find(([error]) => error !== null)?.[0];
  if (failure) throw failure;
  return Number(results?.[1]?.[1] ?? 0);
}

/** Returns the value of a header that Node may have joined into a list. */
function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Checks whether an admin revoked the edge node since its uplink opened. */
async function isEdgeRevoked(sql: Sql, edgeNodeId: string): Promise<boolean> {
  const [row] = await inTenantScope(sql, allOrganizations, (tx) => tx<{ revoked: boolean }[]>`
    SELECT revoked_at IS NOT NULL AS revoked FROM edge_nodes WHERE id = ${edgeNodeId}`);
  return row?.revoked ?? true;
}

export interface UplinkGatewayOptions {
  deps: Pick<AppDeps, 'sql' | 'redis' | 'redisPrefix' | 'logger'>;
  registry: WatcherRegistry;
  keepAliveMs: number;
  /** How long a request forwarded to an edge waits for its result; UPLINK_REQUEST_TIMEOUT_MS by default. */
  requestTimeoutMs?: number;
}

/**
 * Accepts the live uplinks of paired edges. The edge assertion in the Authorization header is checked
 * before the handshake completes. Each valid frame is published on the site's telemetry channel, and the
 * hub sends the edge `watch` whenever a browser on any instance starts or stops watching its site.
 * Requests for the edges with an uplink here (control commands, alarm actions) arrive on this
 * instance's request channel, on a Redis connection of their own, and their results go back from here.
 */
export function createUplinkGateway({ deps, registry, keepAliveMs, requestTimeoutMs }: UplinkGatewayOptions) {
  const server = new WebSocketServer({ noServer: true, maxPayload: MAX_UPLINK_FRAME_BYTES });
  server.on('headers', (headers) => {
    for (const [name, value] of Object.entries(hubProtocolHeaders())) headers.push(`${name}: ${value}`);
  });
  const logger = deps.logger.child({ component: 'live-uplink' });
  const requestSubscriber = deps.redis.duplicate();
  const requests = new UplinkRequestServer({
    sql: deps.sql,
    redis: deps.redis,
    subscriber: requestSubscriber,
    prefix: deps.redisPrefix,
    instanceId: registry.instanceId,
    logger,
    ...(requestTimeoutMs === undefined ? {} : { pendingMs: requestTimeoutMs }),
  });
  // NOTE: the subscription completes shortly after startup; a command for an uplink that connects before
  // then gets edge_offline, because the publish reaches no subscriber.
  requests.start().catch((error: unknown) => logger.error({ err: error }, 'subscribing to the request channel of this instance failed; requests to its uplinks get edge_offline'));

  server.on('connection', (socket: WebSocket, request: IncomingMessage, edge: EdgeIdentity) => {
    const edgeLogger = logger.child({ edgeNodeId: edge.edgeNodeId, siteId: edge.siteId });
    const send = (message: UplinkHubMessage) => socket.send(JSON.stringify(message));
    send({ type: 'uplink-hello', protocol: UPLINK_PROTOCOL_VERSION, siteId: edge.siteId, serverTime: Date.now() });

    const offered = request.headers[UPLINK_PROTOCOL_HEADER.toLowerCase()];
    if (offered !== String(UPLINK_PROTOCOL_VERSION)) {
      const reason = `uplink protocol ${offered === undefined ? '(none)' : String(offered).slice(0, 20)} is not supported; this hub speaks ${UPLINK_PROTOCOL_VERSION}`;
      edgeLogger.warn({ offered, supported: UPLINK_PROTOCOL_VERSION }, 'closing an uplink of another protocol version; update the edge node or the hub');
      socket.close(CLOSE_PROTOCOL_MISMATCH, reason);
      return;
    }
    edgeLogger.info('edge uplink connected');
    keepAlive(socket, keepAliveMs);
    const requestPort = requests.attach(edge.siteId, send, edgeLogger);

    const presenceKey = uplinkPresenceKey(deps.redisPrefix, edge.siteId);
    const refreshPresence = () =>
      deps.redis.set(presenceKey, registry.instanceId, 'EX', PRESENCE_TTL_S).catch((error: unknown) => edgeLogger.warn({ err: error }, 'writing the uplink presence key failed; retrying at the next refresh'));

    let watched: boolean | undefined;
    const checkWatched = () => {
      registry.isWatched(edge.siteId).then(
        (now) => {
          if (now === watched || socket.readyState !== socket.OPEN) return;
          watched = now;
          edgeLogger.info({ watched }, 'telling the edge whether its site is watched');
          send({ type: 'watch', watched });
        },
        (error: unknown) => edgeLogger.warn({ err: error }, 'reading the watchers of the site failed; keeping the last watch state until the next check'),
      );
    };
    const removeListener = registry.onChange((siteId) => {
      if (siteId === edge.siteId) checkWatched();
    });
    void refreshPresence();
    checkWatched();
    const checkRevoked = () => {
      isEdgeRevoked(deps.sql, edge.edgeNodeId).then(
        (revoked) => {
          if (!revoked || socket.readyState !== socket.OPEN) return;
          edgeLogger.warn('edge node revoked while its uplink was open; closing it');
          socket.close(CLOSE_EDGE_REVOKED, 'edge node revoked; pair it again with a new code');
        },
        (error: unknown) => edgeLogger.warn({ err: error }, 'checking whether the edge node was revoked failed; checking again at the next refresh'),
      );
    };
    const refresh = setInterval(() => {
      void refreshPresence();
      checkWatched();
      checkRevoked();
    }, PRESENCE_REFRESH_MS);
    refresh.unref();

    const channel = telemetryChannel(deps.redisPrefix, edge.siteId);
    const lastValuesKey = siteLastValuesKey(deps.redisPrefix, edge.siteId);
    const keepInBounds = createSampleFilter(edgeLogger);
    let lastValuesFullWarned = false;
    socket.on('message', (data, isBinary) => {
      const frame = parseFrame(data, isBinary);
      if ('error' in frame) {
        edgeLogger.warn({ value: frame.text?.slice(0, 200) }, `invalid uplink frame: ${frame.error}`);
        send({ type: 'error', code: 'invalid_message', message: frame.error });
        return;
      }
      const parsed = uplinkEdgeMessageSchema.safeParse(frame.json);
      if (!parsed.success) {
        const message = describeIssue(parsed.error.issues);
        edgeLogger.warn({ value: JSON.stringify(frame.json).slice(0, 200) }, `invalid uplink frame: ${message}`);
        send({ type: 'error', code: 'invalid_message', message });
        return;
      }
      const message = parsed.data;
      if (message.type === 'ping') {
        send(message.id === undefined ? { type: 'pong', serverTime: Date.now() } : { type: 'pong', id: message.id, serverTime: Date.now() });
        return;
      }
      if (message.type === 'control-result' || message.type === 'alarm-action-result') {
        requestPort.receive(message);
        return;
      }
      if (message.type === 'samples') {
        const samples = keepInBounds(message.samples);
        if (samples.length === 0) return;
        const envelope: TelemetryEnvelope = { siteId: edge.siteId, message: { ...message, samples } };
        publishSamples(deps.redis, { channel, lastValues: lastValuesKey }, envelope, samples).then(
          (skipped) => {
            if (skipped === 0 || lastValuesFullWarned) return;
            lastValuesFullWarned = true;
            edgeLogger.warn({ skipped, maxPoints: MAX_LAST_VALUE_POINTS }, `the site already has last values of ${MAX_LAST_VALUE_POINTS} points; last values of further points are not stored, but their samples are relayed`);
          },
          (error: unknown) => edgeLogger.warn({ err: error, type: message.type }, 'publishing live telemetry on Redis failed; the batch is lost and later ones are sent'),
        );
        return;
      }
      const envelope: TelemetryEnvelope = { siteId: edge.siteId, message };
      deps.redis.publish(channel, JSON.stringify(envelope)).catch((error: unknown) => edgeLogger.warn({ err: error, type: message.type }, 'publishing live telemetry on Redis failed; the message is lost and later ones are sent'));
    });

    socket.on('error', (error) => edgeLogger.warn({ err: error }, 'edge uplink socket error'));
    socket.once('close', (code, reason) => {
      clearInterval(refresh);
      removeListener();
      requestPort.detach();
      edgeLogger.info({ code, reason: reason.toString() }, 'edge uplink closed');
      deps.redis.eval(DELETE_IF_OURS, 1, presenceKey, registry.instanceId).catch((error: unknown) => edgeLogger.warn({ err: error }, 'deleting the uplink presence key failed; it expires by itself'));
    });
  });

  return {
    /** Verifies the edge assertion of an upgrade request to the uplink path and completes the handshake, or rejects it with 401. */
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
      const authenticate = async () => {
        const verdict = judgeEdgeProtocol(singleHeader(request.headers[PROTOCOL_HEADER.toLowerCase()]));
        if (!verdict.accepted) throw new HttpError(PROTOCOL_MISMATCH_STATUS, PROTOCOL_MISMATCH_CODE, verdict.body.error.message, { headers: hubProtocolHeaders() });
        return verifyEdgeAssertion(deps, bearerToken(request.headers.authorization));
      };
      authenticateUpgrade(socket, logger, 'edge uplink', authenticate, (edge) =>
        server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, request, edge)),
      );
    },
    /** Closes every uplink with 1001 so the edges reconnect to another instance; see `closeSockets`. */
    async close(graceMs: number): Promise<void> {
      const closed = closeSockets(server, graceMs, logger);
      await requests.stop().catch((error: unknown) => logger.warn({ err: error }, 'unsubscribing from the request channel failed'));
      // Disconnected here and awaited by the caller, because a connection left open keeps the process alive.
      requestSubscriber.disconnect();
      await closed;
    },
  };
}
