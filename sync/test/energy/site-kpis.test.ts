import { describe, expect, it } from 'vitest';
import { computeSiteKpis, siteKpisSchema, type MeterEnergy, type MeterReading } from '../../src/index';

const good = (role: MeterReading['role'], value: number | null, unit: MeterReading['unit'] = 'W'): MeterReading => ({ role, unit, value, quality: 'good' });
const counter = (role: MeterEnergy['role'], delta: number | null, unit: MeterEnergy['unit'] = 'Wh'): MeterEnergy => ({ role, unit, delta });

describe('computeSiteKpis power', () => {
  it('balances grid and PV into consumption', () => {
    const kpis = computeSiteKpis([good('grid', 1500), good('pv', 2000)], []);

    expect(kpis.gridPowerW).toEqual({ value: 1500, quality: 'good' });
    expect(kpis.pvPowerW).toEqual({ value: 2000, quality: 'good' });
    expect(kpis.consumptionW).toEqual({ value: 3500, quality: 'good' });
    expect(kpis.consumptionSource).toBe('balance');
  });

  it('subtracts export and battery charging', () => {
    const kpis = computeSiteKpis([good('grid', -800), good('pv', 3000), good('battery', -1200)], []);

    expect(kpis.consumptionW.value).toBe(1000);
  });

  it('prefers consumption meters', () => {
    const kpis = computeSiteKpis([good('grid', 1500), good('pv', 2000), good('consumption', 3100), good('consumption', 200)], []);

    expect(kpis.consumptionW).toEqual({ value: 3300, quality: 'good' });
    expect(kpis.consumptionSource).toBe('meter');
  });

  it('converts kW and MW to W', () => {
    const kpis = computeSiteKpis([good('pv', 2.5, 'kW'), good('pv', 500), good('grid', 0.001, 'MW')], []);

    expect(kpis.pvPowerW.value).toBe(3000);
    expect(kpis.gridPowerW.value).toBe(1000);
    expect(kpis.consumptionW.value).toBe(4000);
  });

  it('ignores role points in other units', () => {
    const kpis = computeSiteKpis([good('grid', 230, 'V'), good('pv', 1000)], []);

    expect(kpis.gridPowerW).toEqual({ value: null, quality: null });
    expect(kpis.consumptionW.value).toBe(1000);
  });

  it('passes the worst quality on', () => {
    const kpis = computeSiteKpis([good('grid', 1500), { role: 'pv', unit: 'W', value: 2000, quality: 'stale' }, { role: 'pv', unit: 'W', value: 100, quality: 'uncertain' }], []);

    expect(kpis.pvPowerW.quality).toBe('stale');
    expect(kpis.gridPowerW.quality).toBe('good');
    expect(kpis.consumptionW.quality).toBe('stale');
  });

  it('treats a reading without quality as bad', () => {
    const kpis = computeSiteKpis([good('grid', 1500), { role: 'pv', unit: 'W', value: null, quality: null }], []);

    expect(kpis.pvPowerW).toEqual({ value: null, quality: 'bad' });
    expect(kpis.consumptionW).toEqual({ value: null, quality: 'bad' });
  });

  it('makes a sum with a missing value null', () => {
    const kpis = computeSiteKpis([good('grid', 1500), good('pv', 2000), { role: 'pv', unit: 'W', value: null, quality: 'bad' }], []);

    expect(kpis.pvPowerW.value).toBeNull();
    expect(kpis.consumptionW.value).toBeNull();
    expect(kpis.gridPowerW.value).toBe(1500);
  });

  it('returns nulls for a site without meters', () => {
    const kpis = computeSiteKpis([], []);

    expect(kpis.consumptionW).toEqual({ value: null, quality: null });
    expect(kpis.consumptionSource).toBeNull();
    expect(kpis.energyToday).toEqual({ consumedWh: null, pvWh: null, gridImportWh: null });
    expect(siteKpisSchema.safeParse(kpis).success).toBe(true);
  });

  it('combines one-way grid roles', () => {
    const kpis = computeSiteKpis([good('grid-import', 400), good('grid-export', 1.5, 'kW'), good('grid', 100), good('pv', 3000)], []);

    expect(kpis.gridPowerW).toEqual({ value: -1000, quality: 'good' });
    expect(kpis.consumptionW.value).toBe(2000);
  });

  it('combines one-way battery roles', () => {
    const kpis = computeSiteKpis([good('grid', 500), good('pv', 2000), good('battery-charge', 800), good('battery-discharge', 100), good('battery', -300)], []);

    expect(kpis.consumptionW.value).toBe(1500);
  });

  it('counts grid export alone as negative', () => {
    const kpis = computeSiteKpis([good('grid-export', 700), good('pv', 1000)], []);

    expect(kpis.gridPowerW).toEqual({ value: -700, quality: 'good' });
    expect(kpis.consumptionW.value).toBe(300);
  });

  it('passes a missing export value on', () => {
    const kpis = computeSiteKpis([good('grid-import', 400), { role: 'grid-export', unit: 'W', value: null, quality: 'bad' }, good('pv', 1000)], []);

    expect(kpis.gridPowerW).toEqual({ value: null, quality: 'bad' });
    expect(kpis.consumptionW.value).toBeNull();
  });
});

describe('computeSiteKpis energy today', () => {
  it('adds grid import and PV into consumption', () => {
    const kpis = computeSiteKpis([], [counter('grid', 2, 'kWh'), counter('pv', 3000), counter('pv', 500)]);

    expect(kpis.energyToday).toEqual({ consumedWh: 5500, pvWh: 3500, gridImportWh: 2000 });
  });

  it('prefers consumption counters', () => {
    const kpis = computeSiteKpis([], [counter('grid', 2000), counter('pv', 3000), counter('consumption', 0.004, 'MWh')]);

    expect(kpis.energyToday.consumedWh).toBe(4000);
  });

  it('makes a total with a missing delta null', () => {
    const kpis = computeSiteKpis([], [counter('grid', 2000), counter('pv', 3000), counter('pv', null)]);

    expect(kpis.energyToday.pvWh).toBeNull();
    expect(kpis.energyToday.gridImportWh).toBe(2000);
    expect(kpis.energyToday.consumedWh).toBeNull();
  });

  it('keeps a consumption meter with a missing delta null', () => {
    const kpis = computeSiteKpis([], [counter('grid', 2000), counter('pv', 3000), counter('consumption', null)]);

    expect(kpis.energyToday.consumedWh).toBeNull();
  });

  it('adds grid-import counters to grid counters', () => {
    const kpis = computeSiteKpis([], [counter('grid', 1200), counter('grid-import', 0.8, 'kWh'), counter('pv', 1000)]);

    expect(kpis.energyToday.gridImportWh).toBe(2000);
    expect(kpis.energyToday.consumedWh).toBe(3000);
  });

  it('counts grid import alone on a site without PV', () => {
    const kpis = computeSiteKpis([], [counter('grid', 1200)]);

    expect(kpis.energyToday).toEqual({ consumedWh: 1200, pvWh: null, gridImportWh: 1200 });
  });

  it('subtracts grid-export counters', () => {
    const kpis = computeSiteKpis([], [counter('grid-import', 1000), counter('grid-export', 2.5, 'kWh'), counter('pv', 6000)]);

    expect(kpis.energyToday).toEqual({ consumedWh: 4500, pvWh: 6000, gridImportWh: 1000 });
  });

  it('adds battery discharge and subtracts charge', () => {
    const kpis = computeSiteKpis([], [counter('grid', 1000), counter('pv', 5000), counter('battery-charge', 2000), counter('battery-discharge', 500), counter('battery', 300)]);

    expect(kpis.energyToday.consumedWh).toBe(4800);
  });

  it('makes the balance null with a missing export delta', () => {
    const kpis = computeSiteKpis([], [counter('grid', 1000), counter('pv', 5000), counter('grid-export', null)]);

    expect(kpis.energyToday.consumedWh).toBeNull();
    expect(kpis.energyToday.gridImportWh).toBe(1000);
  });

  it('clamps a negative balance at 0', () => {
    const kpis = computeSiteKpis([], [counter('grid-export', 3000), counter('pv', 2000)]);

    expect(kpis.energyToday.consumedWh).toBe(0);
  });

  it('keeps consumption counters ahead of the balance', () => {
    const kpis = computeSiteKpis([], [counter('grid', 1000), counter('grid-export', 4000), counter('pv', 6000), counter('consumption', 2500)]);

    expect(kpis.energyToday.consumedWh).toBe(2500);
  });

  it('needs a grid or PV counter for the balance', () => {
    const kpis = computeSiteKpis([], [counter('battery-discharge', 500)]);

    expect(kpis.energyToday.consumedWh).toBeNull();
  });
});
