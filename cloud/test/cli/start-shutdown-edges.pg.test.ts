import { Agent, get, type IncomingMessage } from 'node:http';
import { UPLINK_PATH, UPLINK_PROTOCOL_HEADER, UPLINK_PROTOCOL_VERSION } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DRAIN_TIMEOUT_MS } from '../../src/service';
import { startHubProcess, type HubProcess } from '../live/live-support';
import { pairTestEdge, type TestEdge } from '../shapes/shape-harness';
import { createCloudFixture, Seed, type CloudFixture } from '../support/cloud-fixture';
import { waitForExit } from './start-hub';

// A hub with connected edges must still exit on SIGTERM. The edge here behaves as a real one: its
// uplink reconnects at once when the hub closes it, and its shape long-poll is sent again as soon as
// the previous one ends, so new connections race the shutdown.

/** Generous bound on the exit after SIGTERM: the drain, Postgres' close timeout and a WebSocket close handshake. */
const EXIT_LIMIT_MS = DRAIN_TIMEOUT_MS + 40_000;

let fixture: CloudFixture;
let edge: TestEdge;
let hub: HubProcess | undefined;
let stopped = false;
const sockets = new Set<WebSocket>();
const agent = new Agent({ keepAlive: true });

beforeAll(async () => {
  fixture = await createCloudFixture('cli_shutdown_edges');
  const seed = new Seed(fixture);
  const siteId = await seed.site(await seed.organization('Shutdown'));
  edge = await pairTestEdge(fixture, siteId);
});

afterAll(async () => {
  stopped = true;
  for (const socket of sockets) socket.terminate();
  agent.destroy();
  if (hub && hub.child.exitCode === null && hub.child.signalCode === null) hub.child.kill('SIGKILL');
  await fixture?.close();
});

/** Opens the edge's uplink and resolves once the hub sent its hello; reopens it whenever it closes. */
async function keepUplinkOpen(port: number): Promise<void> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}${UPLINK_PATH}`, {
    headers: { Authorization: `Bearer ${await edge.assertion()}`, [UPLINK_PROTOCOL_HEADER]: String(UPLINK_PROTOCOL_VERSION) },
  });
  sockets.add(socket);
  socket.on('error', () => undefined);
  socket.once('close', () => {
    sockets.delete(socket);
    if (!stopped) keepUplinkOpen(port).catch(() => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('message', () => resolve());
    socket.once('close', (code) => reject(new Error(`the uplink closed with ${code} before the hello`)));
  });
}

/** Sends a GET for a shape as the edge and returns the response, its body unread. */
async function shapeRequest(port: number, query: string): Promise<IncomingMessage> {
  const authorization = `Bearer ${await edge.assertion()}`;
  return new Promise((resolve, reject) => {
    get(`http://127.0.0.1:${port}/api/edge/shapes/site?${query}`, { agent, headers: { Authorization: authorization } }, resolve).once('error', reject);
  });
}

async function readBody(response: IncomingMessage): Promise<string> {
  let body = '';
  response.setEncoding('utf8');
  for await (const chunk of response) body += chunk;
  return body;
}

/** Sends live requests for the site shape one after the other, as the edge's shape stream does, until the hub goes. */
async function longPollUntilGone(port: number, position: { handle: string; offset: string }): Promise<void> {
  while (!stopped) {
    try {
      const response = await shapeRequest(port, `offset=${position.offset}&handle=${position.handle}&live=true`);
      await readBody(response);
    } catch {
      return;
    }
  }
}

describe('cloud start shutdown with edges connected', () => {
  it('exits after SIGTERM', async () => {
    hub = await startHubProcess(fixture, { LOG_LEVEL: 'debug' });

    await keepUplinkOpen(hub.port);
    const snapshot = await shapeRequest(hub.port, 'offset=-1');
    expect(snapshot.statusCode).toBe(200);
    await readBody(snapshot);
    const position = { handle: String(snapshot.headers['electric-handle']), offset: String(snapshot.headers['electric-offset']) };
    const polling = longPollUntilGone(hub.port, position);
    // The first live request starts the LISTEN connection, which logs this line once it listens.
    await hub.log.waitFor('listening for shape changes');

    hub.child.kill('SIGTERM');
    const exitedOrLimit = await Promise.race([
      waitForExit(hub.child),
      new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), EXIT_LIMIT_MS).unref()),
    ]);
    stopped = true;
    await polling;

    const messages = hub.log.lines.map((line) => line.msg);
    expect(messages).toContain('cloud hub stopped');
    expect(exitedOrLimit, `log tail: ${JSON.stringify(messages.slice(-8))}`).not.toBe('still running');
    expect(exitedOrLimit).toMatchObject({ code: 0 });
  }, EXIT_LIMIT_MS + 30_000);
});
