import { describe, expect, it } from 'vitest';
import type { DatasetRow } from '../../src/simulate/datasets/delimited-text';
import { loadDataset } from '../../src/simulate/datasets/catalog';
import { createReplay } from '../../src/simulate/replay';
import { uciCounterPowers, uciCounters } from '../../src/simulate/profiles/uci-meter';

const MINUTE_MS = 60_000;
const T0 = 1_000_000_000_000;

/** Rows at minutes 0, 1, 2 and 4 (minute 3 missing), with a power of 600, 1200, 0 and 300 W. */
function sampleRows(): DatasetRow[] {
  return [
    { ts: T0, values: { powerW: 600 } },
    { ts: T0 + MINUTE_MS, values: { powerW: 1200 } },
    { ts: T0 + 2 * MINUTE_MS, values: { powerW: null } },
    { ts: T0 + 4 * MINUTE_MS, values: { powerW: 300 } },
  ];
}

function fakeClock(startMs = 5_000) {
  let nowMs = startMs;
  return { now: () => nowMs, advance: (ms: number) => (nowMs += ms), set: (ms: number) => (nowMs = ms) };
}

describe('DatasetReplay', () => {
  it('maps wall time at speed 60', () => {
    const clock = fakeClock();
    const replay = createReplay({ rows: sampleRows(), intervalMs: MINUTE_MS, speed: 60, now: clock.now });
    expect(replay.frame().rowIndex).toBe(0);
    clock.advance(1000);
    const frame = replay.frame();
    expect(frame.rowIndex).toBe(1);
    expect(frame.datasetTs).toBe(T0 + MINUTE_MS);
    expect(frame.row?.values.powerW).toBe(1200);
  });

  it('keeps missing and empty rows as gaps', () => {
    const clock = fakeClock();
    const replay = createReplay({ rows: sampleRows(), intervalMs: MINUTE_MS, speed: 60, now: clock.now });
    clock.advance(2500);
    expect(replay.frame().row).toBeUndefined();
    clock.advance(1000);
    expect(replay.frame().row).toBeUndefined();
    expect(replay.frame().rowIndex).toBe(-1);
    clock.advance(1000);
    expect(replay.frame().row?.values.powerW).toBe(300);
  });

  it('loops at the end', () => {
    const clock = fakeClock();
    const replay = createReplay({ rows: sampleRows(), intervalMs: MINUTE_MS, speed: 60, now: clock.now });
    expect(replay.loopMs).toBe(5 * MINUTE_MS);
    clock.advance(5_500);
    const frame = replay.frame();
    expect(frame.loop).toBe(1);
    expect(frame.rowIndex).toBe(0);
    expect(frame.datasetTs).toBe(T0 + 30_000);
  });

  it('starts at an offset', () => {
    const clock = fakeClock();
    const replay = createReplay({ rows: sampleRows(), intervalMs: MINUTE_MS, startOffsetMs: 4 * MINUTE_MS, now: clock.now });
    expect(replay.frame().rowIndex).toBe(3);
  });

  it('integrates energy without gaps', () => {
    const clock = fakeClock();
    const replay = createReplay({
      rows: sampleRows(),
      intervalMs: MINUTE_MS,
      speed: 60,
      now: clock.now,
      counters: { importWh: (row) => row.values.powerW ?? null },
    });
    expect(replay.energyWh('importWh')).toBe(0);
    clock.advance(500);
    expect(replay.energyWh('importWh')).toBeCloseTo(5, 9);
    clock.advance(1500);
    expect(replay.energyWh('importWh')).toBeCloseTo(30, 9);
    clock.advance(2000);
    expect(replay.energyWh('importWh')).toBeCloseTo(30, 9);
    clock.advance(1000);
    expect(replay.energyWh('importWh')).toBeCloseTo(35, 9);
  });

  it('keeps counters growing across loops', () => {
    const clock = fakeClock();
    const replay = createReplay({
      rows: sampleRows(),
      intervalMs: MINUTE_MS,
      speed: 60,
      now: clock.now,
      counterStartWh: 1000,
      counters: { importWh: (row) => row.values.powerW ?? null },
    });
    const readings: number[] = [];
    for (let i = 0; i <= 30; i++) {
      readings.push(replay.energyWh('importWh'));
      clock.advance(500);
    }
    for (let i = 1; i < readings.length; i++) expect(readings[i]).toBeGreaterThanOrEqual(readings[i - 1]!);
    expect(readings[10]).toBeCloseTo(1035, 9);
    expect(readings[30]).toBeCloseTo(1105, 9);
  });

  it('never counts negative power', () => {
    const clock = fakeClock();
    const rows: DatasetRow[] = [{ ts: T0, values: { powerW: -600 } }];
    const replay = createReplay({ rows, intervalMs: MINUTE_MS, now: clock.now, counters: { importWh: (row) => row.values.powerW ?? null } });
    clock.advance(30_000);
    expect(replay.energyWh('importWh')).toBe(0);
  });

  it('does not go back with the clock', () => {
    const clock = fakeClock();
    const replay = createReplay({ rows: sampleRows(), intervalMs: MINUTE_MS, speed: 60, now: clock.now, counters: { e: (row) => row.values.powerW ?? null } });
    clock.advance(1500);
    const before = replay.energyWh('e');
    clock.set(5_000);
    expect(replay.energyWh('e')).toBe(before);
  });

  it('names the known counters', () => {
    const replay = createReplay({ rows: sampleRows(), intervalMs: MINUTE_MS, counters: { importWh: () => 1 } });
    expect(() => replay.energyWh('exportWh')).toThrow(/unknown energy counter "exportWh"; known: importWh/);
  });

  it('predicts the next row start', () => {
    const clock = fakeClock(10_000);
    const replay = createReplay({ rows: sampleRows(), intervalMs: MINUTE_MS, speed: 60, now: clock.now });
    expect(replay.nextRowStartWallMs(10_200)).toBe(11_000);
    expect(replay.nextRowStartWallMs(12_500)).toBe(14_000);
    expect(replay.nextRowStartWallMs(14_500)).toBe(15_000);
  });

  it('rejects bad options', () => {
    expect(() => createReplay({ rows: [], intervalMs: MINUTE_MS })).toThrow(/at least one row/);
    expect(() => createReplay({ rows: sampleRows(), intervalMs: MINUTE_MS, speed: 0 })).toThrow(/speed must be a positive number/);
  });

  it('UCI energy matches the minute sum', () => {
    const dataset = loadDataset('uci-household');
    const clock = fakeClock();
    const replay = createReplay({ rows: dataset.rows, intervalMs: dataset.intervalMs, speed: 3600, now: clock.now, counters: uciCounterPowers });
    const dayKwh = dataset.rows.reduce((sum, row) => sum + (row.values.Global_active_power ?? 0) / 60, 0);
    clock.advance(24_000);
    expect(replay.frame().loop).toBe(1);
    expect(replay.energyWh(uciCounters.importWh)).toBeCloseTo(dayKwh * 1000, 6);
    expect(replay.energyWh(uciCounters.exportWh)).toBe(0);
  });
});
