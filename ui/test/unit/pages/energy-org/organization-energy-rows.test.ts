import { describe, expect, it } from 'vitest';
import { nextSortOrder, siteRow, sortRows, totalsRow, type SortOrder } from '../../../../src/pages/energy/organization-energy-rows';
import { organizationEnergy } from './organization-fixture';

const rows = organizationEnergy.sites.map(siteRow);
const names = (order: SortOrder) => sortRows(rows, order).map((row) => row.name);

describe('siteRow', () => {
  it('copies the figures of a site', () => {
    expect(rows[0]).toEqual({
      siteId: 'plant',
      name: 'Plant',
      timeZone: 'Europe/Berlin',
      consumptionWh: 100_000,
      pvWh: 50_000,
      gridImportWh: 60_000,
      gridExportWh: 10_000,
      netCost: 20.5,
      peakDemandKw: 42,
      peakDemandStart: Date.UTC(2026, 2, 10, 7, 15),
      selfSufficiencyRatio: 0.4,
      pvSelfConsumptionRatio: 0.8,
      co2Kg: 22.8,
    });
  });

  it('keeps a missing peak as null', () => {
    expect(rows[1]!.peakDemandKw).toBeNull();
    expect(rows[1]!.peakDemandStart).toBeNull();
  });
});

describe('sortRows', () => {
  it('sorts names without regard to case', () => {
    expect(names({ key: 'name', direction: 'ascending' })).toEqual(['depot', 'Office', 'Plant']);
    expect(names({ key: 'name', direction: 'descending' })).toEqual(['Plant', 'Office', 'depot']);
  });

  it('sorts numbers in both directions', () => {
    expect(names({ key: 'consumptionWh', direction: 'descending' })).toEqual(['Plant', 'Office', 'depot']);
    expect(names({ key: 'consumptionWh', direction: 'ascending' })).toEqual(['depot', 'Office', 'Plant']);
  });

  it('puts missing values last in both directions', () => {
    expect(names({ key: 'netCost', direction: 'ascending' })).toEqual(['Office', 'Plant', 'depot']);
    expect(names({ key: 'netCost', direction: 'descending' })).toEqual(['Plant', 'Office', 'depot']);
    expect(names({ key: 'peakDemandKw', direction: 'ascending' })).toEqual(['Office', 'Plant', 'depot']);
  });

  it('breaks ties by name', () => {
    expect(names({ key: 'gridExportWh', direction: 'ascending' })).toEqual(['depot', 'Office', 'Plant']);
  });

  it('leaves the input order alone', () => {
    sortRows(rows, { key: 'name', direction: 'descending' });
    expect(rows.map((row) => row.siteId)).toEqual(['plant', 'depot', 'office']);
  });
});

describe('nextSortOrder', () => {
  it('flips the direction of the same column', () => {
    expect(nextSortOrder({ key: 'pvWh', direction: 'descending' }, 'pvWh')).toEqual({ key: 'pvWh', direction: 'ascending' });
    expect(nextSortOrder({ key: 'pvWh', direction: 'ascending' }, 'pvWh')).toEqual({ key: 'pvWh', direction: 'descending' });
  });

  it('starts a number column with the largest first', () => {
    expect(nextSortOrder({ key: 'name', direction: 'ascending' }, 'co2Kg')).toEqual({ key: 'co2Kg', direction: 'descending' });
  });

  it('starts the name column from A', () => {
    expect(nextSortOrder({ key: 'co2Kg', direction: 'descending' }, 'name')).toEqual({ key: 'name', direction: 'ascending' });
  });
});

describe('totalsRow', () => {
  const total = totalsRow(organizationEnergy, 'Acme total');

  it('takes energy, cost and CO2 from the hub totals', () => {
    expect(total.name).toBe('Acme total');
    expect(total.siteId).toBeNull();
    expect(total.consumptionWh).toBe(150_000);
    expect(total.gridImportWh).toBe(100_000);
    expect(total.netCost).toBe(29.5);
    expect(total.co2Kg).toBe(38);
  });

  it('weighs self-sufficiency by consumption', () => {
    // (150 kWh - 100 kWh imported) / 150 kWh consumed, not the mean of the site ratios.
    expect(total.selfSufficiencyRatio).toBeCloseTo(1 / 3, 10);
  });

  it('computes PV self-consumption from the sums', () => {
    expect(total.pvSelfConsumptionRatio).toBeCloseTo(50_000 / 60_000, 10);
  });

  it('shows the highest site peak without a time', () => {
    expect(total.peakDemandKw).toBe(42);
    expect(total.peakDemandStart).toBeNull();
  });

  it('has no ratios without consumption or PV', () => {
    const empty = totalsRow({ ...organizationEnergy, sites: [], totals: { ...organizationEnergy.totals, consumptionWh: 0, pvWh: 0, netCost: null, co2Kg: null } }, 'Empty');
    expect(empty.selfSufficiencyRatio).toBeNull();
    expect(empty.pvSelfConsumptionRatio).toBeNull();
    expect(empty.peakDemandKw).toBeNull();
    expect(empty.netCost).toBeNull();
  });
});
