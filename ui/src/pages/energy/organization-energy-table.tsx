import { A } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';
import { formatEnergy } from '../../format/values';
import { formatCo2, formatMoney, formatPeakTime, formatRatio } from './energy-format';
import { nextSortOrder, sortRows, type EnergyRow, type SortKey, type SortOrder } from './organization-energy-rows';

interface Column {
  key: SortKey;
  label: string;
  numeric: boolean;
}

const columns: Column[] = [
  { key: 'name', label: 'Site', numeric: false },
  { key: 'consumptionWh', label: 'Consumption', numeric: true },
  { key: 'pvWh', label: 'PV', numeric: true },
  { key: 'gridImportWh', label: 'Import', numeric: true },
  { key: 'gridExportWh', label: 'Export', numeric: true },
  { key: 'netCost', label: 'Net cost', numeric: true },
  { key: 'peakDemandKw', label: 'Peak demand', numeric: true },
  { key: 'selfSufficiencyRatio', label: 'Self-sufficiency', numeric: true },
  { key: 'pvSelfConsumptionRatio', label: 'PV self-consumption', numeric: true },
  { key: 'co2Kg', label: 'CO2', numeric: true },
];

function energyText(wattHours: number): string {
  const { value, unit } = formatEnergy(wattHours);
  return `${value} ${unit}`;
}

function PeakCell(props: { row: EnergyRow }) {
  return (
    <Show when={props.row.peakDemandKw !== null} fallback="–">
      <span class="energy-nowrap">{powerText(props.row.peakDemandKw!)}</span>
      <Show when={props.row.peakDemandStart !== null && props.row.timeZone !== null} fallback={<span class="muted energy-cell-note">highest site</span>}>
        <span class="muted energy-cell-note">{formatPeakTime(props.row.peakDemandStart!, props.row.timeZone!)}</span>
      </Show>
    </Show>
  );
}

function powerText(kw: number): string {
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(kw)} kW`;
}

/** Renders the cells after the name, in column order. */
function ValueCells(props: { row: EnergyRow; currency: string }): JSX.Element {
  return (
    <>
      <td class="numeric">{energyText(props.row.consumptionWh)}</td>
      <td class="numeric">{energyText(props.row.pvWh)}</td>
      <td class="numeric">{energyText(props.row.gridImportWh)}</td>
      <td class="numeric">{energyText(props.row.gridExportWh)}</td>
      <td class="numeric">{formatMoney(props.row.netCost, props.currency)}</td>
      <td class="numeric">
        <PeakCell row={props.row} />
      </td>
      <td class="numeric">{formatRatio(props.row.selfSufficiencyRatio)}</td>
      <td class="numeric">{formatRatio(props.row.pvSelfConsumptionRatio)}</td>
      <td class="numeric">{formatCo2(props.row.co2Kg)}</td>
    </>
  );
}

/**
 * Renders the sites of an organization with their energy, cost and indicators, sortable by any column,
 * and the organization's totals in the footer. Each site links to its own energy page.
 */
export function OrganizationEnergyTable(props: { rows: EnergyRow[]; totals: EnergyRow; currency: string; order: SortOrder; onSort: (order: SortOrder) => void }) {
  const sorted = () => sortRows(props.rows, props.order);
  const ariaSort = (key: SortKey) => (props.order.key === key ? props.order.direction : 'none');
  const sortMark = (key: SortKey) => {
    if (props.order.key !== key) return '';
    return props.order.direction === 'ascending' ? '▲' : '▼';
  };

  return (
    <div class="table-wrap">
      <table class="data energy-org-table" data-testid="organization-energy-table">
        <caption class="visually-hidden">Energy per site, sorted by {columns.find((column) => column.key === props.order.key)?.label}, {props.order.direction}</caption>
        <thead>
          <tr>
            <For each={columns}>
              {(column) => (
                <th scope="col" aria-sort={ariaSort(column.key)} classList={{ numeric: column.numeric }}>
                  <button type="button" class="energy-sort" onClick={() => props.onSort(nextSortOrder(props.order, column.key))} data-testid={`sort-${column.key}`}>
                    {column.label}
                    <span aria-hidden="true" class="energy-sort-mark">
                      {sortMark(column.key)}
                    </span>
                  </button>
                </th>
              )}
            </For>
          </tr>
        </thead>
        <tbody>
          <For each={sorted()}>
            {(row) => (
              <tr data-testid={`energy-site-${row.siteId}`}>
                <th scope="row">
                  <A href={`/sites/${encodeURIComponent(row.siteId ?? '')}/energy`}>{row.name}</A>
                </th>
                <ValueCells row={row} currency={props.currency} />
              </tr>
            )}
          </For>
        </tbody>
        <tfoot>
          <tr class="energy-totals" data-testid="energy-totals">
            <th scope="row">{props.totals.name}</th>
            <ValueCells row={props.totals} currency={props.currency} />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
