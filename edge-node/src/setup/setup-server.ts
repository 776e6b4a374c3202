import { serve } from '@hono/node-server';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackAddress } from '../api/loopback';
import type { createSetupApp } from './setup-app';

export interface SetupServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Whether other hosts may open the setup page; by default only loopback clients may. */
  allowRemote: boolean;
}

export interface RunningSetupServer {
  url: string;
  port: number;
  /**
   * Stops accepting connections and frees the port at once, so the edge node can listen on it.
   * Requests in flight finish; idle connections are closed. Resolves when the last connection ended.
   */
  stopListening(): Promise<void>;
  /** Closes the server and every connection. */
  close(): Promise<void>;
}

const remoteRejection = 'the setup page answers loopback clients only; start the node with --allow-remote to set it up from another host';

/** Serves the setup app on one HTTP server. Rejects with a message naming the address when listening fails. */
export function startSetupServer(app: ReturnType<typeof createSetupApp>, options: SetupServerOptions): Promise<RunningSetupServer> {
  const guarded = options.allowRemote
    ? app.fetch
    : (request: Request, env: { incoming: IncomingMessage }) =>
        isLoopbackAddress(env.incoming.socket.remoteAddress)
          ? app.fetch(request, env)
          : Response.json({ error: { code: 'forbidden', message: remoteRejection } }, { status: 403 });

  return new Promise((resolve, reject) => {
    const server = serve({ fetch: guarded as typeof app.fetch, hostname: options.host, port: options.port }, (info: AddressInfo) => {
      let closed: Promise<void> | undefined;
      const stopListening = () => {
        closed ??= new Promise<void>((done) => server.close(() => done()));
        server.closeIdleConnections();
        return closed;
      };
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        stopListening,
        close: () => {
          const done = stopListening();
          server.closeAllConnections();
          return done;
        },
      });
    }) as Server;
    server.on('error', (error: NodeJS.ErrnoException) => {
      const address = `${options.host}:${options.port}`;
      const hint = error.code === 'EADDRINUSE' ? 'the port is already in use; stop the other process or choose another --port' : 'check --host and --port';
      reject(new Error(`cannot listen on ${address} for setup: ${error.message}; ${hint}`, { cause: error }));
    });
  });
}
