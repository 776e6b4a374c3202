import type { EnergyReport } from '@simtestlab/sync';
import { createMemo, For, Show } from 'solid-js';
import { BarChart } from './bar-chart';
import { flowChartSeries } from './energy-chart';
import { formatKwh, formatMoney } from './energy-format';
import { bucketLabels } from './energy-labels';

const RESOLUTION_WORDS = { '15m': '15 minutes', '1h': 'hour', '1d': 'day', '1mo': 'month' } as const;

/**
 * Renders the flows of each bucket as a stacked bar chart with consumption as a line, labelled in the
 * site's time zone, and the same values as a table for screen readers and for reading exact numbers.
 */
export function FlowChart(props: { report: EnergyReport }) {
  const labels = createMemo(() => bucketLabels(props.report.buckets, props.report.resolution, props.report.timeZone));
  const series = createMemo(() => flowChartSeries(props.report));
  const currency = () => props.report.cost?.currency ?? null;
  return (
    <Show when={props.report.buckets.length > 0} fallback={<p class="empty">The period has no buckets.</p>}>
      <BarChart
        categories={labels()}
        series={series()}
        unit="kWh"
        stacked
        label={`Energy per ${RESOLUTION_WORDS[props.report.resolution]} in kWh: supply above the axis, export and battery charge below, consumption as a line; times in ${props.report.timeZone}`}
        height={320}
        testId="energy-flow-chart"
      />
      <p class="field-hint">
        One bar per {RESOLUTION_WORDS[props.report.resolution]}, times in {props.report.timeZone}. Grid export and battery charge are drawn below the axis.
      </p>
      <details class="energy-chart-table">
        <summary>Show the values as a table</summary>
        <div class="table-wrap">
          <table class="data energy-table" data-testid="energy-bucket-table">
            <caption>Energy per {RESOLUTION_WORDS[props.report.resolution]} in kWh, times in {props.report.timeZone}.</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col" class="numeric">
                  Consumption
                </th>
                <th scope="col" class="numeric">
                  PV
                </th>
                <th scope="col" class="numeric">
                  Grid import
                </th>
                <th scope="col" class="numeric">
                  Grid export
                </th>
                <th scope="col" class="numeric">
                  Battery charge
                </th>
                <th scope="col" class="numeric">
                  Battery discharge
                </th>
                <th scope="col" class="numeric">
                  Net cost
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={props.report.buckets}>
                {(bucket, index) => (
                  <tr>
                    <th scope="row">{labels()[index()]}</th>
                    <td class="numeric">{formatKwh(bucket.consumptionWh)}</td>
                    <td class="numeric">{formatKwh(bucket.pvWh)}</td>
                    <td class="numeric">{formatKwh(bucket.gridImportWh)}</td>
                    <td class="numeric">{formatKwh(bucket.gridExportWh)}</td>
                    <td class="numeric">{formatKwh(bucket.batteryChargeWh)}</td>
                    <td class="numeric">{formatKwh(bucket.batteryDischargeWh)}</td>
                    <td class="numeric">{currency() === null || bucket.netCost === null ? 'no tariff' : formatMoney(bucket.netCost, currency()!)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </details>
    </Show>
  );
}
