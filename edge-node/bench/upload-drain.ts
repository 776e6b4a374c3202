/**
 * Starts a whole edge node on a paired data folder, with no devices, and reports how fast its uploader
 * drains the outbox to the hub, for the hub's catch-up benchmark (cloud/bench/sync):
 *
 *   node --import tsx bench/upload-drain.ts DATA_DIR '{"maxRowsPerSecond":0,"forMs":null,"timeoutMs":600000}'
 *
 * `maxRowsPerSecond` sets `cloud.upload.maxRowsPerSecond` (0 lifts the drain limit, null keeps the
 * default). The run ends when the outbox is empty, or after `forMs` when given. The clock starts when
 * the edge node has started, which starts the uploader. Prints one JSON line with the figures.
 */
import { z } from 'zod';
import { siteConfigSchema } from '../src/config/schema';
import { createSilentLogger } from '../src/logger';
import { startEdgeNode } from '../src/runtime/start-edge-node';

const optionsSchema = z.strictObject({
  maxRowsPerSecond: z.number().int().min(0).nullable(),
  forMs: z.number().int().positive().nullable(),
  timeoutMs: z.number().int().positive(),
});

/** How often the outbox is checked; each check reads both ends of its indexes. */
const CHECK_INTERVAL_MS = 20;

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: upload-drain.ts DATA_DIR OPTIONS_JSON');
const options = optionsSchema.parse(JSON.parse(process.argv[3] ?? 'null'));

const upload = options.maxRowsPerSecond === null ? {} : { maxRowsPerSecond: options.maxRowsPerSecond };
const config = siteConfigSchema.parse({
  site: { id: 'catch-up', name: 'Catch-up benchmark', timeZone: 'Europe/Paris' },
  devices: [],
  cloud: { upload },
});
const node = await startEdgeNode({ config, dataDir, port: 0, logger: createSilentLogger() });
const started = performance.now();
const before = node.sync.status().backlog;

const metric = (name: string, result?: string) =>
  node.sync
    .metrics()
    .find((family) => family.name === name)
    ?.values.find((value) => result === undefined || value.labels.result === result)?.value ?? 0;

let elapsedMs = 0;
let drained = false;
for (;;) {
  await new Promise((resolve) => setTimeout(resolve, CHECK_INTERVAL_MS));
  elapsedMs = performance.now() - started;
  drained = node.sync.status().oldestUnsentAt === null;
  if (drained || (options.forMs !== null && elapsedMs >= options.forMs) || elapsedMs >= options.timeoutMs) break;
}

const result = {
  maxRowsPerSecond: config.cloud.upload.maxRowsPerSecond,
  drained,
  elapsedMs: Math.round(elapsedMs),
  queuedRollupsAtStart: before.rollups,
  queuedEventsAtStart: before.events,
  rollupRowsAcked: metric('edge_upload_rollup_rows_acked_total'),
  eventsAcked: metric('edge_upload_events_acked_total'),
  batches: {
    acked: metric('edge_upload_batches_total', 'acked'),
    throttled: metric('edge_upload_batches_total', 'throttled'),
    failed: metric('edge_upload_batches_total', 'failed'),
    tooLarge: metric('edge_upload_batches_total', 'too_large'),
  },
  remainingRollups: node.sync.status().backlog.rollups,
};
await node.stop();
process.stdout.write(`${JSON.stringify(result)}\n`);
