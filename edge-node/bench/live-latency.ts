import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { pointId } from '@simtestlab/sync';
import { siteConfigSchema } from '../src/config/schema';
import type { PointReading } from '../src/drivers/driver';
import { LiveHub } from '../src/live/live-hub';
import { createLiveServer } from '../src/live/ws-server';
import { createSilentLogger } from '../src/logger';
import { EdgeRuntime } from '../src/runtime/edge-runtime';
import { benchDeviceKey, benchDevices, benchPointCount, benchSite } from './bench-site';
import type { LiveClientReady, LiveClientReport, LiveClientWorkerData } from './live-client-worker';
import { maximum, quantile, monotonicMs } from './stats';
import { nextMessage, startTsWorker } from '../src/runtime/ts-worker';

/**
 * `runtime`: samples go through `EdgeRuntime.ingest` (sample writer with rollups, last values, hub)
 * and the runtime's own 1 s commit timer runs. `hub-only`: samples go straight to `LiveHub.publish`.
 */
export type LiveFeedMode = 'runtime' | 'hub-only';

export interface LiveRunOptions {
  mode: LiveFeedMode;
  samplesPerSecond: number;
  /** Interval of the publishing timer. Each tick publishes every sample due by the clock. */
  sliceMs: number;
  /** Samples published before this are left out of the figures (JIT warm-up, first commit). */
  warmupMs: number;
  measureMs: number;
  tempFolder: string;
}

/** Latency figures of one run, in ms from publish until the client has parsed the frame. */
export interface LiveRunResult {
  mode: LiveFeedMode;
  sliceMs: number;
  samplesPerSecond: number;
  /** Samples published in the measured window. */
  published: number;
  /** Samples of the measured window that reached the client. */
  received: number;
  /** Samples the hub replaced by a newer sample of the same point (whole run). */
  coalesced: number;
  frames: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Event loop delay of the publishing thread over the measured window (`monitorEventLoopDelay`). */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Garbage collection pauses of the publishing thread in the measured window. */
  gcPauses: number;
  gcPauseMaxMs: number;
  clientErrors: string[];
}

interface Feeder {
  hub: LiveHub;
  /** Feeds points `[from, to)` of device `device` with `value` set to the publish time. */
  feed(device: number, from: number, to: number, publishMs: number, ts: number): void;
  close(): Promise<void>;
}

const devices = benchDevices();
const pointKeys = devices[0]!.points.map((point) => point.key);

async function runtimeFeeder(tempFolder: string): Promise<Feeder> {
  const config = siteConfigSchema.parse({
    site: { id: 'bench', name: 'Benchmark site', timeZone: benchSite.timeZone },
    devices,
  });
  const runtime = new EdgeRuntime({ config, databasePath: join(tempFolder, 'live.sqlite'), logger: createSilentLogger(), startPollers: false });
  await runtime.start();
  return {
    hub: runtime.hub,
    feed(device, from, to, publishMs, ts) {
      const readings: PointReading[] = [];
      for (let index = from; index < to; index++) readings.push({ point: pointKeys[index]!, value: publishMs, quality: 'good' });
      runtime.ingest(config.devices[device]!, ts, readings, false);
    },
    close: () => runtime.stop(),
  };
}

function hubOnlyFeeder(): Feeder {
  const hub = new LiveHub(createSilentLogger());
  const ids = devices.map((device) => pointKeys.map((key) => pointId(device.key, key)));
  devices.forEach((device, index) => hub.setDevicePoints(device.key, ids[index]!));
  return {
    hub,
    feed(device, from, to, publishMs, ts) {
      const deviceIds = ids[device]!;
      for (let index = from; index < to; index++) hub.publish({ point: deviceIds[index]!, ts, value: publishMs, quality: 'good' });
    },
    close: async () => hub.closeAll(),
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/**
 * Publishes `samplesPerSecond` samples, cycling over the site's points, until `warmupMs + measureMs`
 * have passed. Samples due by the clock are published at each tick, grouped per device as a poller
 * would deliver them. Resolves with the number of samples published from `measureFromMs` on.
 */
function publishFor(feeder: Feeder, options: LiveRunOptions, startMs: number, measureFromMs: number): Promise<number> {
  const endMs = startMs + options.warmupMs + options.measureMs;
  let published = 0;
  let publishedInWindow = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const nowMs = monotonicMs();
      const due = Math.floor(((Math.min(nowMs, endMs) - startMs) * options.samplesPerSecond) / 1000);
      const ts = Date.now();
      while (published < due) {
        const sitePoint = published % benchPointCount;
        const device = Math.floor(sitePoint / benchSite.pointsPerDevice);
        const from = sitePoint % benchSite.pointsPerDevice;
        const to = Math.min(benchSite.pointsPerDevice, from + (due - published));
        const publishMs = monotonicMs();
        feeder.feed(device, from, to, publishMs, ts);
        if (publishMs >= measureFromMs) publishedInWindow += to - from;
        published += to - from;
      }
      if (nowMs >= endMs) resolve(publishedInWindow);
      else setTimeout(tick, options.sliceMs);
    };
    tick();
  });
}

const isReady = (message: unknown): message is LiveClientReady => (message as { type?: string }).type === 'ready';
const isReport = (message: unknown): message is LiveClientReport => (message as { type?: string }).type === 'report';

/**
 * Measures sample-to-client latency over a real WebSocket on 127.0.0.1: `createLiveServer` on a
 * plain `http` server, and a `ws` client in a worker thread subscribed to every bench device.
 */
export async function runLiveLatency(options: LiveRunOptions): Promise<LiveRunResult> {
  const feeder = options.mode === 'runtime' ? await runtimeFeeder(options.tempFolder) : hubOnlyFeeder();
  const live = createLiveServer(feeder.hub, createSilentLogger(), { siteId: 'bench' });
  const server = createServer((_request, response) => response.writeHead(404).end());
  server.on('upgrade', (request, socket, head) => live.handleUpgrade(request, socket, head));
  const port = await listen(server);

  const workerData: LiveClientWorkerData = { url: `ws://127.0.0.1:${port}/ws`, devices: devices.map((_, index) => benchDeviceKey(index)) };
  const worker = startTsWorker(new URL('./live-client-worker.ts', import.meta.url), workerData);
  try {
    const ready = await nextMessage(worker, isReady, 10_000, 'the live client to subscribe');
    if (ready.subscribedPoints !== benchPointCount) {
      throw new Error(`live client subscribed to ${ready.subscribedPoints} points, expected ${benchPointCount}`);
    }

    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    const warmupTimer = setTimeout(() => loopDelay.enable(), options.warmupMs);
    const gcEntries: { startTime: number; duration: number }[] = [];
    const gcObserver = new PerformanceObserver((list) => gcEntries.push(...list.getEntries()));
    gcObserver.observe({ entryTypes: ['gc'] });
    const windowStart = performance.now() + options.warmupMs;
    const startMs = monotonicMs();
    const measureFromMs = startMs + options.warmupMs;
    const published = await publishFor(feeder, options, startMs, measureFromMs);
    const windowEnd = performance.now();
    clearTimeout(warmupTimer);
    loopDelay.disable();
    // Let the last frames arrive before the client reports. GC entries are delivered meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 300));
    gcObserver.disconnect();
    const gcPauses = gcEntries.filter((entry) => entry.startTime >= windowStart && entry.startTime < windowEnd).map((entry) => entry.duration);
    const reportPromise = nextMessage(worker, isReport, 10_000, 'the live client report');
    worker.postMessage({ type: 'stop' });
    const report = await reportPromise;

    const latencies: number[] = [];
    for (let index = 0; index < report.count; index++) {
      if (report.publishMs[index]! >= measureFromMs) latencies.push(report.latencyMs[index]!);
    }
    return {
      mode: options.mode,
      sliceMs: options.sliceMs,
      samplesPerSecond: options.samplesPerSecond,
      published,
      received: latencies.length,
      coalesced: report.coalesced,
      frames: report.frames,
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
      maxMs: maximum(latencies),
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      loopDelayMaxMs: loopDelay.max / 1e6,
      gcPauses: gcPauses.length,
      gcPauseMaxMs: gcPauses.length === 0 ? 0 : maximum(gcPauses),
      clientErrors: report.errors,
    };
  } finally {
    await worker.terminate();
    live.close();
    await feeder.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
