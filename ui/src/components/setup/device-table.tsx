import { Index, Show } from 'solid-js';
import type { DeviceRow, RowProblem } from '../../pages/setup/device-rows';
import type { SetupTemplate } from '../../pages/setup/setup-types';
import { TemplateSelect } from './template-select';

function addressOf(row: DeviceRow): string {
  return row.protocol === 'bacnet' ? `${row.host}:${row.port}, instance ${row.deviceInstance}` : `${row.host}:${row.port}, unit ${row.unitId}`;
}

/**
 * Shows the devices found or added: a checkbox to take each one, its name and its template. Rows are
 * kept by position, because the wizard only appends rows, so a field keeps its focus while its row changes.
 */
export function DeviceTable(props: {
  rows: readonly DeviceRow[];
  templates: readonly SetupTemplate[];
  problems: readonly RowProblem[];
  onChange(key: string, change: Partial<Pick<DeviceRow, 'selected' | 'name' | 'template'>>): void;
}) {
  const problemOf = (key: string, field: RowProblem['field']) => props.problems.find((problem) => problem.key === key && problem.field === field);
  return (
    <div class="table-wrap">
      <table class="data setup-devices" data-testid="setup-device-table">
        <thead>
          <tr>
            <th scope="col">Use</th>
            <th scope="col">Device</th>
            <th scope="col">Name</th>
            <th scope="col">Template</th>
          </tr>
        </thead>
        <tbody>
          <Index each={props.rows}>
            {(row) => {
              const label = () => addressOf(row());
              return (
                <tr data-testid={`setup-device-${row().key}`}>
                  <td>
                    <input type="checkbox" checked={row().selected} aria-label={`Use the device at ${label()}`} onChange={(event) => props.onChange(row().key, { selected: event.currentTarget.checked })} />
                  </td>
                  <td>
                    <div class="mono">{label()}</div>
                    <div class="muted setup-device-details">{row().details}</div>
                  </td>
                  <td>
                    <input
                      value={row().name}
                      aria-label={`Name of the device at ${label()}`}
                      aria-invalid={problemOf(row().key, 'name') ? 'true' : undefined}
                      onInput={(event) => props.onChange(row().key, { name: event.currentTarget.value })}
                    />
                  </td>
                  <td>
                    <TemplateSelect
                      id={`setup-template-${row().key}`}
                      label={`Template of the device at ${label()}`}
                      templates={props.templates}
                      protocol={row().protocol}
                      suggested={row().suggestedTemplates}
                      value={row().template}
                      invalid={problemOf(row().key, 'template') !== undefined}
                      onChange={(template) => props.onChange(row().key, { template })}
                    />
                  </td>
                </tr>
              );
            }}
          </Index>
        </tbody>
      </table>
      <Show when={props.rows.length === 0}>
        <p class="empty">No devices yet. Scan the network, or add a device by hand below.</p>
      </Show>
    </div>
  );
}
