import type { ReportVirtualMeter } from '@simtestlab/sync';
import { For, Show } from 'solid-js';
import { formatNumber } from '../../format/values';
import { formatKwh } from './energy-format';

/** Formats a virtual meter's total: energies in kWh, other units as they are. */
function formatTotal(meter: ReportVirtualMeter): string {
  if (meter.total === null) return 'incomplete';
  if (meter.unit === 'Wh') return `${formatKwh(meter.total)} kWh`;
  if (meter.unit === 'kWh') return `${formatKwh(meter.total * 1_000)} kWh`;
  return `${formatNumber(meter.total)} ${meter.unit}`;
}

/** Renders the site's virtual meters with their formula and total, and the meters that were missing. */
export function VirtualMeterTable(props: { meters: ReportVirtualMeter[] }) {
  return (
    <Show when={props.meters.length > 0} fallback={<p class="empty">No virtual meters are defined for this site.</p>}>
      <div class="table-wrap">
        <table class="data energy-table" data-testid="energy-virtual-meter-table">
          <caption>Virtual meters computed from the site's meters: the sum over the period for energy, the average for power.</caption>
          <thead>
            <tr>
              <th scope="col">Virtual meter</th>
              <th scope="col">Formula</th>
              <th scope="col" class="numeric">
                Total
              </th>
              <th scope="col">Missing meters</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.meters}>
              {(meter) => (
                <tr>
                  <th scope="row">{meter.name}</th>
                  <td class="mono">{meter.formula}</td>
                  <td class="numeric">{formatTotal(meter)}</td>
                  <td>{meter.missingMeterIds.length === 0 ? 'none' : meter.missingMeterIds.join(', ')}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </Show>
  );
}
