import { describe, expect, it } from 'vitest';
import { energyTiles, type EnergyTile } from '../../../../src/components/energy/energy-tiles';
import { makeReport, totals } from './energy-fixture';

const LOCALE = 'en-GB';

function tile(tiles: EnergyTile[], id: EnergyTile['id']): EnergyTile {
  const found = tiles.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no tile ${id}`);
  return found;
}

describe('energyTiles', () => {
  it('lists the seven headline figures in order', () => {
    expect(energyTiles(makeReport(), LOCALE).map((entry) => entry.id)).toEqual([
      'consumption',
      'pv',
      'grid-import',
      'grid-export',
      'net-cost',
      'self-sufficiency',
      'self-consumption',
    ]);
  });

  it('compares consumption with the previous period', () => {
    const consumption = tile(energyTiles(makeReport(), LOCALE), 'consumption');

    expect(consumption.value).toBe('34.0');
    expect(consumption.unit).toBe('kWh');
    expect(consumption.change).toBe('+4.00 kWh (+13.3 %) vs previous period');
    expect(consumption.direction).toBe('up');
    expect(consumption.note).toBeNull();
  });

  it('gives no percentage after a zero previous period', () => {
    const gridExport = tile(energyTiles(makeReport(), LOCALE), 'grid-export');

    expect(gridExport.change).toBe('+2.00 kWh vs previous period');
    expect(gridExport.note).toBe('no % change: the previous period was 0');
  });

  it('shows no tariff without cost', () => {
    const netCost = tile(energyTiles(makeReport({ cost: null, costStatus: 'no-tariff' }), LOCALE), 'net-cost');

    expect(netCost.value).toBe('No tariff');
    expect(netCost.change).toBeNull();
    expect(netCost.note).toBe("No tariff applies to this period, so there are no costs. A site manager sets tariffs in the site's energy settings.");
  });

  it('names a like-for-like comparison', () => {
    const base = makeReport();
    const report = makeReport({ previous: { ...base.previous!, comparedUntil: base.previous!.period.start + 3_600_000 } });
    const consumption = tile(energyTiles(report, LOCALE), 'consumption');

    expect(consumption.change).toContain('vs the same time in the previous period');
  });

  it('shows missing grid data without cost', () => {
    const netCost = tile(energyTiles(makeReport({ cost: null, costStatus: 'no-grid-data' }), LOCALE), 'net-cost');

    expect(netCost.value).toBe('No grid data');
    expect(netCost.note).toBe('No grid meter has a reading in this period, so there are no costs. Check that the grid meter has a grid role and is online.');
  });

  it('shows a currency mismatch without cost', () => {
    const netCost = tile(energyTiles(makeReport({ cost: null, costStatus: 'currency-mismatch' }), LOCALE), 'net-cost');

    expect(netCost.value).toBe('Currency mismatch');
  });

  it('shows net cost with its currency and change', () => {
    const netCost = tile(energyTiles(makeReport(), LOCALE), 'net-cost');

    expect(netCost.value).toBe('€7.04');
    expect(netCost.change).toBe('+€1.04 (+17.3 %) vs previous period');
  });

  it('says when there is no previous period', () => {
    const pv = tile(energyTiles(makeReport({ previous: null }), LOCALE), 'pv');

    expect(pv.change).toBeNull();
    expect(pv.note).toBe('No previous period to compare with.');
  });

  it('names a flow no meter measures', () => {
    const report = makeReport({ missingFlows: ['pv', 'batteryCharge', 'batteryDischarge', 'ev'], totals: totals({ consumptionWh: 1_000 }) });

    expect(tile(energyTiles(report, LOCALE), 'pv').note).toBe('No meter measures this flow.');
  });

  it('shows the ratios as percentages', () => {
    const tiles = energyTiles(makeReport(), LOCALE);

    expect(tile(tiles, 'self-sufficiency').value).toBe('29.4 %');
    expect(tile(tiles, 'self-consumption').value).toBe('83.3 %');
  });

  it('explains a ratio without data', () => {
    const base = makeReport();
    const report = makeReport({ indicators: { ...base.indicators, pvSelfConsumptionRatio: null } });

    expect(tile(energyTiles(report, LOCALE), 'self-consumption').value).toBe('–');
    expect(tile(energyTiles(report, LOCALE), 'self-consumption').note).toBe('No PV production in this period.');
  });
});
