import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../src/store/database';
import { startShapeSync, type ShapeSync } from '../../src/sync/shape-consumer';
import { captureLogger } from '../sync/support/capture-logger';

/** Starts a loopback server that records its requests and responds to each with `respond`. */
async function startServer(respond: (request: IncomingMessage) => { status: number; headers: Record<string, string> }): Promise<{ url: string; requests: string[]; server: Server }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const { status, headers } = respond(request);
    response.writeHead(status, headers);
    response.end();
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((closed) => server.close(closed));
}

let folder: string;
let db: SqliteDatabase;
let sync: ShapeSync | undefined;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'hub-redirect-'));
  db = openDatabase(join(folder, 'edge.db'));
});

afterEach(() => {
  sync?.stop();
  db.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('shape sync redirects', () => {
  it('are not followed to another host', async () => {
    const elsewhere = await startServer(() => ({ status: 200, headers: {} }));
    const hub = await startServer(() => ({ status: 302, headers: { Location: `${elsewhere.url}/steal` } }));
    try {
      sync = startShapeSync({
        baseUrl: `${hub.url}/`,
        shapes: ['devices'],
        headers: async () => ({ authorization: 'Bearer edge-credential' }),
        db,
        logger: captureLogger().logger,
        onApplied: undefined,
        backoff: { initialDelay: 10, maxDelay: 50, multiplier: 2 },
      });
      // Several requests show the client retried after the refused redirect instead of following it.
      await vi.waitFor(() => expect(hub.requests.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
      expect(elsewhere.requests).toEqual([]);
    } finally {
      sync?.stop();
      await close(hub.server);
      await close(elsewhere.server);
    }
  });
});
