import { Socket } from 'node:net';

/**
 * Returns whether a TCP connection to `host:port` opens within `timeoutMs`. The socket is closed
 * right after the handshake. A refused connection, an unreachable host, a timeout or an abort all
 * return false, because each means the same to a scan: nothing to talk to there.
 */
export function probeTcpPort(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve(false);
      return;
    }
    const socket = new Socket();
    const finish = (open: boolean): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(open);
    };
    const onAbort = (): void => finish(false);
    const timer = setTimeout(() => finish(false), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', () => finish(false));
    socket.connect({ host, port }, () => finish(true));
  });
}
