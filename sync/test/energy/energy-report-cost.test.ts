import { describe, expect, it } from 'vitest';
import { energyCost, importPriceSegments, importRateAt, periodRangeFromQuery, tariffSchema, type ReportMeterInput, type ReportRollupRow } from '../../src/index';
import { HOUR, MINUTE, period, powerMeter, QUARTER, report, settings, utc } from './report-fixtures';

const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const WORKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** Peak from 07:10 to 22:00 on working days, Paris time, so a price change falls inside the 07:00 quarter hour. */
const peakAtTenPastSeven = tariffSchema.parse({
  currency: 'EUR',
  timeZone: 'Europe/Paris',
  import: {
    kind: 'time-of-use',
    seasons: [{ name: 'all year', from: '01-01', to: '12-31', periods: [{ name: 'peak', days: WORKDAYS, from: '07:10', to: '22:00', pricePerKwh: 0.4 }] }],
    defaultPricePerKwh: 0.2,
  },
  export: { pricePerKwh: 0.1 },
});

const flat = (pricePerKwh: number, extra: object = {}) => ({ currency: 'EUR', timeZone: 'Europe/Paris', import: { kind: 'flat', pricePerKwh }, ...extra });

describe('time-of-use cost', () => {
  // Wednesday 2026-01-14; Paris is UTC+1, so 07:00 local is 06:00Z.
  const day = period('day', '2026-01-14', 'Europe/Paris');
  const importQuarter = utc('2026-01-14T06:00:00Z');
  const exportQuarter = utc('2026-01-14T12:00:00Z');
  const meters = [
    powerMeter({ id: 'grid.import', role: 'grid-import', unit: 'W' }, day, (start) => (start === importQuarter ? 4000 : 0)),
    powerMeter({ id: 'grid.export', role: 'grid-export', unit: 'W' }, day, (start) => (start === exportQuarter ? 2000 : 0)),
  ];
  const result = report(day, meters, { settings: settings({ tariffs: [{ validFrom: '2026-01-01', tariff: peakAtTenPastSeven }] }) });

  it('splits a quarter hour at the price change', () => {
    // 1 kWh over 07:00-07:15: 10 minutes at 0.20 and 5 minutes at 0.40.
    const handComputed = (10 / 15) * 0.2 + (5 / 15) * 0.4;

    expect(result.cost!.importCost).toBeCloseTo(handComputed, 12);
    expect(result.cost!.importCost).toBeCloseTo(energyCost(peakAtTenPastSeven, [{ start: importQuarter, end: importQuarter + QUARTER, importWh: 1000, exportWh: 0 }]).totals.importCost, 12);
    expect(result.cost!.exportCredit).toBeCloseTo(0.05, 12);
    expect(result.cost!.net).toBeCloseTo(handComputed - 0.05, 12);
    expect(result.cost!.demandCharge).toBeNull();
    expect(result.cost!.unpricedImportWh).toBe(0);
  });

  it('reports import per tariff period', () => {
    const byName = Object.fromEntries(result.cost!.byTariffPeriod.map((entry) => [entry.name, entry]));

    expect(Object.keys(byName).sort()).toEqual(['default', 'peak']);
    expect(byName.default!.importWh).toBeCloseTo(2000 / 3, 9);
    expect(byName.default!.importCost).toBeCloseTo(0.4 / 3, 12);
    expect(byName.peak!.importWh).toBeCloseTo(1000 / 3, 9);
    expect(byName.peak!.importCost).toBeCloseTo(0.4 / 3, 12);
  });

  it('prices buckets and meters', () => {
    expect(result.buckets[7]!.netCost).toBeCloseTo(0.4 / 3 + 0.4 / 3, 12);
    expect(result.buckets[13]!.netCost).toBeCloseTo(-0.05, 12);
    expect(result.buckets[3]!.netCost).toBe(0);
    expect(result.costStatus).toBe('priced');
    expect(result.meters.map((meter) => meter.id)).toEqual(['grid.export', 'grid.import']);
    expect(result.meters[0]!.cost).toBeCloseTo(0.05, 12);
    expect(result.meters[1]!.cost).toBeCloseTo(0.8 / 3, 12);
  });

  it('names price segments like energyCost splits them', () => {
    const segments = importPriceSegments(peakAtTenPastSeven, importQuarter, importQuarter + QUARTER);

    expect(segments).toEqual([
      { start: importQuarter, end: importQuarter + 10 * MINUTE, periodName: 'default', pricePerKwh: 0.2 },
      { start: importQuarter + 10 * MINUTE, end: importQuarter + QUARTER, periodName: 'peak', pricePerKwh: 0.4 },
    ]);
    expect(importRateAt(tariffSchema.parse(flat(0.3)), importQuarter)).toEqual({ periodName: 'flat', pricePerKwh: 0.3 });
  });
});

describe('cost on a 25-hour day', () => {
  it('prices both passes of the repeated hour', () => {
    const nightTariff = tariffSchema.parse({
      currency: 'EUR',
      timeZone: 'Europe/Paris',
      import: {
        kind: 'time-of-use',
        seasons: [{ name: 'all year', from: '01-01', to: '12-31', periods: [{ name: 'night', days: ALL_DAYS, from: '00:00', to: '06:00', pricePerKwh: 0.1 }] }],
        defaultPricePerKwh: 0.3,
      },
    });
    const day = period('day', '2026-10-25', 'Europe/Paris');
    const result = report(day, [powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, day, () => 1000)], {
      settings: settings({ tariffs: [{ validFrom: '2026-01-01', tariff: nightTariff }] }),
    });

    // Seven night hours, 02:00 twice, and 18 day hours at 1 kWh each.
    expect(result.cost!.importCost).toBeCloseTo(7 * 0.1 + 18 * 0.3, 12);
    expect(result.cost!.byTariffPeriod.find((entry) => entry.name === 'night')!.importWh).toBeCloseTo(7000, 9);
  });
});

/** Scales hourly rows built with 15 samples each to the 60 samples of their four quarter hours, as the store rolls them up. */
function hourlyOfQuarters(meter: ReportMeterInput): ReportMeterInput {
  return { ...meter, rows: meter.rows.map((row) => ({ ...row, count: row.count * 4, sum: row.sum === null ? null : row.sum * 4 })) };
}

/** Rolls quarter-hour rows up into hourly rows that sum their samples. */
function rollUpHours(rows: readonly ReportRollupRow[]): ReportRollupRow[] {
  const hours = new Map<number, ReportRollupRow>();
  for (const row of rows) {
    const start = Math.floor(row.start / HOUR) * HOUR;
    const hour = hours.get(start) ?? { start, end: start + HOUR, count: 0, sum: 0, last: null, lastTs: null };
    hours.set(start, { ...hour, count: hour.count + row.count, sum: (hour.sum ?? 0) + (row.sum ?? 0), last: row.last, lastTs: row.lastTs });
  }
  return [...hours.values()];
}

describe('monthly cost', () => {
  const month = period('month', '2026-01-10', 'Europe/Paris');
  // 2 kW all month, 12 kW in the quarter hour from 18:00 local time on 2026-01-20.
  const spike = utc('2026-01-20T17:00:00Z');
  const grid = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, month, (start) => (start === spike ? 12_000 : 2000));

  it('charges the demand peak', () => {
    const tariffs = [{ validFrom: '2025-06-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) }];
    const result = report(month, [grid], { settings: settings({ tariffs }) });

    expect(result.sourceResolution).toBe('15m');
    expect(result.peakDemand).toEqual({ start: spike, end: spike + QUARTER, powerKw: 12 });
    expect(result.cost!.demandCharge).toBe(120);
    expect(result.monthlyDemand).toEqual([{ month: '2026-01', start: month.start, end: month.end, peak: result.peakDemand, demandCharge: 120 }]);
    // 744 h at 2 kW plus 10 kW more for a quarter hour.
    expect(result.cost!.importCost).toBeCloseTo((744 * 2 + 2.5) * 0.25, 9);
    expect(result.cost!.net).toBeCloseTo((744 * 2 + 2.5) * 0.25 + 120, 9);
  });

  it('charges no demand outside a month', () => {
    const tariffs = [{ validFrom: '2025-06-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) }];
    const day = period('day', '2026-01-20', 'Europe/Paris');
    const result = report(day, [powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, day, (start) => (start === spike ? 12_000 : 2000))], {
      settings: settings({ tariffs }),
    });

    expect(result.peakDemand!.powerKw).toBe(12);
    expect(result.cost!.demandCharge).toBeNull();
    expect(result.monthlyDemand).toEqual([]);
    expect(result.warnings.some((warning) => warning.startsWith('no demand charge'))).toBe(false);
  });

  it('warns about demand over a custom span', () => {
    const tariffs = [{ validFrom: '2025-06-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) }];
    const span = periodRangeFromQuery({ period: 'custom', date: '2026-01-20', from: '2026-01-20', to: '2026-02-10' }, 'Europe/Paris');
    const result = report(span, [powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, span, () => 2000)], { settings: settings({ tariffs }) });

    expect(result.cost!.demandCharge).toBeNull();
    expect(result.monthlyDemand).toEqual([]);
    const demandWarnings = result.warnings.filter((warning) => warning.startsWith('no demand charge computed for'));
    expect(demandWarnings).toEqual([
      "no demand charge computed for 2026-01 and 2026-02 because 2026-01-20/2026-02-10 covers these months only in part and demand charges are billed per calendar month: open each month's report for its peak and charge",
    ]);
  });

  it('charges the whole months of a custom span', () => {
    const tariffs = [{ validFrom: '2025-06-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) }];
    // 40 days, so the energy comes from hourly rows and the peaks from the 15-minute rows.
    const span = periodRangeFromQuery({ period: 'custom', date: '2026-01-20', from: '2026-01-20', to: '2026-02-28' }, 'Europe/Paris');
    const hourly = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, span, () => 2000, 60 * MINUTE);
    const quarterly = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, span, (start) => (start === spike ? 12_000 : 2000));
    const result = report(span, [hourly], { settings: settings({ tariffs }), demandMeters: [quarterly] });

    expect(result.monthlyDemand.map((month) => [month.month, month.peak?.powerKw, month.demandCharge])).toEqual([['2026-02', 2, 20]]);
    expect(result.cost!.demandCharge).toBe(20);
    expect(result.peakDemand).toEqual({ start: spike, end: spike + QUARTER, powerKw: 12 });
    expect(result.warnings.filter((warning) => warning.startsWith('no demand charge computed for'))).toEqual([
      "no demand charge computed for 2026-01 because 2026-01-20/2026-02-28 covers this month only in part and demand charges are billed per calendar month: open each month's report for its peak and charge",
    ]);
  });

  it('warns about a year without 15-minute data', () => {
    const year = period('year', '2026-01-20', 'Europe/Paris');
    const tariffs = [
      { validFrom: '2025-06-01', tariff: flat(0.25) },
      { validFrom: '2026-07-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) },
    ];
    const result = report(year, [powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, () => 2000, 60 * MINUTE)], { settings: settings({ tariffs }) });

    expect(result.peakDemand).toBeNull();
    expect(result.cost!.demandCharge).toBeNull();
    expect(result.monthlyDemand).toHaveLength(12);
    expect(result.monthlyDemand.every((month) => month.peak === null && month.demandCharge === null)).toBe(true);
    expect(result.warnings.filter((warning) => warning.startsWith('no demand charge computed for'))).toEqual([
      'no demand charge computed for 2026-07, 2026-08, 2026-09, 2026-10, 2026-11 and 2026-12 because only hourly data was read and demand needs 15-minute data',
    ]);
  });

  it('charges each month of a year', () => {
    const year = period('year', '2026-01-20', 'Europe/Paris');
    const tariffs = [
      { validFrom: '2025-06-01', tariff: flat(0.25) },
      { validFrom: '2026-07-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) },
    ];
    // 2 kW all year, 15 kW in one quarter hour in March and 12 kW in one in August.
    const march = utc('2026-03-10T09:00:00Z');
    const august = utc('2026-08-20T16:30:00Z');
    const spikes = new Map([
      [march, 15_000],
      [august, 12_000],
    ]);
    const powerAt = (start: number) => spikes.get(start) ?? 2000;
    const hourly = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, () => 2000, 60 * MINUTE);
    const quarterly = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, powerAt, QUARTER);
    const result = report(year, [hourly], { settings: settings({ tariffs }), demandMeters: [quarterly] });

    expect(result.sourceResolution).toBe('1h');
    expect(result.peakDemand).toEqual({ start: march, end: march + QUARTER, powerKw: 15 });
    expect(result.monthlyDemand.map((month) => month.month)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'].map((month) => `2026-${month}`));
    expect(result.monthlyDemand[2]!.peak).toEqual({ start: march, end: march + QUARTER, powerKw: 15 });
    expect(result.monthlyDemand[2]!.demandCharge).toBeNull();
    expect(result.monthlyDemand[7]!.peak).toEqual({ start: august, end: august + QUARTER, powerKw: 12 });
    expect(result.monthlyDemand[7]!.demandCharge).toBe(120);
    expect(result.monthlyDemand[8]!.demandCharge).toBe(20);
    // July and September to December at 2 kW, August at 12 kW.
    expect(result.cost!.demandCharge).toBe(5 * 20 + 120);
    expect(result.warnings.filter((warning) => warning.includes('demand'))).toEqual([]);
  });

  it('ignores demand meters of other flows', () => {
    const year = period('year', '2026-01-20', 'Europe/Paris');
    const tariffs = [{ validFrom: '2025-06-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) }];
    const grid = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, () => 2000, 60 * MINUTE);
    const pv = powerMeter({ id: 'pv.power', role: 'pv', unit: 'W' }, year, () => 50_000, QUARTER);
    const result = report(year, [grid], { settings: settings({ tariffs }), demandMeters: [pv], now: year.end });

    expect(result.peakDemand).toBeNull();
    expect(result.monthlyDemand.every((month) => month.peak === null)).toBe(true);
    expect(result.warnings).toContain(
      'no demand charge computed for 2026-01, 2026-02, 2026-03, 2026-04, 2026-05, 2026-06, 2026-07, 2026-08, 2026-09, 2026-10, 2026-11 and 2026-12 ' +
        'because the grid import has hourly rows there but no 15-minute rows, for example because they are past their retention: demand needs 15-minute data',
    );
  });

  it('warns about a peak from part of a month', () => {
    const year = period('year', '2026-01-20', 'Europe/Paris');
    const tariffs = [{ validFrom: '2025-06-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) }];
    const marchHalf = (start: number) => start >= utc('2026-03-01T00:00:00Z') && start < utc('2026-03-16T00:00:00Z');
    const grid = hourlyOfQuarters(powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, () => 2000, 60 * MINUTE));
    const quarterly = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, (start) => (marchHalf(start) ? undefined : 2000));
    const result = report(year, [grid], { settings: settings({ tariffs }), demandMeters: [quarterly], now: year.end });

    expect(result.monthlyDemand[2]!.demandCharge).toBe(20);
    expect(result.warnings).toContain(
      'the demand charge of 2026-03 (51%) comes from 15-minute grid import rows that hold only that share of the samples of its hourly rows, so the real peak may be higher: check the 15-minute data of that month',
    );
    expect(result.warnings.filter((warning) => warning.includes('demand'))).toHaveLength(1);
  });

  it('trusts complete quarter hours around outages', () => {
    const year = period('year', '2026-01-20', 'Europe/Paris');
    const tariffs = [{ validFrom: '2025-06-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) }];
    const outages = [
      [utc('2026-03-05T10:50:00Z'), utc('2026-03-05T12:50:00Z')],
      [utc('2026-03-12T10:50:00Z'), utc('2026-03-12T12:50:00Z')],
    ] as const;
    const quarterly = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, (start) => (outages.some(([from, to]) => start >= from && start + QUARTER <= to) ? undefined : 2000));
    // Each hourly row sums the samples of the quarter hours it holds, as the store rolls them up.
    const hourly = { ...quarterly, rows: rollUpHours(quarterly.rows) };
    const result = report(year, [hourly], { settings: settings({ tariffs }), demandMeters: [quarterly], now: year.end });

    expect(result.monthlyDemand[2]!.demandCharge).toBe(20);
    expect(result.warnings.filter((warning) => warning.includes('demand'))).toEqual([]);
  });

  it('warns about a running month without readings', () => {
    const year = period('year', '2026-01-20', 'Europe/Paris');
    const tariffs = [{ validFrom: '2025-06-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) }];
    const now = utc('2026-03-25T12:00:00Z');
    const untilMarch = (start: number) => (start < utc('2026-02-28T23:00:00Z') ? 2000 : undefined);
    const grid = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, untilMarch, 60 * MINUTE);
    const quarterly = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, untilMarch);
    const result = report(year, [grid], { settings: settings({ tariffs }), demandMeters: [quarterly], now });

    expect(result.cost!.demandCharge).toBe(40);
    expect(result.warnings).toContain(
      'no demand charge computed for 2026-03 because no grid import reading gives a 15-minute peak: check that the grid meter measures import and its device is polled',
    );
  });

  it('bills as many previous months across a leap day', () => {
    const tariffs = [{ validFrom: '2020-01-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) }];
    const current = period('year', '2028-01-20', 'Europe/Paris');
    const before = period('year', '2027-01-20', 'Europe/Paris');
    const now = utc('2028-02-29T12:00:00Z');
    const sofar = (start: number) => (start < now ? 2000 : undefined);
    const spec = { id: 'grid.power', role: 'grid', unit: 'W' } as const;
    const result = report(current, [powerMeter(spec, current, sofar, 60 * MINUTE)], {
      settings: settings({ tariffs }),
      demandMeters: [powerMeter(spec, current, sofar)],
      previous: { range: before, meters: [powerMeter(spec, before, () => 2000, 60 * MINUTE)], demandMeters: [powerMeter(spec, before, () => 2000)] },
      now,
    });

    expect(result.cost!.demandCharge).toBe(40);
    expect(result.previous!.netCost! - result.cost!.net).toBeCloseTo(0, 6);
  });

  it('warns about a demand change inside a month', () => {
    const year = period('year', '2026-01-20', 'Europe/Paris');
    const tariffs = [
      { validFrom: '2025-06-01', tariff: flat(0.25) },
      { validFrom: '2026-03-15', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) },
    ];
    const grid = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, () => 2000, 60 * MINUTE);
    const quarterly = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, () => 2000);
    const result = report(year, [grid], { settings: settings({ tariffs }), demandMeters: [quarterly], now: year.end });

    expect(result.monthlyDemand[2]!.demandCharge).toBeNull();
    expect(result.monthlyDemand[3]!.demandCharge).toBe(20);
    expect(result.warnings).toContain(
      'the tariff valid from 2026-03-15 changes the demand charge inside 2026-03, which is billed by the tariff valid on 2026-03-01: date demand charge changes from the 1st of a month',
    );
  });

  it('names only tariffs that change demand', () => {
    const year = period('year', '2026-01-20', 'Europe/Paris');
    const demand = { demand: { pricePerKw: 12, intervalMinutes: 15 } };
    const tariffs = [
      { validFrom: '2025-01-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) },
      { validFrom: '2026-03-10', tariff: flat(0.25, demand) },
      { validFrom: '2026-03-20', tariff: flat(0.3, demand) },
      { validFrom: '2026-03-25', tariff: flat(0.3, demand) },
    ];
    const result = report(year, [powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, () => 2000, 60 * MINUTE)], {
      settings: settings({ tariffs }),
      demandMeters: [powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, () => 2000)],
      now: year.end,
    });

    expect(result.warnings.filter((warning) => warning.startsWith('the tariff valid from'))).toEqual([
      'the tariff valid from 2026-03-10 changes the demand charge inside 2026-03, which is billed by the tariff valid on 2026-03-01: date demand charge changes from the 1st of a month',
    ]);
  });

  it('names only billed partial months', () => {
    const tariffs = [
      { validFrom: '2020-01-01', tariff: flat(0.25) },
      { validFrom: '2026-03-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) },
      { validFrom: '2026-05-01', tariff: flat(0.25) },
    ];
    const span = periodRangeFromQuery({ period: 'custom', date: '2026-01-15', from: '2026-01-15', to: '2026-06-10' }, 'Europe/Paris');
    const grid = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, span, () => 2000, 60 * MINUTE);
    const quarterly = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, span, () => 2000);
    const result = report(span, [grid], { settings: settings({ tariffs }), demandMeters: [quarterly], now: span.end });

    expect(result.monthlyDemand.map((month) => month.demandCharge)).toEqual([null, 20, 20, null]);
    expect(result.warnings.filter((warning) => warning.includes('only in part'))).toEqual([]);
  });

  it('names no partial month still to come', () => {
    const tariffs = [{ validFrom: '2020-01-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) }];
    const span = periodRangeFromQuery({ period: 'custom', date: '2026-11-15', from: '2026-11-15', to: '2027-01-10' }, 'Europe/Paris');
    const grid = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, span, () => 2000, 60 * MINUTE);
    const result = report(span, [grid], { settings: settings({ tariffs }), demandMeters: [], now: utc('2026-12-01T12:00:00Z') });

    expect(result.warnings.filter((warning) => warning.includes('only in part'))).toEqual([
      "no demand charge computed for 2026-11 because 2026-11-15/2027-01-10 covers this month only in part and demand charges are billed per calendar month: open each month's report for its peak and charge",
    ]);
  });

  it('skips the warning in a month just begun', () => {
    const year = period('year', '2026-01-20', 'Europe/Paris');
    const tariffs = [{ validFrom: '2025-06-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) }];
    const now = utc('2026-02-28T23:10:00Z');
    const grid = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, (start) => (start < utc('2026-02-28T23:00:00Z') ? 2000 : undefined), 60 * MINUTE);
    const quarterly = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, (start) => (start < utc('2026-02-28T23:00:00Z') ? 2000 : undefined));
    const result = report(year, [grid], { settings: settings({ tariffs }), demandMeters: [quarterly], now });

    expect(result.monthlyDemand.map((month) => month.demandCharge).slice(0, 3)).toEqual([20, 20, null]);
    expect(result.warnings.filter((warning) => warning.includes('demand'))).toEqual([]);
  });

  it('skips months still to come', () => {
    const year = period('year', '2026-01-20', 'Europe/Paris');
    const tariffs = [{ validFrom: '2025-06-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) }];
    const now = utc('2026-02-10T12:00:00Z');
    const grid = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, (start) => (start < now ? 2000 : undefined), 60 * MINUTE);
    const quarterly = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, (start) => (start < now - HOUR ? 2000 : undefined));
    const result = report(year, [grid], { settings: settings({ tariffs }), demandMeters: [quarterly], now });

    expect(result.monthlyDemand.map((month) => month.demandCharge)).toEqual([20, 20, null, null, null, null, null, null, null, null, null, null]);
    expect(result.cost!.demandCharge).toBe(40);
    expect(result.warnings.filter((warning) => warning.includes('demand'))).toEqual([]);
  });

  it('skips the warning without demand tariffs', () => {
    const year = period('year', '2026-01-20', 'Europe/Paris');
    const tariffs = [
      { validFrom: '2025-06-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) },
      { validFrom: '2026-01-01', tariff: flat(0.25) },
      { validFrom: '2027-01-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) },
    ];
    const result = report(year, [powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, () => 2000, 60 * MINUTE)], { settings: settings({ tariffs }) });

    expect(result.warnings.filter((warning) => warning.includes('demand'))).toEqual([]);
  });

  it('warns about a month without a peak', () => {
    const tariffs = [{ validFrom: '2025-06-01', tariff: flat(0.25, { demand: { pricePerKw: 10, intervalMinutes: 15 } }) }];
    const exportOnly = powerMeter({ id: 'grid.export', role: 'grid-export', unit: 'W' }, month, () => 1000);
    const result = report(month, [exportOnly], { settings: settings({ tariffs }) });

    expect(result.peakDemand).toBeNull();
    expect(result.cost!.demandCharge).toBeNull();
    expect(result.warnings).toContain(
      'no demand charge computed for 2026-01 because no grid import reading gives a 15-minute peak: check that the grid meter measures import and its device is polled',
    );
  });

  it('prices each day by the tariff valid then', () => {
    const tariffs = [
      { validFrom: '2026-01-16', tariff: flat(0.3) },
      { validFrom: '2026-01-01', tariff: flat(0.2) },
    ];
    const result = report(month, [grid], { settings: settings({ tariffs }) });

    expect(result.buckets[14]!.netCost).toBeCloseTo(48 * 0.2, 9);
    expect(result.buckets[15]!.netCost).toBeCloseTo(48 * 0.3, 9);
    // 15 days at 0.20 and 16 days at 0.30, plus the spike's 2.5 kWh on the 20th.
    expect(result.cost!.importCost).toBeCloseTo(15 * 48 * 0.2 + (16 * 48 + 2.5) * 0.3, 9);
    expect(result.cost!.byTariffPeriod).toEqual([{ name: 'flat', importWh: expect.closeTo(744 * 2000 + 2500, 6), importCost: expect.closeTo(result.cost!.importCost, 9) }]);
  });

  it('leaves days before the first tariff unpriced', () => {
    const result = report(month, [grid], { settings: settings({ tariffs: [{ validFrom: '2026-01-16', tariff: flat(0.3) }] }) });

    expect(result.cost!.unpricedImportWh).toBeCloseTo(15 * 48_000, 9);
    expect(result.buckets[0]!.netCost).toBeNull();
    expect(result.buckets[15]!.netCost).toBeCloseTo(48 * 0.3, 9);
    expect(result.warnings).toContain('part of 2026-01 has no tariff, so 720.000 kWh of import is not priced: add a tariff valid from 2026-01-01');
  });
});

describe('cost without a usable tariff', () => {
  const day = period('day', '2026-01-14', 'Europe/Paris');
  const grid = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, day, () => 1000);

  it('is null without a tariff', () => {
    const result = report(day, [grid]);

    expect(result.cost).toBeNull();
    expect(result.costStatus).toBe('no-tariff');
    expect(result.buckets.every((bucket) => bucket.netCost === null)).toBe(true);
    expect(result.meters[0]!.cost).toBeNull();
    expect(result.warnings).toContain("no cost computed because no tariff applies to 2026-01-14, as the site has no tariff: add a tariff in the site's energy settings");
  });

  it('is null on a currency mismatch', () => {
    const tariffs = [{ validFrom: '2026-01-01', tariff: { ...flat(0.2), currency: 'CHF' } }];
    const result = report(day, [grid], { settings: settings({ tariffs }) });

    expect(result.cost).toBeNull();
    expect(result.costStatus).toBe('currency-mismatch');
    expect(result.warnings).toContain('no cost computed because a tariff is priced in CHF but the organization uses EUR: enter the tariff in EUR');
  });

  it('uses the tariff currency on a standalone edge', () => {
    const tariffs = [{ validFrom: '2026-01-01', tariff: { ...flat(0.2), currency: 'CHF' } }];
    const result = report(day, [grid], { currency: null, settings: settings({ tariffs }) });

    expect(result.cost!.currency).toBe('CHF');
    expect(result.cost!.importCost).toBeCloseTo(24 * 0.2, 9);
  });

  it('sums the previous net cost', () => {
    const tariffs = [{ validFrom: '2026-01-01', tariff: flat(0.2) }];
    const yesterday = period('day', '2026-01-13', 'Europe/Paris');
    const result = report(day, [grid], {
      settings: settings({ tariffs }),
      previous: { range: yesterday, meters: [powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, yesterday, () => 500)] },
    });

    expect(result.previous!.netCost).toBeCloseTo(12 * 0.2, 9);
    expect(result.previous!.period.hours).toBe(24);
  });
});
