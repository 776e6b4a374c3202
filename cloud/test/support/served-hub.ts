import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { UPLOAD_PATH } from '@simtestlab/sync';
import { startLiveGateway } from '../../src/live/live-gateway';
import type { CloudFixture } from './cloud-fixture';

/** The hub's live settings at their defaults (LIVE_HIGH_WATER_BYTES, LIVE_SLOW_CLIENT_TIMEOUT_MS). */
const liveSettings = { highWaterBytes: 1_000_000, slowClientTimeoutMs: 10_000 };

/** A hub instance served on 127.0.0.1: the fixture's app and the live relay (edge uplink and browser `/ws`), as `cloud start` wires them. */
export interface ServedHub {
  port: number;
  url: string;
  /** Time from request to response of each upload batch, in ms; the caller may empty it. */
  uploadMs: number[];
  close(): Promise<void>;
}

/** Serves the fixture's app with the live relay on a free port of 127.0.0.1 until `close`. */
export async function serveHub(fixture: CloudFixture): Promise<ServedHub> {
  const live = await startLiveGateway(fixture.deps, fixture.subscriber, liveSettings);
  const uploadMs: number[] = [];
  const timedFetch = async (request: Request) => {
    if (new URL(request.url).pathname !== UPLOAD_PATH) return fixture.app.fetch(request);
    const started = performance.now();
    const response = await fixture.app.fetch(request);
    uploadMs.push(performance.now() - started);
    return response;
  };
  let server: Server | undefined;
  const port = await new Promise<number>((listening) => {
    server = serve({ fetch: timedFetch, port: 0, hostname: '127.0.0.1' }, (info) => listening(info.port)) as Server;
  });
  server!.on('upgrade', live.handleUpgrade);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    uploadMs,
    close: async () => {
      await live.close();
      server!.closeAllConnections();
      await new Promise((closed) => server!.close(closed));
    },
  };
}
