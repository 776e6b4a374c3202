import { machineLines, type BenchMachine } from '../machine';
import { count, ms, table, verdict } from '../markdown';
import type { CatchUpResult } from './catch-up';
import type { FanOutResult } from './fan-out';
import type { LiveLatencyResult } from './live-latency';

/** Targets of the sync benchmarks, shown next to the figures. */
export const syncTargets = {
  /** Seconds to upload the rollups of a 3-day outage of 1,000 points with the drain limit lifted. */
  catchUpSeconds: 60,
  /** 99th percentile of device-sample-to-browser latency through edge, hub and Redis, in ms. */
  liveP99Ms: 100,
} as const;

export interface SyncResults {
  machine: BenchMachine;
  catchUp: CatchUpResult;
  live: LiveLatencyResult;
  fanOut: FanOutResult;
}

/** Seconds the whole backlog takes at the rate of the run with the limit lifted. */
export function catchUpSeconds(result: CatchUpResult): number {
  return result.queuedRollups / result.lifted.rowsPerSecond;
}

function catchUpPart(result: CatchUpResult): string[] {
  const wholeSeconds = catchUpSeconds(result);
  const limit = result.defaultLimit.maxRowsPerSecond;
  const tiers = Object.entries(result.edgeRollups)
    .map(([tier, rows]) => `${count(rows)} ${tier}`)
    .join(', ');
  return [
    '### Catch-up after a 3-day outage',
    '',
    `The database of an edge paired with the hub contains three days of rollups of ${count(result.points)} points polled`,
    `every 5 s, all queued for upload: ${count(result.queuedRollups)} rows (${tiers}).`,
    `\`edge-node/bench/fill-outage-backlog.ts\` writes them with SQL into a database made by the edge's own`,
    `migrations, in ${(result.fillMs / 1000).toFixed(0)} s. Then \`edge-node/bench/upload-drain.ts\` starts a whole edge node (\`startEdgeNode\`,`,
    'no devices) in a child process. Its uploader sends batches of the default size (10,000 rows), two in flight, to the hub',
    'served in the bench process over HTTP on 127.0.0.1, which stores them in a private database of the local',
    `Postgres. The first run keeps the default drain limit (${count(limit)} rows/s) for ${(result.defaultLimit.elapsedMs / 1000).toFixed(0)} s. The second lifts`,
    'it (`maxRowsPerSecond: 0`) and runs until the outbox is empty. Each clock starts once the edge node has',
    'started.',
    '',
    `Target: the whole backlog uploaded in under ${syncTargets.catchUpSeconds} s with the limit lifted: **${verdict(wholeSeconds < syncTargets.catchUpSeconds)}**`,
    `(${wholeSeconds.toFixed(0)} s, the backlog over the rate of the second run, which sent all but the first run's rows).`,
    '',
    ...table(
      ['Run', 'Drain limit', 'Rollup rows sent', 'Batches', 'Seconds', 'Rows/s'],
      [
        ['default limit, first rows', `${count(limit)} rows/s`, count(result.defaultLimit.rollupRowsAcked), count(result.defaultLimit.batches.acked), (result.defaultLimit.elapsedMs / 1000).toFixed(1), count(result.defaultLimit.rowsPerSecond)],
        ['limit lifted, until empty', 'none', count(result.lifted.rollupRowsAcked), count(result.lifted.batches.acked), (result.lifted.elapsedMs / 1000).toFixed(1), count(result.lifted.rowsPerSecond)],
      ],
    ),
    '',
    `With the default limit the whole backlog takes ${(result.queuedRollups / limit / 60).toFixed(0)} min, computed from the limit; the`,
    `measured rate of the first run (${count(result.defaultLimit.rowsPerSecond)} rows/s) gives ${(result.queuedRollups / result.defaultLimit.rowsPerSecond / 60).toFixed(0)} min. After the drain the hub`,
    `stores ${count(result.hubRows)} rollup rows of the site, and the edge ${count(result.queuedRollups)}: **${result.hubRows === result.queuedRollups ? 'equal' : 'NOT EQUAL'}**.`,
    `With the limit lifted the hub took ${Math.round(result.hubBatchMs.p50Ms)} ms per batch at the median (p99 ${Math.round(result.hubBatchMs.p99Ms)} ms, from request`,
    `to response). The batch times add up to ${Math.round(result.hubBusyShare * 100)} % of the run, which can exceed 100 % because two`,
    'batches are stored at once. Where the time went, from CPU profiles of an earlier run and `top`: Postgres used most of',
    "the machine's two cores. The hub process used about 7 µs a row (JSON parsing, array literals) and the edge about 7 µs a row",
    '(reading the outbox, deleting acknowledged ranges).',
    'Runs vary on this shared machine: earlier drains of the same backlog on the same day took 63 to',
    '75 s, some with other jobs running, so the target holds with little margin. One source is Postgres',
    'checkpoints: the write volume requested 5 of them during one drain at the default `max_wal_size` of 1 GB.',
    `No batch was throttled, split or failed: ${result.lifted.batches.throttled + result.lifted.batches.failed + result.lifted.batches.tooLarge === 0 ? 'yes' : 'no'}.`,
    '',
  ];
}

function livePart(result: LiveLatencyResult): string[] {
  const { report } = result;
  return [
    '### Live latency, device to browser',
    '',
    `An \`edge-node start\` process polls ${result.meters} SDM630 meters every ${result.pollIntervalMs} ms, all served by one \`edge-node simulate sdm630\``,
    'process. The edge is paired with the hub in the bench process, and its live uplink forwards the samples in',
    'batches (flushed within 50 ms); the hub publishes them on Redis and its `/ws` sends them to one browser socket',
    'in a child process, subscribed with a viewer\'s access token. Latency is the receipt time minus the',
    'sample\'s `ts`, which the poller stamps when the meter\'s response arrives (one machine clock). The first',
    `3 s are warm-up; the next ${result.measureMs / 1000} s are measured.`,
    '',
    `Target: p99 under ${syncTargets.liveP99Ms} ms on loopback: **${verdict(report.latency.p99Ms < syncTargets.liveP99Ms)}**.`,
    '',
    ...table(
      ['Samples', 'Frames', 'p50 ms', 'p99 ms', 'Max ms'],
      [[count(report.samples), count(report.frames), ms(report.latency.p50Ms), ms(report.latency.p99Ms), ms(report.latency.maxMs)]],
    ),
    '',
    'The uplink\'s 50 ms batching sets most of the median: a poll\'s samples wait for the batch timer that the',
    'first of them started.',
    '',
  ];
}

function fanOutPart(result: FanOutResult): string[] {
  const best = Math.max(...result.rounds.map((round) => round.framesPerSecond));
  const samplesPerMessage = result.rounds[0] ? result.rounds[0].report.samples / Math.max(1, result.rounds[0].report.frames) : 0;
  return [
    `### Fan-out to ${count(result.sockets)} browser sockets`,
    '',
    `${count(result.sockets)} sockets on the hub's \`/ws\`, all in one child process and all subscribed to one site, took`,
    `${(result.connectMs / 1000).toFixed(1)} s to open. The bench publishes messages of ${samplesPerMessage.toFixed(0)} samples on the site's Redis channel, as the`,
    'instance with the edge\'s uplink does, at a fixed rate per round (1 s warm-up, then 5 s measured). A',
    'frame is one `site-samples` message to one socket. When a socket lags, the hub keeps only the latest',
    'sample per point for it, so frames fall below messages times sockets and the coalesced count rises.',
    'Latency runs from publishing to receipt.',
    '',
    `Highest fan-out: **${count(best)} frames/s**.`,
    '',
    ...table(
      ['Offered messages/s', 'Published', 'Frames received', 'Frames/s', 'Samples/s', 'Delivered share', 'Coalesced samples', 'Latency p50 / p99 / max ms', 'Sockets open'],
      result.rounds.map((round) => [
        count(round.offeredMessagesPerSecond),
        count(round.published),
        count(round.report.frames),
        count(round.framesPerSecond),
        count(round.samplesPerSecond),
        `${Math.round(round.deliveredShare * 100)} %`,
        count(round.report.coalesced),
        `${ms(round.report.latency.p50Ms)} / ${ms(round.report.latency.p99Ms)} / ${ms(round.report.latency.maxMs)}`,
        count(round.report.openSockets),
      ]),
    ),
    '',
  ];
}

/** Renders the sync part of the cloud section of docs/benchmarks.md. */
export function renderSyncSection(results: SyncResults): string {
  const { machine } = results;
  return [
    '## Cloud hub: sync',
    '',
    'Real processes and sockets on 127.0.0.1: the hub is the Hono app with its live relay served by',
    '`@hono/node-server` in the bench process, on a private database of the local Postgres and a private prefix',
    'of the local Redis; edges and browsers run in child processes.',
    '',
    ...machineLines(machine),
    '',
    ...catchUpPart(results.catchUp),
    ...livePart(results.live),
    ...fanOutPart(results.fanOut),
  ].join('\n');
}
