import type { OrganizationEnergy } from '@simtestlab/sync';

type SiteEnergy = OrganizationEnergy['sites'][number];

const period = { kind: 'month' as const, start: 0, end: 1, from: '2026-03-01', to: '2026-03-31', hours: 743 };

/** Builds a site's row of the organization view, energies in Wh. */
export function siteEnergy(overrides: Partial<SiteEnergy> & { siteId: string; siteName: string }): SiteEnergy {
  return {
    timeZone: 'Europe/Berlin',
    period,
    totals: { gridImportWh: 0, gridExportWh: 0, pvWh: 0, batteryChargeWh: 0, batteryDischargeWh: 0, evWh: 0, consumptionWh: 0 },
    netCost: null,
    peakDemand: null,
    selfSufficiencyRatio: null,
    pvSelfConsumptionRatio: null,
    co2Kg: null,
    ...overrides,
  };
}

const totals = (consumptionWh: number, gridImportWh: number, pvWh: number, gridExportWh: number) => ({
  gridImportWh,
  gridExportWh,
  pvWh,
  batteryChargeWh: 0,
  batteryDischargeWh: 0,
  evWh: 0,
  consumptionWh,
});

/** Three sites: a large one with PV, a small one without a tariff, and an office in another zone. */
export const organizationEnergy: OrganizationEnergy = {
  organizationId: 'org-1',
  currency: 'EUR',
  periodKind: 'month',
  sites: [
    siteEnergy({
      siteId: 'plant',
      siteName: 'Plant',
      totals: totals(100_000, 60_000, 50_000, 10_000),
      netCost: 20.5,
      peakDemand: { start: Date.UTC(2026, 2, 10, 7, 15), end: Date.UTC(2026, 2, 10, 7, 30), powerKw: 42 },
      selfSufficiencyRatio: 0.4,
      pvSelfConsumptionRatio: 0.8,
      co2Kg: 22.8,
    }),
    siteEnergy({ siteId: 'depot', siteName: 'depot', totals: totals(10_000, 10_000, 0, 0), co2Kg: 3.8 }),
    siteEnergy({
      siteId: 'office',
      siteName: 'Office',
      timeZone: 'America/New_York',
      totals: totals(40_000, 30_000, 10_000, 0),
      netCost: 9,
      peakDemand: { start: Date.UTC(2026, 2, 3, 14, 0), end: Date.UTC(2026, 2, 3, 14, 15), powerKw: 18.5 },
      selfSufficiencyRatio: 0.25,
      pvSelfConsumptionRatio: 1,
      co2Kg: 11.4,
    }),
  ],
  totals: { ...totals(150_000, 100_000, 60_000, 10_000), netCost: 29.5, co2Kg: 38 },
};
