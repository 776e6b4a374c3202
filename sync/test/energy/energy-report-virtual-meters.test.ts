import { describe, expect, it } from 'vitest';
import { computeEnergyReport, energyReportSchema } from '../../src/index';
import { counterMeter, HOUR, linearKwh, MINUTE, period, powerMeter, report, settings } from './report-fixtures';

const day = period('day', '2026-01-14', 'Europe/Paris');
const counter = (id: string, role: 'grid-import' | 'grid-export' | 'pv' | 'battery-charge' | 'battery-discharge', kwhPerHour: number) =>
  counterMeter({ id, role, unit: 'kWh' }, day, linearKwh(day.start, kwhPerHour));

// Import 2, export 0.5, PV 1, charge 0.3 and discharge 0.2 kWh per hour: the site consumes 2.4 kWh per hour.
const balanceMeters = [
  counter('grid.import', 'grid-import', 2),
  counter('grid.export', 'grid-export', 0.5),
  counter('pv.energy', 'pv', 1),
  counter('battery.charge', 'battery-charge', 0.3),
  counter('battery.discharge', 'battery-discharge', 0.2),
];
const consumptionMeter = { id: 'consumption', name: 'Consumption', unit: 'kWh', formula: 'grid.import + pv.energy - grid.export - battery.charge + battery.discharge' };

describe('virtual meters in a report', () => {
  it('equals the balance', () => {
    const result = report(day, balanceMeters, { settings: settings({ virtualMeters: [consumptionMeter] }) });
    const virtual = result.virtualMeters[0]!;

    expect(result.consumptionSource).toBe('balance');
    expect(result.totals.consumptionWh).toBeCloseTo(24 * 2400, 6);
    expect(virtual.total! * 1000).toBeCloseTo(result.totals.consumptionWh, 6);
    virtual.values.forEach((value, i) => expect(value! * 1000).toBeCloseTo(result.buckets[i]!.consumptionWh, 6));
    expect(virtual.values[3]).toBeCloseTo(2.4, 9);
    expect(virtual.missingMeterIds).toEqual([]);
  });

  it('averages power inputs', () => {
    const pv = powerMeter({ id: 'pv.power', role: 'pv', unit: 'W' }, day, (start) => (start - day.start < 12 * 3_600_000 ? 1000 : 3000));
    const virtualMeters = [{ id: 'pv-kw', name: 'PV in kW', unit: 'kW', formula: '{pv.power}' }];
    const result = report(day, [pv], { settings: settings({ virtualMeters }) });

    expect(result.virtualMeters[0]!.values[0]).toBe(1);
    expect(result.virtualMeters[0]!.values[23]).toBe(3);
    expect(result.virtualMeters[0]!.total).toBe(2);
  });

  it('reads MWh counters in kWh', () => {
    const plant = counterMeter({ id: 'plant.energy', role: 'pv', unit: 'MWh' }, day, (ts) => linearKwh(day.start, 2)(ts) / 1000);
    const result = report(day, [plant], { settings: settings({ virtualMeters: [{ id: 'plant-kwh', name: 'Plant', unit: 'kWh', formula: '{plant.energy}' }] }) });
    const virtual = result.virtualMeters[0]!;

    expect(virtual.values[5]).toBeCloseTo(2, 9);
    expect(virtual.total).toBeCloseTo(48, 9);
    expect(virtual.missingMeterIds).toEqual([]);
  });

  it('gives null where an input has no readings', () => {
    const pv = powerMeter({ id: 'pv.power', role: 'pv', unit: 'W' }, day, (start) => (start - day.start < 12 * 3_600_000 ? 1000 : undefined));
    const result = report(day, [pv], { settings: settings({ virtualMeters: [{ id: 'pv-w', name: 'PV', unit: 'W', formula: '{pv.power} * 2' }] }) });
    const virtual = result.virtualMeters[0]!;

    expect(virtual.values[11]).toBe(2000);
    expect(virtual.values[12]).toBeNull();
    // A power meter's total averages the buckets that have a value.
    expect(virtual.total).toBe(2000);
    expect(virtual.missingMeterIds).toEqual(['pv.power']);
    expect(result.warnings).toContain('virtual meter "pv-w" has no value in 12 bucket(s) because an input has no data there: its total covers the other buckets only');
  });

  it('sums an energy meter over buckets with values', () => {
    // A counter growing 1 kWh an hour whose readings stop at 12:00.
    const counter = counterMeter({ id: 'grid.energy', role: 'grid-import', unit: 'kWh' }, day, (ts) => (ts - day.start < 12 * 3_600_000 ? linearKwh(day.start, 1)(ts) : undefined));
    const result = report(day, [counter], { settings: settings({ virtualMeters: [{ id: 'twice', name: 'Twice', unit: 'kWh', formula: '{grid.energy} * 2' }] }) });
    const virtual = result.virtualMeters[0]!;

    // The last reading is at 11:59, so the quarter hour from 11:45 is covered only up to it and is missing.
    expect(virtual.values[10]).toBeCloseTo(2, 9);
    expect(virtual.values[11]).toBeCloseTo(1.5, 9);
    expect(virtual.values[12]).toBeNull();
    expect(virtual.total).toBeCloseTo(2 * 11.75, 9);
    expect(result.warnings).toContain(
      'virtual meter "twice" covers only part of 1 bucket(s) because an input has no complete data in some of their source buckets: those values count the other source buckets only',
    );
  });

  it('has no total without any value', () => {
    const pv = powerMeter({ id: 'pv.power', role: 'pv', unit: 'W' }, day, () => undefined);
    const result = report(day, [pv], { settings: settings({ virtualMeters: [{ id: 'pv-w', name: 'PV', unit: 'W', formula: '{pv.power} * 2' }] }) });

    expect(result.virtualMeters[0]!.total).toBeNull();
  });

  it('warns about invalid definitions', () => {
    const virtualMeters = [
      consumptionMeter,
      { id: 'mixed', name: 'Mixed', unit: 'kWh', formula: 'grid.import + {pv.power}' },
      { id: 'uses-mixed', name: 'Uses mixed', unit: 'kWh', formula: 'mixed * 2' },
      { id: 'unknown', name: 'Unknown', unit: 'kWh', formula: '{heat.energy} + grid.import' },
    ];
    const meters = [...balanceMeters, powerMeter({ id: 'pv.power', role: null, unit: 'W' }, day, () => 500)];
    const result = report(day, meters, { settings: settings({ virtualMeters }) });
    const byId = Object.fromEntries(result.virtualMeters.map((meter) => [meter.id, meter]));

    expect(byId.consumption!.total).not.toBeNull();
    for (const id of ['mixed', 'uses-mixed', 'unknown']) {
      expect(byId[id]!.total).toBeNull();
      expect(byId[id]!.values).toEqual(new Array(24).fill(null));
    }
    expect(byId.unknown!.missingMeterIds).toEqual(['heat.energy']);
    const warnings = result.warnings.filter((warning) => warning.startsWith('virtual meter'));
    expect(warnings).toHaveLength(3);
    expect(warnings).toContain('virtual meter "unknown" was not evaluated: it uses "heat.energy", which is not a loaded energy or power point of the site (Wh, kWh, W or kW); check the point id and its unit');
    expect(warnings.find((warning) => warning.startsWith('virtual meter "mixed"'))).toMatch(/unit mismatch/);
    expect(warnings).toContain('virtual meter "uses-mixed" was not evaluated: it uses virtual meter "mixed", which could not be evaluated');
  });

  it('turns an overflow into null with a warning', () => {
    const virtualMeters = [{ id: 'huge', name: 'Huge', unit: 'W', formula: '{heat.power} * 1e308 * 10' }];
    const meters = [powerMeter({ id: 'heat.power', role: null, unit: 'W' }, day, () => 5)];
    const result = computeEnergyReport({
      site: { id: 'site-1', name: 'Test site', timeZone: day.timeZone },
      currency: 'EUR',
      settings: settings({ virtualMeters }),
      nodes: [],
      meters,
      range: day,
    });
    const huge = result.virtualMeters[0]!;

    expect(energyReportSchema.safeParse(result).success).toBe(true);
    expect(huge.values).toEqual(new Array(24).fill(null));
    expect(huge.total).toBeNull();
    expect(result.warnings).toContain('virtual meter "huge" is not finite (an overflow or a division by zero) in 24 bucket(s), shown as null: check its formula "{heat.power} * 1e308 * 10"');
  });
});

describe('virtual meters per source bucket', () => {
  const local = (hour: number, minute = 0): number => day.start + hour * HOUR + minute * MINUTE;
  const main = counterMeter({ id: 'main.energy', role: 'grid-import', unit: 'kWh' }, day, linearKwh(day.start, 2));
  // The sub meter has no reading from 10:35 to 13:45, 190 minutes, so its last reading before is at 10:29.
  const outageFrom = local(10, 35);
  const outageTo = local(13, 45);
  const sub = counterMeter({ id: 'sub.energy', role: null, unit: 'kWh' }, day, (ts) => (ts >= outageFrom && ts < outageTo ? undefined : linearKwh(day.start, 1)(ts)));
  const rest = { id: 'rest', name: 'Rest', unit: 'kWh', formula: 'main.energy - sub.energy' };
  const result = report(day, [main, sub], { settings: settings({ virtualMeters: [rest] }), now: day.end + HOUR });
  const virtual = result.virtualMeters[0]!;

  it('shows fully covered hours whole', () => {
    for (const hour of [0, 9, 14, 23]) expect(virtual.values[hour]).toBeCloseTo(1, 9);
  });

  it('counts only covered quarter hours', () => {
    // Only the quarter hour from 10:00 is fully covered by the sub meter: 0.5 - 0.25 kWh.
    expect(virtual.values[10]).toBeCloseTo(0.25, 9);
    for (const value of virtual.values) expect(value === null || Math.abs(value - 1.77) > 0.1).toBe(true);
  });

  it('leaves hours without a covered quarter null', () => {
    expect(virtual.values.slice(11, 14)).toEqual([null, null, null]);
    expect(virtual.missingMeterIds).toEqual(['sub.energy']);
  });

  it('sums the covered quarter hours into the total', () => {
    expect(virtual.total).toBeCloseTo(20.25, 9);
  });

  it('warns about missing and partial hours', () => {
    expect(result.warnings).toContain('virtual meter "rest" has no value in 3 bucket(s) because an input has no data there: its total covers the other buckets only');
    expect(result.warnings).toContain(
      'virtual meter "rest" covers only part of 1 bucket(s) because an input has no complete data in some of their source buckets: those values count the other source buckets only',
    );
  });

  it('averages power over the covered quarter hours', () => {
    // Load a draws 4 kW in the first quarter hour of each hour and nothing after; load b reports only then, at 2 kW.
    const a = powerMeter({ id: 'a.power', role: null, unit: 'W' }, day, (start) => ((start - day.start) % HOUR === 0 ? 4000 : 0));
    const b = powerMeter({ id: 'b.power', role: null, unit: 'W' }, day, (start) => ((start - day.start) % HOUR === 0 ? 2000 : undefined));
    const both = report(day, [a, b], { settings: settings({ virtualMeters: [{ id: 'ab', name: 'A and b', unit: 'kW', formula: '{a.power} + {b.power}' }] }), now: day.end + HOUR });

    expect(both.virtualMeters[0]!.values[3]).toBeCloseTo(6, 9);
    expect(both.virtualMeters[0]!.total).toBeCloseTo(6, 9);
  });

  it('uses counter buckets filled by power', () => {
    // The counter has no reading from 04:00 to 09:00; the device's power point fills that time at 2 kW.
    const gapFrom = local(4);
    const gapTo = local(9);
    const counter = counterMeter({ id: 'grid.energy', role: 'grid-import', unit: 'kWh' }, day, (ts) => (ts >= gapFrom && ts < gapTo ? undefined : linearKwh(day.start, 2)(ts)));
    const power = powerMeter({ id: 'grid.power', role: 'grid-import', unit: 'W' }, day, () => 2000);
    const filled = report(day, [counter, power], { settings: settings({ virtualMeters: [{ id: 'grid-kwh', name: 'Grid', unit: 'kWh', formula: 'grid.energy' }] }), now: day.end + HOUR });
    const grid = filled.virtualMeters[0]!;

    expect(filled.meters.find((meter) => meter.id === 'grid.energy')!.method).toBe('mixed');
    for (const hour of [4, 6, 8]) expect(grid.values[hour]).toBeCloseTo(2, 9);
    expect(grid.total).toBeCloseTo(48, 9);
    expect(grid.missingMeterIds).toEqual([]);
  });
});
