import { readFileSync } from 'node:fs';
import { energyReportSchema } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetDir, loadDataset } from '../../src/simulate/datasets/catalog';
import { UCI_TIME_ZONE } from '../../src/simulate/datasets/uci-household';
import { EnergyIntegral } from '../../src/simulate/energy-integral';
import { uciCounterPowers, uciCounters } from '../../src/simulate/profiles/uci-meter';
import { createEnergySite, energySiteConfig, feedReadings, type EnergySite, type TimedValue } from './support/energy-site';

/*
 * Replays the UCI household day 2006-12-21 (Europe/Paris, UTC+1 that day) into a real edge store and
 * checks two virtual meters of the day's report against sums computed from the file's rows.
 */

const MINUTE_MS = 60_000;
const QUARTER_MS = 15 * MINUTE_MS;
/** Local midnight of 2006-12-21 in Paris. */
const DAY_START = Date.UTC(2006, 11, 20, 23);
const DAY_END = DAY_START + 24 * 60 * MINUTE_MS;

/** Register values before the day, so the counters do not start at 0 as a new meter would. */
const REGISTER_START_WH = { houseWh: 8_123_456.5, kitchenWh: 412_345, laundryWh: 298_765, heaterWh: 1_876_543 };

const subMeters = { kitchenWh: 'Sub_metering_1', laundryWh: 'Sub_metering_2', heaterWh: 'Sub_metering_3' } as const;

/**
 * The house meter is polled every minute for its power. A data logger reads the energy registers (the
 * house import and the three sub-meters) on each quarter hour, from midnight to the next midnight. The
 * report splits a register's growth between two readings in proportion to time, so readings on the
 * quarter-hour boundaries book each quarter's energy exactly into its own bucket.
 */
const devices = [
  {
    key: 'house',
    name: 'House meter',
    driver: 'modbus-tcp',
    pollIntervalMs: 60_000,
    connection: { host: '127.0.0.1', port: 15031 },
    points: [{ key: 'powerW', address: 0, unit: 'W', role: 'grid' }],
  },
  {
    key: 'registers',
    name: 'Energy registers',
    driver: 'modbus-tcp',
    pollIntervalMs: 900_000,
    connection: { host: '127.0.0.1', port: 15032 },
    points: Object.keys(REGISTER_START_WH).map((key, index) => ({ key, address: 4 * index, unit: 'Wh', dataType: 'float64', kind: 'counter' })),
  },
];

const energy = {
  virtualMeters: [
    { id: 'sub_total', name: 'Sub-metered', unit: 'Wh', formula: '{registers.kitchenWh} + {registers.laundryWh} + {registers.heaterWh}' },
    { id: 'other', name: 'Not sub-metered', unit: 'Wh', formula: '{registers.houseWh} - sub_total' },
  ],
};

/** Register readings at each quarter hour of the day and at its end, from the simulator's parser and energy integral. */
function registerReadings(): Record<keyof typeof REGISTER_START_WH, TimedValue[]> {
  const dataset = loadDataset('uci-household');
  const houseIntegral = new EnergyIntegral(dataset.rows, dataset.intervalMs, uciCounterPowers[uciCounters.importWh]!);
  const readings: Record<keyof typeof REGISTER_START_WH, TimedValue[]> = { houseWh: [], kitchenWh: [], laundryWh: [], heaterWh: [] };
  const readAt = (ts: number) => {
    // Rows before `ts` are the minutes the registers have counted.
    const counted = dataset.rows.filter((row) => row.ts < ts);
    readings.houseWh.push({ ts, value: REGISTER_START_WH.houseWh + houseIntegral.energyAtWh(counted.length, 0) });
    for (const [key, column] of Object.entries(subMeters) as [keyof typeof subMeters, string][]) {
      const countedWh = counted.reduce((sum, row) => sum + (row.values[column] ?? 0), 0);
      readings[key].push({ ts, value: REGISTER_START_WH[key] + countedWh });
    }
  };
  for (let ts = DAY_START; ts <= DAY_END; ts += QUARTER_MS) readAt(ts);
  return readings;
}

/** Returns the house power in W of each minute that has a value, as the poller reads it. */
function housePower(): TimedValue[] {
  return loadDataset('uci-household').rows.flatMap((row) => {
    const powerKw = row.values.Global_active_power;
    return powerKw === null || powerKw === undefined ? [] : [{ ts: row.ts, value: powerKw * 1000 }];
  });
}

/**
 * Sums the day from the file itself, without the simulator's parser: each minute's sub-meter energies
 * in Wh, and the house energy of the minute, its average kW times 1000 / 60. Minutes marked `?` add
 * nothing.
 */
function handSums(): { minutes: number; missing: number; subTotalWh: number; houseWh: number } {
  const lines = readFileSync(`${datasetDir}uci-household/household_power_consumption_2006-12-21.txt`, 'utf8').split(/\r?\n/).slice(1).filter((line) => line !== '');
  let missing = 0;
  let subTotalWh = 0;
  let houseWh = 0;
  for (const line of lines) {
    const cells = line.split(';');
    if (cells.includes('?')) {
      missing++;
      continue;
    }
    houseWh += (Number(cells[2]) * 1000) / 60;
    subTotalWh += Number(cells[6]) + Number(cells[7]) + Number(cells[8]);
  }
  return { minutes: lines.length, missing, subTotalWh, houseWh };
}

let site: EnergySite | undefined;

beforeAll(async () => {
  site = await createEnergySite(energySiteConfig({ devices, timeZone: UCI_TIME_ZONE, energy }));
  await feedReadings(site, 'registers', registerReadings());
  await feedReadings(site, 'house', { powerW: housePower() });
}, 60_000);

afterAll(async () => {
  await site?.close();
});

async function dayReport() {
  const response = await site!.get('/api/energy/report?period=day&date=2006-12-21');
  expect(response.status).toBe(200);
  return energyReportSchema.parse(await response.json());
}

describe('virtual meter over real replayed data', () => {
  it('covers the whole file day', () => {
    const sums = handSums();

    expect(sums.minutes).toBe(1440);
    expect(sums.missing).toBe(2);
  });

  it('totals the sub-meters as the file does', async () => {
    const report = await dayReport();
    const subTotal = report.virtualMeters.find((meter) => meter.id === 'sub_total');

    expect(subTotal?.values).toHaveLength(24);
    expect(subTotal?.missingMeterIds).toEqual([]);
    expect(subTotal?.total).toBeCloseTo(handSums().subTotalWh, 6);
  });

  it('gives the house energy not sub-metered', async () => {
    const report = await dayReport();
    const other = report.virtualMeters.find((meter) => meter.id === 'other');
    const sums = handSums();

    expect(other?.total).toBeCloseTo(sums.houseWh - sums.subTotalWh, 6);
    expect(report.warnings.filter((warning) => warning.includes('virtual meter'))).toEqual([]);
  });

  it('integrates the house power close to its register', async () => {
    const report = await dayReport();
    const { houseWh } = handSums();

    // The quarter hour with the two missing minutes counts its mean power for all 15 minutes.
    expect(report.meters.find((meter) => meter.id === 'house.powerW')?.method).toBe('power-integration');
    expect(Math.abs(report.totals.gridImportWh - houseWh) / houseWh).toBeLessThan(0.005);
  });
});
