import { parentPort, workerData } from 'node:worker_threads';
import type { ServerMessage } from '@simtestlab/sync';
import WebSocket from 'ws';
import { monotonicMs } from './stats';

/**
 * A live stream client in its own thread, so on its own core. It subscribes to devices and records
 * the publish time and latency of every sample received. The publisher puts its CLOCK_MONOTONIC
 * reading in ms (`monotonicMs`) into the sample's `value`, and that clock is the same in all threads.
 */

export interface LiveClientWorkerData {
  url: string;
  devices: string[];
}

/** Sent once the server confirmed the subscription. */
export interface LiveClientReady {
  type: 'ready';
  subscribedPoints: number;
}

/** Reply to `{ type: 'stop' }`, with `count` entries in each array. The main thread then terminates the worker. */
export interface LiveClientReport {
  type: 'report';
  count: number;
  publishMs: Float64Array<ArrayBuffer>;
  latencyMs: Float64Array<ArrayBuffer>;
  frames: number;
  coalesced: number;
  errors: string[];
}

const { url, devices } = workerData as LiveClientWorkerData;
const port = parentPort!;
let publishMs = new Float64Array(1 << 17);
let latencyMs = new Float64Array(1 << 17);
let count = 0;
let frames = 0;
let coalesced = 0;
const errors: string[] = [];

function record(published: number, latency: number): void {
  if (count === publishMs.length) {
    const grownPublish = new Float64Array(count * 2);
    grownPublish.set(publishMs);
    publishMs = grownPublish;
    const grownLatency = new Float64Array(count * 2);
    grownLatency.set(latencyMs);
    latencyMs = grownLatency;
  }
  publishMs[count] = published;
  latencyMs[count] = latency;
  count++;
}

const socket = new WebSocket(url);
socket.on('open', () => socket.send(JSON.stringify({ type: 'subscribe', devices })));
socket.on('error', (error) => errors.push(`socket error: ${error.message}`));
socket.on('message', (data) => {
  // The receive time is read after parsing, so the client's JSON.parse counts as latency.
  const message = JSON.parse(data.toString()) as ServerMessage;
  const receivedMs = monotonicMs();
  if (message.type === 'samples') {
    frames++;
    coalesced += message.coalesced;
    for (const sample of message.samples) {
      if (typeof sample.value === 'number') record(sample.value, receivedMs - sample.value);
    }
  } else if (message.type === 'subscribed') {
    const ready: LiveClientReady = { type: 'ready', subscribedPoints: message.points.length };
    port.postMessage(ready);
  } else if (message.type === 'error') {
    errors.push(`server error ${message.code}: ${message.message}`);
  }
});

port.on('message', (message: { type: string }) => {
  if (message.type !== 'stop') return;
  socket.close();
  const report: LiveClientReport = {
    type: 'report',
    count,
    publishMs: publishMs.slice(0, count),
    latencyMs: latencyMs.slice(0, count),
    frames,
    coalesced,
    errors,
  };
  port.postMessage(report, [report.publishMs.buffer, report.latencyMs.buffer]);
});
