import type { EnergyFlow, EnergyReport, ReportBucket } from '@simtestlab/sync';
import type { BarSeries } from './bar-chart';
import { FLOW_LABELS } from './energy-labels';

/** Bucket field of each flow that the chart draws. */
const FLOW_KEYS = {
  gridImport: 'gridImportWh',
  pv: 'pvWh',
  batteryDischarge: 'batteryDischargeWh',
  gridExport: 'gridExportWh',
  batteryCharge: 'batteryChargeWh',
  ev: 'evWh',
  consumption: 'consumptionWh',
} as const satisfies Record<EnergyFlow, keyof ReportBucket>;

/** Flows drawn above the axis (where the energy comes from) and below it (where surplus goes), with their colours. */
const SUPPLY: { flow: EnergyFlow; colour: string }[] = [
  { flow: 'gridImport', colour: '--chart-3' },
  { flow: 'pv', colour: '--chart-5' },
  { flow: 'batteryDischarge', colour: '--chart-4' },
];
const SURPLUS: { flow: EnergyFlow; colour: string }[] = [
  { flow: 'gridExport', colour: '--chart-2' },
  { flow: 'batteryCharge', colour: '--chart-6' },
];

const kwh = (wattHours: number): number => wattHours / 1_000;

/**
 * Builds the series of the flow chart in kWh per bucket: grid import, PV and battery discharge stacked
 * above the axis, grid export and battery charge stacked below it as negative values, and consumption
 * as a line. A flow that no meter measures is left out rather than drawn as zero.
 */
export function flowChartSeries(report: Pick<EnergyReport, 'buckets' | 'missingFlows'>): BarSeries[] {
  const measured = (flow: EnergyFlow) => !report.missingFlows.includes(flow);
  const bars = (entries: typeof SUPPLY, sign: 1 | -1): BarSeries[] =>
    entries
      .filter((entry) => measured(entry.flow))
      .map((entry) => ({
        label: FLOW_LABELS[entry.flow],
        colour: entry.colour,
        values: report.buckets.map((bucket) => sign * kwh(bucket[FLOW_KEYS[entry.flow]])),
      }));
  const series = [...bars(SUPPLY, 1), ...bars(SURPLUS, -1)];
  if (measured('consumption')) {
    series.push({ label: FLOW_LABELS.consumption, colour: '--chart-1', line: true, values: report.buckets.map((bucket) => kwh(bucket.consumptionWh)) });
  }
  return series;
}
