import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPairedHub, type PairedHub } from '../update/support/paired-hub';
import { jsonDifferences } from './support/parity-diff';
import { drainOutbox, edgeReport, edgeRollups, feedReadings, startParityEdge, waitForSyncedPointRole, waitForSyncedShapes, type ParityEdge } from './support/parity-edge';
import { hubReport, hubRollups, setHubPointRole, setUpHubSite, type ParityHubSite } from './support/parity-hub';
import {
  DST_DAY,
  DST_DAY_PEAK,
  importPowerKw,
  NORMAL_DAY,
  NORMAL_DAY_PEAK,
  PARITY_DAYS,
  parityReadings,
  profileEnergyWh,
  READING_GAP,
  type ParityDay,
} from './support/parity-samples';
import { CURRENCY, EMISSION_FACTOR_G_PER_KWH, PARITY_DEVICES, paritySiteConfig, POINTS, PRICES, SITE_NAME, SITE_TIME_ZONE } from './support/parity-site';

// One scenario serves the whole file. A real hub runs on Postgres and Redis, served on loopback, with a
// whole edge node paired with it. The edge syncs the hub's shapes, stores two fed days of minute
// readings and uploads the closed rollups, so both sides compute their reports from the same rollups.

const HOUR_MS = 3_600_000;

let paired: PairedHub | undefined;
let edge: ParityEdge | undefined;
let site: ParityHubSite;

beforeAll(async () => {
  paired = await startPairedHub('energy-parity');
  site = await setUpHubSite(paired);
  edge = await startParityEdge(paritySiteConfig(site.siteId), paired.dataDir);
  await waitForSyncedShapes(edge, {
    nodes: 1,
    devices: Object.keys(PARITY_DEVICES).length,
    points: Object.values(PARITY_DEVICES).reduce((total, device) => total + device.points.length, 0),
  });
  await feedReadings(edge, parityReadings());
  await drainOutbox(edge);
}, 180_000);

afterAll(async () => {
  await edge?.close();
  await paired?.close();
});

/** Requests one report from both sides, checks both succeeded and returns the edge's and the hub's body. */
async function bothReports(query: string): Promise<{ edgeBody: any; hubBody: any }> {
  const [fromEdge, fromHub] = await Promise.all([edgeReport(edge!, query), hubReport(paired!, site, query)]);
  expect(fromEdge.status, `edge report ${query}: ${JSON.stringify(fromEdge.body)}`).toBe(200);
  expect(fromHub.status, `hub report ${query}: ${JSON.stringify(fromHub.body)}`).toBe(200);
  return { edgeBody: fromEdge.body, hubBody: fromHub.body };
}

const dayQuery = (day: ParityDay) => `period=day&date=${day.date}`;
const MONTH_QUERY = 'period=month&date=2026-03-15';
const YEAR_QUERY = 'period=year&date=2026-03-15';

describe('energy report parity of edge and hub', () => {
  it('hub stores the edge rollups', async () => {
    const onEdge = edgeRollups(edge!, '15m');
    const onHub = await hubRollups(paired!, site.siteId, '15m');

    // 92 quarter hours on the 23-hour day and 96 on the next. The 14:15 and 14:30 quarters of the gap
    // have no samples: the PV point has no row there, and a counter has a row without samples that
    // carries the growth the edge spread over the gap.
    const importRows = onEdge.filter((row) => row.point === POINTS.gridImport);
    expect(importRows).toHaveLength(92 + 96);
    expect(importRows.filter((row) => row.count === 0).map((row) => row.bucketStart)).toEqual([READING_GAP.from + 5 * 60_000, READING_GAP.from + 20 * 60_000]);
    expect(onEdge.filter((row) => row.point === POINTS.pv)).toHaveLength(92 + 96 - 2);
    expect(onHub).toEqual(onEdge);
  });

  it.each(PARITY_DAYS.map((day) => [day.date, day] as const))('day %s is equal on both sides', async (_date, day) => {
    const { edgeBody, hubBody } = await bothReports(dayQuery(day));

    expect(jsonDifferences(edgeBody, hubBody)).toEqual([]);
    expect(edgeBody).toEqual(hubBody);
  });

  it('month of March is equal on both sides', async () => {
    const { edgeBody, hubBody } = await bothReports(MONTH_QUERY);

    expect(jsonDifferences(edgeBody, hubBody)).toEqual([]);
    expect(edgeBody).toEqual(hubBody);
  });

  it('year 2026 is equal on both sides', async () => {
    const { edgeBody, hubBody } = await bothReports(YEAR_QUERY);
    // While the year is running, each side cuts the previous year at the time of its own request.
    delete edgeBody.previous.comparedUntil;
    delete hubBody.previous.comparedUntil;

    expect(jsonDifferences(edgeBody, hubBody)).toEqual([]);
    expect(edgeBody).toEqual(hubBody);
  });
});

// The numbers below are worked out from the fed power profiles (parity-samples.ts), not from any code
// under test, so two equal but wrong reports fail here.
describe('energy report numbers from the fed readings', () => {
  it('profiles give the hand-computed import', () => {
    // 23-hour day: hours 1 and 3 to 22 at 5 + (hour mod 4) kW is 136 kWh, and the 15 minutes at 40 kW
    // instead of 7 kW add 8.25 kWh.
    expect(profileEnergyWh(importPowerKw, DST_DAY.start, DST_DAY.end)).toBeCloseTo(144_250, 6);
    // 24-hour day: hours 1 to 22 give 143 kWh, and 15 minutes at 30 kW instead of 7 kW add 5.75 kWh.
    expect(profileEnergyWh(importPowerKw, NORMAL_DAY.start, NORMAL_DAY.end)).toBeCloseTo(148_750, 6);
  });

  it('23-hour day has 23 hourly buckets', async () => {
    const { edgeBody: report } = await bothReports(dayQuery(DST_DAY));

    expect(report.siteId).toBe(site.siteId);
    expect(report.siteName).toBe(SITE_NAME);
    expect(report.timeZone).toBe(SITE_TIME_ZONE);
    expect(report.period).toMatchObject({ kind: 'day', start: DST_DAY.start, end: DST_DAY.end, from: DST_DAY.date, to: DST_DAY.date, hours: 23 });
    expect(report.resolution).toBe('1h');
    expect(report.sourceResolution).toBe('15m');
    expect(report.buckets).toHaveLength(23);
    expect(report.buckets.map((bucket: { start: number }) => bucket.start)).toEqual(Array.from({ length: 23 }, (_, i) => DST_DAY.start + i * HOUR_MS));
    expect(report.buckets.at(-1).end).toBe(DST_DAY.end);
  });

  it('23-hour day totals match the profiles', async () => {
    const { edgeBody: report } = await bothReports(dayQuery(DST_DAY));

    // The grid meter was replaced at 12:14 and the 40-minute gap is shorter than the report's
    // 2-hour limit, so no import is lost: all 144.25 kWh are booked.
    expect(report.totals.gridImportWh).toBeCloseTo(144_250, 3);
    // 2 kW from 10:00 to 15:00.
    expect(report.totals.gridExportWh).toBeCloseTo(10_000, 3);
    // 3 kW from 08:00 to 18:00 is 30 kWh, less the quarter hours 14:15 and 14:30 that have no PV row.
    expect(report.totals.pvWh).toBeCloseTo(28_500, 3);
    // The only consumption meter sits in the building, so the site's consumption is the balance
    // import - export + PV.
    expect(report.consumptionSource).toBe('balance');
    expect(report.totals.consumptionWh).toBeCloseTo(144_250 - 10_000 + 28_500, 3);
    const bucketImportWh = report.buckets.reduce((total: number, bucket: { gridImportWh: number }) => total + bucket.gridImportWh, 0);
    expect(bucketImportWh).toBeCloseTo(144_250, 3);
  });

  it('23-hour day meters show the reset and the gap', async () => {
    const { edgeBody: report } = await bothReports(dayQuery(DST_DAY));
    const meter = (id: string) => report.meters.find((candidate: { id: string }) => candidate.id === id);

    expect(meter(POINTS.gridImport)).toMatchObject({ role: 'grid-import', unit: 'kWh', method: 'counter', resets: 1, gaps: [] });
    expect(meter(POINTS.gridImport).energyWh).toBeCloseTo(144_250, 3);
    // The quarter hours from 14:15 to 14:45 have no PV row, because the readings stop from 14:10 to 14:49.
    expect(meter(POINTS.pv)).toMatchObject({ role: 'pv', unit: 'W', method: 'power-integration', gaps: [{ from: READING_GAP.from + 5 * 60_000, to: READING_GAP.to - 5 * 60_000 }] });
    expect(meter(POINTS.consumption).nodeId).toBe(site.buildingId);
  });

  it('23-hour day peak demand is at 18:30', async () => {
    const { edgeBody: report } = await bothReports(dayQuery(DST_DAY));
    const peak = DST_DAY_PEAK;

    expect(report.peakDemand.start).toBe(peak.start);
    expect(report.peakDemand.end).toBe(peak.end);
    // Counter growth is spread between the last readings of the quarter hours (18:29, 18:44, 18:59), so
    // one minute of the 40 kW quarter falls into the next one and one minute at 7 kW comes in.
    expect(report.peakDemand.powerKw).toBeGreaterThan(35);
    expect(report.peakDemand.powerKw).toBeLessThanOrEqual(40);
  });

  it('23-hour day cost follows the time-of-use tariff', async () => {
    const { edgeBody: report } = await bothReports(dayQuery(DST_DAY));

    // Off-peak (00:00-06:00) 25 kWh at 0.12, default (06:00-08:00, 20:00-24:00) 33 kWh at 0.18, peak
    // (08:00-20:00) 86.25 kWh at 0.30: 3.00 + 5.94 + 25.875 EUR. Counter growth spread over the minute
    // before each price edge moves less than 0.01 EUR.
    expect(report.cost.currency).toBe(CURRENCY);
    expect(report.cost.importCost).toBeCloseTo(34.815, 1);
    expect(report.cost.exportCredit).toBeCloseTo(10 * PRICES.feedIn, 6);
    expect(report.cost.demandCharge).toBeNull();
    const periods = Object.fromEntries(report.cost.byTariffPeriod.map((entry: { name: string; importWh: number }) => [entry.name, entry.importWh]));
    expect(periods['off-peak']).toBeCloseTo(25_000, -2);
    expect(periods.peak).toBeCloseTo(86_250, -2);
    expect(periods.default).toBeCloseTo(33_000, -2);
  });

  it('23-hour day indicators use the settings', async () => {
    const { edgeBody: report } = await bothReports(dayQuery(DST_DAY));
    const netImport = report.virtualMeters.find((meter: { id: string }) => meter.id === 'net_import');

    expect(netImport.total).toBeCloseTo(144.25 - 10, 6);
    expect(report.indicators.co2).toMatchObject({ emissionFactorGPerKwh: EMISSION_FACTOR_G_PER_KWH });
    expect(report.indicators.co2.gridImportKg).toBeCloseTo((144.25 * EMISSION_FACTOR_G_PER_KWH) / 1000, 6);
    expect(report.hierarchy.nodes.map((node: { id: string }) => node.id)).toEqual([site.buildingId]);
    // The building's meter draws 4 kW in the 21 hours from 01:00 to 23:00 of a day without 02:00.
    expect(report.hierarchy.nodes[0].totalWh).toBeCloseTo(84_000, 3);
    expect(report.hierarchy.unassignedWh).toBeCloseTo(144_250 - 10_000 + 28_500 - 84_000, 3);
  });

  it('normal day totals and peak match the profiles', async () => {
    const { edgeBody: report } = await bothReports(dayQuery(NORMAL_DAY));

    expect(report.period.hours).toBe(24);
    expect(report.buckets).toHaveLength(24);
    expect(report.totals.gridImportWh).toBeCloseTo(148_750, 3);
    expect(report.totals.pvWh).toBeCloseTo(30_000, 3);
    expect(report.totals.consumptionWh).toBeCloseTo(148_750 - 10_000 + 30_000, 3);
    expect(report.peakDemand.start).toBe(NORMAL_DAY_PEAK.start);
    expect(report.previous.totals.gridImportWh).toBeCloseTo(144_250, 3);
  });

  it('month bills the peak of the 23-hour day', async () => {
    const { edgeBody: report } = await bothReports(MONTH_QUERY);

    expect(report.period).toMatchObject({ kind: 'month', from: '2026-03-01', to: '2026-03-31', hours: 31 * 24 - 1 });
    expect(report.totals.gridImportWh).toBeCloseTo(144_250 + 148_750, 3);
    expect(report.peakDemand.start).toBe(DST_DAY_PEAK.start);
    expect(report.cost.demandCharge).toBeCloseTo(report.peakDemand.powerKw * PRICES.demandPerKw, 6);
  });

  it('year bills the March peak from quarter hours', async () => {
    const [{ edgeBody: year }, { edgeBody: month }] = await Promise.all([bothReports(YEAR_QUERY), bothReports(MONTH_QUERY)]);
    const march = year.monthlyDemand.find((entry: { month: string }) => entry.month === '2026-03');

    // The year's energy comes from hourly rows and its peaks from the grid import meter's quarter hours.
    expect(year.sourceResolution).toBe('1h');
    expect(year.monthlyDemand).toHaveLength(12);
    expect(year.peakDemand).toEqual(month.peakDemand);
    expect(march.peak).toEqual(month.peakDemand);
    expect(march.demandCharge).toBeCloseTo(month.cost.demandCharge, 9);
    expect(year.cost.demandCharge).toBeCloseTo(month.cost.demandCharge, 9);
  });
});

// This case changes a role in the hub and sets it back at the end, so it runs after the cases above.
describe('meter role set only in the hub', () => {
  it('drives the edge report once the point shape arrives', async () => {
    await setHubPointRole(paired!, site, 'pv', 'consumption');
    try {
      await waitForSyncedPointRole(edge!, 'pv', 'acPowerW', 'consumption');

      const { edgeBody, hubBody } = await bothReports(dayQuery(NORMAL_DAY));

      expect(jsonDifferences(edgeBody, hubBody)).toEqual([]);
      // The site file still gives the point role pv, so only the hub's role makes it consumption.
      expect(edgeBody.meters.find((meter: { id: string }) => meter.id === POINTS.pv).role).toBe('consumption');
      expect(edgeBody.totals.pvWh).toBe(0);
    } finally {
      await setHubPointRole(paired!, site, 'pv', 'pv');
      await waitForSyncedPointRole(edge!, 'pv', 'acPowerW', 'pv');
    }
  });
});
