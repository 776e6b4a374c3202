import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LiveHub, type LiveHubOptions } from '../../src/live/live-hub';
import { createLiveServer, type LiveServerOptions } from '../../src/live/ws-server';
import { createSilentLogger } from '../../src/logger';

/** A live hub served by `createLiveServer` on a real HTTP server on 127.0.0.1. */
export interface LiveTestServer {
  hub: LiveHub;
  /** `ws://127.0.0.1:<port>/ws` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts an HTTP server on a free loopback port whose upgrade requests go to the live server. */
export async function startLiveTestServer(
  hubOptions: LiveHubOptions = {},
  serverOptions: Partial<LiveServerOptions> = {},
): Promise<LiveTestServer> {
  const logger = createSilentLogger();
  const hub = new LiveHub(logger, hubOptions);
  const live = createLiveServer(hub, logger, { siteId: 'test-site', ...serverOptions });
  const server = createServer((_request, response) => {
    response.writeHead(404).end();
  });
  server.on('upgrade', (request, socket, head) => live.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    hub,
    url: `ws://127.0.0.1:${port}/ws`,
    port,
    close: async () => {
      await live.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
