import { defaultSiteEnergySettings, periodRange } from '@simtestlab/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSiteEnergyReport } from '../../src/energy/site-energy-report';
import { createEnergySite, energySiteConfig, type EnergySite } from './support/energy-site';

/**
 * Today's energy on the edge while samples arrive: a PV inverter (a SunSpec model 103 as the simulator
 * serves it) reports its power `W` and its lifetime energy counter `WH` in every poll. The day's PV
 * energy must never go down from one report to the next.
 */

let site: EnergySite | undefined;

afterEach(async () => {
  await site?.close();
  site = undefined;
});

const SECOND_MS = 1000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_START = Date.UTC(2026, 5, 10);
const POLL_MS = 5 * SECOND_MS;

const devices = [
  {
    key: 'm103',
    driver: 'modbus-tcp',
    pollIntervalMs: POLL_MS,
    connection: { host: '127.0.0.1', port: 15031 },
    roles: { W: 'pv', WH: 'pv' },
    points: [
      { key: 'W', address: 0, unit: 'W' },
      { key: 'WH', address: 2, unit: 'Wh', dataType: 'uint32', kind: 'counter' },
    ],
  },
];

const active = { currency: null, settings: defaultSiteEnergySettings, source: 'site-file' as const };

/**
 * Feeds one poll per 5 s over [from, to) and computes the day's report after every minute of polls,
 * `lagMs` after the last poll. Returns the PV energy of each report.
 */
function pvTotalsWhileFeeding(target: EnergySite, from: number, to: number, powerAt: (ts: number) => number, counterAt: (ts: number) => number, lagMs: number): number[] {
  const device = target.device('m103');
  const day = periodRange('day', DAY_START + 12 * HOUR_MS, 'UTC');
  const totals: number[] = [];
  for (let ts = from; ts < to; ts += POLL_MS) {
    target.runtime.ingest(device, ts, [
      { point: 'W', value: powerAt(ts), quality: 'good' },
      { point: 'WH', value: counterAt(ts), quality: 'good' },
    ], false);
    if ((ts - from) % MINUTE_MS === MINUTE_MS - POLL_MS) totals.push(buildSiteEnergyReport(target.runtime, active, day, undefined, ts + lagMs).totals.pvWh);
  }
  return totals;
}

/** Returns the indexes where a total is below the one before. */
function decreases(totals: readonly number[]): { index: number; from: number; to: number }[] {
  return totals.flatMap((total, i) => (i > 0 && total < totals[i - 1]! - 1e-6 ? [{ index: i, from: totals[i - 1]!, to: total }] : []));
}

describe("today's PV energy while samples arrive", () => {
  it('never decreases with agreeing meters', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));
    // Power swings between 1,000 and 5,000 W every 10 minutes, and the counter is its exact integral.
    const from = DAY_START + 10 * HOUR_MS;
    const powerAt = (ts: number): number => 3000 + 2000 * Math.sin((2 * Math.PI * (ts - from)) / (10 * MINUTE_MS));
    const counterAt = (ts: number): number =>
      1_000_000 + (3000 * (ts - from)) / HOUR_MS - ((2000 * 10 * MINUTE_MS) / (2 * Math.PI) / HOUR_MS) * (Math.cos((2 * Math.PI * (ts - from)) / (10 * MINUTE_MS)) - 1);
    const totals = pvTotalsWhileFeeding(site, from, from + 2 * HOUR_MS, powerAt, counterAt, 2 * SECOND_MS);
    expect(totals.length).toBe(120);
    expect(decreases(totals)).toEqual([]);
  });

  it('never decreases at 60x replay speed', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));
    const from = DAY_START + 16 * HOUR_MS;
    // Evening: power falls from 3,000 W to 0 over two hours. The simulator's counter grows with the data
    // set's time, so at 60x it books 60 times what the power integrates over wall time.
    const powerAt = (ts: number): number => Math.max(0, 3000 * (1 - (ts - from) / (2 * HOUR_MS)));
    const counterAt = (ts: number): number => {
      const hours = (ts - from) / HOUR_MS;
      return 1_000_000 + 60 * (3000 * hours - (3000 * hours * hours) / 4);
    };
    const totals = pvTotalsWhileFeeding(site, from, from + 2 * HOUR_MS, powerAt, counterAt, 2 * SECOND_MS);
    expect(decreases(totals)).toEqual([]);
    // The counter books the growth from its first row's last reading (16:14:55) to its newest one, and the
    // power point fills the quarter hour before that first reading.
    const counterWh = counterAt(from + 2 * HOUR_MS - POLL_MS) - counterAt(from + 15 * MINUTE_MS - POLL_MS);
    expect(totals.at(-1)! - counterWh).toBeGreaterThan(0);
    expect(totals.at(-1)! - counterWh).toBeLessThan(3000 * 0.25);
  });
});
