/**
 * Browser-like clients of the hub's `/ws` in their own process, so receiving does not take CPU from
 * the hub it measures. Started by `browser-clients.ts` with an IPC channel:
 *
 *   node --import tsx bench/sync/browser-clients-child.ts '{"url":"ws://127.0.0.1:PORT/ws","token":"...","siteId":"...","sockets":1000}'
 *
 * Opens the sockets with the token in the `access_token` subprotocol, subscribes each to the site and
 * sends `ready`. Between the parent's `start` and `stop` it counts the `site-samples` frames and their
 * samples, and the latency of each sample as receipt time minus the sample's `ts` (one machine clock).
 * On `stop` it sends the report and resets the counts; on `close` it closes the sockets and exits.
 * The first socket forwards every `site-alarm` message to the parent as it arrives, with its receipt time.
 */
import { hubAlarmSchema } from '@simtestlab/sync';
import WebSocket from 'ws';
import { z } from 'zod';
import type { BrowserAlarm, BrowserClientsReport, ParentCommand } from './browser-clients-protocol';
import { summarize } from './latency-summary';

const optionsSchema = z.strictObject({ url: z.string(), token: z.string(), siteId: z.string(), sockets: z.number().int().min(1) });
const options = optionsSchema.parse(JSON.parse(process.argv[2] ?? 'null'));

/** Sockets opened at once, so the hub's upgrade handling is not flooded. */
const CONNECT_CONCURRENCY = 50;
const SUBSCRIBE_TIMEOUT_MS = 30_000;

let measuring = false;
let windowStart = 0;
let frames = 0;
let samples = 0;
let coalesced = 0;
let latencies = new Float64Array(1 << 20);
let latencyCount = 0;
const framesPerSocket: number[] = [];
const errors: string[] = [];

function recordLatency(value: number): void {
  if (latencyCount === latencies.length) {
    const grown = new Float64Array(latencies.length * 2);
    grown.set(latencies);
    latencies = grown;
  }
  latencies[latencyCount++] = value;
}

/** Opens one socket, subscribes it to the site and resolves once the hub confirms. */
function connect(index: number): Promise<WebSocket> {
  framesPerSocket[index] = 0;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(options.url, ['access_token', options.token]);
    const timer = setTimeout(() => reject(new Error(`socket ${index} was not subscribed within ${SUBSCRIBE_TIMEOUT_MS} ms`)), SUBSCRIBE_TIMEOUT_MS);
    socket.on('message', (data) => {
      const receivedAt = Date.now();
      const message = JSON.parse(data.toString()) as { type: string; samples?: { ts: number }[]; coalesced?: number; sites?: string[] };
      if (message.type === 'welcome') socket.send(JSON.stringify({ type: 'subscribe', sites: [options.siteId] }));
      else if (message.type === 'site-subscribed') {
        clearTimeout(timer);
        if (message.sites?.includes(options.siteId)) resolve(socket);
        else reject(new Error(`socket ${index}: the hub denied site ${options.siteId}`));
      } else if (message.type === 'site-alarm' && index === 0) {
        const alarm: BrowserAlarm = { type: 'site-alarm', receivedAt, change: hubAlarmSchema.parse(message).change };
        process.send!(alarm);
      } else if (message.type === 'site-samples' && measuring) {
        frames++;
        framesPerSocket[index]!++;
        coalesced += message.coalesced ?? 0;
        for (const sample of message.samples ?? []) {
          samples++;
          recordLatency(receivedAt - sample.ts);
        }
      }
    });
    socket.on('error', (error) => {
      if (errors.length < 10) errors.push(`socket ${index}: ${error.message}`);
      reject(error);
    });
    socket.on('close', (code, reason) => {
      if (code !== 1000 && code !== 1005 && errors.length < 10) errors.push(`socket ${index} closed with ${code} ${reason.toString()}`);
    });
  });
}

const sockets: WebSocket[] = [];
for (let first = 0; first < options.sockets; first += CONNECT_CONCURRENCY) {
  const indexes = Array.from({ length: Math.min(CONNECT_CONCURRENCY, options.sockets - first) }, (_, offset) => first + offset);
  sockets.push(...(await Promise.all(indexes.map(connect))));
}
process.send!({ type: 'ready', sockets: sockets.length });

function resetCounts(): void {
  frames = 0;
  samples = 0;
  coalesced = 0;
  latencyCount = 0;
  framesPerSocket.fill(0);
}

process.on('message', (command: ParentCommand) => {
  if (command.type === 'start') {
    resetCounts();
    measuring = true;
    windowStart = performance.now();
  } else if (command.type === 'stop') {
    measuring = false;
    const report: BrowserClientsReport = {
      type: 'report',
      sockets: sockets.length,
      windowMs: performance.now() - windowStart,
      frames,
      samples,
      coalesced,
      minFramesPerSocket: Math.min(...framesPerSocket),
      maxFramesPerSocket: Math.max(...framesPerSocket),
      latency: summarize(latencies.subarray(0, latencyCount)),
      openSockets: sockets.filter((socket) => socket.readyState === WebSocket.OPEN).length,
      errors: [...errors],
    };
    process.send!(report);
  } else {
    for (const socket of sockets) socket.terminate();
    process.exit(0);
  }
});
