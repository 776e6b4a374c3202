import type { OrganizationEnergy } from '@simtestlab/sync';

type SiteEnergy = OrganizationEnergy['sites'][number];

/** One line of the organization table: a site, or the organization's totals. */
export interface EnergyRow {
  siteId: string | null;
  name: string;
  timeZone: string | null;
  consumptionWh: number;
  pvWh: number;
  gridImportWh: number;
  gridExportWh: number;
  netCost: number | null;
  /** Highest 15-minute average import; on the totals row the highest of the sites, because peaks of different times do not add up. */
  peakDemandKw: number | null;
  /** Start of the peak's 15 minutes, epoch ms UTC; null on the totals row. */
  peakDemandStart: number | null;
  selfSufficiencyRatio: number | null;
  pvSelfConsumptionRatio: number | null;
  co2Kg: number | null;
}

/** Columns the table sorts by. */
export const sortKeys = [
  'name',
  'consumptionWh',
  'pvWh',
  'gridImportWh',
  'gridExportWh',
  'netCost',
  'peakDemandKw',
  'selfSufficiencyRatio',
  'pvSelfConsumptionRatio',
  'co2Kg',
] as const;
export type SortKey = (typeof sortKeys)[number];

export interface SortOrder {
  key: SortKey;
  direction: 'ascending' | 'descending';
}

/** Builds a site's row from the hub's view. */
export function siteRow(site: SiteEnergy): EnergyRow {
  return {
    siteId: site.siteId,
    name: site.siteName,
    timeZone: site.timeZone,
    consumptionWh: site.totals.consumptionWh,
    pvWh: site.totals.pvWh,
    gridImportWh: site.totals.gridImportWh,
    gridExportWh: site.totals.gridExportWh,
    netCost: site.netCost,
    peakDemandKw: site.peakDemand?.powerKw ?? null,
    peakDemandStart: site.peakDemand?.start ?? null,
    selfSufficiencyRatio: site.selfSufficiencyRatio,
    pvSelfConsumptionRatio: site.pvSelfConsumptionRatio,
    co2Kg: site.co2Kg,
  };
}

function clampRatio(ratio: number): number {
  return Math.min(1, Math.max(0, ratio));
}

/**
 * Builds the organization's totals row. Energy, net cost and CO2 come from the hub's totals. The two
 * ratios are recomputed from the summed energy with the definitions of the site indicators
 * (energy-indicators.ts in sync), so large sites weigh more than small ones.
 */
export function totalsRow(energy: OrganizationEnergy, name: string): EnergyRow {
  const totals = energy.totals;
  const peaks = energy.sites.flatMap((site) => (site.peakDemand ? [site.peakDemand.powerKw] : []));
  const selfConsumedPvWh = Math.max(0, totals.pvWh - totals.gridExportWh);
  return {
    siteId: null,
    name,
    timeZone: null,
    consumptionWh: totals.consumptionWh,
    pvWh: totals.pvWh,
    gridImportWh: totals.gridImportWh,
    gridExportWh: totals.gridExportWh,
    netCost: totals.netCost,
    peakDemandKw: peaks.length > 0 ? Math.max(...peaks) : null,
    peakDemandStart: null,
    selfSufficiencyRatio: totals.consumptionWh > 0 ? clampRatio((totals.consumptionWh - totals.gridImportWh) / totals.consumptionWh) : null,
    pvSelfConsumptionRatio: totals.pvWh > 0 ? clampRatio(selfConsumedPvWh / totals.pvWh) : null,
    co2Kg: totals.co2Kg,
  };
}

/**
 * Sorts rows by one column. Rows without a value (no tariff, no PV) go last in both directions, and
 * equal values keep the order of the site names.
 */
export function sortRows(rows: readonly EnergyRow[], order: SortOrder): EnergyRow[] {
  const sign = order.direction === 'ascending' ? 1 : -1;
  const byName = (a: EnergyRow, b: EnergyRow) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });
  return [...rows].sort((a, b) => {
    if (order.key === 'name') return sign * byName(a, b) || (a.siteId ?? '').localeCompare(b.siteId ?? '');
    const left = a[order.key];
    const right = b[order.key];
    if (left === null && right === null) return byName(a, b);
    if (left === null) return 1;
    if (right === null) return -1;
    return sign * (left - right) || byName(a, b);
  });
}

/**
 * Returns the order after a click on a column's header: the same column flips its direction, another
 * column starts with names ascending and numbers descending, largest first.
 */
export function nextSortOrder(current: SortOrder, key: SortKey): SortOrder {
  if (current.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { key, direction: key === 'name' ? 'ascending' : 'descending' };
}
