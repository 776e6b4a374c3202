import { startMachineRecord } from '../machine';
import { runCatchUp } from './catch-up';
import { runFanOut } from './fan-out';
import { runLiveLatency } from './live-latency';
import { catchUpSeconds, renderSyncSection, syncTargets } from './report';

const mark = (met: boolean) => (met ? 'target met' : 'TARGET MISSED');

/**
 * Runs the sync benchmarks one after the other (catch-up, live latency, fan-out), prints their
 * figures and returns their part of docs/benchmarks.md. Takes several minutes: the catch-up uploads
 * millions of rows.
 */
export async function runSyncBenchmarks(): Promise<string> {
  const finishMachineRecord = startMachineRecord();

  console.log('sync: catch-up after a 3-day outage of 1,000 points');
  const catchUp = await runCatchUp();
  const wholeSeconds = catchUpSeconds(catchUp);
  console.log(
    `  default limit: ${Math.round(catchUp.defaultLimit.rowsPerSecond)} rows/s; limit lifted: ${catchUp.lifted.rollupRowsAcked} rows in ` +
      `${(catchUp.lifted.elapsedMs / 1000).toFixed(1)} s, ${Math.round(catchUp.lifted.rowsPerSecond)} rows/s; whole backlog ${wholeSeconds.toFixed(0)} s, ` +
      `${mark(wholeSeconds < syncTargets.catchUpSeconds)} (< ${syncTargets.catchUpSeconds} s); hub rows ${catchUp.hubRows} of ${catchUp.queuedRollups}`,
  );

  console.log('sync: live latency from a device to a browser through edge, hub and Redis');
  const live = await runLiveLatency();
  const latency = live.report.latency;
  console.log(
    `  ${live.report.samples} samples: p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms (${mark(latency.p99Ms < syncTargets.liveP99Ms)}, < ${syncTargets.liveP99Ms} ms), max ${latency.maxMs} ms`,
  );

  console.log('sync: hub fan-out to 1,000 browser sockets');
  const fanOut = await runFanOut();
  for (const round of fanOut.rounds) {
    console.log(
      `  ${round.offeredMessagesPerSecond} messages/s offered: ${Math.round(round.framesPerSecond)} frames/s, ${Math.round(round.deliveredShare * 100)} % delivered, ` +
        `latency p50/p99 ${round.report.latency.p50Ms}/${round.report.latency.p99Ms} ms`,
    );
  }

  const machine = finishMachineRecord();
  return renderSyncSection({ machine, catchUp, live, fanOut });
}
