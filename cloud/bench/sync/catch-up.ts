import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createCloudFixture } from '../../test/support/cloud-fixture';
import { asOwner, seedSiteRoles } from '../../test/support/site-roles';
import { pairEdge } from '../../test/sync-faults/edge-process';
import { summarize, type LatencySummary } from './latency-summary';
import { runEdgeBenchScript } from './edge-scripts';
import { serveHub } from '../../test/support/served-hub';

/**
 * Catch-up after an outage: the database of an edge paired with the hub contains days of rollups of
 * 1,000 points, all queued for upload. A whole edge node in a child process drains them to the hub
 * served in this process, on the Postgres and Redis the tests use. The edge's live uplink connects
 * too, but no browser watches the site, so it sends nothing.
 */

/** The site of the benchmark: 10 meters of 100 points polled every 5 s, three days without the hub. */
export const catchUpSite = { devices: 10, pointsPerDevice: 100, days: 3, pollIntervalMs: 5000, timeZone: 'Europe/Paris' };

/** Duration in ms of the run with the default drain limit; its rate is extrapolated to the whole backlog. */
const DEFAULT_LIMIT_RUN_MS = 10_000;
const DRAIN_TIMEOUT_MS = 15 * 60_000;
const FILL_TIMEOUT_MS = 5 * 60_000;

interface FillResult {
  points: number;
  rollups: Record<string, number>;
  queuedRollups: number;
  queuedEvents: number;
  fillMs: number;
}

/** Figures of one run of `edge-node/bench/upload-drain.ts`. */
export interface DrainRun {
  /** The drain limit the edge ran with, 0 when lifted. */
  maxRowsPerSecond: number;
  drained: boolean;
  elapsedMs: number;
  queuedRollupsAtStart: number;
  rollupRowsAcked: number;
  eventsAcked: number;
  batches: { acked: number; throttled: number; failed: number; tooLarge: number };
  remainingRollups: number;
}

export interface CatchUpResult {
  points: number;
  /** Edge rollup rows per tier after the fill. */
  edgeRollups: Record<string, number>;
  queuedRollups: number;
  fillMs: number;
  /** The short run with the uploader's default drain limit, before the full drain. */
  defaultLimit: DrainRun & { rowsPerSecond: number };
  /** The drain of the rest with the limit lifted. */
  lifted: DrainRun & { rowsPerSecond: number };
  /** Rollup rows of the site in the hub's telemetry_rollups after the drain. */
  hubRows: number;
  /** Time the hub took per batch of the run with the limit lifted, from request to response. */
  hubBatchMs: LatencySummary;
    /** Sum of those times over the duration of that run; above 1 while two batches are stored at once. */
  hubBusyShare: number;
}

function withRate(run: DrainRun): DrainRun & { rowsPerSecond: number } {
  return { ...run, rowsPerSecond: (run.rollupRowsAcked * 1000) / run.elapsedMs };
}

export async function runCatchUp(site: typeof catchUpSite = catchUpSite): Promise<CatchUpResult> {
  const fixture = await createCloudFixture('bench_catch_up');
  let dataDir: string | undefined;
  const server = await serveHub(fixture);
  try {
    const ctx = await seedSiteRoles(fixture);
    dataDir = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId, server.url);
    const fillArgs = [join(dataDir, 'edge.db'), JSON.stringify(site)];
    const fill = await runEdgeBenchScript<FillResult>('fill-outage-backlog.ts', fillArgs, FILL_TIMEOUT_MS);
    console.log(`  catch-up: edge filled with ${fill.queuedRollups.toLocaleString('en-US')} queued rollup rows in ${(fill.fillMs / 1000).toFixed(1)} s`);

    const defaultOptions = { maxRowsPerSecond: null, forMs: DEFAULT_LIMIT_RUN_MS, timeoutMs: DRAIN_TIMEOUT_MS };
    const defaultRun = withRate(await runEdgeBenchScript<DrainRun>('upload-drain.ts', [dataDir, JSON.stringify(defaultOptions)], DRAIN_TIMEOUT_MS + 60_000));
    server.uploadMs.length = 0;
    const liftedOptions = { maxRowsPerSecond: 0, forMs: null, timeoutMs: DRAIN_TIMEOUT_MS };
    const lifted = withRate(await runEdgeBenchScript<DrainRun>('upload-drain.ts', [dataDir, JSON.stringify(liftedOptions)], DRAIN_TIMEOUT_MS + 60_000));
    if (!lifted.drained) throw new Error(`the outbox still held ${lifted.remainingRollups} rollup rows after ${DRAIN_TIMEOUT_MS / 1000} s`);

    const [hubCount] = await asOwner(fixture, (tx) => tx<{ count: number }[]>`SELECT count(*)::int AS count FROM telemetry_point_rollups WHERE site_id = ${ctx.siteId}`);
    return {
      points: fill.points,
      edgeRollups: fill.rollups,
      queuedRollups: fill.queuedRollups,
      fillMs: fill.fillMs,
      defaultLimit: defaultRun,
      lifted,
      hubRows: hubCount!.count,
      hubBatchMs: summarize(Float64Array.from(server.uploadMs)),
      hubBusyShare: server.uploadMs.reduce((sum, value) => sum + value, 0) / lifted.elapsedMs,
    };
  } finally {
    await server.close();
    await fixture.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
