import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COUNTER_SAVE_INTERVAL_MS, readCounterFile } from '../../src/simulate/counter-state';
import { startSimulator, type SimulatorKind } from '../../src/simulate/simulators';

const MINUTE_MS = 60_000;
/** Like the demo: the inverters start at 10:00 of their recorded day, so they produce from the start. */
const START_OFFSET_MS = 600 * MINUTE_MS;

let folder: string;
let nowMs: number;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'simulator-counters-'));
  nowMs = 1_700_000_000_000;
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

function start(kind: SimulatorKind, counterFile?: string) {
  return startSimulator(kind, { port: 0, speed: 12, startOffsetMs: START_OFFSET_MS, now: () => nowMs, ...(counterFile === undefined ? {} : { counterFile }) });
}

/** Reads every energy counter of a simulator, in Wh. */
function countersOf(simulator: Awaited<ReturnType<typeof start>>): Record<string, number> {
  return Object.fromEntries(simulator.replay.counterNames().map((name) => [name, simulator.replay.energyWh(name)]));
}

describe('simulator counter file', () => {
  it.each(['sunspec-inverter', 'sunspec-meter', 'sdm630'] as const)('%s counts on after a restart', async (kind) => {
    const counterFile = join(folder, `${kind}.json`);
    const first = await start(kind, counterFile);
    const atStart = countersOf(first);
    nowMs += 10 * MINUTE_MS;
    const beforeStop = countersOf(first);
    await first.stop();
    // Some counters (the meter's export) stay at 0 in the data set, so only one of them must grow.
    expect(Object.keys(atStart).some((name) => beforeStop[name]! > atStart[name]!)).toBe(true);

    const second = await start(kind, counterFile);
    expect(countersOf(second)).toEqual(beforeStop);
    nowMs += 10 * MINUTE_MS;
    const later = countersOf(second);
    await second.stop();
    for (const name of Object.keys(later)) expect(later[name], name).toBeGreaterThanOrEqual(beforeStop[name]!);

    // Without the file, the same restart starts the counters again, below the values served before.
    const withoutFile = await start(kind);
    const restarted = countersOf(withoutFile);
    await withoutFile.stop();
    expect(Object.keys(restarted).some((name) => restarted[name]! < beforeStop[name]!)).toBe(true);
  });

  it('starts above the last write after a crash', async () => {
    const counterFile = join(folder, 'sdm630.json');
    const first = await start('sdm630', counterFile);
    const names = first.replay.counterNames();
    await first.stop();
    const savedWh = Object.fromEntries(names.map((name) => [name, 5000]));
    writeFileSync(counterFile, JSON.stringify({ countersWh: savedWh, stoppedCleanly: false }));

    const second = await start('sdm630', counterFile);
    const counters = countersOf(second);
    for (const name of names) {
      expect(counters[name], name).toBeGreaterThanOrEqual(5000);
      expect(counters[name], name).toBeLessThanOrEqual(5000 + second.replay.maxCounterGrowthWh(name, 2 * COUNTER_SAVE_INTERVAL_MS));
    }
    expect(readCounterFile(counterFile)?.stoppedCleanly).toBe(false);
    await second.stop();
    expect(readCounterFile(counterFile)?.stoppedCleanly).toBe(true);
  });

  it('replaces an invalid file', async () => {
    const counterFile = join(folder, 'sunspec-meter.json');
    writeFileSync(counterFile, '{"countersWh": "none"}');
    const simulator = await start('sunspec-meter', counterFile);
    await simulator.stop();
    expect(readCounterFile(counterFile)?.countersWh).toEqual(countersOf(simulator));
  });
});
