import { describe, expect, it } from 'vitest';
import { computeEnergyReport, periodRange, reportPointIds, reportRowWindow } from '../../src/index';
import type { ReportMeterInput, ReportRollupRow } from '../../src/index';
import { counterMeter, HOUR, linearKwh, MINUTE, period, powerMeter, QUARTER, report, settings, sum, utc } from './report-fixtures';

const day = period('day', '2026-01-14', 'UTC');
const at = (time: string): number => utc(`2026-01-14T${time}:00Z`);
const hourlyWh = (values: readonly number[]): number[] => values.map((value) => Math.round(value * 1000) / 1000);

describe('reportRowWindow', () => {
  it('reads 15-minute rows for a month', () => {
    const month = period('month', '2026-01-10', 'Europe/Paris');
    const window = reportRowWindow(month);

    expect(window.resolution).toBe('15m');
    expect(window.from).toBe(month.start - 2 * HOUR);
    expect(window.to).toBe(month.end + 15 * MINUTE);
  });

  it('reads hourly rows for a year', () => {
    const year = period('year', '2026-01-10', 'Europe/Paris');
    const window = reportRowWindow(year);

    expect(window.resolution).toBe('1h');
    expect(window.from).toBe(year.start - 6 * HOUR);
    expect(window.to).toBe(year.end + HOUR);
  });

  it('switches after 31 days and one hour', () => {
    const start = utc('2026-01-01T00:00:00Z');
    expect(reportRowWindow({ start, end: start + 31 * 24 * HOUR + HOUR }).resolution).toBe('15m');
    expect(reportRowWindow({ start, end: start + 31 * 24 * HOUR + HOUR + 1 }).resolution).toBe('1h');
  });
});

describe('reportPointIds', () => {
  it('lists role points and formula inputs', () => {
    const points = [
      { id: 'grid.power', role: 'grid' as const },
      { id: 'heatpump.power', role: null },
      { id: 'lights.power', role: null },
      { id: 'pv.energy', role: 'pv' as const },
    ];
    const energySettings = settings({
      virtualMeters: [
        { id: 'heat', name: 'Heat', unit: 'W', formula: '{heatpump.power} * 2' },
        { id: 'double-heat', name: 'Double heat', unit: 'W', formula: 'heat * 2 + {not.loaded}' },
      ],
    });

    expect([...reportPointIds(points, energySettings)].sort()).toEqual(['grid.power', 'heatpump.power', 'pv.energy']);
  });
});

describe('counter energy', () => {
  // The counter grows 1 kWh per hour. It is reset to 0 at 06:00, and no rows arrive from 12:00 to 15:00.
  const valueAt = (ts: number): number | undefined => {
    if (ts >= at('12:00') && ts < at('15:00')) return undefined;
    return ts >= at('06:00') ? linearKwh(at('06:00'), 1)(ts) : 100 + linearKwh(day.start, 1)(ts);
  };
  const result = report(day, [counterMeter({ id: 'house.energy', role: 'consumption', unit: 'kWh' }, day, valueAt)]);
  const meter = result.meters[0]!;

  it('books growth across a reset', () => {
    expect(meter.method).toBe('counter');
    expect(meter.resets).toBe(1);
    // Lost: 05:59 to 06:00 before the reset and 11:59 to 15:14 in the gap. The day's last minute is
    // booked from the reading at 00:14 the next day.
    expect(meter.energyWh).toBeCloseTo(24_000 - (196 / 60) * 1000, 6);
    expect(result.totals.consumptionWh).toBeCloseTo(meter.energyWh, 6);
    expect(result.consumptionSource).toBe('meter');
  });

  it('leaves growth over a gap unattributed', () => {
    expect(meter.unattributedWh).toBeCloseTo(3250, 6);
    expect(meter.gaps).toEqual([{ from: at('11:59'), to: at('15:14') }]);
    expect(meter.coverage).toBeCloseTo(1 - 195 / 1440, 9);
    expect(hourlyWh(result.buckets.map((bucket) => bucket.consumptionWh)).slice(0, 3)).toEqual([1000, 1000, 1000]);
    expect(result.buckets[13]!.consumptionWh).toBe(0);
  });

  it('warns about reset, gap and coverage', () => {
    expect(result.warnings.some((warning) => warning.includes('counter "house.energy" dropped 1 time'))).toBe(true);
    expect(result.warnings.some((warning) => warning.includes('grew by 3.250 kWh across gaps longer than 2 h'))).toBe(true);
    expect(result.warnings.some((warning) => warning.includes('meter "house.energy" covers 86.5% of the period and 1 gap(s)'))).toBe(true);
  });

  it('converts MWh counters', () => {
    const mwh = report(day, [counterMeter({ id: 'main.energy', role: 'grid-import', unit: 'MWh' }, day, (ts) => linearKwh(day.start, 1)(ts) / 1000)]);

    expect(mwh.totals.gridImportWh).toBeCloseTo(24_000, 6);
  });
});

describe('counter glitches', () => {
  /** A kWh counter at 5000 kWh at midnight growing 1 kWh per hour, so the day's energy is 24,000 Wh. */
  const growingKwh = (ts: number): number => 5000 + (ts - day.start) / HOUR;
  const house = { id: 'house.energy', role: 'consumption' as const, unit: 'kWh' as const };

  it('ignores a drop by float noise', () => {
    // The 10:14 reading repeats the 09:59 value minus 0.0005 kWh, about one float32 step (0.00049 kWh) at 5000 kWh.
    const valueAt = (ts: number): number => (ts === at('10:14') ? growingKwh(at('09:59')) - 0.0005 : growingKwh(ts));
    const result = report(day, [counterMeter(house, day, valueAt)]);

    expect(result.meters[0]!.resets).toBe(0);
    expect(result.totals.consumptionWh).toBeGreaterThan(23_999);
    expect(result.totals.consumptionWh).toBeLessThan(24_001);
  });

  it('ignores a single zero reading', () => {
    // Meters and gateways report 0 while they boot, so a row whose last value is 0 is a glitch.
    const valueAt = (ts: number): number => (ts === at('10:14') ? 0 : growingKwh(ts));
    const result = report(day, [counterMeter(house, day, valueAt)]);

    expect(result.meters[0]!.resets).toBe(0);
    expect(result.meters[0]!.energyWh).toBeLessThan(24_001);
    expect(result.totals.consumptionWh).toBeGreaterThan(23_999);
    expect(result.totals.consumptionWh).toBeLessThan(24_001);
  });

  it('books a rollover with rolloverAt', () => {
    // A uint32 Wh register that wraps at 12:00: 1 kWh per hour from 2^32 - 12,000 Wh at midnight.
    const wrapAt = 2 ** 32;
    const valueAt = (ts: number): number => (wrapAt - 12_000 + ((ts - day.start) / HOUR) * 1000) % wrapAt;
    const meter = counterMeter({ id: 'house.energy', role: 'consumption', unit: 'Wh' }, day, valueAt);

    expect(report(day, [{ ...meter, rolloverAt: wrapAt }]).totals.consumptionWh).toBeCloseTo(24_000, 6);
    // Taken as a reset, the 11:59 to 12:14 step books only the 233 Wh after the wrap instead of 250 Wh.
    expect(report(day, [meter]).totals.consumptionWh).toBeCloseTo(24_000 - 1000 / 60, 6);
  });
});

describe('period end', () => {
  // The counter is flat all day and grows by 1.5 kWh between its readings at 23:59 and 00:14 the next day.
  const spec = { id: 'grid.energy', role: 'grid-import' as const, unit: 'kWh' as const };
  const valueAt = (ts: number): number => (ts < day.end ? 0 : 1.5);

  it('loads one row after the end', () => {
    const counter = counterMeter(spec, day, valueAt);

    expect(counter.rows.at(-1)!.start).toBe(day.end);
    expect(counter.rows.at(-1)!.lastTs).toBe(day.end + 14 * MINUTE);
  });

  it('splits the tail at the end', () => {
    const result = report(day, [counterMeter(spec, day, valueAt)]);

    // One of the 15 minutes between the readings falls in the day.
    expect(result.totals.gridImportWh).toBeCloseTo(100, 9);
    expect(result.buckets[23]!.gridImportWh).toBeCloseTo(100, 9);
    expect(result.meters[0]!.coverage).toBe(1);
  });

  it('books the rest in the next day', () => {
    const nextDay = period('day', '2026-01-15', 'UTC');
    const result = report(nextDay, [counterMeter(spec, nextDay, valueAt)]);

    expect(result.totals.gridImportWh).toBeCloseTo(1400, 9);
    expect(result.buckets[0]!.gridImportWh).toBeCloseTo(1400, 9);
  });

  it('loses the tail without a row after the end', () => {
    const counter = counterMeter(spec, day, valueAt);
    const result = report(day, [{ ...counter, rows: counter.rows.filter((row) => row.start < day.end) }]);

    expect(result.totals.gridImportWh).toBe(0);
    expect(result.meters[0]!.coverage).toBeCloseTo(1 - 1 / 1440, 9);
  });

  it('integrates no power row after the end', () => {
    const grid = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, day, (start) => (start < day.end ? 1000 : 50_000));
    const result = report(day, [grid]);

    expect(grid.rows.at(-1)!.start).toBe(day.end);
    expect(result.totals.gridImportWh).toBe(24_000);
    expect(result.buckets[23]!.gridImportWh).toBe(1000);
  });
});

describe('running and past periods', () => {
  const charger = { id: 'charger.energy', role: 'ev' as const, unit: 'kWh' as const };
  const growingKwh = (ts: number): number => 5000 + (ts - day.start) / HOUR;
  const coverageWarning = (warnings: readonly string[]) => warnings.find((warning) => warning.startsWith('meter "charger.energy" covers'));

  it('flags an outage at period end', () => {
    // No rows from 22:30 on, and the day is over: its last 90 minutes are missing.
    const meter = counterMeter(charger, day, (ts) => (ts < at('22:30') ? growingKwh(ts) : undefined));
    const result = report(day, [meter], { now: day.end + 24 * HOUR });

    expect(result.meters[0]!.coverage).toBeLessThan(0.95);
    expect(coverageWarning(result.warnings)).toMatch(/^meter "charger.energy" covers 93\.7% of the period/);
  });

  it('ignores the future of a running period', () => {
    const meter = counterMeter(charger, day, (ts) => (ts < at('22:30') ? growingKwh(ts) : undefined));
    const result = report(day, [meter], { now: at('22:31') });

    expect(coverageWarning(result.warnings)).toBeUndefined();
  });

  it('states both coverage shares while running', () => {
    // At 12:00 the house meter has data all morning, but the charger only from 11:00 to 11:15.
    const now = at('12:00');
    const house = powerMeter({ id: 'house.power', role: 'consumption', unit: 'W' }, day, (start) => (start < now ? 1000 : undefined));
    const meter = counterMeter(charger, day, (ts) => (ts >= at('10:59') && ts < at('11:15') ? growingKwh(ts) : undefined));
    const result = report(day, [house, meter], { now });
    const wholeCoverage = result.meters.find((entry) => entry.id === 'charger.energy')!.coverage;

    expect((wholeCoverage * 100).toFixed(1)).toBe('1.0');
    expect(coverageWarning(result.warnings)).toMatch(/^meter "charger\.energy" covers 2\.1% of the period up to the newest reading of any meter \(1\.0% of the whole period\)/);
  });

  it('cuts an open power row at now', () => {
    // The 10:00 row is still open at 10:07, so only its first 7 minutes count.
    const now = at('10:07');
    const house = powerMeter({ id: 'house.power', role: 'consumption', unit: 'W' }, day, (start) => (start <= now ? 1000 : undefined));
    const result = report(day, [house], { now });

    expect(result.totals.consumptionWh).toBeCloseTo(1000 * (10 + 7 / 60), 6);
    expect(result.warnings.filter((warning) => warning.startsWith('meter "house.power"'))).toEqual([]);
  });
});

describe('power integration', () => {
  it('integrates row means and lists gaps', () => {
    const powerAt = (start: number): number | null | undefined => {
      if (start >= at('03:00') && start < at('04:00')) return null;
      if (start >= at('05:00') && start < at('05:30')) return undefined;
      return 2000;
    };
    const result = report(day, [powerMeter({ id: 'house.power', role: 'consumption', unit: 'W' }, day, powerAt)]);
    const meter = result.meters[0]!;

    expect(meter.method).toBe('power-integration');
    expect(meter.energyWh).toBe(45_000);
    expect(meter.coverage).toBe(22.5 / 24);
    expect(meter.gaps).toEqual([
      { from: at('03:00'), to: at('04:00') },
      { from: at('05:00'), to: at('05:30') },
    ]);
    expect(meter.unattributedWh).toBeNull();
    expect(result.buckets[3]!.consumptionWh).toBe(0);
    expect(result.buckets[5]!.consumptionWh).toBe(1000);
  });

  it('converts kW rows to energy', () => {
    const result = report(day, [powerMeter({ id: 'pv.power', role: 'pv', unit: 'kW' }, day, () => 1.5)]);

    expect(result.totals.pvWh).toBe(36_000);
  });

  it('splits signed grid power into import and export', () => {
    // Import 2 kW before noon, export 1 kW after.
    const grid = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, day, (start) => (start < at('12:00') ? 2000 : -1000));
    const result = report(day, [grid]);

    expect(result.totals.gridImportWh).toBe(24_000);
    expect(result.totals.gridExportWh).toBe(12_000);
    expect(result.meters[0]!.energyWh).toBe(24_000);
    expect(result.meters[0]!.reverseEnergyWh).toBe(12_000);
    // The balance of an exporting bucket is negative, so it is clamped at 0 rather than cancelling the morning.
    expect(result.consumptionSource).toBe('balance');
    expect(result.totals.consumptionWh).toBe(24_000);
    expect(result.missingFlows).toEqual(['pv', 'batteryCharge', 'batteryDischarge', 'ev']);
  });

  it('drops negative means of a one-way role', () => {
    const pv = powerMeter({ id: 'pv.power', role: 'pv', unit: 'W' }, day, (start) => (start < at('06:00') ? -20 : 1000));
    const result = report(day, [pv]);

    expect(result.totals.pvWh).toBe(18_000);
    expect(result.meters[0]!.reverseEnergyWh).toBe(0);
  });
});

describe('counter and power of one device', () => {
  const counterSpec = { id: 'main.energy', role: 'grid-import' as const, unit: 'kWh' as const };
  const powerSpec = { id: 'main.power', role: 'grid' as const, unit: 'W' as const };

  it('falls back to power where the counter has a gap', () => {
    const counter = counterMeter(counterSpec, day, (ts) => (ts >= at('12:00') && ts < at('15:00') ? undefined : linearKwh(day.start, 1)(ts)));
    const result = report(day, [counter, powerMeter(powerSpec, day, () => 1000)]);
    const [counterResult, powerResult] = result.meters;

    expect(counterResult!.method).toBe('mixed');
    expect(counterResult!.energyWh).toBeCloseTo(24_000, 6);
    expect(counterResult!.coverage).toBe(1);
    expect(counterResult!.unattributedWh).toBeNull();
    expect(powerResult!.method).toBe('power-integration');
    expect(powerResult!.energyWh).toBe(24_000);
    expect(result.totals.gridImportWh).toBeCloseTo(24_000, 6);
    expect(hourlyWh(result.buckets.map((bucket) => bucket.gridImportWh)).slice(11, 16)).toEqual([1000, 1000, 1000, 1000, 1000]);
  });

  it('counts the device once', () => {
    const counter = counterMeter(counterSpec, day, linearKwh(day.start, 1));
    const result = report(day, [counter, powerMeter(powerSpec, day, () => 1000)]);

    // The counter covers every bucket, up to its reading after the day's end, so the power point fills none.
    expect(result.totals.gridImportWh).toBeCloseTo(24_000, 6);
    expect(result.meters.map((meter) => meter.id)).toEqual(['main.energy', 'main.power']);
    expect(result.meters[0]!.method).toBe('counter');
    expect(result.meters[1]!.energyWh).toBe(24_000);
    // The power point still feeds export, which the import counter does not count.
    expect(result.missingFlows).not.toContain('gridExport');
  });

  it('keeps a live counter over power', () => {
    const SAMPLE_MS = 5000;
    // The power point reads 2,000 W but the counter grows by 1 kWh an hour. A sample comes every 5 s, the
    // open row's last reading is the newest sample, and each report is computed 2 s after a sample.
    const rowsUntil = (sampleTs: number, valueAt: (ts: number) => number): ReportRollupRow[] => {
      const rows: ReportRollupRow[] = [];
      for (let start = at('10:00'); start <= sampleTs; start += QUARTER) {
        const lastTs = Math.min(start + QUARTER - SAMPLE_MS, sampleTs);
        rows.push({ start, end: start + QUARTER, count: 15, sum: valueAt(lastTs) * 15, last: valueAt(lastTs), lastTs });
      }
      return rows;
    };
    const meters = (sampleTs: number): ReportMeterInput[] => [
      { id: 'main.energy', device: 'main', name: 'Energy', role: 'grid-import', unit: 'kWh', kind: 'counter', nodeId: null, rows: rowsUntil(sampleTs, linearKwh(day.start, 1)) },
      { id: 'main.power', device: 'main', name: 'Power', role: 'grid', unit: 'W', kind: 'gauge', nodeId: null, rows: rowsUntil(sampleTs, () => 2000) },
    ];
    const totals: number[] = [];
    for (let sampleTs = at('10:01'); sampleTs <= at('12:00'); sampleTs += SAMPLE_MS) {
      totals.push(report(day, meters(sampleTs), { now: sampleTs + 2000 }).totals.gridImportWh);
    }

    const drops = totals.filter((total, i) => i > 0 && total < totals[i - 1]! - 1e-9);
    expect(drops).toEqual([]);
    // The counter's first reading comes at 10:14:55, so power fills 10:00 to 10:15 (500 Wh) and the
    // counter books 10:15 to its newest reading at 12:00 (1,750 Wh). That reading is alone in the 12:00
    // row, so power fills the 2 s from it to now (2,000 W for 2 s).
    expect(totals[totals.length - 1]).toBeCloseTo(2250 + (2000 * 2) / 3600, 6);
  });

  it('uses power after a silent counter', () => {
    const counter = counterMeter(counterSpec, day, (ts) => (ts < at('09:00') ? linearKwh(day.start, 1)(ts) : undefined));
    const power = powerMeter(powerSpec, day, (start) => (start < at('12:00') ? 1000 : undefined));
    const live = report(day, [counter, power], { now: at('10:30') });
    const silent = report(day, [counter, power], { now: at('12:00') });

    // At 10:30 the counter's newest reading (08:59) is within the 2-hour gap limit, but it covers
    // nothing after 09:00 yet, so power fills those buckets rather than leaving them empty.
    expect(live.meters[0]!.method).toBe('mixed');
    // Counter growth to 08:59 (1 kWh an hour) plus 1,000 W of power from 09:00 to 10:30.
    expect(live.totals.gridImportWh).toBeCloseTo(((8 * 60 + 59) / 60) * 1000 + 1500, 6);
    expect(silent.meters[0]!.method).toBe('mixed');
    expect(silent.totals.gridImportWh).toBeCloseTo(12_000, 6);
  });

  it('keeps counter method without power', () => {
    const result = report(day, [counterMeter({ id: 'pv.energy', role: 'pv', unit: 'Wh' }, day, (ts) => linearKwh(day.start, 1)(ts) * 1000)]);

    expect(result.meters[0]!.method).toBe('counter');
    expect(result.meters[0]!.unattributedWh).toBe(0);
    expect(result.totals.pvWh).toBeCloseTo(24_000, 6);
  });

  it('marks a silent point as none', () => {
    const silent = powerMeter({ id: 'ev.power', role: 'ev', unit: 'W' }, day, () => undefined);
    const result = report(day, [silent]);

    expect(result.meters[0]!.method).toBe('none');
    expect(result.meters[0]!.coverage).toBe(0);
    expect(result.warnings).toContain('meter "ev.power" has no readings in the period: check that device "ev" is online and the point is polled');
  });

  it('rejects a point that is neither energy nor power', () => {
    const voltage = powerMeter({ id: 'grid.voltage', role: 'grid', unit: 'V' }, day, () => 230);
    const result = report(day, [voltage]);

    expect(result.meters[0]!.method).toBe('none');
    expect(result.missingFlows).toContain('gridImport');
    expect(result.warnings[0]).toMatch(/unit "V", which is neither energy/);
  });
});

describe('meter order', () => {
  const nodes = [{ id: 'hall', parentId: null, kind: 'building' as const, name: 'Hall' }];
  const meters = [
    powerMeter({ id: 'pv.power', role: 'pv', unit: 'W' }, day, () => 1500),
    counterMeter({ id: 'grid.energy', role: 'grid-import', unit: 'kWh' }, day, linearKwh(day.start, 2)),
    powerMeter({ id: 'office.power', role: 'consumption', unit: 'W', nodeId: 'hall' }, day, () => 700),
    powerMeter({ id: 'ev.power', role: 'ev', unit: 'W' }, day, () => undefined),
    powerMeter({ id: 'hall.power', role: 'consumption', unit: 'W', nodeId: 'hall' }, day, () => 300),
    powerMeter({ id: 'grid.voltage', role: 'grid', unit: 'V' }, day, () => 230),
  ];
  const virtualMeters = [{ id: 'hall-total', name: 'Hall total', unit: 'W', formula: '{hall.power} + {office.power}' }];
  const forward = report(day, meters, { nodes, settings: settings({ virtualMeters }) });

  it('lists meters by id', () => {
    expect(forward.meters.map((meter) => meter.id)).toEqual(['ev.power', 'grid.energy', 'grid.voltage', 'hall.power', 'office.power', 'pv.power']);
    expect(forward.hierarchy.nodes[0]!.meterIds).toEqual(['hall.power', 'office.power']);
    expect(forward.virtualMeters[0]!.total).toBe(1000);
  });

  it('lists warnings by meter id', () => {
    expect(forward.warnings).toEqual([
      'meter "ev.power" has no readings in the period: check that device "ev" is online and the point is polled',
      expect.stringMatching(/^point "grid.voltage" has unit "V"/),
      "no cost computed because no tariff applies to 2026-01-14, as the site has no tariff: add a tariff in the site's energy settings",
    ]);
  });

  it('ignores the input order', () => {
    expect(report(day, [...meters].reverse(), { nodes, settings: settings({ virtualMeters }) })).toEqual(forward);
  });
});

describe('consumption source', () => {
  it('falls back to top-level nodes', () => {
    const nodes = [{ id: 'hall', parentId: null, kind: 'building' as const, name: 'Hall' }];
    const meter = powerMeter({ id: 'hall.power', role: 'consumption', unit: 'W', nodeId: 'hall' }, day, () => 500);
    const result = report(day, [meter], { nodes });

    expect(result.consumptionSource).toBe('nodes');
    expect(result.totals.consumptionWh).toBe(12_000);
    expect(result.hierarchy.unassignedWh).toBe(0);
  });

  it('is null without any meter', () => {
    const result = report(day, [powerMeter({ id: 'pv.power', role: 'pv', unit: 'W' }, day, () => 100)]);

    expect(result.consumptionSource).toBeNull();
    expect(result.totals.consumptionWh).toBe(0);
    expect(result.missingFlows).toContain('consumption');
  });
});

describe('indicators', () => {
  it('profiles 15-minute buckets by local hour', () => {
    // Paris is one hour ahead of UTC in January: 1 kW from 00:00 to 06:00 local time, 3 kW after.
    const parisDay = period('day', '2026-01-14', 'Europe/Paris');
    const powerAt = (start: number): number => (start - parisDay.start < 6 * HOUR ? 1000 : 3000);
    const grid = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, parisDay, powerAt);
    const result = report(parisDay, [grid], { settings: settings({ gridEmissionFactorGPerKwh: 400 }) });

    expect(result.indicators.loadProfile.byHourW[2]).toBe(1000);
    expect(result.indicators.loadProfile.byHourW[12]).toBe(3000);
    expect(result.indicators.baseload).toEqual({ powerW: 1000, start: parisDay.start, end: parisDay.start + 15 * MINUTE });
    // 6 kWh + 54 kWh imported at 0.4 kg/kWh.
    expect(result.indicators.co2!.gridImportKg).toBeCloseTo(24, 9);
  });

  it('ignores hours without readings', () => {
    const grid = powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, day, (start) => (start < at('12:00') ? 800 : undefined));
    const result = report(day, [grid]);

    expect(result.indicators.loadProfile.byHourW[15]).toBeNull();
    expect(result.indicators.loadProfile.byWeekdayW[2]).toBe(800);
  });

  it('gives no self-consumption ratio without an export meter', () => {
    // Nothing measures export, so the share of PV used on site is unknown rather than 100 %.
    const result = report(day, [powerMeter({ id: 'pv.power', role: 'pv', unit: 'W' }, day, () => 1000)]);

    expect(result.missingFlows).toContain('gridExport');
    expect(result.indicators.pvSelfConsumptionRatio).toBeNull();
  });

  it('gives no self-sufficiency without an import meter', () => {
    const result = report(day, [powerMeter({ id: 'house.power', role: 'consumption', unit: 'W' }, day, () => 1000)]);

    expect(result.missingFlows).toContain('gridImport');
    expect(result.indicators.selfSufficiencyRatio).toBeNull();
  });
});

describe('resolution', () => {
  const meters = [powerMeter({ id: 'pv.power', role: 'pv', unit: 'W' }, day, () => 100)];
  const compute = (range = day, resolution?: '15m' | '1h' | '1d' | '1mo') =>
    computeEnergyReport({ site: { id: 's', name: 'S', timeZone: range.timeZone }, currency: null, settings: settings(), nodes: [], meters, range, ...(resolution ? { resolution } : {}) });

  it('defaults by period kind', () => {
    expect(compute().resolution).toBe('1h');
    expect(compute().buckets).toHaveLength(24);
    expect(compute(period('week', '2026-01-14', 'UTC')).resolution).toBe('1d');
    expect(compute(period('month', '2026-01-14', 'UTC')).buckets).toHaveLength(31);
    expect(compute(period('year', '2026-01-14', 'UTC')).resolution).toBe('1mo');
    const twoDays = periodRange('custom', 0, 'UTC', { from: day.start, to: day.start + 48 * HOUR });
    const threeDays = periodRange('custom', 0, 'UTC', { from: day.start, to: day.start + 72 * HOUR });
    expect(compute(twoDays).resolution).toBe('1h');
    expect(compute(threeDays).resolution).toBe('1d');
  });

  it('accepts 15 minutes for a day', () => {
    const result = compute(day, '15m');

    expect(result.buckets).toHaveLength(96);
    expect(sum(result.buckets.map((bucket) => bucket.pvWh))).toBe(2400);
  });

  it('rejects a resolution finer than the rollups', () => {
    expect(() => compute(period('year', '2026-01-14', 'UTC'), '15m')).toThrow(/resolution 15m is finer than the 1h rollups/);
  });

  it('rejects more than 5000 buckets', () => {
    expect(() => compute(period('year', '2026-01-14', 'UTC'), '1h')).toThrow(/more than 5000 buckets/);
  });

  it('rejects a range in another zone', () => {
    const parisDay = period('day', '2026-01-14', 'Europe/Paris');
    expect(() =>
      computeEnergyReport({ site: { id: 's', name: 'S', timeZone: 'UTC' }, currency: null, settings: settings(), nodes: [], meters: [], range: parisDay }),
    ).toThrow(/is in Europe\/Paris but site "s" is in UTC/);
  });
});

describe('previous period', () => {
  it('computes totals the same way', () => {
    const yesterday = period('day', '2026-01-13', 'UTC');
    const result = report(day, [powerMeter({ id: 'pv.power', role: 'pv', unit: 'W' }, day, () => 1000)], {
      previous: { range: yesterday, meters: [powerMeter({ id: 'pv.power', role: 'pv', unit: 'W' }, yesterday, () => 500)] },
    });

    expect(result.totals.pvWh).toBe(24_000);
    expect(result.previous!.totals.pvWh).toBe(12_000);
    expect(result.previous!.period.from).toBe('2026-01-13');
    expect(result.previous!.netCost).toBeNull();
    expect(result.previous!.comparedUntil).toBeUndefined();
  });

  const yesterday = period('day', '2026-01-13', 'UTC');
  const pvToday = (now: number) => powerMeter({ id: 'pv.power', role: 'pv', unit: 'W' }, day, (start) => (start < now ? 1000 : undefined));
  const pvYesterday = powerMeter({ id: 'pv.power', role: 'pv', unit: 'W' }, yesterday, () => 500);

  it('compares a running day up to the same time', () => {
    const now = at('09:30');
    const result = report(day, [pvToday(now)], { previous: { range: yesterday, meters: [pvYesterday] }, now });

    expect(result.totals.pvWh).toBe(9500);
    expect(result.previous!.totals.pvWh).toBe(4750);
    expect(result.previous!.comparedUntil).toBe(yesterday.start + 9.5 * HOUR);
    expect(result.previous!.period.hours).toBe(24);
  });

  it('splits the quarter hour of the cut', () => {
    const now = at('09:40');
    const result = report(day, [pvToday(now)], { previous: { range: yesterday, meters: [pvYesterday] }, now });

    expect(result.previous!.totals.pvWh).toBeCloseTo(500 * (9 + 40 / 60), 9);
    expect(result.previous!.comparedUntil).toBe(yesterday.start + 9 * HOUR + 40 * MINUTE);
  });

  it('cuts counters and consumption too', () => {
    const now = at('06:00');
    const grid = (range: typeof day, kwhPerHour: number) => counterMeter({ id: 'grid.energy', role: 'grid-import', unit: 'kWh' }, range, linearKwh(range.start, kwhPerHour));
    const result = report(day, [grid(day, 1)], { previous: { range: yesterday, meters: [grid(yesterday, 2)] }, now });

    expect(result.previous!.totals.gridImportWh).toBeCloseTo(12_000, 6);
    expect(result.previous!.totals.consumptionWh).toBeCloseTo(12_000, 6);
  });

  it('compares a closed period whole', () => {
    const result = report(day, [pvToday(day.end)], { previous: { range: yesterday, meters: [pvYesterday] }, now: day.end + HOUR });

    expect(result.previous!.totals.pvWh).toBe(12_000);
    expect(result.previous!.comparedUntil).toBeUndefined();
  });

  it('counts a shorter previous month whole', () => {
    const march = period('month', '2026-03-10', 'UTC');
    const february = period('month', '2026-02-10', 'UTC');
    const now = march.start + 30 * 24 * HOUR;
    const pv = (range: typeof march) => powerMeter({ id: 'pv.power', role: 'pv', unit: 'W' }, range, (start) => (start < now ? 1000 : undefined));
    const result = report(march, [pv(march)], { previous: { range: february, meters: [pv(february)] }, now });

    expect(result.previous!.totals.pvWh).toBe(28 * 24_000);
    expect(result.previous!.comparedUntil).toBeUndefined();
  });
});

describe('edge cases', () => {
  it('reports a site without meters', () => {
    const result = report(day, []);

    expect(result.buckets).toHaveLength(24);
    expect(result.totals.gridImportWh).toBe(0);
    expect(result.missingFlows).toEqual(['gridImport', 'gridExport', 'pv', 'batteryCharge', 'batteryDischarge', 'ev', 'consumption']);
    expect(result.peakDemand).toBeNull();
    expect(result.indicators.baseload).toBeNull();
  });

  it('has no peak or cost without grid readings', () => {
    const grid = counterMeter({ id: 'grid.energy', role: 'grid', unit: 'kWh' }, day, () => undefined);
    const tariff = { currency: 'EUR', timeZone: 'UTC', import: { kind: 'flat', pricePerKwh: 0.3 } };
    const result = report(day, [grid], { settings: settings({ tariffs: [{ validFrom: '2026-01-01', tariff }] }), now: day.end + HOUR });

    expect(result.peakDemand).toBeNull();
    expect(result.cost).toBeNull();
    expect(result.costStatus).toBe('no-grid-data');
    expect(result.buckets.every((bucket) => bucket.netCost === null)).toBe(true);
    expect(result.warnings).toContain(
      "no cost computed because no grid meter has a reading in 2026-01-14: check that the grid meter's point has a grid role and its device is polled",
    );
  });

  it('finds the peak in measured quarter hours', () => {
    // Import only from 10:00 to 12:00: the quarter hours before count as unmeasured, not as 0 kW.
    const grid = counterMeter({ id: 'grid.energy', role: 'grid', unit: 'kWh' }, day, (ts) => (ts >= at('10:00') && ts < at('12:00') ? linearKwh(day.start, 1)(ts) : undefined));
    const result = report(day, [grid], { now: day.end + HOUR });

    expect(result.peakDemand).toMatchObject({ powerKw: 1 });
    expect(result.peakDemand!.start).toBeGreaterThanOrEqual(at('10:00'));
  });

  it('splits rows across an off-hour range', () => {
    // From 22:07 to 02:07 UTC: the UTC-aligned quarter-hour rows and the midnight boundary both cut source buckets.
    const range = periodRange('custom', 0, 'UTC', { from: at('22:07'), to: at('22:07') + 4 * HOUR });
    const rows = Array.from({ length: 26 }, (_, i) => {
      const start = at('20:00') + i * 15 * MINUTE;
      return { start, end: start + 15 * MINUTE, count: 15, sum: 15_000, last: 1000, lastTs: start + 14 * MINUTE };
    });
    const pv = { id: 'pv.power', device: 'pv', name: 'PV', role: 'pv' as const, unit: 'W' as const, kind: 'gauge' as const, nodeId: null, rows };
    const result = report(range, [pv], { resolution: '1d' });

    expect(result.buckets.map((bucket) => bucket.end - bucket.start)).toEqual([113 * MINUTE, 127 * MINUTE]);
    expect(result.buckets[0]!.pvWh).toBeCloseTo(1000 * (113 / 60), 9);
    expect(result.buckets[1]!.pvWh).toBeCloseTo(1000 * (127 / 60), 9);
    expect(result.totals.pvWh).toBeCloseTo(4000, 9);
    expect(result.meters[0]!.coverage).toBe(1);
  });
});
