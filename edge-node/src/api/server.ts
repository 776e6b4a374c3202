import { serve } from '@hono/node-server';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackAddress } from './loopback';
import type { EdgeAuth } from '../auth/edge-auth';
import { InvalidTokenError } from '../auth/invalid-token-error';
import { upgradeToken } from '../auth/request-token';
import { isAllowed } from '@simtestlab/sync';
import { createLiveServer, type UpgradeRejection } from '../live/ws-server';
import type { Logger } from '../logger';
import type { EdgeRuntime } from '../runtime/edge-runtime';
import { createApp } from './app';
import type { MetricSource } from './metrics';
import type { CloudPairing } from './routes/instance';
import type { SyncMonitor } from '../upload/sync-monitor';

export interface HttpServerOptions {
  host: string;
  port: number;
  /** Whether requests from other hosts are served too; by default only loopback clients are. */
  allowRemote?: boolean;
  /**
   * Login and token checks for the API and the live stream. Null turns authentication off, which is
   * refused together with `allowRemote`.
   */
  auth: EdgeAuth | null;
  metricSources?: readonly MetricSource[];
  /** Sync status and disk budget, passed to the app. */
  sync?: SyncMonitor;
  /** Whether the edge runs its cloud link, for `GET /api/instance`. */
  cloudPairing?: () => CloudPairing;
  /** How often open live streams are authorized again; the live server's default when omitted. */
  liveReauthorizeIntervalMs?: number;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const remoteRefusal = 'the edge node API answers loopback clients only; start it with --allow-remote to serve other hosts';

/** Starts the REST API and the `/ws` live stream on one HTTP server. */
export function startHttpServer(runtime: EdgeRuntime, logger: Logger, options: HttpServerOptions): Promise<RunningHttpServer> {
  const { auth } = options;
  if (auth === null && options.allowRemote) {
    return Promise.reject(new Error('authentication is off, so the edge node API must not serve other hosts; drop --allow-remote'));
  }
  if (auth === null) logger.warn('authentication is OFF: every loopback client may read the API and the live stream');
  const app = createApp(runtime, logger, { auth, metricSources: options.metricSources, sync: options.sync, cloudPairing: options.cloudPairing });
  const guarded = options.allowRemote
    ? app.fetch
    : (request: Request, env: { incoming: IncomingMessage }) =>
        isLoopbackAddress(env.incoming.socket.remoteAddress)
          ? app.fetch(request, env)
          : Response.json({ error: { code: 'forbidden', message: remoteRefusal } }, { status: 403 });

  const authorize = async (request: IncomingMessage): Promise<UpgradeRejection | undefined> => {
    if (!options.allowRemote && !isLoopbackAddress(request.socket.remoteAddress)) return { status: 403, message: remoteRefusal };
    if (auth === null) return undefined;
    const token = upgradeToken(request.url, request.headers);
    if (token === undefined) {
      return { status: 401, message: 'missing access token: offer the subprotocols "access_token, <token>" or add ?access_token=<token>' };
    }
    try {
      const principal = await auth.authenticate(token);
      if (!isAllowed({ role: principal.role, developer: principal.developer }, 'dashboard.view')) {
        return { status: 403, message: `the role ${principal.role} may not view the live stream` };
      }
      return undefined;
    } catch (error) {
      if (error instanceof InvalidTokenError) return { status: 401, message: error.message };
      throw error;
    }
  };
  const live = createLiveServer(runtime.hub, logger.child({ component: 'ws' }), {
    siteId: runtime.config.site.id,
    authorize,
    ...(options.liveReauthorizeIntervalMs === undefined ? {} : { reauthorizeIntervalMs: options.liveReauthorizeIntervalMs }),
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
