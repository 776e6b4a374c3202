import type { EnergyReport } from '@simtestlab/sync';
import { For, Show } from 'solid-js';
import { FLOW_LABELS } from './energy-labels';

/** Lists the report's warnings and the flows no meter measures, in plain words; renders nothing when there are none. */
export function EnergyWarnings(props: { report: EnergyReport }) {
  const missing = () => props.report.missingFlows.map((flow) => FLOW_LABELS[flow]);
  return (
    <Show when={props.report.warnings.length > 0 || missing().length > 0}>
      <div class="alert alert-info energy-warnings" role="note" data-testid="energy-warnings">
        <h2 class="energy-warnings-title">Notes on this report</h2>
        <ul>
          <For each={props.report.warnings}>{(warning) => <li>{warning}</li>}</For>
          <Show when={missing().length > 0}>
            <li>No meter measures: {missing().join(', ')}. These flows count as 0.</li>
          </Show>
        </ul>
      </div>
    </Show>
  );
}
