import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { HttpError } from '../api/http-error';
import type { Logger } from '../logger';

/**
 * Subprotocol a browser offers together with the access token, as in
 * `new WebSocket(url, ['access_token', token])`, because browsers cannot set an Authorization header on
 * a WebSocket. The hub selects this name, never the token.
 */
export const TOKEN_SUBPROTOCOL = 'access_token';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  426: 'Upgrade Required',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Ends an upgrade request with an HTTP error before the WebSocket handshake, with the JSON error body
 * of the REST API.
 */
export function rejectUpgrade(socket: Duplex, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { code, message } });
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/**
 * Runs `authenticate` for an upgrade request, then hands its result to `accept`, which completes the
 * handshake. An HttpError ends the upgrade with its status and message; any other error with 500.
 * `peer` names the client in log lines, such as "live browser".
 */
export function authenticateUpgrade<T>(socket: Duplex, logger: Logger, peer: string, authenticate: () => Promise<T>, accept: (value: T) => void): void {
  // Node removes its own socket error handler before emitting 'upgrade', so a client that resets
  // while the request is checked would otherwise raise an unhandled error.
  const dropOnError = (error: Error) => logger.debug({ err: error }, `${peer} left during the upgrade`);
  socket.on('error', dropOnError);
  authenticate().then(
    (value) => {
      socket.off('error', dropOnError);
      accept(value);
    },
    (error: unknown) => {
      socket.off('error', dropOnError);
      if (error instanceof HttpError) {
        logger.info({ code: error.code, reason: error.message }, `${peer} rejected`);
        rejectUpgrade(socket, error.status, error.code, error.message, error.details.headers);
        return;
      }
      logger.error({ err: error }, `authenticating a ${peer} failed`);
      rejectUpgrade(socket, 500, 'internal', 'authenticating the upgrade request failed on the hub; retry later');
    },
  );
}

/**
 * Extracts the access token of a browser's upgrade request: the Authorization header, then the value
 * offered after `access_token` in Sec-WebSocket-Protocol, then the `access_token` query parameter.
 * Returns undefined when none is present; a malformed Authorization header is returned as it is, so
 * verification rejects it with its own message.
 */
export function upgradeAccessToken(request: IncomingMessage): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) return /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] ?? authorization;
  const protocols = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((protocol) => protocol.trim());
  const index = protocols.indexOf(TOKEN_SUBPROTOCOL);
  if (index >= 0 && protocols[index + 1]) return protocols[index + 1];
  return new URL(request.url ?? '/', 'http://localhost').searchParams.get('access_token') ?? undefined;
}

/**
 * Sends a WebSocket ping every `intervalMs` and terminates the socket when the previous ping got no
 * pong, so a peer that vanished without closing frees its resources. Returns the stop function.
 */
export function keepAlive(socket: WebSocket, intervalMs: number): () => void {
  let alive = true;
  socket.on('pong', () => {
    alive = true;
  });
  const timer = setInterval(() => {
    if (!alive) {
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }, intervalMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  socket.once('close', stop);
  return stop;
}

/** Reads a text frame as JSON; returns an error message naming the problem for a binary or non-JSON frame. */
export function parseFrame(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): { json: unknown } | { error: string; text?: string } {
  if (isBinary) return { error: 'binary frames are not supported: send JSON text frames' };
  const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
  try {
    return { json: JSON.parse(text) };
  } catch {
    return { error: `frame is not valid JSON: ${text.slice(0, 80)}`, text };
  }
}

/** Describes the first issue of a failed schema parse, with its path. */
export function describeIssue(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const issue = issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  return `${where}${issue?.message ?? 'invalid message'}`;
}

/**
 * Stops `server` from completing handshakes and closes its sockets with 1001 (going away). A peer has
 * `graceMs` to send its own close frame. Sockets still open then are terminated, because ws 8 would
 * otherwise wait 30 s (its closeTimeout) for that frame, and an open socket keeps the HTTP server and the process alive.
 */
export async function closeSockets(server: WebSocketServer, graceMs: number, logger: Logger): Promise<void> {
  server.close();
  const open = [...server.clients];
  const allClosed = Promise.all(open.map((socket) => new Promise((closed) => (socket.readyState === socket.CLOSED ? closed(undefined) : socket.once('close', closed)))));
  for (const socket of open) socket.close(1001, 'hub instance shutting down');
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const outcome = await Promise.race([allClosed, graceOver]);
  clearTimeout(timer);
  if (outcome !== 'timeout') return;
  const remaining = open.filter((socket) => socket.readyState !== socket.CLOSED);
  logger.warn({ sockets: remaining.length, graceMs }, 'WebSocket peers sent no close frame in time; terminating their sockets');
  for (const socket of remaining) socket.terminate();
}
