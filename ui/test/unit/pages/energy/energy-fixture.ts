import { energyReportSchema, type EnergyReport, type FlowTotals, type ReportBucket } from '@simtestlab/sync';

/** Berlin changes to summer time on 2026-03-29 (23 h) and back on 2026-10-25 (25 h). */
export const ZONE = 'Europe/Berlin';
const HOUR_MS = 3_600_000;
/** 2026-03-02T00:00 in Berlin (UTC+1), a Monday. */
export const MARCH_2_START = Date.UTC(2026, 2, 1, 23);

export function totals(overrides: Partial<FlowTotals> = {}): FlowTotals {
  return { gridImportWh: 0, gridExportWh: 0, pvWh: 0, batteryChargeWh: 0, batteryDischargeWh: 0, evWh: 0, consumptionWh: 0, ...overrides };
}

/** Hourly buckets from `start`, each importing 1 kWh, producing 0.5 kWh of PV and consuming 1.5 kWh. */
export function hourlyBuckets(start: number, count: number): ReportBucket[] {
  return Array.from({ length: count }, (_, index) => ({
    start: start + index * HOUR_MS,
    end: start + (index + 1) * HOUR_MS,
    ...totals({ gridImportWh: 1_000, pvWh: 500, consumptionWh: 1_500 }),
    netCost: 0.3,
  }));
}

/**
 * Builds a day report of a site with a grid meter, a PV meter and a building, checked against the
 * shared schema so a fixture cannot drift from the contract.
 */
export function makeReport(overrides: Partial<EnergyReport> = {}): EnergyReport {
  const buckets = hourlyBuckets(MARCH_2_START, 24);
  const report: EnergyReport = {
    siteId: 'site-1',
    siteName: 'Depot North',
    timeZone: ZONE,
    period: { kind: 'day', start: MARCH_2_START, end: MARCH_2_START + 24 * HOUR_MS, from: '2026-03-02', to: '2026-03-02', hours: 24 },
    resolution: '1h',
    sourceResolution: '15m',
    totals: totals({ gridImportWh: 24_000, gridExportWh: 2_000, pvWh: 12_000, consumptionWh: 34_000 }),
    consumptionSource: 'balance',
    missingFlows: ['batteryCharge', 'batteryDischarge', 'ev'],
    buckets,
    meters: [
      {
        id: 'grid-meter.power',
        device: 'grid-meter',
        name: 'Grid power',
        role: 'grid',
        unit: 'W',
        nodeId: null,
        method: 'power-integration',
        energyWh: 24_000,
        reverseEnergyWh: 2_000,
        coverage: 0.98,
        resets: 0,
        gaps: [],
        unattributedWh: null,
        cost: 7.2,
      },
      {
        id: 'pv.energy',
        device: 'pv',
        name: 'PV yield',
        role: 'pv',
        unit: 'kWh',
        nodeId: null,
        method: 'counter',
        energyWh: 12_000,
        reverseEnergyWh: 0,
        coverage: 1,
        resets: 1,
        gaps: [],
        unattributedWh: 0,
        cost: null,
      },
    ],
    virtualMeters: [{ id: 'rest', name: 'Rest of site', unit: 'Wh', formula: 'grid-meter.power - hall.power', total: 10_000, values: [], missingMeterIds: [] }],
    hierarchy: {
      siteConsumptionWh: 34_000,
      assignedWh: 30_000,
      unassignedWh: 4_000,
      nodes: [
        { id: 'b1', parentId: null, kind: 'building', name: 'Hall', meterIds: ['hall.power'], meteredWh: 30_000, childrenWh: 20_000, totalWh: 30_000, unassignedWh: 10_000 },
        { id: 'a1', parentId: 'b1', kind: 'area', name: 'Workshop', meterIds: ['workshop.power'], meteredWh: 20_000, childrenWh: 0, totalWh: 20_000, unassignedWh: 0 },
      ],
    },
    cost: {
      currency: 'EUR',
      importCost: 7.2,
      exportCredit: 0.16,
      demandCharge: null,
      net: 7.04,
      byTariffPeriod: [{ name: 'flat', importWh: 24_000, importCost: 7.2 }],
      unpricedImportWh: 0,
    },
    costStatus: 'priced',
    peakDemand: { start: MARCH_2_START + 18 * HOUR_MS, end: MARCH_2_START + 18.25 * HOUR_MS, powerKw: 4.2 },
    monthlyDemand: [],
    indicators: {
      totals: { gridImportWh: 24_000, gridExportWh: 2_000, pvWh: 12_000, batteryChargeWh: 0, batteryDischargeWh: 0, consumptionWh: 34_000 },
      pvSelfConsumptionRatio: 10 / 12,
      selfSufficiencyRatio: 10 / 34,
      loadProfile: { byHourW: new Array<number | null>(24).fill(1_500), byWeekdayW: [1_500, null, null, null, null, null, null] },
      baseload: { powerW: 1_500, start: MARCH_2_START + 2 * HOUR_MS, end: MARCH_2_START + 3 * HOUR_MS },
      co2: { emissionFactorGPerKwh: 400, gridImportKg: 9.6 },
    },
    previous: {
      period: { kind: 'day', start: MARCH_2_START - 24 * HOUR_MS, end: MARCH_2_START, from: '2026-03-01', to: '2026-03-01', hours: 24 },
      totals: totals({ gridImportWh: 20_000, gridExportWh: 0, pvWh: 10_000, consumptionWh: 30_000 }),
      netCost: 6,
    },
    warnings: [],
    ...overrides,
  };
  return energyReportSchema.parse(report);
}
