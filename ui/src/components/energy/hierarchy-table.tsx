import type { ReportHierarchy } from '@simtestlab/sync';
import { For, Match, Switch } from 'solid-js';
import { formatKwh } from './energy-format';
import { HIERARCHY_KIND_LABELS } from './energy-labels';
import { hierarchyRows } from './hierarchy-rows';

const indent = (depth: number) => ({ 'padding-left': `${0.6 + depth * 1.25}rem` });

/**
 * Renders the hierarchy as an indented table: site consumption first, each node with its metered,
 * children's and total energy, and the energy no node explains as visible "Unassigned" rows.
 */
export function HierarchyTable(props: { hierarchy: ReportHierarchy }) {
  const rows = () => hierarchyRows(props.hierarchy);
  return (
    <div class="table-wrap">
      <table class="data energy-table" data-testid="energy-hierarchy-table">
        <caption>Consumption of the site's buildings, areas and systems over the period, in kWh.</caption>
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">Kind</th>
            <th scope="col" class="numeric">
              Own meters (kWh)
            </th>
            <th scope="col" class="numeric">
              Children (kWh)
            </th>
            <th scope="col" class="numeric">
              Total (kWh)
            </th>
          </tr>
        </thead>
        <tbody>
          <tr class="energy-total-row">
            <th scope="row">Site consumption</th>
            <td>Site</td>
            <td class="numeric">–</td>
            <td class="numeric">{formatKwh(props.hierarchy.assignedWh)}</td>
            <td class="numeric">{formatKwh(props.hierarchy.siteConsumptionWh)}</td>
          </tr>
          <For each={rows()}>
            {(row) => (
              <Switch>
                <Match when={row.type === 'node' && row}>
                  {(entry) => (
                    <tr data-testid={`energy-node-${entry().node.id}`}>
                      <th scope="row" style={indent(entry().depth + 1)}>
                        {entry().node.name}
                      </th>
                      <td>{HIERARCHY_KIND_LABELS[entry().node.kind]}</td>
                      <td class="numeric">{formatKwh(entry().node.meteredWh)}</td>
                      <td class="numeric">{formatKwh(entry().node.childrenWh)}</td>
                      <td class="numeric">{formatKwh(entry().node.totalWh)}</td>
                    </tr>
                  )}
                </Match>
                <Match when={row.type === 'unassigned' && row}>
                  {(entry) => (
                    <tr class="energy-unassigned-row">
                      <th scope="row" style={indent(entry().depth + 1)}>
                        Unassigned in {entry().parent.name}
                      </th>
                      <td>Remainder</td>
                      <td class="numeric">–</td>
                      <td class="numeric">–</td>
                      <td class="numeric">{formatKwh(entry().energyWh)}</td>
                    </tr>
                  )}
                </Match>
                <Match when={row.type === 'site-unassigned' && row}>
                  {(entry) => (
                    <tr class="energy-unassigned-row" data-testid="energy-unassigned">
                      <th scope="row" style={indent(1)}>
                        Unassigned
                      </th>
                      <td>Remainder</td>
                      <td class="numeric">–</td>
                      <td class="numeric">–</td>
                      <td class="numeric">{formatKwh(entry().energyWh)}</td>
                    </tr>
                  )}
                </Match>
              </Switch>
            )}
          </For>
        </tbody>
      </table>
      <p class="field-hint">
        Unassigned is site consumption that no node's meters explain. A negative value means the node meters record more than the site meters.
      </p>
    </div>
  );
}
