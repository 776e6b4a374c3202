import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { clientMessageSchema, type ServerMessage } from '@simtestlab/sync';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../logger';
import { TOKEN_SUBPROTOCOL } from '../auth/request-token';
import type { LiveHub } from './live-hub';

/** Largest client frame accepted; subscriptions are small, so anything larger is a mistake or abuse. */
const MAX_CLIENT_FRAME_BYTES = 1_000_000;
/** How long a client has at shutdown to reply to the close frame before its socket is destroyed. */
const CLOSE_GRACE_MS = 1000;
/** How often an open stream is authorized again, so an expired token or a disabled user ends it. */
export const LIVE_REAUTHORIZE_INTERVAL_MS = 5_000;
/** Close codes of a stream whose authorization no longer holds, from the range private to applications. */
const CLOSE_UNAUTHORIZED = 4401;
const CLOSE_FORBIDDEN = 4403;

/** Why an upgrade request is rejected: 401 without a valid token, 403 for a caller that may not connect. */
export interface UpgradeRejection {
  status: 401 | 403;
  message: string;
}

export interface LiveServerOptions {
  siteId: string;
  /**
   * Called for every upgrade request, and again for each open stream every `reauthorizeIntervalMs`. A
   * rejection ends the upgrade with that status, or closes the open stream with 4401 or 4403.
   */
  authorize?: (request: IncomingMessage) => Promise<UpgradeRejection | undefined> | UpgradeRejection | undefined;
  reauthorizeIntervalMs?: number;
}

/**
 * Serves the live stream on `GET /ws`. Each text frame from a client is validated against the
 * shared message schemas; an invalid frame gets an `error` message naming the problem and the
 * connection stays open.
 */
export function createLiveServer(hub: LiveHub, logger: Logger, options: LiveServerOptions) {
  // A client that offers subprotocols closes the connection unless the server selects one of them.
  // The server selects the marker name, so the token is never echoed.
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_FRAME_BYTES,
    handleProtocols: (protocols) => (protocols.has(TOKEN_SUBPROTOCOL) ? TOKEN_SUBPROTOCOL : false),
  });

  server.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const client = hub.connect(socket);
    const reauthorize = setInterval(() => {
      void Promise.resolve(options.authorize?.(request)).then(
        (rejection) => {
          if (rejection === undefined || socket.readyState !== socket.OPEN) return;
          logger.info({ status: rejection.status, reason: rejection.message }, 'live stream no longer authorized; closing it');
          socket.close(rejection.status === 401 ? CLOSE_UNAUTHORIZED : CLOSE_FORBIDDEN, rejection.message.slice(0, 120));
        },
        (error: unknown) => logger.error({ err: error }, 'authorizing an open live stream again failed; it stays open until the next check'),
      );
    }, options.reauthorizeIntervalMs ?? LIVE_REAUTHORIZE_INTERVAL_MS);
    reauthorize.unref();
    socket.once('close', () => clearInterval(reauthorize));
    const send = (message: ServerMessage) => socket.send(JSON.stringify(message));
    send({ type: 'hello', siteId: options.siteId, serverTime: Date.now(), batchMs: 0 });

    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        send({ type: 'error', code: 'invalid_message', message: 'binary frames are not supported: send JSON text frames' });
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(data.toString());
      } catch {
        send({ type: 'error', code: 'invalid_message', message: `frame is not valid JSON: ${data.toString().slice(0, 80)}` });
        return;
      }
      const parsed = clientMessageSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
        send({ type: 'error', code: 'invalid_message', message: `${where}${issue?.message ?? 'invalid message'}` });
        return;
      }
      const message = parsed.data;
      if (message.type === 'ping') {
        send(message.id === undefined ? { type: 'pong', serverTime: Date.now() } : { type: 'pong', id: message.id, serverTime: Date.now() });
      } else if (message.type === 'subscribe') {
        const pointsBefore = new Set(client.points);
        const devicesBefore = new Set(client.devices);
        const unknown = hub.subscribe(client, message.points, message.devices);
        if (client.points.size > hub.maxPointsPerClient) {
          // Roll back only what this request added, so the client keeps its earlier subscriptions.
          for (const device of client.devices) if (!devicesBefore.has(device)) client.devices.delete(device);
          hub.unsubscribe(client, [...client.points].filter((point) => !pointsBefore.has(point)), []);
          send({
            type: 'error',
            code: 'too_many_subscriptions',
            message: `a client may subscribe to at most ${hub.maxPointsPerClient} points; subscribe to fewer devices`,
          });
          return;
        }
        send({ type: 'subscribed', points: [...client.points].sort(), unknown });
      } else {
        hub.unsubscribe(client, message.points, message.devices);
        send({ type: 'subscribed', points: [...client.points].sort(), unknown: [] });
      }
    });
    socket.on('close', () => hub.disconnect(client));
    socket.on('error', (error) => {
      logger.warn({ err: error }, 'live client socket error');
      hub.disconnect(client);
    });
  });

  return {
    /** Hands an HTTP upgrade request for `/ws` to the WebSocket server once `authorize` accepts it; other paths get 404. */
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (path !== '/ws') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      // Node removes its own socket error handler before emitting 'upgrade', so a client that resets
      // while the token is checked would otherwise raise an unhandled error.
      const dropOnError = (error: Error) => logger.debug({ err: error }, 'live client left during the upgrade');
      socket.on('error', dropOnError);
      void Promise.resolve(options.authorize?.(request)).then(
        (rejection) => {
          socket.off('error', dropOnError);
          if (rejection !== undefined) {
            const statusText = rejection.status === 401 ? 'Unauthorized' : 'Forbidden';
            const bearer = rejection.status === 401 ? 'WWW-Authenticate: Bearer realm="edge-node"\r\n' : '';
            socket.end(`HTTP/1.1 ${rejection.status} ${statusText}\r\n${bearer}Content-Type: text/plain\r\nConnection: close\r\n\r\n${rejection.message}\n`);
            return;
          }
          server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, request));
        },
        (error: unknown) => {
          socket.off('error', dropOnError);
          logger.error({ err: error }, 'live stream upgrade authorization failed');
          socket.end('HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\n');
        },
      );
    },
    /**
     * Closes every client with code 1001 and terminates the sockets that have not finished the
     * closing handshake after `CLOSE_GRACE_MS`. A client that stopped reading never finishes it, and
     * `ws` 8 would otherwise keep its socket open for 30 s.
     */
    async close(): Promise<void> {
      const sockets = [...server.clients];
      hub.closeAll();
      await Promise.all(sockets.map((socket) => closeWithin(socket, CLOSE_GRACE_MS)));
      server.close();
    },
  };
}

/** Resolves once `socket` is closed, terminating it when the closing handshake takes over `graceMs`. */
function closeWithin(socket: WebSocket, graceMs: number): Promise<void> {
  if (socket.readyState === socket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.terminate(), graceMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
