import type { PeriodKind } from './energy-periods';
import type { EnergyReport, FlowTotals, OrganizationEnergy } from './energy-report-schema';

/** The organization-wide energy view: one row per site from its report, and their sum. */

function emptyTotals(): FlowTotals {
  return { gridImportWh: 0, gridExportWh: 0, pvWh: 0, batteryChargeWh: 0, batteryDischargeWh: 0, evWh: 0, consumptionWh: 0 };
}

/**
 * Adds nullable figures. The sum is null when any figure is null or there are none, so a partial sum is
 * never shown as the whole.
 */
function sumOrNull(values: readonly (number | null)[]): number | null {
  if (values.length === 0 || values.some((value) => value === null)) return null;
  return values.reduce<number>((sum, value) => sum + value!, 0);
}

/**
 * Summarizes the sites' reports of one period kind. A site's net cost counts only when its report was
 * priced in `currency`. Throws a RangeError for a report of another period kind.
 */
export function summarizeOrganization(organizationId: string, currency: string, periodKind: PeriodKind, reports: readonly EnergyReport[]): OrganizationEnergy {
  const sites = reports.map((report) => {
    if (report.period.kind !== periodKind) {
      throw new RangeError(`report of site "${report.siteId}" covers a ${report.period.kind}, not a ${periodKind}: compute every site's report for the same period kind`);
    }
    return {
      siteId: report.siteId,
      siteName: report.siteName,
      timeZone: report.timeZone,
      period: report.period,
      totals: report.totals,
      netCost: report.cost !== null && report.cost.currency === currency ? report.cost.net : null,
      peakDemand: report.peakDemand,
      selfSufficiencyRatio: report.indicators.selfSufficiencyRatio,
      pvSelfConsumptionRatio: report.indicators.pvSelfConsumptionRatio,
      co2Kg: report.indicators.co2?.gridImportKg ?? null,
    };
  });

  const totals = emptyTotals();
  for (const site of sites) {
    for (const key of Object.keys(totals) as (keyof FlowTotals)[]) totals[key] += site.totals[key];
  }
  return {
    organizationId,
    currency,
    periodKind,
    sites,
    totals: { ...totals, netCost: sumOrNull(sites.map((site) => site.netCost)), co2Kg: sumOrNull(sites.map((site) => site.co2Kg)) },
  };
}
