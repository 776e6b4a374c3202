import { describe, expect, it } from 'vitest';
import { computeEnergyIndicators, energyIndicatorsSchema, type RoleEnergyBucket } from '../../src/index';

const HOUR = 3_600_000;
const PARIS = 'Europe/Paris';

const bucket = (start: number, values: Partial<Omit<RoleEnergyBucket, 'start' | 'end'>>, lengthMs = HOUR): RoleEnergyBucket => ({
  start,
  end: start + lengthMs,
  gridImportWh: 0,
  gridExportWh: 0,
  pvWh: 0,
  batteryChargeWh: 0,
  batteryDischargeWh: 0,
  consumptionWh: 0,
  ...values,
});
/** `count` hourly buckets from `from`, with the consumption of bucket `i` given by `consumptionAt(i)`. */
const hourly = (from: number, count: number, consumptionAt: (i: number) => number): RoleEnergyBucket[] =>
  Array.from({ length: count }, (_, i) => bucket(from + i * HOUR, { gridImportWh: consumptionAt(i), consumptionWh: consumptionAt(i) }));

describe('ratios and CO2', () => {
  const buckets = [
    bucket(Date.UTC(2026, 5, 1, 0), { gridImportWh: 1000, consumptionWh: 1000 }),
    bucket(Date.UTC(2026, 5, 1, 12), { gridExportWh: 300, pvWh: 1000, batteryChargeWh: 200, consumptionWh: 500 }),
  ];

  it('computes self-consumption, self-sufficiency and CO2 by hand', () => {
    const result = computeEnergyIndicators(buckets, { timeZone: 'UTC', gridEmissionFactorGPerKwh: 400, includeAvoidedCo2: true });

    expect(result.totals).toEqual({ gridImportWh: 1000, gridExportWh: 300, pvWh: 1000, batteryChargeWh: 200, batteryDischargeWh: 0, consumptionWh: 1500 });
    // (1000 - 300) / 1000
    expect(result.pvSelfConsumptionRatio).toBeCloseTo(0.7, 12);
    // (1500 - 1000) / 1500
    expect(result.selfSufficiencyRatio).toBeCloseTo(1 / 3, 12);
    // 1 kWh × 400 g/kWh, and 0.7 kWh self-consumed × 400 g/kWh
    expect(result.co2).toEqual({ emissionFactorGPerKwh: 400, gridImportKg: 0.4, avoidedByPvKg: expect.closeTo(0.28, 12) });
    expect(energyIndicatorsSchema.parse(result)).toEqual(result);
  });

  it('leaves CO2 out without a factor and avoided CO2 out unless requested', () => {
    expect(computeEnergyIndicators(buckets, { timeZone: 'UTC' }).co2).toBeNull();
    expect(computeEnergyIndicators(buckets, { timeZone: 'UTC', gridEmissionFactorGPerKwh: 400 }).co2).toEqual({ emissionFactorGPerKwh: 400, gridImportKg: 0.4 });
  });

  it('returns null ratios without production or consumption', () => {
    const result = computeEnergyIndicators([bucket(0, {})], { timeZone: 'UTC' });

    expect(result.pvSelfConsumptionRatio).toBeNull();
    expect(result.selfSufficiencyRatio).toBeNull();
  });

  it('returns null ratios for unmeasured grid flows', () => {
    const measuredBuckets = [bucket(0, { gridImportWh: 200, pvWh: 500, consumptionWh: 700 })];
    const options = { timeZone: 'UTC', gridEmissionFactorGPerKwh: 400, includeAvoidedCo2: true };
    const noExport = computeEnergyIndicators(measuredBuckets, { ...options, gridExportMeasured: false });
    const noImport = computeEnergyIndicators(measuredBuckets, { ...options, gridImportMeasured: false });

    expect(noExport.pvSelfConsumptionRatio).toBeNull();
    expect(noExport.co2).toEqual({ emissionFactorGPerKwh: 400, gridImportKg: 0.08 });
    expect(noExport.selfSufficiencyRatio).toBeCloseTo(5 / 7, 12);
    expect(noImport.selfSufficiencyRatio).toBeNull();
    expect(noImport.pvSelfConsumptionRatio).toBe(1);
  });

  it('clamps self-sufficiency to 0 when import exceeds consumption', () => {
    // A battery charging from the grid: 300 Wh imported, 100 Wh consumed.
    const result = computeEnergyIndicators([bucket(0, { gridImportWh: 300, batteryChargeWh: 200, consumptionWh: 100 })], { timeZone: 'UTC' });

    expect(result.selfSufficiencyRatio).toBe(0);
  });
});

describe('load profile and baseload', () => {
  // Monday 2 March 2026 and Tuesday 3 March, in UTC: Monday's hour h draws 100 × (h + 1) Wh, Tuesday's 300 Wh.
  const monday = Date.UTC(2026, 2, 2);
  const buckets = hourly(monday, 48, (i) => (i < 24 ? 100 * (i + 1) : 300));

  it('averages power per local hour and weekday', () => {
    const { loadProfile } = computeEnergyIndicators(buckets, { timeZone: 'UTC' });

    expect(loadProfile.byHourW[0]).toBe(200);
    expect(loadProfile.byHourW[23]).toBe(1350);
    // 100 × (1 + 2 + ... + 24) Wh over 24 h
    expect(loadProfile.byWeekdayW).toEqual([1250, 300, null, null, null, null, null]);
  });

  it('finds the lowest night bucket', () => {
    expect(computeEnergyIndicators(buckets, { timeZone: 'UTC' }).baseload).toEqual({ powerW: 100, start: monday, end: monday + HOUR });
  });

  it('takes the earliest bucket on a tie within a custom night window', () => {
    const { baseload } = computeEnergyIndicators(buckets, { timeZone: 'UTC', nightWindow: { fromHour: 2, toHour: 5 } });

    expect(baseload).toEqual({ powerW: 300, start: monday + 2 * HOUR, end: monday + 3 * HOUR });
  });

  it('turns 15-minute energies into average power', () => {
    const quarter = 15 * 60_000;
    const result = computeEnergyIndicators([bucket(monday, { consumptionWh: 50 }, quarter), bucket(monday + quarter, { consumptionWh: 100 }, quarter)], {
      timeZone: 'UTC',
    });

    expect(result.baseload).toEqual({ powerW: 200, start: monday, end: monday + quarter });
    // 150 Wh over half an hour
    expect(result.loadProfile.byHourW[0]).toBe(300);
  });

  it('has no baseload without a night bucket', () => {
    expect(computeEnergyIndicators(hourly(monday + 12 * HOUR, 3, () => 100), { timeZone: 'UTC' }).baseload).toBeNull();
  });
});

describe('local time on days with a clock change', () => {
  it('counts the repeated hour twice', () => {
    // In Paris 25 October 2026 starts at 22:00Z and lasts 25 hours. 00:00Z is 02:00 CEST and 01:00Z is 02:00 CET.
    const start = Date.UTC(2026, 9, 24, 22);
    const consumptionWh: Record<number, number> = { 2: 400, 3: 600 };
    const buckets = hourly(start, 25, (i) => consumptionWh[i] ?? 1000);
    const result = computeEnergyIndicators(buckets, { timeZone: PARIS });

    expect(result.loadProfile.byHourW[1]).toBe(1000);
    expect(result.loadProfile.byHourW[2]).toBe(500);
    expect(result.loadProfile.byHourW[3]).toBe(1000);
    // Sunday: (400 + 600 + 23 × 1000) Wh over 25 h
    expect(result.loadProfile.byWeekdayW[6]).toBe(960);
    expect(result.baseload).toEqual({ powerW: 400, start: Date.UTC(2026, 9, 25, 0), end: Date.UTC(2026, 9, 25, 1) });
  });

  it('skips the missing hour', () => {
    // In Paris 29 March 2026 starts at 23:00Z and lasts 23 hours, so 01:00Z is already 03:00 CEST.
    const buckets = hourly(Date.UTC(2026, 2, 28, 23), 23, (i) => 100 * (i + 1));
    const { loadProfile } = computeEnergyIndicators(buckets, { timeZone: PARIS });

    expect(loadProfile.byHourW[1]).toBe(200);
    expect(loadProfile.byHourW[2]).toBeNull();
    expect(loadProfile.byHourW[3]).toBe(300);
  });
});

describe('bad input', () => {
  it('names a negative energy', () => {
    expect(() => computeEnergyIndicators([bucket(0, { pvWh: -5 })], { timeZone: 'UTC' })).toThrow(/pvWh -5: expected a finite value of 0 or more/);
  });

  it('names an empty bucket', () => {
    expect(() => computeEnergyIndicators([{ ...bucket(0, {}), end: 0 }], { timeZone: 'UTC' })).toThrow(/the end must be after the start/);
  });

  it('names an invalid night window and emission factor', () => {
    expect(() => computeEnergyIndicators([], { timeZone: 'UTC', nightWindow: { fromHour: 5, toHour: 1 } })).toThrow(/night window 5\.\.1 is invalid/);
    expect(() => computeEnergyIndicators([], { timeZone: 'UTC', gridEmissionFactorGPerKwh: -1 })).toThrow(/emission factor -1 g\/kWh/);
  });
});
