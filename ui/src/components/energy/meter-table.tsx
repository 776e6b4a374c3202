import type { EnergyReport, ReportMeter } from '@simtestlab/sync';
import { For, Show } from 'solid-js';
import { formatKwh, formatMoney, formatRatio } from './energy-format';
import { METHOD_LABELS, ROLE_LABELS } from './energy-labels';

/** Returns the role of a meter as words, or a dash for a point that only a virtual meter reads. */
function roleLabel(meter: ReportMeter): string {
  return meter.role === null ? '–' : ROLE_LABELS[meter.role];
}

/** Renders the breakdown by meter: role, how its energy was obtained, coverage, energy and cost. */
export function MeterTable(props: { report: EnergyReport }) {
  const currency = () => props.report.cost?.currency ?? null;
  const cost = (meter: ReportMeter) => {
    const code = currency();
    return code === null || meter.cost === null ? 'no tariff' : formatMoney(meter.cost, code);
  };
  return (
    <div class="table-wrap">
      <table class="data energy-table" data-testid="energy-meter-table">
        <caption>
          Energy of each meter over the period, in kWh. Reverse energy is grid export or battery charge of a signed meter. Coverage is the share of the whole period
          with readings, so it is low for a period still running; the notes above judge such a period only up to its newest reading.
        </caption>
        <thead>
          <tr>
            <th scope="col">Meter</th>
            <th scope="col">Role</th>
            <th scope="col">Method</th>
            <th scope="col" class="numeric">
              Coverage of whole period
            </th>
            <th scope="col" class="numeric">
              Energy (kWh)
            </th>
            <th scope="col" class="numeric">
              Reverse (kWh)
            </th>
            <th scope="col" class="numeric">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={props.report.meters}>
            {(meter) => (
              <tr data-testid={`energy-meter-${meter.id}`}>
                <th scope="row">
                  {meter.name}
                  <span class="energy-sub mono">{meter.id}</span>
                </th>
                <td>{roleLabel(meter)}</td>
                <td>
                  {METHOD_LABELS[meter.method]}
                  <Show when={meter.resets > 0}>
                    <span class="energy-sub">
                      {meter.resets} counter {meter.resets === 1 ? 'reset' : 'resets'}
                    </span>
                  </Show>
                </td>
                <td class="numeric" classList={{ 'energy-low': meter.coverage < 0.9 }}>
                  {formatRatio(meter.coverage)}
                </td>
                <td class="numeric">{formatKwh(meter.energyWh)}</td>
                <td class="numeric">{meter.reverseEnergyWh === 0 ? '–' : formatKwh(meter.reverseEnergyWh)}</td>
                <td class="numeric">{cost(meter)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
