import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { uplinkPresenceKey } from '../../src/live/redis-keys';
import { createCloudFixture } from '../../test/support/cloud-fixture';
import { seedSiteRoles } from '../../test/support/site-roles';
import { EDGE_NODE_DIR, pairEdge, startEdge, stopProcess, type EdgeProcess } from '../../test/sync-faults/edge-process';
import type { BrowserClientsReport } from './browser-clients-protocol';
import { startBrowserClients } from './browser-clients';
import { serveHub } from '../../test/support/served-hub';

/**
 * Live latency from a device sample to a browser. An `edge-node start` process polls simulated SDM630
 * meters (`edge-node simulate`) and is paired with the hub served in this process. Its live uplink
 * sends the samples to the hub, which publishes them on Redis and fans them out to a browser socket
 * in a child process. Latency is the receipt time minus the sample's `ts`, which the edge's poller
 * stamps when the device's response arrives. All processes read the same clock.
 */

/** Meters polled by the edge; all read the one simulator, each as its own device with its own points. */
export const LATENCY_METERS = 4;
export const LATENCY_POLL_INTERVAL_MS = 100;
const WARMUP_MS = 3_000;
export const LATENCY_MEASURE_MS = 10_000;
const UPLINK_TIMEOUT_MS = 30_000;

export interface LiveLatencyResult {
  meters: number;
  pollIntervalMs: number;
  measureMs: number;
  report: BrowserClientsReport;
}

/** Starts `edge-node simulate sdm630` on a free port and resolves with the process and its `host:port`. */
async function startMeterSimulator(): Promise<{ child: ChildProcess; endpoint: string }> {
  // The IPC channel ends the simulator when this process dies.
  const child = spawn(process.execPath, [join(EDGE_NODE_DIR, 'bin/edge-node.mjs'), 'simulate', 'sdm630', '--port', '0'], {
    cwd: EDGE_NODE_DIR,
    stdio: ['ignore', 'pipe', 'ignore', 'ipc'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the SDM630 simulator printed no start line within 20 s')), 20_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.trimStart().startsWith('{')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { endpoint: string }).endpoint);
    });
    child.once('exit', (code) => reject(new Error(`the SDM630 simulator exited with ${code} before it started`)));
  });
  return { child, endpoint };
}

/** Writes the site file of the paired edge: `LATENCY_METERS` SDM630 meters on the simulator. */
function writeMeterSite(dataDir: string, endpoint: string): void {
  const [host, port] = endpoint.split(':');
  const meters = Array.from({ length: LATENCY_METERS }, (_, index) => [
    `  - key: meter-${index}`,
    '    driver: modbus-tcp',
    '    template: eastron-sdm630',
    `    connection: { host: "${host}", port: ${port}, unitId: 1, timeoutMs: 1000 }`,
    `    pollIntervalMs: ${LATENCY_POLL_INTERVAL_MS}`,
  ]);
  const lines = ['site:', '  id: latency-site', '  name: Latency site', '  timeZone: Europe/Paris', 'devices:', ...meters.flat()];
  writeFileSync(join(dataDir, 'site.yaml'), `${lines.join('\n')}\n`);
}

export async function runLiveLatency(): Promise<LiveLatencyResult> {
  const fixture = await createCloudFixture('bench_live_latency');
  const hub = await serveHub(fixture);
  let dataDir: string | undefined;
  let simulator: ChildProcess | undefined;
  let edge: EdgeProcess | undefined;
  try {
    const ctx = await seedSiteRoles(fixture);
    dataDir = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId, hub.url);
    const started = await startMeterSimulator();
    simulator = started.child;
    writeMeterSite(dataDir, started.endpoint);
    edge = startEdge(dataDir);

    const presence = uplinkPresenceKey(fixture.redisPrefix, ctx.siteId);
    const deadline = Date.now() + UPLINK_TIMEOUT_MS;
    while ((await fixture.redis.exists(presence)) === 0) {
      if (Date.now() > deadline) throw new Error(`the edge's live uplink did not connect within ${UPLINK_TIMEOUT_MS} ms; edge stderr: ${edge.stderr().slice(-1000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const clients = await startBrowserClients(`ws://127.0.0.1:${hub.port}/ws`, ctx.tokens.viewer, ctx.siteId, 1);
    try {
      // The warm-up covers the hub's `watch` message to the edge and the first polls.
      await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
      clients.start();
      await new Promise((resolve) => setTimeout(resolve, LATENCY_MEASURE_MS));
      const report = await clients.stop();
      return { meters: LATENCY_METERS, pollIntervalMs: LATENCY_POLL_INTERVAL_MS, measureMs: LATENCY_MEASURE_MS, report };
    } finally {
      await clients.close();
    }
  } finally {
    await stopProcess(edge?.child);
    await stopProcess(simulator);
    await hub.close();
    await fixture.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
