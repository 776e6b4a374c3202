import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_GRACE_MS } from '../../src/live/live-gateway';
import { createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { serveHub, type ServedHub } from '../support/served-hub';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { rejectedUpgrade } from './live-support';

// Closing the live relay at shutdown: a peer that never returns the close frame is terminated after
// CLOSE_GRACE_MS instead of the 30 s that ws 8 waits by default, and upgrades that arrive meanwhile get 503.
// The peer is a raw TCP socket that completes the WebSocket handshake and then ignores every frame.

let fixture: CloudFixture;
let ctx: SiteRoles;
let hub: ServedHub;

beforeAll(async () => {
  fixture = await createCloudFixture('live_close');
  ctx = await seedSiteRoles(fixture);
  hub = await serveHub(fixture);
});

afterAll(async () => {
  await fixture?.close();
});

/** Opens `/ws` over a raw socket, waits for the 101 response, and collects every byte received after it. */
async function silentBrowser(port: number, token: string): Promise<{ socket: Socket; received: () => Buffer; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  const key = randomBytes(16).toString('base64');
  socket.write(
    [`GET /ws HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13', `Authorization: Bearer ${token}`, '', ''].join('\r\n'),
  );
  let buffer = Buffer.alloc(0);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
  });
  const deadline = Date.now() + 10_000;
  while (!buffer.includes('\r\n\r\n')) {
    if (Date.now() > deadline) throw new Error(`no upgrade response within 10 s: ${buffer.toString('latin1')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const headerEnd = buffer.indexOf('\r\n\r\n') + 4;
  expect(buffer.subarray(0, headerEnd).toString('latin1')).toMatch(/^HTTP\/1\.1 101 /);
  return { socket, received: () => buffer.subarray(headerEnd), closed };
}

/** Returns the status code of the first close frame (opcode 8) among unmasked server frames, or null. */
function closeCode(frames: Buffer): number | null {
  let offset = 0;
  while (offset + 2 <= frames.length) {
    const opcode = frames[offset]! & 0x0f;
    let length = frames[offset + 1]! & 0x7f;
    let start = offset + 2;
    if (length === 126) {
      length = frames.readUInt16BE(offset + 2);
      start += 2;
    }
    if (opcode === 8) return length >= 2 ? frames.readUInt16BE(start) : null;
    offset = start + length;
  }
  return null;
}

describe('live relay close', () => {
  it('terminates a silent peer', async () => {
    const browser = await silentBrowser(hub.port, ctx.tokens.viewer);

    const closing = hub.close();
    const duringClose = await rejectedUpgrade(`ws://127.0.0.1:${hub.port}/ws`, { headers: { Authorization: `Bearer ${ctx.tokens.viewer}` } });
    await closing;
    await browser.closed;

    expect(duringClose.status).toBe(503);
    expect(JSON.parse(duringClose.body).error.code).toBe('shutting_down');
    expect(closeCode(browser.received())).toBe(1001);
    expect(browser.socket.destroyed).toBe(true);
  }, CLOSE_GRACE_MS + 20_000);
});
