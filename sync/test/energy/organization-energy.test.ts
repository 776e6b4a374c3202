import { describe, expect, it } from 'vitest';
import { organizationEnergyCsv, organizationEnergySchema, summarizeOrganization } from '../../src/index';
import { period, powerMeter, report, settings } from './report-fixtures';

const flat = { currency: 'EUR', timeZone: 'Europe/Paris', import: { kind: 'flat', pricePerKwh: 0.2 } };
const parisDay = period('day', '2026-01-14', 'Europe/Paris');
const tokyoDay = period('day', '2026-01-14', 'Asia/Tokyo');

// Paris imports 24 kWh at 0.20 with a CO2 factor; Tokyo imports 12 kWh and produces 6 kWh of PV without a tariff.
const paris = report(parisDay, [powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, parisDay, () => 1000)], {
  settings: settings({ tariffs: [{ validFrom: '2026-01-01', tariff: flat }], gridEmissionFactorGPerKwh: 250 }),
});
const tokyo = report(
  tokyoDay,
  [powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, tokyoDay, () => 500), powerMeter({ id: 'pv.power', role: 'pv', unit: 'W' }, tokyoDay, () => 250)],
  { site: { id: 'site-2', name: 'Tokyo', timeZone: 'Asia/Tokyo' } },
);

describe('summarizeOrganization', () => {
  it('adds the sites up', () => {
    const org = organizationEnergySchema.parse(summarizeOrganization('org-1', 'EUR', 'day', [paris, tokyo]));

    expect(org.sites.map((site) => site.siteId)).toEqual(['site-1', 'site-2']);
    expect(org.totals.gridImportWh).toBe(36_000);
    expect(org.totals.pvWh).toBe(6000);
    expect(org.totals.consumptionWh).toBe(42_000);
    expect(org.sites[0]!.netCost).toBeCloseTo(4.8, 9);
    expect(org.sites[0]!.co2Kg).toBe(6);
    expect(org.sites[1]!.netCost).toBeNull();
    expect(org.sites[1]!.selfSufficiencyRatio).toBeCloseTo(6 / 18, 9);
    // Tokyo has neither cost nor CO2, so the organization totals of both stay unknown.
    expect(org.totals.netCost).toBeNull();
    expect(org.totals.co2Kg).toBeNull();
  });

  it('sums cost when every site has one', () => {
    const org = summarizeOrganization('org-1', 'EUR', 'day', [paris, paris]);

    expect(org.totals.netCost).toBeCloseTo(9.6, 9);
    expect(org.totals.co2Kg).toBe(12);
  });

  it('ignores cost in another currency', () => {
    const org = summarizeOrganization('org-1', 'USD', 'day', [paris]);

    expect(org.sites[0]!.netCost).toBeNull();
  });

  it('rejects another period kind', () => {
    expect(() => summarizeOrganization('org-1', 'EUR', 'month', [paris])).toThrow('report of site "site-1" covers a day, not a month');
  });

  it('writes one CSV record per site and a total', () => {
    const lines = organizationEnergyCsv(summarizeOrganization('org-1', 'EUR', 'day', [paris, tokyo])).split('\r\n');

    expect(lines[0]).toBe(
      'row,site_id,site_name,time_zone,from,to,grid_import_kwh,grid_export_kwh,pv_kwh,battery_charge_kwh,battery_discharge_kwh,ev_kwh,consumption_kwh,net_cost,currency,peak_demand_kw,self_sufficiency_ratio,pv_self_consumption_ratio,co2_kg',
    );
    expect(lines[1]).toBe('site,site-1,Test site,Europe/Paris,2026-01-14,2026-01-14,24.000,0.000,0.000,0.000,0.000,0.000,24.000,4.8000,EUR,1.000,0.0000,,6.000');
    expect(lines[2]).toBe('site,site-2,Tokyo,Asia/Tokyo,2026-01-14,2026-01-14,12.000,0.000,6.000,0.000,0.000,0.000,18.000,,,0.500,0.3333,1.0000,');
    expect(lines[3]).toBe('total,,,,,,36.000,0.000,6.000,0.000,0.000,0.000,42.000,,,,,,');
    expect(lines[4]).toBe('');
  });
});
