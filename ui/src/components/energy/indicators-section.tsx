import type { EnergyReport } from '@simtestlab/sync';
import { For, Show } from 'solid-js';
import { BarChart } from './bar-chart';
import { formatCo2Kg, formatKw, formatWatts } from './energy-format';
import { formatLocalInterval } from './energy-labels';
import { monthlyDemandRows, showsMonthlyDemand } from './monthly-demand';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const HOURS = Array.from({ length: 24 }, (_, hour) => `${String(hour).padStart(2, '0')}:00`);

const kw = (watts: number | null) => (watts === null ? null : watts / 1_000);

/**
 * Renders the indicators: peak demand and baseload with their local time, CO2, and the peak demand of
 * each month when the period has several whole months. Unless `charts` is false, it adds the load
 * profile by local hour and weekday as small bar charts.
 */
export function IndicatorsSection(props: { report: EnergyReport; charts?: boolean }) {
  const zone = () => props.report.timeZone;
  const indicators = () => props.report.indicators;
  return (
    <>
      <dl class="energy-facts" data-testid="energy-indicators">
        <div>
          <dt>Peak demand</dt>
          <dd data-testid="energy-peak">
            <Show when={props.report.peakDemand} fallback={<span class="muted">Not known: needs 15-minute grid import data.</span>}>
              {(peak) => (
                <>
                  {formatKw(peak().powerKw)} <span class="muted">at {formatLocalInterval(peak().start, peak().end, zone())}</span>
                </>
              )}
            </Show>
          </dd>
        </div>
        <div>
          <dt>Baseload</dt>
          <dd data-testid="energy-baseload">
            <Show when={indicators().baseload} fallback={<span class="muted">Not known: no consumption data in the night window.</span>}>
              {(baseload) => (
                <>
                  {formatWatts(baseload().powerW)} <span class="muted">lowest at {formatLocalInterval(baseload().start, baseload().end, zone())}</span>
                </>
              )}
            </Show>
          </dd>
        </div>
        <div>
          <dt>CO2 of grid import</dt>
          <dd data-testid="energy-co2">
            <Show when={indicators().co2} fallback={<span class="muted">Not computed: the site has no grid emission factor.</span>}>
              {(co2) => (
                <>
                  {formatCo2Kg(co2().gridImportKg)} <span class="muted">at {co2().emissionFactorGPerKwh} g/kWh</span>
                  <Show when={co2().avoidedByPvKg !== undefined}>
                    <span class="energy-sub">{formatCo2Kg(co2().avoidedByPvKg!)} avoided by self-consumed PV</span>
                  </Show>
                </>
              )}
            </Show>
          </dd>
        </div>
      </dl>
      <Show when={showsMonthlyDemand(props.report)}>
        <MonthlyDemandTable report={props.report} />
      </Show>
      <Show when={props.charts ?? true}>
        <div class="grid grid-2 energy-profiles">
          <div>
            <h3>Load profile by hour</h3>
            <BarChart
              categories={HOURS}
              series={[{ label: 'Average consumption', colour: '--chart-1', values: indicators().loadProfile.byHourW.map(kw) }]}
              unit="kW"
              label={`Average consumption power for each local hour of the day, in kW, in the ${zone()} time zone`}
              height={200}
              testId="energy-profile-hour"
            />
          </div>
          <div>
            <h3>Load profile by weekday</h3>
            <BarChart
              categories={WEEKDAYS}
              series={[{ label: 'Average consumption', colour: '--chart-1', values: indicators().loadProfile.byWeekdayW.map(kw) }]}
              unit="kW"
              label="Average consumption power for each weekday, Monday first, in kW"
              height={200}
              testId="energy-profile-weekday"
            />
          </div>
        </div>
        <details class="energy-chart-table">
          <summary>Show the values as a table</summary>
          <div class="grid grid-2">
            <LoadProfileTable
              caption={`Average consumption power for each local hour of the day, in kW, in the ${zone()} time zone.`}
              heading="Hour"
              labels={HOURS}
              watts={indicators().loadProfile.byHourW}
              testId="energy-profile-hour-table"
            />
            <LoadProfileTable
              caption="Average consumption power for each weekday, in kW."
              heading="Weekday"
              labels={WEEKDAYS}
              watts={indicators().loadProfile.byWeekdayW}
              testId="energy-profile-weekday-table"
            />
          </div>
        </details>
      </Show>
    </>
  );
}

/** Renders one load profile as a table, so its values reach screen readers and can be read exactly. */
function LoadProfileTable(props: { caption: string; heading: string; labels: string[]; watts: (number | null)[]; testId: string }) {
  return (
    <div class="table-wrap">
      <table class="data energy-table" data-testid={props.testId}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.heading}</th>
            <th scope="col" class="numeric">
              Average power
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={props.labels}>
            {(label, index) => {
              const watts = () => props.watts[index()] ?? null;
              return (
                <tr>
                  <th scope="row">{label}</th>
                  <td class="numeric">{watts() === null ? 'no data' : formatKw(watts()! / 1_000)}</td>
                </tr>
              );
            }}
          </For>
        </tbody>
      </table>
    </div>
  );
}

/**
 * Renders the peak demand of each whole month of the period, the basis of its demand charge. The table
 * is here and not in the cost section because a site without a tariff has peaks too. Its demand charge
 * column appears only when the report has a cost.
 */
function MonthlyDemandTable(props: { report: EnergyReport }) {
  const cost = () => props.report.cost;
  return (
    <div class="table-wrap">
      <table class="data energy-table" data-testid="energy-monthly-demand-table">
        <caption>Peak demand by month: the highest 15-minute average grid import of each whole month, with times in {props.report.timeZone}.</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col" class="numeric">
              Peak (kW)
            </th>
            <th scope="col">Peak time</th>
            <Show when={cost()}>
              <th scope="col" class="numeric">
                Demand charge
              </th>
            </Show>
          </tr>
        </thead>
        <tbody>
          <For each={monthlyDemandRows(props.report)}>
            {(row) => (
              <tr>
                <th scope="row">{row.month}</th>
                <td class="numeric">{row.peakKw}</td>
                <td>{row.peakTime}</td>
                <Show when={cost()}>
                  <td class="numeric">{row.demandCharge}</td>
                </Show>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
