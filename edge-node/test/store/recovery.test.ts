import { beforeAll, describe, expect, it } from 'vitest';
import { HistoryReader, type RollupHistoryRow } from '../../src/store/history';
import type { StoredRollupRow } from '../../src/store/rollup-bucket';
import { tiers, type Tier } from '../../src/store/time-buckets';
import { BAD_TIMEOUT, STALE, type MeterPointKey } from './support/meter-points';
import { addSample, meterSample, type MeterSample } from './support/sample-stream';
import { makeTempDir, openTestStore, readRollupRows, type TempDir, type TestStore } from './support/temp-store';

const TIME_ZONE = 'Europe/Paris';
const TICK_MS = 20_000;
const UINT32_WRAP = 2 ** 32;
const START_TS = Date.parse('2025-10-25T21:00:00Z');
const TICKS = 4770;
const COMMIT_EVERY_TICKS = 7;
/** Energy readings stop for 20 minutes between these ticks while the meter keeps counting. */
const GAP_FROM_TICK = 2000;
const GAP_TO_TICK = 2060;
const ROLLOVER_TICK = 1500;
const RESET_TICK = 3000;
const ZERO_TICK = 3500;
/** At this tick a power sample from ten ticks earlier arrives, after its minute was closed. */
const LATE_TICK = 2500;

type Step = { kind: 'sample'; sample: MeterSample; tick: number } | { kind: 'commit'; nowTs: number; tick: number };

const tickTs = (tick: number) => START_TS + tick * TICK_MS;

/**
 * Builds a day and a few hours of a meter in Paris across the fall-back night. Power and voltage
 * arrive every 20 s, with some null, bad and stale voltage readings. The 32-bit energy counter
 * rolls over, pauses for 20 minutes, is reset and reads zero once. The writer commits every 7 ticks
 * (140 s). Every value is an integer, so sums do not depend on the order of additions and two runs
 * compare exactly.
 */
function buildSteps(): Step[] {
  const steps: Step[] = [];
  const push = (tick: number, key: MeterPointKey, ts: number, value: MeterSample['value'], quality?: number) =>
    steps.push({ kind: 'sample', tick, sample: meterSample(key, ts, value, quality) });
  let energy = UINT32_WRAP - ROLLOVER_TICK * 4;
  for (let tick = 0; tick < TICKS; tick++) {
    const ts = tickTs(tick);
    push(tick, 'power', ts, ((tick * 37) % 500) - 100);
    if (tick % 13 === 0) push(tick, 'voltage', ts, null, BAD_TIMEOUT);
    else if (tick % 17 === 0) push(tick, 'voltage', ts, 999, STALE);
    else push(tick, 'voltage', ts, 230 + (tick % 7));

    energy = tick === RESET_TICK ? 100 : (energy + 4) % UINT32_WRAP;
    const inGap = tick >= GAP_FROM_TICK && tick < GAP_TO_TICK;
    if (!inGap) push(tick, 'energy', ts, tick === ZERO_TICK ? 0 : energy);
    if (tick === LATE_TICK) push(tick, 'power', tickTs(tick - 10) + 7_000, 4242);

    if (tick % COMMIT_EVERY_TICKS === COMMIT_EVERY_TICKS - 1) steps.push({ kind: 'commit', tick, nowTs: ts });
  }
  return steps;
}

const steps = buildSteps();
const stepIndex = (predicate: (step: Step) => boolean) => {
  const index = steps.findIndex(predicate);
  if (index < 0) throw new Error('crash point not found in the stream');
  return index;
};
const firstCommitAfter = (ts: number) => stepIndex((step) => step.kind === 'commit' && step.nowTs >= ts);
const energyAtTick = (tick: number) => stepIndex((step) => step.kind === 'sample' && step.tick === tick && step.sample.key === 'energy');
/** Returns the index of the last commit step before `crashAt`, or -1. A crash loses the samples after it. */
const lastCommitBefore = (crashAt: number) => {
  for (let i = crashAt - 1; i >= 0; i--) if (steps[i]!.kind === 'commit') return i;
  return -1;
};
/** The grace after which a bucket closes (the writer's default). */
const GRACE_MS = 2000;

/**
 * Crash points, as the index of the first step that never runs. A crash loses every sample added
 * after the last commit, as a process that dies between two commits does.
 */
const crashPoints: [string, number[]][] = [
  ['before the first commit', [3]],
  ['mid-stream between two commits', [4321]],
  ['right after the commit that closes the local day', [firstCommitAfter(Date.parse('2025-10-25T22:00:00Z') + GRACE_MS) + 1]],
  ['right after the commit that closes the first pass of the repeated hour', [firstCommitAfter(Date.parse('2025-10-26T01:00:00Z') + GRACE_MS) + 1]],
  ['just before the commit that closes a quarter hour', [firstCommitAfter(Date.parse('2025-10-26T03:15:00Z') + GRACE_MS)]],
  ['in the second pass of the repeated hour', [firstCommitAfter(Date.parse('2025-10-26T01:31:00Z')) - 2]],
  ['right after the counter rolls over', [energyAtTick(ROLLOVER_TICK) + 1]],
  ['mid-gap on the counter', [firstCommitAfter(tickTs(GAP_FROM_TICK + 30)) + 2]],
  ['after the first reading after the gap, before its commit', [energyAtTick(GAP_TO_TICK) + 1]],
  ['right after the commit of the first reading after the gap', [firstCommitAfter(tickTs(GAP_TO_TICK)) + 1]],
  ['after the late sample, before its commit', [stepIndex((step) => step.kind === 'sample' && step.sample.value === 4242) + 1]],
  ['after the meter reset and the zero reading', [energyAtTick(ZERO_TICK) + 4]],
  ['three times in one run', [1111, energyAtTick(GAP_TO_TICK) + 1, firstCommitAfter(tickTs(ZERO_TICK)) + 1]],
];

interface RunResult {
  ids: Record<MeterPointKey, number>;
  rows: Record<Tier, StoredRollupRow[]>;
  /** History (stored and open buckets) of every point and tier, by the step index it was taken after. */
  snapshots: Map<number, RollupHistoryRow[][]>;
  replayedSamples: number[];
}

function historySnapshot(store: TestStore): RollupHistoryRow[][] {
  const history = new HistoryReader(store.db, store.writer.rollups);
  return Object.values(store.ids).flatMap((pointId) =>
    tiers.map((tier) => history.rollup(tier, pointId, 0, Number.MAX_SAFE_INTEGER, 1_000_000)),
  );
}

/**
 * Runs the stream into a fresh database, crashing before each step in `crashes`: the writer is
 * dropped without a commit, the database reopened with a new registry and writer, `recover` called,
 * and the stream resumed from the first uncommitted sample. Ends with a commit three days after the
 * stream so every bucket closes.
 */
function run(dir: TempDir, crashes: readonly number[], snapshotAfter: ReadonlySet<number>): RunResult {
  const path = `${dir.path}/run-${crashes.join('-') || 'baseline'}.db`;
  const open = () => openTestStore(path, { timeZone: TIME_ZONE, pollIntervalMs: TICK_MS });
  let store = open();
  const result: RunResult = { ids: store.ids, rows: {} as Record<Tier, StoredRollupRow[]>, snapshots: new Map(), replayedSamples: [] };
  store.writer.recover();
  let next = 0;
  const runUntil = (end: number) => {
    for (; next < end; next++) {
      const step = steps[next]!;
      if (step.kind === 'sample') addSample(store, step.sample);
      else store.commitAt(step.nowTs);
      if (snapshotAfter.has(next)) result.snapshots.set(next, historySnapshot(store));
    }
  };

  for (const crashAt of crashes) {
    runUntil(crashAt);
    store.close();
    store = open();
    result.replayedSamples.push(store.writer.recover().replayedSamples);
    const resumeFrom = lastCommitBefore(crashAt) + 1;
    if (resumeFrom > 0) result.snapshots.set(resumeFrom - 1, historySnapshot(store));
    next = resumeFrom;
  }
  runUntil(steps.length);
  store.commitAt(tickTs(TICKS) + 3 * 86_400_000);
  for (const tier of tiers) result.rows[tier] = readRollupRows(store.db, tier);
  store.close();
  return result;
}

describe('recovery after a crash', () => {
  let dir: TempDir;
  let baseline: RunResult;

  beforeAll(() => {
    dir = makeTempDir();
    const snapshotSteps = new Set(crashPoints.flatMap(([, crashes]) => crashes.map(lastCommitBefore)).filter((i) => i >= 0));
    baseline = run(dir, [], snapshotSteps);
    return () => dir.remove();
  });

  it('has a baseline that exercises every feature of the stream', () => {
    const energyDays = baseline.rows['1d'].filter((row) => row.point_id === baseline.ids.energy);
    expect(energyDays.some((row) => row.estimated === 1), 'the gap is flagged').toBe(true);
    expect(baseline.rows['1m'].filter((row) => row.revision > 1).length, 'some buckets were merged after closing').toBeGreaterThan(0);
    expect(baseline.rows['1d'].map((row) => row.bucket_end - row.bucket_start)).toContain(25 * 3_600_000);
    for (const tier of tiers) expect(baseline.rows[tier].length, `${tier} rows`).toBeGreaterThan(0);
  });

  it.each(crashPoints)('rebuilds the same rollups after a crash %s', (_label, crashes) => {
    const crashed = run(dir, crashes, new Set());

    for (const [i, crashAt] of crashes.entries()) {
      const resumedAfter = lastCommitBefore(crashAt);
      // Samples of the still-open minute are always committed, so recovery replays some of them.
      expect(crashed.replayedSamples[i]! > 0, `raw samples replayed after the crash at step ${crashAt}`).toBe(resumedAfter >= 0);
      if (resumedAfter < 0) continue;
      expect(crashed.snapshots.get(resumedAfter), `stored and open buckets right after recovery from step ${crashAt}`).toEqual(
        baseline.snapshots.get(resumedAfter),
      );
    }
    for (const tier of tiers) {
      expect(crashed.rows[tier].length, `${tier} row count`).toBe(baseline.rows[tier].length);
      expect(crashed.rows[tier], `${tier} rows`).toEqual(baseline.rows[tier]);
    }
  });
});
