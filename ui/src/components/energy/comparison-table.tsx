import type { EnergyReport, FlowTotals } from '@simtestlab/sync';
import { For } from 'solid-js';
import { changeFrom, formatEnergyChange, formatMoneyChange } from './energy-comparison';
import { formatKwh, formatMoney } from './energy-format';
import { periodTitle } from './energy-labels';

const ROWS: { key: keyof FlowTotals; label: string }[] = [
  { key: 'consumptionWh', label: 'Consumption' },
  { key: 'pvWh', label: 'PV production' },
  { key: 'gridImportWh', label: 'Grid import' },
  { key: 'gridExportWh', label: 'Grid export' },
  { key: 'batteryChargeWh', label: 'Battery charge' },
  { key: 'batteryDischargeWh', label: 'Battery discharge' },
  { key: 'evWh', label: 'EV charging' },
];

/** Renders the period's totals beside the previous period's, with the change of each in kWh and percent. */
export function ComparisonTable(props: { report: EnergyReport }) {
  const previous = () => props.report.previous;
  const previousTitle = () => {
    const period = previous()?.period;
    return period ? periodTitle({ period: period.kind, date: period.from, from: period.from, to: period.to }) : 'Previous period';
  };
  const change = (key: keyof FlowTotals) => {
    const found = changeFrom(props.report.totals[key], previous()?.totals[key]);
    return found ? formatEnergyChange(found) : '–';
  };
  const cost = () => props.report.cost;
  const costChange = () => {
    const current = cost();
    const found = current ? changeFrom(current.net, previous()?.netCost) : null;
    return current && found ? formatMoneyChange(found, current.currency) : '–';
  };
  return (
    <div class="table-wrap">
      <table class="data energy-table" data-testid="energy-comparison-table">
        <caption>Totals of the period and of the previous period. Energies in kWh; a change has no percentage when the previous value was 0.</caption>
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col" class="numeric">
              This period
            </th>
            <th scope="col" class="numeric">
              {previousTitle()}
            </th>
            <th scope="col" class="numeric">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={ROWS}>
            {(row) => (
              <tr>
                <th scope="row">{row.label}</th>
                <td class="numeric">{formatKwh(props.report.totals[row.key])}</td>
                <td class="numeric">{formatKwh(previous()?.totals[row.key] ?? null)}</td>
                <td class="numeric">{change(row.key)}</td>
              </tr>
            )}
          </For>
          <tr class="energy-total-row">
            <th scope="row">Net cost</th>
            <td class="numeric">{cost() ? formatMoney(cost()!.net, cost()!.currency) : 'no tariff'}</td>
            <td class="numeric">{cost() && previous()?.netCost != null ? formatMoney(previous()!.netCost, cost()!.currency) : '–'}</td>
            <td class="numeric">{costChange()}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
