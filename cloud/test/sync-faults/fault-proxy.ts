import { createServer, type Server, type Socket } from 'node:net';
import { ProxiedConnection, type ConnectionHooks } from './proxied-connection';

/*
 * A TCP proxy on 127.0.0.1 between an edge and the hub that injects network faults per HTTP request.
 * It reads just enough HTTP/1.1 to know which request a connection carries: the request head, and the
 * start of each response. A connection carries one request at a time, because Node's fetch does not
 * pipeline, so the first client byte after a response has started begins the next request. After a
 * 101 response (a WebSocket upgrade) the connection is a plain tunnel.
 */

/** What happens to one request, decided when its head has arrived. */
export type RequestAction =
  /** Forward it unchanged. */
  | { action: 'pass' }
  /** Forward the first `afterBytes` bytes of the request (head included), then reset both connections. */
  | { action: 'cut'; afterBytes: number }
  /** Keep its bytes in the proxy until `release()` or `dropHeld()`. */
  | { action: 'hold' }
  /** Reset both connections at once, as an unreachable hub would. */
  | { action: 'reset' };

/** What happens to a response whose first byte has arrived: forward it, or drop it and reset both connections. */
export type ResponseAction = 'forward' | 'drop';

/** One request the proxy has seen. */
export interface ProxiedRequest {
  /** Sequence number over the proxy's lifetime, from 1. */
  id: number;
  connectionId: number;
  method: string;
  /** Path with query string, as in the request line. */
  path: string;
  /** Bytes of the head, from the request line to the blank line included. */
  headBytes: number;
  /** The Content-Length header, or null when the body is chunked or absent. */
  contentLength: number | null;
  /** Request bytes received from the client, head included. */
  receivedBytes: number;
  /** Request bytes written to the hub, head included. */
  forwardedBytes: number;
  action: RequestAction['action'];
  /** Whether the bytes are still held in the proxy. */
  held: boolean;
  /** Status of the response once its status line has passed the proxy, else null. */
  status: number | null;
  /** When the head arrived and when the first response byte arrived (null before), epoch ms. */
  startedAt: number;
  respondedAt: number | null;
  /** Whether a response started and `onResponseStart` dropped it. */
  dropped: boolean;
  /** The request bytes, head included, up to 5 MiB. */
  body: Buffer;
  /** The response bytes, up to 256 KiB, forwarded or dropped alike. */
  response: Buffer;
}

export interface FaultProxyOptions {
  /** Port of the hub on 127.0.0.1. */
  targetPort: number;
  /** Decides the fate of each request; passes everything when absent. */
  onRequest?: (request: ProxiedRequest) => RequestAction;
  /** Called when the first byte of a response arrives, before it is forwarded; forwards when absent. */
  onResponseStart?: (request: ProxiedRequest) => ResponseAction | Promise<ResponseAction>;
}

/** Returns whether `request` is a POST to `path`, ignoring the query string. */
export function isPost(request: Pick<ProxiedRequest, 'method' | 'path'>, path: string): boolean {
  return request.method === 'POST' && request.path.split('?')[0] === path;
}

/**
 * Returns the body of a response kept by the proxy, decoding chunked transfer coding, or null while
 * the head is incomplete.
 */
export function responseBody(response: Buffer): Buffer | null {
  const headEnd = response.indexOf('\r\n\r\n');
  if (headEnd < 0) return null;
  const head = response.subarray(0, headEnd).toString('latin1').toLowerCase();
  const body = response.subarray(headEnd + 4);
  if (!/\r\ntransfer-encoding:\s*chunked/.test(head)) return body;
  const chunks: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) break;
    chunks.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(chunks);
}

/** A fault-injecting TCP proxy; see the file header. */
export class FaultProxy {
  /** Every request seen, oldest first. */
  readonly requests: ProxiedRequest[] = [];
  /** Socket errors of either side; resets are expected in fault tests, so they are kept, not thrown. */
  readonly socketErrors: Error[] = [];
  onRequest: FaultProxyOptions['onRequest'];
  onResponseStart: FaultProxyOptions['onResponseStart'];
  private readonly connections = new Set<ProxiedConnection>();
  private nextConnectionId = 1;

  private constructor(
    private readonly server: Server,
    /** Port the proxy listens on. */
    readonly port: number,
    options: FaultProxyOptions,
  ) {
    this.onRequest = options.onRequest;
    this.onResponseStart = options.onResponseStart;
  }

  /** Starts a proxy on a free port of 127.0.0.1 that forwards to `options.targetPort`. */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const server = createServer({ allowHalfOpen: true });
    await new Promise<void>((listening, failed) => {
      server.once('error', failed);
      server.listen(0, '127.0.0.1', () => listening());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the fault proxy has no TCP address');
    const proxy = new FaultProxy(server, address.port, options);
    server.on('connection', (client) => proxy.accept(client, options.targetPort));
    return proxy;
  }

  /** Base URL of the proxy, for the edge's credential. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests still held in the proxy. */
  get heldRequests(): ProxiedRequest[] {
    return this.requests.filter((request) => request.held);
  }

  /** Forwards every held request to the hub, also those whose client has gone. */
  release(): void {
    for (const connection of this.connections) if (connection.holding) connection.release();
  }

  /** Resets the connections of every held request without forwarding it. */
  dropHeld(): void {
    for (const connection of this.connections) if (connection.holding) connection.reset();
  }

  /** Resets every open connection. */
  resetAll(): void {
    for (const connection of this.connections) connection.reset();
  }

  /** Stops listening and resets every open connection. */
  async close(): Promise<void> {
    this.resetAll();
    await new Promise((closed) => this.server.close(closed));
  }

  /** Polls until `check` returns a value other than undefined, for at most `timeoutMs`. */
  async waitFor<T>(check: (proxy: FaultProxy) => T | undefined, description: string, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check(this);
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}; requests: ${this.describe()}`);
      await new Promise((resolveWait) => setTimeout(resolveWait, 20));
    }
  }

  /** Describes each request on one line, for failure messages. */
  describe(): string {
    return this.requests.map((request) => `#${request.id} ${request.method} ${request.path} ${request.action} -> ${request.status ?? '-'}${request.dropped ? ' dropped' : ''}`).join('; ');
  }

  private accept(client: Socket, targetPort: number): void {
    const hooks: ConnectionHooks = {
      record: (head) => {
        const request: ProxiedRequest = {
          id: this.requests.length + 1,
          ...head,
          receivedBytes: 0,
          forwardedBytes: 0,
          action: 'pass',
          held: false,
          status: null,
          startedAt: Date.now(),
          respondedAt: null,
          dropped: false,
          body: Buffer.alloc(0),
          response: Buffer.alloc(0),
        };
        this.requests.push(request);
        return request;
      },
      decide: (request) => this.onRequest?.(request) ?? { action: 'pass' },
      responseStarts: async (request) => (await this.onResponseStart?.(request)) ?? 'forward',
      socketError: (error) => this.socketErrors.push(error),
      closed: (connection) => this.connections.delete(connection),
    };
    this.connections.add(new ProxiedConnection(this.nextConnectionId++, client, hooks, targetPort));
  }
}
