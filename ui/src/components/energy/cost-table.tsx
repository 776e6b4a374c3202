import type { EnergyReport } from '@simtestlab/sync';
import { For, Show } from 'solid-js';
import { formatKwh, formatKwhWithUnit, formatMoney, noCostMessage } from './energy-format';
import { DEMAND_CHARGE_HINT, showsDemandChargeHint } from './monthly-demand';

/**
 * Renders the cost of the period: import cost, export credit, demand charge (the sum over the period's
 * whole months) and net, then import by tariff period.
 */
export function CostTable(props: { report: EnergyReport }) {
  return (
    <Show
      when={props.report.cost}
      fallback={
        <p class="empty" data-testid="energy-no-tariff">
          {noCostMessage(props.report.costStatus)}
        </p>
      }
    >
      {(cost) => (
        <>
          <div class="table-wrap">
            <table class="data energy-table" data-testid="energy-cost-table">
              <caption>Cost of the period in {cost().currency}.</caption>
              <tbody>
                <tr>
                  <th scope="row">Import cost</th>
                  <td class="numeric">{formatMoney(cost().importCost, cost().currency)}</td>
                </tr>
                <tr>
                  <th scope="row">Export credit</th>
                  <td class="numeric">{formatMoney(-cost().exportCredit, cost().currency)}</td>
                </tr>
                <tr>
                  <th scope="row">Demand charge</th>
                  <td class="numeric" data-testid="energy-demand-charge">
                    {cost().demandCharge === null ? 'not billed for this period' : formatMoney(cost().demandCharge, cost().currency)}
                  </td>
                </tr>
                <tr class="energy-total-row">
                  <th scope="row">Net cost</th>
                  <td class="numeric">{formatMoney(cost().net, cost().currency)}</td>
                </tr>
              </tbody>
            </table>
          </div>
          <Show when={showsDemandChargeHint(props.report)}>
            <p class="field-hint" data-testid="energy-demand-charge-hint">
              {DEMAND_CHARGE_HINT}
            </p>
          </Show>
          <Show when={cost().byTariffPeriod.length > 0}>
            <div class="table-wrap">
              <table class="data energy-table" data-testid="energy-tariff-table">
                <caption>Grid import by tariff period.</caption>
                <thead>
                  <tr>
                    <th scope="col">Tariff period</th>
                    <th scope="col" class="numeric">
                      Import (kWh)
                    </th>
                    <th scope="col" class="numeric">
                      Import cost
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={cost().byTariffPeriod}>
                    {(entry) => (
                      <tr>
                        <th scope="row">{entry.name}</th>
                        <td class="numeric">{formatKwh(entry.importWh)}</td>
                        <td class="numeric">{formatMoney(entry.importCost, cost().currency)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
          <Show when={cost().unpricedImportWh > 0}>
            <p class="field-hint">{formatKwhWithUnit(cost().unpricedImportWh)} of import lies before the first tariff starts and is not priced.</p>
          </Show>
        </>
      )}
    </Show>
  );
}
