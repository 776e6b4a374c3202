import { z } from 'zod';
import { csvRecord, fixed, type CsvValue } from '../csv/csv-record';
import type { EnergyReport, FlowTotals, OrganizationEnergy } from './energy-report-schema';
import { localDateTimeAt, utcOffsetMs } from '../time/zoned-time';

/**
 * CSV exports of an energy report, one table at a time, and of the organization-wide view. Times are
 * ISO 8601 in the site's zone with the UTC offset (2026-03-29T03:00:00+02:00) next to epoch ms UTC, so a
 * daylight-saving day stays unambiguous. Energies are kWh with 3 decimals, costs carry 4 decimals, and
 * records end with CRLF.
 */

export const energyReportTables = ['buckets', 'meters', 'hierarchy', 'cost', 'virtual-meters', 'load-profile', 'indicators'] as const;
export type EnergyReportTable = (typeof energyReportTables)[number];
export const energyReportTableSchema = z.enum(energyReportTables);

const KWH_DIGITS = 3;
const COST_DIGITS = 4;
const RATIO_DIGITS = 4;
const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const pad = (value: number, width = 2): string => String(Math.abs(value)).padStart(width, '0');

/** Formats an instant as local ISO 8601 time with the zone's UTC offset, to the second. */
export function isoLocalTime(utcMs: number, timeZone: string): string {
  const local = localDateTimeAt(utcMs, timeZone);
  const offsetMinutes = Math.round(utcOffsetMs(timeZone, utcMs) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}:${pad(local.second)}${offset}`;
}

const kwh = (wh: number | null): CsvValue => fixed(wh === null ? null : wh / 1000, KWH_DIGITS);
const money = (amount: number | null): CsvValue => fixed(amount, COST_DIGITS);

const flowColumns = ['grid_import_kwh', 'grid_export_kwh', 'pv_kwh', 'battery_charge_kwh', 'battery_discharge_kwh', 'ev_kwh', 'consumption_kwh'];

function flowValues(totals: FlowTotals): CsvValue[] {
  return [totals.gridImportWh, totals.gridExportWh, totals.pvWh, totals.batteryChargeWh, totals.batteryDischargeWh, totals.evWh, totals.consumptionWh].map(kwh);
}

/** Returns the four time columns of a span: local start and end, then both in epoch ms UTC. */
function spanValues(start: number, end: number, timeZone: string): CsvValue[] {
  return [isoLocalTime(start, timeZone), isoLocalTime(end, timeZone), start, end];
}

const spanColumns = ['start', 'end', 'start_ms', 'end_ms'];

function bucketsTable(report: EnergyReport): CsvValue[][] {
  const currency = report.cost?.currency ?? null;
  return [
    [...spanColumns, ...flowColumns, 'net_cost', 'currency'],
    ...report.buckets.map((bucket) => [...spanValues(bucket.start, bucket.end, report.timeZone), ...flowValues(bucket), money(bucket.netCost), currency]),
  ];
}

function metersTable(report: EnergyReport): CsvValue[][] {
  const currency = report.cost?.currency ?? null;
  return [
    ['id', 'device', 'name', 'role', 'unit', 'node_id', 'method', 'energy_kwh', 'reverse_energy_kwh', 'coverage', 'resets', 'gaps', 'unattributed_kwh', 'cost', 'currency'],
    ...report.meters.map((meter) => [
      meter.id,
      meter.device,
      meter.name,
      meter.role,
      meter.unit,
      meter.nodeId,
      meter.method,
      kwh(meter.energyWh),
      kwh(meter.reverseEnergyWh),
      fixed(meter.coverage, RATIO_DIGITS),
      meter.resets,
      meter.gaps.length,
      kwh(meter.unattributedWh),
      money(meter.cost),
      meter.cost === null ? null : currency,
    ]),
  ];
}

/** Lists the site row first, with the site's consumption as total and the top-level nodes as children, then each node. */
function hierarchyTable(report: EnergyReport): CsvValue[][] {
  const { hierarchy } = report;
  return [
    ['id', 'parent_id', 'kind', 'name', 'meter_ids', 'metered_kwh', 'children_kwh', 'total_kwh', 'unassigned_kwh'],
    [report.siteId, null, 'site', report.siteName, null, null, kwh(hierarchy.assignedWh), kwh(hierarchy.siteConsumptionWh), kwh(hierarchy.unassignedWh)],
    ...hierarchy.nodes.map((node) => [
      node.id,
      node.parentId,
      node.kind,
      node.name,
      node.meterIds.join(' '),
      kwh(node.meteredWh),
      kwh(node.childrenWh),
      kwh(node.totalWh),
      kwh(node.unassignedWh),
    ]),
  ];
}

/** Lists one row per cost item. `amount` is what the item adds to the net cost, so the export credit is negative. */
function costTable(report: EnergyReport): CsvValue[][] {
  const header = ['item', 'name', 'energy_kwh', 'power_kw', 'amount', 'currency'];
  const { cost } = report;
  if (cost === null) return [header];
  const rows: CsvValue[][] = cost.byTariffPeriod.map((period) => ['import', period.name, kwh(period.importWh), null, money(period.importCost), cost.currency]);
  rows.push(['export credit', null, kwh(report.totals.gridExportWh), null, money(-cost.exportCredit), cost.currency]);
  for (const { month, peak, demandCharge } of report.monthlyDemand) {
    if (demandCharge === null || peak === null) continue;
    rows.push(['demand charge', `${month}, peak at ${isoLocalTime(peak.start, report.timeZone)}`, null, fixed(peak.powerKw, KWH_DIGITS), money(demandCharge), cost.currency]);
  }
  if (cost.unpricedImportWh > 0) rows.push(['unpriced import', null, kwh(cost.unpricedImportWh), null, null, null]);
  rows.push(['net', null, null, null, money(cost.net), cost.currency]);
  return [header, ...rows];
}

function virtualMetersTable(report: EnergyReport): CsvValue[][] {
  const rows: CsvValue[][] = [['id', 'name', 'unit', 'formula', ...spanColumns, 'value']];
  for (const meter of report.virtualMeters) {
    report.buckets.forEach((bucket, i) => {
      rows.push([meter.id, meter.name, meter.unit, meter.formula, ...spanValues(bucket.start, bucket.end, report.timeZone), fixed(meter.values[i] ?? null, KWH_DIGITS)]);
    });
  }
  return rows;
}

function loadProfileTable(report: EnergyReport): CsvValue[][] {
  const { byHourW, byWeekdayW } = report.indicators.loadProfile;
  return [
    ['group', 'slot', 'average_power_w'],
    ...byHourW.map((powerW, hour) => ['hour', `${pad(hour)}:00-${pad(hour + 1)}:00`, fixed(powerW, 1)]),
    ...byWeekdayW.map((powerW, day) => ['weekday', WEEKDAY_NAMES[day]!, fixed(powerW, 1)]),
  ];
}

function indicatorsTable(report: EnergyReport): CsvValue[][] {
  const { indicators, peakDemand, timeZone } = report;
  const rows: CsvValue[][] = [
    ['indicator', 'value', 'unit'],
    ...flowColumns.map((column, i) => [column.replace(/_kwh$/, ''), flowValues(report.totals)[i]!, 'kWh']),
    ['pv_self_consumption_ratio', fixed(indicators.pvSelfConsumptionRatio, RATIO_DIGITS), 'ratio'],
    ['self_sufficiency_ratio', fixed(indicators.selfSufficiencyRatio, RATIO_DIGITS), 'ratio'],
    ['baseload_power', fixed(indicators.baseload?.powerW ?? null, 1), 'W'],
    ['baseload_start', indicators.baseload === null ? null : isoLocalTime(indicators.baseload.start, timeZone), 'local time'],
    ['peak_demand', fixed(peakDemand?.powerKw ?? null, KWH_DIGITS), 'kW'],
    ['peak_demand_start', peakDemand === null ? null : isoLocalTime(peakDemand.start, timeZone), 'local time'],
    ['co2_grid_import', fixed(indicators.co2?.gridImportKg ?? null, KWH_DIGITS), 'kg'],
  ];
  if (report.cost !== null) rows.push(['net_cost', money(report.cost.net), report.cost.currency]);
  return rows;
}

const tables: Record<EnergyReportTable, (report: EnergyReport) => CsvValue[][]> = {
  buckets: bucketsTable,
  meters: metersTable,
  hierarchy: hierarchyTable,
  cost: costTable,
  'virtual-meters': virtualMetersTable,
  'load-profile': loadProfileTable,
  indicators: indicatorsTable,
};

/** Encodes one table of a report as CSV with a header record (RFC 4180, CRLF). */
export function energyReportCsv(report: EnergyReport, table: EnergyReportTable): string {
  return tables[table](report).map(csvRecord).join('');
}

/** Encodes the organization-wide view as CSV: one record per site, then a `total` record. */
export function organizationEnergyCsv(org: OrganizationEnergy): string {
  const header = ['row', 'site_id', 'site_name', 'time_zone', 'from', 'to', ...flowColumns, 'net_cost', 'currency', 'peak_demand_kw', 'self_sufficiency_ratio', 'pv_self_consumption_ratio', 'co2_kg'];
  const sites = org.sites.map((site): CsvValue[] => [
    'site',
    site.siteId,
    site.siteName,
    site.timeZone,
    site.period.from,
    site.period.to,
    ...flowValues(site.totals),
    money(site.netCost),
    site.netCost === null ? null : org.currency,
    fixed(site.peakDemand?.powerKw ?? null, KWH_DIGITS),
    fixed(site.selfSufficiencyRatio, RATIO_DIGITS),
    fixed(site.pvSelfConsumptionRatio, RATIO_DIGITS),
    fixed(site.co2Kg, KWH_DIGITS),
  ]);
  const total: CsvValue[] = [
    'total',
    null,
    null,
    null,
    null,
    null,
    ...flowValues(org.totals),
    money(org.totals.netCost),
    org.totals.netCost === null ? null : org.currency,
    null,
    null,
    null,
    fixed(org.totals.co2Kg, KWH_DIGITS),
  ];
  return [header, ...sites, total].map(csvRecord).join('');
}
