import { serve } from '@hono/node-server';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackAddress } from './loopback';
import { createLiveServer } from '../live/ws-server';
import type { Logger } from '../logger';
import type { EdgeRuntime } from '../runtime/edge-runtime';
import { createApp } from './app';
import type { MetricSource } from './metrics';

export interface HttpServerOptions {
  host: string;
  port: number;
  /**
   * Whether requests from other hosts are served too. Until local login exists the API has no
   * authentication, so by default only loopback clients are served.
   */
  allowRemote?: boolean;
  metricSources?: readonly MetricSource[];
}

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const remoteRefusal = 'the edge node API has no login yet and answers loopback clients only; start it with --allow-remote on a trusted network';

/** Starts the REST API and the `/ws` live stream on one HTTP server. */
export function startHttpServer(runtime: EdgeRuntime, logger: Logger, options: HttpServerOptions): Promise<RunningHttpServer> {
  const app = createApp(runtime, logger, options.metricSources);
  const guarded = options.allowRemote
    ? app.fetch
    : (request: Request, env: { incoming: IncomingMessage }) =>
        isLoopbackAddress(env.incoming.socket.remoteAddress)
          ? app.fetch(request, env)
          : Response.json({ error: { code: 'forbidden', message: remoteRefusal } }, { status: 403 });

  const live = createLiveServer(runtime.hub, logger.child({ component: 'ws' }), {
    siteId: runtime.config.site.id,
    authorize: (request) => (options.allowRemote || isLoopbackAddress(request.socket.remoteAddress) ? undefined : remoteRefusal),
  });

  return new Promise((resolve, reject) => {
    const server = serve({ fetch: guarded as typeof app.fetch, hostname: options.host, port: options.port }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: async () => {
          await live.close();
          await new Promise<void>((done) => {
            (server as Server).closeAllConnections?.();
            server.close(() => done());
          });
        },
      });
    }) as Server;
    server.on('upgrade', (request, socket, head) => live.handleUpgrade(request, socket, head));
    server.on('error', (error: NodeJS.ErrnoException) => reject(listenError(error, options)));
  });
}

/** Turns a failed listen into a message that names the address and what to do. */
function listenError(error: NodeJS.ErrnoException, options: HttpServerOptions): Error {
  const address = `${options.host}:${options.port}`;
  if (error.code === 'EADDRINUSE') {
    return new Error(`cannot listen on ${address}: the port is already in use (EADDRINUSE); stop it or choose another one with --port`, { cause: error });
  }
  if (error.code === 'EADDRNOTAVAIL') {
    return new Error(`cannot listen on ${address}: no network interface has that address (EADDRNOTAVAIL); check --host`, { cause: error });
  }
  return new Error(`cannot listen on ${address}: ${error.message}`, { cause: error });
}
