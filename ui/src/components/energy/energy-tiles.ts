import type { EnergyReport, FlowTotals } from '@simtestlab/sync';
import { changeFrom, changeNote, formatEnergyChange, formatMoneyChange, type Change } from './energy-comparison';
import { formatKwh, formatMoney, formatRatio, noCostLabel, noCostMessage } from './energy-format';

/** One headline figure of the energy page and the report, ready to render. */
export interface EnergyTile {
  id: 'consumption' | 'pv' | 'grid-import' | 'grid-export' | 'net-cost' | 'self-sufficiency' | 'self-consumption';
  label: string;
  value: string;
  unit: string;
  /** The change against the previous period as text, null when there is nothing to compare with. */
  change: string | null;
  direction: Change['direction'] | null;
  note: string | null;
}

type EnergyKey = keyof Pick<FlowTotals, 'consumptionWh' | 'pvWh' | 'gridImportWh' | 'gridExportWh'>;

const ENERGY_TILES: { id: EnergyTile['id']; label: string; key: EnergyKey }[] = [
  { id: 'consumption', label: 'Consumption', key: 'consumptionWh' },
  { id: 'pv', label: 'PV production', key: 'pvWh' },
  { id: 'grid-import', label: 'Grid import', key: 'gridImportWh' },
  { id: 'grid-export', label: 'Grid export', key: 'gridExportWh' },
];

const FLOW_OF_KEY: Record<EnergyKey, EnergyReport['missingFlows'][number]> = {
  consumptionWh: 'consumption',
  pvWh: 'pv',
  gridImportWh: 'gridImport',
  gridExportWh: 'gridExport',
};

function energyTile(report: EnergyReport, spec: (typeof ENERGY_TILES)[number], locale?: string): EnergyTile {
  const change = changeFrom(report.totals[spec.key], report.previous?.totals[spec.key]);
  let note: string | null = 'No previous period to compare with.';
  if (report.missingFlows.includes(FLOW_OF_KEY[spec.key])) note = 'No meter measures this flow.';
  else if (change) note = changeNote(change);
  return {
    id: spec.id,
    label: spec.label,
    value: formatKwh(report.totals[spec.key], locale),
    unit: 'kWh',
    change: change && `${formatEnergyChange(change, locale)} ${comparisonLabel(report)}`,
    direction: change?.direction ?? null,
    note,
  };
}

/** Names what a change compares with: a running period is compared with the previous one up to the same elapsed time. */
function comparisonLabel(report: EnergyReport): string {
  return report.previous?.comparedUntil === undefined ? 'vs previous period' : 'vs the same time in the previous period';
}

function netCostTile(report: EnergyReport, locale?: string): EnergyTile {
  const cost = report.cost;
  if (cost === null) {
    return { id: 'net-cost', label: 'Net cost', value: noCostLabel(report.costStatus), unit: '', change: null, direction: null, note: noCostMessage(report.costStatus) };
  }
  const change = changeFrom(cost.net, report.previous?.netCost);
  return {
    id: 'net-cost',
    label: 'Net cost',
    // The money format carries the currency symbol or code, so the tile needs no separate unit.
    value: formatMoney(cost.net, cost.currency, locale),
    unit: '',
    change: change && `${formatMoneyChange(change, cost.currency, locale)} ${comparisonLabel(report)}`,
    direction: change?.direction ?? null,
    note: change ? changeNote(change) : 'No cost of the previous period to compare with.',
  };
}

/** Builds the headline tiles of a report: four flows and net cost with their change, then the two ratios. */
export function energyTiles(report: EnergyReport, locale?: string): EnergyTile[] {
  const indicators = report.indicators;
  return [
    ...ENERGY_TILES.map((spec) => energyTile(report, spec, locale)),
    netCostTile(report, locale),
    {
      id: 'self-sufficiency',
      label: 'Self-sufficiency',
      value: formatRatio(indicators.selfSufficiencyRatio, locale),
      unit: '',
      change: null,
      direction: null,
      note: indicators.selfSufficiencyRatio === null ? 'No consumption in this period.' : 'Share of consumption not imported from the grid.',
    },
    {
      id: 'self-consumption',
      label: 'Self-consumption',
      value: formatRatio(indicators.pvSelfConsumptionRatio, locale),
      unit: '',
      change: null,
      direction: null,
      note: indicators.pvSelfConsumptionRatio === null ? 'No PV production in this period.' : 'Share of PV production used on site.',
    },
  ];
}
