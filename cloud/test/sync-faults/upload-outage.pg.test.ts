import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_NODE_DIR, stopProcess } from './edge-process';
import { describeRun, serveProxiedHub, type ProxiedHub } from './upload-harness';
import { expectCompleteUpload, readEdgeUploads, readHubUploads, uploadRequests } from './upload-state';

/*
 * A three-day outage of the hub on a simulated clock. The edge child (edge-node's
 * test/upload/fixtures/outage-edge-child.ts) polls three meters every 10 s of simulated time through
 * the real writer, rollups and outbox, runs the real uploader on the same clock and applies a one-day
 * retention, while the proxy resets every request. Then the hub comes back: the backlog must drain at
 * the configured rate, events first, while polling goes on, and the hub must end with every row and
 * event exactly once.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const OUTAGE_MS = 3 * DAY_MS;
const OUTAGE_CHILD = join(EDGE_NODE_DIR, 'test/upload/fixtures/outage-edge-child.ts');
/**
 * The edge's default upload settings, but 500 rollup rows per batch instead of 5,000. Every failed
 * attempt of the outage builds a whole batch again, at about 7 µs per row on a 2-core machine, and a
 * three-day outage makes over 4,000 attempts.
 */
const UPLOAD = { maxRowsPerSecond: 2000, batchRollupRows: 500, batchEvents: 1000, idleIntervalMs: 5000 };
/** Retention of one day for raw samples and every tier but days, so most of the backlog is past it. */
const RETENTION = { rawDays: 1, '1mDays': 1, '15mDays': 1, '1hDays': 1, '1dDays': 3650 };
/** Maximum upload backoff of the uploader. */
const MAX_BACKOFF_MS = 60_000;

interface OutageReport {
  phase: 'outage-over';
  simulatedNow: number;
  polls: number;
  batches: Record<string, number>;
  retentionDeleted: number;
  queuedRollups: number;
  queuedEvents: number;
  queuedWithoutRow: number;
  /** Rows of the four rollup tables, and device status changes plus audit entries. */
  storedRollups: number;
  storedEvents: number;
  oldestRollup1m: number | null;
  oldestSample: number | null;
}

interface DrainReport {
  phase: 'drained';
  hubUpAt: number;
  backlogItems: number;
  backlogDrainedAt: number;
  drainPolls: number;
  batches: Record<string, number>;
}

let hub: ProxiedHub;
let child: ChildProcess | undefined;

beforeAll(async () => {
  hub = await serveProxiedHub('upload_outage', { historyHours: 0 });
}, 120_000);

afterAll(async () => {
  await stopProcess(child);
  await hub?.close();
});

/** Starts the edge child and returns a function that resolves with its next report line. */
function startOutageEdge(options: Record<string, unknown>): () => Promise<Record<string, unknown>> {
  const started = spawn(process.execPath, ['--import', 'tsx', OUTAGE_CHILD, hub.dataDir, JSON.stringify(options)], {
    cwd: EDGE_NODE_DIR,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child = started;
  let stderr = '';
  started.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const lines = createInterface({ input: started.stdout! })[Symbol.asyncIterator]();
  return async () => {
    const next = await lines.next();
    if (next.done) throw new Error(`the outage edge exited (${started.exitCode ?? started.signalCode}) without a report: ${stderr}`);
    return JSON.parse(next.value) as Record<string, unknown>;
  };
}

describe('three-day hub outage', () => {
  it('drains the backlog once, events first', async () => {
    const { proxy, dataDir, fixture, ctx } = hub;
    proxy.onRequest = () => ({ action: 'reset' });
    const fromTs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - OUTAGE_MS - HOUR_MS;
    const nextReport = startOutageEdge({ fromTs, outageMs: OUTAGE_MS, meters: 3, pollIntervalMs: 10_000, timeZone: 'Europe/Paris', retention: RETENTION, upload: UPLOAD });

    const outage = (await nextReport()) as unknown as OutageReport;
    expect(outage.phase).toBe('outage-over');
    // The edge kept trying throughout, every attempt reached the proxy and none was acknowledged.
    expect(outage.batches.acked).toBe(0);
    expect(outage.batches.failed).toBeGreaterThanOrEqual(OUTAGE_MS / MAX_BACKOFF_MS);
    expect(uploadRequests(proxy.requests)).toHaveLength(outage.batches.failed!);
    // Retention ran and removed raw samples, but kept every unsent rollup row, back to the first minute.
    expect(outage.retentionDeleted).toBeGreaterThan(0);
    expect(outage.oldestSample).toBeGreaterThan(fromTs + DAY_MS);
    expect(outage.oldestRollup1m).toBe(fromTs);
    expect(outage.queuedWithoutRow).toBe(0);
    // Nothing left the outbox: every stored row and event is still queued.
    expect(outage.queuedRollups).toBe(outage.storedRollups);
    expect(outage.queuedEvents).toBe(outage.storedEvents);
    expect(outage.queuedRollups).toBeGreaterThan(3 * 3 * (OUTAGE_MS / 60_000) * 0.9);
    const duringOutage = await readHubUploads(fixture, ctx.siteId);
    expect(Object.keys(duringOutage.rollups)).toHaveLength(0);
    expect(duringOutage.events).toHaveLength(0);
    const backlogEventIds = (await readEdgeUploads(dataDir)).outbox.eventIds;
    expect(backlogEventIds).toHaveLength(outage.queuedEvents);

    proxy.onRequest = undefined;
    child!.stdin!.write('hub-up\n');
    const drained = (await nextReport()) as unknown as DrainReport;
    expect(drained.phase).toBe('drained');
    await stopProcess(child);

    const final = await readEdgeUploads(dataDir);
    const hubFinal = await readHubUploads(fixture, ctx.siteId);
    expectCompleteUpload(final, hubFinal, describeRun(proxy, undefined));
    const hubIds = new Set(hubFinal.events.map((event) => event.id));
    expect(backlogEventIds.filter((id) => !hubIds.has(id)), 'backlog events missing on the hub').toEqual([]);

    // Events first: every backlog event was stored no later than the first backlog rollup row.
    const backlogEventsStoredAt = hubFinal.events.filter((event) => backlogEventIds.includes(event.id)).map((event) => event.receivedAt);
    const backlogRowsStoredAt = Object.entries(hubFinal.rollupReceivedAt)
      .filter(([key]) => Number(key.split(' ')[2]) < drained.hubUpAt - DAY_MS)
      .map(([, receivedAt]) => receivedAt);
    expect(Math.max(...backlogEventsStoredAt)).toBeLessThanOrEqual(Math.min(...backlogRowsStoredAt));

    // The drain took at least what the rate limit allows for the backlog, with polling going on.
    const unlimitedItems = UPLOAD.batchRollupRows + UPLOAD.batchEvents;
    const minimumDrainMs = ((drained.backlogItems - unlimitedItems) / UPLOAD.maxRowsPerSecond) * 1000;
    expect(drained.backlogDrainedAt - drained.hubUpAt).toBeGreaterThanOrEqual(minimumDrainMs);
    expect(drained.drainPolls).toBeGreaterThan(0);
    expect(Object.keys(hubFinal.rollups).filter((key) => Number(key.split(' ')[2]) >= drained.hubUpAt).length, 'rows closed during the drain').toBeGreaterThan(0);
  }, 300_000);
});
