import { describe, expect, it } from 'vitest';
import { energyReportCsv, energyReportTables, energyReportTableSchema, isoLocalTime, type EnergyReportTable } from '../../src/index';
import { period, powerMeter, report, settings, utc } from './report-fixtures';

const records = (csv: string): string[] => csv.split('\r\n').slice(0, -1);

const flat = { currency: 'EUR', timeZone: 'Europe/Paris', import: { kind: 'flat', pricePerKwh: 0.25 }, export: { pricePerKwh: 0.1 } };

describe('energy report CSV', () => {
  const day = period('day', '2026-10-25', 'Europe/Paris');
  const meters = [
    powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, day, (start) => (start < utc('2026-10-25T12:00:00Z') ? 1000 : -400)),
    { ...powerMeter({ id: 'pump.power', role: 'consumption', unit: 'W', nodeId: 'plant' }, day, () => 200), name: '=HYPERLINK("http://x","y")' },
    { ...powerMeter({ id: 'fan.power', role: 'consumption', unit: 'W', nodeId: 'plant' }, day, () => 100), name: 'Fan, "north"' },
    { ...powerMeter({ id: 'aux.power', role: null, unit: 'W' }, day, () => 50), name: '@SUM(A1)' },
  ];
  const result = report(day, meters, {
    nodes: [{ id: 'plant', parentId: null, kind: 'building', name: '+plant -1' }],
    settings: settings({
      tariffs: [{ validFrom: '2026-01-01', tariff: flat }],
      virtualMeters: [{ id: 'net', name: '-net', unit: 'kWh', formula: '{grid.power} * 0' }],
      gridEmissionFactorGPerKwh: 300,
    }),
  });

  it('ends every record with CRLF', () => {
    for (const table of energyReportTables) {
      const csv = energyReportCsv(result, table);
      expect(csv.endsWith('\r\n')).toBe(true);
      expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    }
  });

  it('writes both passes of the repeated hour', () => {
    const lines = records(energyReportCsv(result, 'buckets'));

    expect(lines[0]).toBe('start,end,start_ms,end_ms,grid_import_kwh,grid_export_kwh,pv_kwh,battery_charge_kwh,battery_discharge_kwh,ev_kwh,consumption_kwh,net_cost,currency');
    expect(lines).toHaveLength(26);
    expect(lines[3]).toBe(`2026-10-25T02:00:00+02:00,2026-10-25T02:00:00+01:00,${utc('2026-10-25T00:00:00Z')},${utc('2026-10-25T01:00:00Z')},1.000,0.000,0.000,0.000,0.000,0.000,1.000,0.2500,EUR`);
    expect(lines[4]!.startsWith('2026-10-25T02:00:00+01:00,2026-10-25T03:00:00+01:00,')).toBe(true);
  });

  it('writes negative amounts as numbers', () => {
    const lines = records(energyReportCsv(result, 'buckets'));
    // The 15th bucket starts at 12:00 UTC (13:00 local time): 0.4 kWh exported at 0.10.
    expect(lines[15]).toMatch(/,0\.000,0\.400,0\.000,0\.000,0\.000,0\.000,0\.000,-0\.0400,EUR$/);
  });

  it('neutralizes formulas and quotes text', () => {
    const lines = records(energyReportCsv(result, 'meters'));

    expect(lines[0]).toBe('id,device,name,role,unit,node_id,method,energy_kwh,reverse_energy_kwh,coverage,resets,gaps,unattributed_kwh,cost,currency');
    // Meters come in id order: aux, fan, grid, pump.
    expect(lines[1]).toBe("aux.power,aux,'@SUM(A1),,W,,power-integration,1.250,0.000,1.0000,0,0,,0.3125,EUR");
    expect(lines[2]).toBe('fan.power,fan,"Fan, ""north""",consumption,W,plant,power-integration,2.500,0.000,1.0000,0,0,,0.6250,EUR');
    expect(lines[4]).toBe(`pump.power,pump,"'=HYPERLINK(""http://x"",""y"")",consumption,W,plant,power-integration,5.000,0.000,1.0000,0,0,,1.2500,EUR`);
  });

  it('puts the site first in the hierarchy', () => {
    const lines = records(energyReportCsv(result, 'hierarchy'));

    expect(lines[0]).toBe('id,parent_id,kind,name,meter_ids,metered_kwh,children_kwh,total_kwh,unassigned_kwh');
    // The grid balance gives 14 kWh of consumption, of which the plant's meters explain 7.5 kWh.
    expect(lines[1]).toBe('site-1,,site,Test site,,,7.500,14.000,6.500');
    expect(lines[2]).toBe("plant,,building,'+plant -1,fan.power pump.power,7.500,0.000,7.500,0.000");
  });

  it('lists cost items that add up to the net', () => {
    const lines = records(energyReportCsv(result, 'cost'));

    expect(lines).toEqual([
      'item,name,energy_kwh,power_kw,amount,currency',
      'import,flat,14.000,,3.5000,EUR',
      'export credit,,4.400,,-0.4400,EUR',
      'net,,,,3.0600,EUR',
    ]);
  });

  it('writes virtual meters per bucket', () => {
    const lines = records(energyReportCsv(result, 'virtual-meters'));

    expect(lines[0]).toBe('id,name,unit,formula,start,end,start_ms,end_ms,value');
    expect(lines).toHaveLength(26);
    expect(lines[1]).toBe(`net,'-net,kWh,{grid.power} * 0,2026-10-25T00:00:00+02:00,2026-10-25T01:00:00+02:00,${utc('2026-10-24T22:00:00Z')},${utc('2026-10-24T23:00:00Z')},`);
  });

  it('writes the load profile and indicators', () => {
    const profile = records(energyReportCsv(result, 'load-profile'));
    const indicators = records(energyReportCsv(result, 'indicators'));

    expect(profile).toHaveLength(1 + 24 + 7);
    expect(profile[1]).toBe('hour,00:00-01:00,1000.0');
    expect(profile[25]).toBe('weekday,Monday,');
    // 14 kWh of balance consumption over 25 hours.
    expect(profile[31]).toBe('weekday,Sunday,560.0');
    expect(indicators[0]).toBe('indicator,value,unit');
    expect(indicators).toContain('grid_import,14.000,kWh');
    expect(indicators).toContain('co2_grid_import,4.200,kg');
    expect(indicators).toContain('net_cost,3.0600,EUR');
  });

  it('lists a demand charge per month', () => {
    const year = period('year', '2026-06-01', 'Europe/Paris');
    const peakAt = utc('2026-02-03T17:00:00Z');
    const demandFlat = { ...flat, demand: { pricePerKw: 10, intervalMinutes: 15 } };
    const yearReport = report(year, [powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, () => 1000, 3_600_000)], {
      settings: settings({ tariffs: [{ validFrom: '2026-02-01', tariff: demandFlat }, { validFrom: '2026-03-01', tariff: flat }] }),
      demandMeters: [powerMeter({ id: 'grid.power', role: 'grid', unit: 'W' }, year, (start) => (start === peakAt ? 4000 : 1000))],
    });
    const demandRows = records(energyReportCsv(yearReport, 'cost')).filter((line) => line.startsWith('demand charge'));

    expect(demandRows).toEqual(['demand charge,"2026-02, peak at 2026-02-03T18:00:00+01:00",,4.000,40.0000,EUR']);
  });

  it('writes a header without cost', () => {
    const unpriced = report(day, meters);

    expect(energyReportCsv(unpriced, 'cost')).toBe('item,name,energy_kwh,power_kw,amount,currency\r\n');
    expect(records(energyReportCsv(unpriced, 'buckets'))[1]!.endsWith(',,')).toBe(true);
  });

  it('parses table names', () => {
    expect(energyReportTableSchema.parse('load-profile')).toBe<EnergyReportTable>('load-profile');
    expect(energyReportTableSchema.safeParse('totals').success).toBe(false);
  });

  it('formats local times with the offset', () => {
    expect(isoLocalTime(utc('2026-03-08T10:30:00Z'), 'America/Los_Angeles')).toBe('2026-03-08T03:30:00-07:00');
    expect(isoLocalTime(utc('2026-01-14T12:00:00Z'), 'Asia/Kolkata')).toBe('2026-01-14T17:30:00+05:30');
  });
});
