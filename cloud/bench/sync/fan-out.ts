import { telemetryChannel, type TelemetryEnvelope } from '../../src/live/redis-keys';
import { createCloudFixture } from '../../test/support/cloud-fixture';
import { seedSiteRoles } from '../../test/support/site-roles';
import type { BrowserClientsReport } from './browser-clients-protocol';
import { startBrowserClients } from './browser-clients';
import { serveHub } from '../../test/support/served-hub';

/**
 * Fan-out of one hub instance: 1,000 browser sockets in a child process, all subscribed to one site,
 * and messages of that site published on its Redis telemetry channel, as the instance with the edge's
 * uplink publishes them. Each round offers a fixed rate of messages and counts the frames the
 * sockets receive.
 */

export const FAN_OUT_SOCKETS = 1_000;
/** Samples per published message: one poll of a small device. */
export const SAMPLES_PER_MESSAGE = 10;
/** Offered rates in messages per second, each for one round. */
export const OFFERED_RATES = [10, 50, 200] as const;
const WARMUP_MS = 1_000;
export const ROUND_MS = 5_000;
const PUBLISH_TICK_MS = 5;
/** Pause after publishing, twice the highest latency measured here (0.5 s), so no frame is counted in the wrong window. */
const SETTLE_MS = 1_000;

export interface FanOutRound {
  offeredMessagesPerSecond: number;
  /** Messages published in the measured window. */
  published: number;
  report: BrowserClientsReport;
  /** Frames received per second of publishing, over all sockets. */
  framesPerSecond: number;
  /** Samples received per second over all sockets. */
  samplesPerSecond: number;
  /** Received frames over `published` times the sockets: below 1 when the hub coalesced for lagging sockets. */
  deliveredShare: number;
}

export interface FanOutResult {
  sockets: number;
  /** Time to open and subscribe all sockets, in ms. */
  connectMs: number;
  rounds: FanOutRound[];
}

function envelope(siteId: string, sequence: number): string {
  const ts = Date.now();
  const samples = Array.from({ length: SAMPLES_PER_MESSAGE }, (_, index) => ({ point: `meter.p${index}`, ts, value: sequence, quality: 'good' as const }));
  const message: TelemetryEnvelope = { siteId, message: { type: 'samples', samples, coalesced: 0 } };
  return JSON.stringify(message);
}

/** Publishes `rate` messages per second on `channel` for `durationMs`; returns how many it published. */
async function publishFor(publish: (text: string) => Promise<unknown>, siteId: string, rate: number, durationMs: number): Promise<number> {
  const started = performance.now();
  let published = 0;
  for (;;) {
    const elapsed = performance.now() - started;
    const due = Math.floor((Math.min(elapsed, durationMs) * rate) / 1000);
    const batch: Promise<unknown>[] = [];
    while (published < due) batch.push(publish(envelope(siteId, published++)));
    await Promise.all(batch);
    if (elapsed >= durationMs) return published;
    await new Promise((resolve) => setTimeout(resolve, PUBLISH_TICK_MS));
  }
}

export async function runFanOut(): Promise<FanOutResult> {
  const fixture = await createCloudFixture('bench_fan_out');
  const hub = await serveHub(fixture);
  try {
    const ctx = await seedSiteRoles(fixture);
    const connectStarted = performance.now();
    const clients = await startBrowserClients(`ws://127.0.0.1:${hub.port}/ws`, ctx.tokens.viewer, ctx.siteId, FAN_OUT_SOCKETS);
    const connectMs = performance.now() - connectStarted;
    const channel = telemetryChannel(fixture.redisPrefix, ctx.siteId);
    const publish = (text: string) => fixture.redis.publish(channel, text);
    const rounds: FanOutRound[] = [];
    try {
      for (const rate of OFFERED_RATES) {
        await publishFor(publish, ctx.siteId, rate, WARMUP_MS);
        // The warm-up's last frames arrive before counting starts, and this round's before it stops.
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        clients.start();
        const publishStarted = performance.now();
        const published = await publishFor(publish, ctx.siteId, rate, ROUND_MS);
        // Rates are per second of publishing: the settle time only collects the last frames.
        const seconds = (performance.now() - publishStarted) / 1000;
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        const report = await clients.stop();
        rounds.push({
          offeredMessagesPerSecond: rate,
          published,
          report,
          framesPerSecond: report.frames / seconds,
          samplesPerSecond: report.samples / seconds,
          deliveredShare: report.frames / (published * report.sockets),
        });
      }
    } finally {
      await clients.close();
    }
    return { sockets: FAN_OUT_SOCKETS, connectMs, rounds };
  } finally {
    await hub.close();
    await fixture.close();
  }
}
