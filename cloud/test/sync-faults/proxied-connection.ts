import { createConnection, type Socket } from 'node:net';
import type { ProxiedRequest, RequestAction, ResponseAction } from './fault-proxy';

/*
 * One client connection of the fault proxy and its connection to the hub: it finds the request
 * boundaries of HTTP/1.1 without pipelining, applies the action chosen for each request and reports
 * each response start. See fault-proxy.ts for the rules.
 */

/** Largest request head the proxy parses; a longer one is passed through unparsed. */
const MAX_HEAD_BYTES = 64 * 1024;
/** Largest response kept in `ProxiedRequest.response`, enough for an upload acknowledgement. */
const MAX_KEPT_RESPONSE_BYTES = 256 * 1024;
/** Largest request kept in `ProxiedRequest.body`: the hub's upload limit plus room for the head. */
const MAX_KEPT_REQUEST_BYTES = 5 * 1024 * 1024;

/** Parses the request line and Content-Length of a complete head; null when it is not HTTP/1.x. */
function parseHead(head: string): { method: string; path: string; contentLength: number | null } | null {
  const [requestLine, ...headerLines] = head.split('\r\n');
  const match = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(requestLine ?? '');
  if (match === null) return null;
  let contentLength: number | null = null;
  for (const line of headerLines) {
    const separator = line.indexOf(':');
    if (separator > 0 && line.slice(0, separator).trim().toLowerCase() === 'content-length') contentLength = Number(line.slice(separator + 1).trim());
  }
  return { method: match[1]!, path: match[2]!, contentLength };
}

/** What a connection needs from its proxy. */
export interface ConnectionHooks {
  record(head: Pick<ProxiedRequest, 'connectionId' | 'method' | 'path' | 'headBytes' | 'contentLength'>): ProxiedRequest;
  decide(request: ProxiedRequest): RequestAction;
  responseStarts(request: ProxiedRequest): Promise<ResponseAction>;
  socketError(error: Error): void;
  closed(connection: ProxiedConnection): void;
}

/** One client connection and its connection to the hub. */
export class ProxiedConnection {
  private head = Buffer.alloc(0);
  private request: ProxiedRequest | undefined;
  private responseStarted = false;
  /** Request bytes waiting for `release()`, while the current request is held. */
  private heldChunks: Buffer[] | null = null;
  /** Request bytes, head included, after which both connections are reset. */
  private cutAfter: number | undefined;
  /** Whether the hub switched protocols, so the bytes are no longer HTTP. */
  private tunnel = false;
  private closed = false;
  private readonly upstream: Socket;

  constructor(
    private readonly id: number,
    private readonly client: Socket,
    private readonly hooks: ConnectionHooks,
    targetPort: number,
  ) {
    this.upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    client.on('data', (chunk: Buffer) => this.fromClient(chunk));
    this.upstream.on('data', (chunk: Buffer) => void this.fromUpstream(chunk));
    client.on('end', () => {
      if (this.heldChunks === null) this.upstream.end();
    });
    this.upstream.on('end', () => this.client.end());
    // A client that goes away while its request is held leaves the hub connection open, so a test
    // can still deliver the request after the client died.
    client.on('close', () => {
      if (this.heldChunks === null) this.upstream.destroy();
    });
    this.upstream.on('close', () => this.close());
    client.on('error', (error) => hooks.socketError(error));
    this.upstream.on('error', (error) => hooks.socketError(error));
  }

  get holding(): boolean {
    return this.heldChunks !== null;
  }

  private fromClient(chunk: Buffer): void {
    if (this.tunnel) {
      this.upstream.write(chunk);
      return;
    }
    if (this.request !== undefined && this.responseStarted) {
      this.request = undefined;
      this.responseStarted = false;
    }
    if (this.request === undefined) {
      this.head = Buffer.concat([this.head, chunk]);
      const headEnd = this.head.indexOf('\r\n\r\n');
      if (headEnd < 0 && this.head.length < MAX_HEAD_BYTES) return;
      chunk = this.head;
      this.head = Buffer.alloc(0);
      this.startRequest(chunk, headEnd < 0 ? chunk.length : headEnd + 4);
      if (this.closed) return;
    }
    this.forward(chunk);
  }

  private startRequest(bytes: Buffer, headBytes: number): void {
    const parsed = parseHead(bytes.subarray(0, headBytes).toString('latin1'));
    const request = this.hooks.record({
      connectionId: this.id,
      method: parsed?.method ?? '',
      path: parsed?.path ?? '',
      headBytes,
      contentLength: parsed?.contentLength ?? null,
    });
    this.request = request;
    const decision = parsed === null ? { action: 'pass' as const } : this.hooks.decide(request);
    request.action = decision.action;
    if (decision.action === 'reset') {
      this.reset();
    } else if (decision.action === 'hold') {
      request.held = true;
      this.heldChunks = [];
    } else if (decision.action === 'cut') {
      this.cutAfter = decision.afterBytes;
    }
  }

  private forward(chunk: Buffer): void {
    const request = this.request;
    if (request !== undefined) {
      request.receivedBytes += chunk.length;
      if (request.body.length < MAX_KEPT_REQUEST_BYTES) request.body = Buffer.concat([request.body, chunk]);
    }
    if (this.heldChunks !== null) {
      this.heldChunks.push(chunk);
      return;
    }
    this.write(chunk);
  }

  private write(chunk: Buffer): void {
    const request = this.request;
    if (request !== undefined && this.cutAfter !== undefined) {
      const remaining = this.cutAfter - request.forwardedBytes;
      if (chunk.length >= remaining) {
        request.forwardedBytes += remaining;
        this.upstream.write(chunk.subarray(0, remaining), () => this.reset());
        this.cutAfter = undefined;
        return;
      }
    }
    if (request !== undefined) request.forwardedBytes += chunk.length;
    this.upstream.write(chunk);
  }

  /**
   * Forwards the held bytes of the current request and stops holding. The hub connection stays open
   * when the client has gone, so the hub's response still arrives and is recorded.
   */
  release(): void {
    const chunks = this.heldChunks ?? [];
    this.heldChunks = null;
    if (this.request !== undefined) this.request.held = false;
    for (const chunk of chunks) this.write(chunk);
  }

  private async fromUpstream(chunk: Buffer): Promise<void> {
    const request = this.request;
    if (request !== undefined && !this.responseStarted) {
      this.responseStarted = true;
      request.respondedAt = Date.now();
      this.upstream.pause();
      const action = await this.hooks.responseStarts(request);
      if (action === 'drop') {
        request.dropped = true;
        this.keepResponse(request, chunk);
        this.reset();
        return;
      }
      this.upstream.resume();
    }
    if (request !== undefined) this.keepResponse(request, chunk);
    if (!this.client.destroyed) this.client.write(chunk);
  }

  private keepResponse(request: ProxiedRequest, chunk: Buffer): void {
    if (request.response.length < MAX_KEPT_RESPONSE_BYTES) request.response = Buffer.concat([request.response, chunk]);
    if (request.status === null) {
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(request.response.subarray(0, 16).toString('latin1'));
      if (match !== null) request.status = Number(match[1]);
      if (request.status === 101) this.tunnel = true;
    }
  }

  /** Resets both connections, so each side gets a connection error rather than an orderly end. */
  reset(): void {
    this.heldChunks = null;
    if (this.request !== undefined) this.request.held = false;
    if (!this.client.destroyed) this.client.resetAndDestroy();
    if (!this.upstream.destroyed) this.upstream.resetAndDestroy();
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.client.destroyed) this.client.destroy();
    if (!this.upstream.destroyed) this.upstream.destroy();
    this.hooks.closed(this);
  }
}

