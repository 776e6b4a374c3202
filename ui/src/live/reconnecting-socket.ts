import { createSignal } from 'solid-js';
import { backoffDelayMs } from './backoff';

/** Close code with which the edge and the hub end a stream whose access token expired. */
const TOKEN_EXPIRED = 4401;
/** Close codes after which reconnecting cannot help (policy violation, refused token). */
const FINAL_CODES = new Set([1008, 4403]);

export type SocketState = 'connecting' | 'open' | 'waiting' | 'closed';

export interface ReconnectingSocketOptions {
  path: string;
  token(): string | null;
  /** Called when the server ends the stream because the token expired; resolves false when the session is over. */
  renewToken(): Promise<boolean>;
  /** Sends what the stream needs after every (re)connect, such as the subscriptions. */
  onOpen(send: (message: unknown) => void): void;
  onMessage(data: unknown): void;
  random?: () => number;
}

/**
 * Opens a WebSocket to the same host that reconnects with exponential backoff and jitter, renews the token
 * when the server closes it for expiry, and lets the caller resubscribe on every connect.
 */
export function createReconnectingSocket(options: ReconnectingSocketOptions) {
  const [state, setState] = createSignal<SocketState>('connecting');
  const [nextAttemptAt, setNextAttemptAt] = createSignal<number | null>(null);
  let socket: WebSocket | undefined;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const send = (message: unknown) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };

  function connect(): void {
    if (stopped) return;
    const token = options.token();
    if (!token) {
      setState('closed');
      return;
    }
    setState('connecting');
    setNextAttemptAt(null);
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const current = new WebSocket(`${scheme}//${location.host}${options.path}`, ['access_token', token]);
    const connectedWith = token;
    socket = current;
    current.onopen = () => {
      setState('open');
      options.onOpen(send);
    };
    current.onmessage = (event) => {
      attempt = 0;
      try {
        options.onMessage(JSON.parse(String(event.data)));
      } catch {
        // A frame that is not JSON is ignored; the server only sends JSON objects.
      }
    };
    current.onclose = (event) => {
      if (socket !== current || stopped) return;
      if (event.code === TOKEN_EXPIRED) {
        // The session renews its token before expiry, so the stream usually only needs the newer one.
        if (options.token() !== connectedWith) connect();
        else void options.renewToken().then((renewed) => (renewed ? connect() : setState('closed')));
        return;
      }
      if (FINAL_CODES.has(event.code)) {
        setState('closed');
        return;
      }
      const delay = backoffDelayMs(attempt++, options.random);
      setState('waiting');
      setNextAttemptAt(Date.now() + delay);
      timer = setTimeout(connect, delay);
    };
  }

  connect();
  return {
    state,
    /** When the next reconnection attempt starts, while waiting. */
    nextAttemptAt,
    send,
    /** Reconnects now, for example after the permissions changed. */
    reconnect(): void {
      clearTimeout(timer);
      const previous = socket;
      socket = undefined;
      previous?.close(1000);
      attempt = 0;
      connect();
    },
    close(): void {
      stopped = true;
      clearTimeout(timer);
      socket?.close(1000);
      setState('closed');
    },
  };
}
export type ReconnectingSocket = ReturnType<typeof createReconnectingSocket>;
