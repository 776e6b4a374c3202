import type { Sample, SamplesMessage } from '@simtestlab/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveTestClient } from './live-test-client';
import { startLiveTestServer, type LiveTestServer } from './live-test-server';

/**
 * A client whose socket is paused stops reading, so the kernel buffers fill and the server-side
 * `bufferedAmount` grows past the high-water mark: the same state as a client on a slow link.
 */

const BULK_POINTS = Array.from({ length: 200 }, (_, index) => `bulk.p${index}`);
const SMALL_POINTS = ['small.powerW'];

let server: LiveTestServer | undefined;
const clients: LiveTestClient[] = [];

async function setUp(options: Parameters<typeof startLiveTestServer>[0]) {
  server = await startLiveTestServer(options);
  server.hub.setDevicePoints('bulk', BULK_POINTS);
  server.hub.setDevicePoints('small', SMALL_POINTS);
  return server;
}

async function connectAndSubscribe(device: string): Promise<LiveTestClient> {
  const client = await LiveTestClient.connect(server!.url);
  clients.push(client);
  await client.nextOfType('hello');
  client.send({ type: 'subscribe', devices: [device] });
  await client.nextOfType('subscribed');
  return client;
}

const sample = (point: string, round: number): Sample => ({ point, ts: 1_768_478_400_000 + round, value: round, quality: 'good' });

/** Publishes one round: every point of `points` gets the value `round`. */
function publishRound(points: readonly string[], round: number): void {
  for (const point of points) server!.hub.publish(sample(point, round));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Publishes rounds to `bulk` (and `small`, when given) every few milliseconds until `done` returns
 * true, and returns the last round published. Fails after `timeoutMs`.
 */
async function publishUntil(done: (round: number, framesSentInRound: number) => boolean, timeoutMs: number, withSmall = false, firstRound = 1): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (let round = firstRound; ; round++) {
    if (Date.now() > deadline) throw new Error(`condition not reached after ${round - firstRound} rounds in ${timeoutMs} ms`);
    const framesBefore = server!.hub.framesSent;
    publishRound(BULK_POINTS, round);
    if (withSmall) publishRound(SMALL_POINTS, round);
    await pause(3);
    if (done(round, server!.hub.framesSent - framesBefore)) return round;
  }
}

/** Collects `samples` frames until every point of `points` arrived with value `round`. */
async function drainUntilRound(client: LiveTestClient, points: readonly string[], round: number, timeoutMs: number): Promise<SamplesMessage[]> {
  const frames: SamplesMessage[] = [];
  const missing = new Set(points);
  while (missing.size > 0) {
    const frame = await client.nextOfType('samples', timeoutMs);
    frames.push(frame);
    for (const received of frame.samples) if (received.value === round) missing.delete(received.point);
  }
  return frames;
}

afterEach(async () => {
  const open = clients.splice(0);
  await Promise.all(open.map((client) => client.close()));
  await server?.close();
  server = undefined;
  for (const client of open) expect(client.invalidFrames, 'frames that failed serverMessageSchema').toEqual([]);
});

describe('live hub with a slow client', () => {
  it('coalesces while the client lags', async () => {
    await setUp({ highWaterBytes: 32 * 1024, slowClientTimeoutMs: 60_000 });
    const slow = await connectAndSubscribe('bulk');
    slow.socket.pause();

    // The hub stops sending once the socket buffer is over the mark: rounds then add no frames.
    let quietRounds = 0;
    const stalledAt = await publishUntil((_round, frames) => {
      quietRounds = frames === 0 ? quietRounds + 1 : 0;
      return quietRounds >= 10;
    }, 20_000);
    const lastRound = await publishUntil((round) => round >= stalledAt + 20, 5000, false, stalledAt + 1);
    slow.socket.resume();
    const frames = await drainUntilRound(slow, BULK_POINTS, lastRound, 10_000);

    const received = frames.flatMap((frame) => frame.samples);
    const coalesced = frames.reduce((total, frame) => total + frame.coalesced, 0);
    const published = lastRound * BULK_POINTS.length;
    // At least 30 rounds were held back; the first of them is sent, the 29 after it replace it.
    expect(coalesced).toBeGreaterThanOrEqual(29 * BULK_POINTS.length);
    expect(received.length).toBeLessThan(published);
    // Every published sample was either sent or replaced by a newer one of its point.
    expect(received.length + coalesced).toBe(published);
    expect(server!.hub.droppedClients).toBe(0);

    const lastFrame = frames.at(-1)!;
    expect(new Set(lastFrame.samples.map((item) => item.point)).size).toBe(lastFrame.samples.length);
    const previousValue = new Map<string, number>();
    for (const item of received) {
      expect(item.value as number, `value of ${item.point}`).toBeGreaterThan(previousValue.get(item.point) ?? 0);
      previousValue.set(item.point, item.value as number);
    }
  });

  it('keeps sending to other clients', async () => {
    await setUp({ highWaterBytes: 32 * 1024, slowClientTimeoutMs: 60_000 });
    const slow = await connectAndSubscribe('bulk');
    const healthy = await connectAndSubscribe('small');
    slow.socket.pause();

    let quietRounds = 0;
    const lastRound = await publishUntil(
      (_round, frames) => {
        quietRounds = frames === 1 ? quietRounds + 1 : 0;
        return quietRounds >= 10;
      },
      20_000,
      true,
    );
    const frames = await drainUntilRound(healthy, SMALL_POINTS, lastRound, 2000);

    expect(frames.at(-1)!.samples).toEqual([sample('small.powerW', lastRound)]);
    expect(server!.hub.clientCount).toBe(2);
  });

  it('drops a client that lags past the timeout', async () => {
    const slowClientTimeoutMs = 400;
    await setUp({ highWaterBytes: 32 * 1024, slowClientTimeoutMs });
    const slow = await connectAndSubscribe('bulk');
    const healthy = await connectAndSubscribe('small');
    slow.socket.pause();

    // While the slow client still reads from the hub each round sends two frames; then only one.
    let stalledSince: number | undefined;
    const lastRound = await publishUntil(
      (_round, frames) => {
        if (frames >= 2) stalledSince = undefined;
        else stalledSince ??= Date.now();
        return server!.hub.droppedClients > 0;
      },
      20_000,
      true,
    );
    const lagMs = Date.now() - stalledSince!;

    expect(server!.hub.droppedClients).toBe(1);
    expect(server!.hub.clientCount).toBe(1);
    // The stall is seen a round late at most, so allow one round of slack below the timeout.
    expect(lagMs).toBeGreaterThanOrEqual(slowClientTimeoutMs - 50);
    expect(lagMs).toBeLessThan(slowClientTimeoutMs + 2000);

    slow.socket.resume();
    expect(await slow.waitForClose(10_000)).toBe(1008);
    const frames = await drainUntilRound(healthy, SMALL_POINTS, lastRound, 2000);
    expect(frames.at(-1)!.samples).toEqual([sample('small.powerW', lastRound)]);
  });

  it('publishes without waiting for sockets', async () => {
    await setUp({ highWaterBytes: 32 * 1024, slowClientTimeoutMs: 60_000 });
    const slow = await connectAndSubscribe('bulk');
    const healthy = await connectAndSubscribe('small');
    slow.socket.pause();
    let quietRounds = 0;
    const stalledAt = await publishUntil(
      (_round, frames) => {
        quietRounds = frames === 1 ? quietRounds + 1 : 0;
        return quietRounds >= 10;
      },
      20_000,
      true,
    );

    const framesBefore = server!.hub.framesSent;
    const started = performance.now();
    for (let round = stalledAt + 1; round <= stalledAt + 50; round++) {
      publishRound(BULK_POINTS, round);
      publishRound(SMALL_POINTS, round);
    }
    const publishMs = performance.now() - started;
    const framesAfterPublish = server!.hub.framesSent;
    const frames = await drainUntilRound(healthy, SMALL_POINTS, stalledAt + 50, 2000);

    // publish only queues: no frame leaves before the event loop turns.
    expect(framesAfterPublish).toBe(framesBefore);
    // 10,050 publish calls are map updates; even a slow CI machine does them well under a second.
    expect(publishMs).toBeLessThan(1000);
    expect(frames.at(-1)!.samples).toEqual([sample('small.powerW', stalledAt + 50)]);
    expect(frames.at(-1)!.coalesced).toBe(49);
  });
});
