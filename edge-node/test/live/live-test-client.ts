import { serverMessageSchema, type ServerMessage } from '@simtestlab/sync';
import { WebSocket } from 'ws';

/** A message that failed `serverMessageSchema`, kept so a test can fail on it. */
export interface InvalidFrame {
  text: string;
  problem: string;
}

/**
 * A real `ws` client that validates every frame it receives against `serverMessageSchema` and lets a
 * test wait for the next message that matches a predicate, with a timeout.
 */
export class LiveTestClient {
  readonly messages: ServerMessage[] = [];
  readonly invalidFrames: InvalidFrame[] = [];
  closeCode: number | undefined;
  private cursor = 0;
  private readonly waiters = new Set<() => void>();
  private readonly closed: Promise<number>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      this.receive(isBinary ? undefined : data.toString());
      this.wake();
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', (code) => {
        this.closeCode = code;
        this.wake();
        resolve(code);
      });
    });
  }

  /**
   * Connects and waits for the WebSocket handshake to finish. A `token` is offered the way browsers
   * send it, as the subprotocols `access_token, <token>`.
   */
  static async connect(url: string, options: { token?: string } = {}): Promise<LiveTestClient> {
    const socket = options.token === undefined ? new WebSocket(url) : new WebSocket(url, ['access_token', options.token]);
    const client = new LiveTestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  private receive(text: string | undefined): void {
    if (text === undefined) {
      this.invalidFrames.push({ text: '', problem: 'binary frame' });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      this.invalidFrames.push({ text: text.slice(0, 300), problem: `invalid JSON: ${(error as Error).message}` });
      return;
    }
    const parsed = serverMessageSchema.safeParse(json);
    if (parsed.success) this.messages.push(parsed.data);
    else this.invalidFrames.push({ text: text.slice(0, 300), problem: parsed.error.message });
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
  }

  /** Sends a message as a JSON text frame, or a string as it is. */
  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /**
   * Waits for the next message after those already returned that matches `predicate`, and moves
   * past it. Rejects with the messages seen when none arrives within `timeoutMs`.
   */
  async next<T extends ServerMessage>(predicate: (message: ServerMessage) => message is T, timeoutMs?: number): Promise<T>;
  async next(predicate: (message: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  async next(predicate: (message: ServerMessage) => boolean, timeoutMs = 3000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.messages.length) {
        const message = this.messages[this.cursor++]!;
        if (predicate(message)) return message;
      }
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0 || this.closeCode !== undefined) {
        const seen = this.messages.map((message) => message.type).join(', ');
        throw new Error(`no matching message within ${timeoutMs} ms (close code ${this.closeCode ?? 'none'}); messages so far: ${seen}`);
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, remainingMs);
        this.waiters.add(done);
      });
    }
  }

  /** Waits for the next message of one type. */
  nextOfType<K extends ServerMessage['type']>(type: K, timeoutMs?: number): Promise<Extract<ServerMessage, { type: K }>> {
    return this.next((message): message is Extract<ServerMessage, { type: K }> => message.type === type, timeoutMs);
  }

  /** Resolves with the close code, or rejects when the socket stays open for `timeoutMs`. */
  async waitForClose(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the socket and waits until it is closed; a socket that does not finish is terminated. */
  async close(): Promise<void> {
    if (this.closeCode !== undefined) return;
    this.socket.close();
    const closedInTime = await this.waitForClose(2000).then(
      () => true,
      () => false,
    );
    if (!closedInTime) {
      this.socket.terminate();
      await this.closed;
    }
  }
}
