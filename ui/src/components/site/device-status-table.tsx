import './site-widgets.css';
import { For, Show } from 'solid-js';
import type { Reading } from '../../live/live-values';
import type { DeviceLiveStatus } from '../../site/site-context';
import type { SiteDevice, SitePoint } from '../../site/site-api';
import { DeviceStatusBadge } from './device-status-badge';
import { countBadPoints, deviceErrorOf, deviceStateOf } from './device-state';

export interface DeviceStatusTableProps {
  devices: readonly SiteDevice[];
  points: readonly SitePoint[];
  latest: Readonly<Record<string, Reading>>;
  deviceStatus: Readonly<Record<string, DeviceLiveStatus>>;
  /** The link to a device's page. */
  deviceHref(key: string): string;
}

/** Renders every device of the site with its state, point counts and last error, each linking to its page. */
export function DeviceStatusTable(props: DeviceStatusTableProps) {
  return (
    <div class="table-wrap">
      <table class="data" data-testid="device-status-table">
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Driver</th>
            <th scope="col">Status</th>
            <th scope="col" class="numeric">
              Points
            </th>
            <th scope="col" class="numeric">
              Bad points
            </th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.devices}>
            {(device) => {
              const live = () => props.deviceStatus[device.key];
              const bad = () => countBadPoints(device.key, props.points, props.latest);
              return (
                <tr data-testid={`device-row-${device.key}`}>
                  <td>
                    <a href={props.deviceHref(device.key)}>{device.name}</a>
                    <div class="muted mono device-key">{device.key}</div>
                  </td>
                  <td class="mono">{device.driver}</td>
                  <td>
                    <DeviceStatusBadge status={deviceStateOf(device, live())} testId={`device-status-${device.key}`} />
                  </td>
                  <td class="numeric">{device.pointCount}</td>
                  <td class="numeric" classList={{ 'count-bad': bad() > 0 }} data-testid={`device-bad-points-${device.key}`}>
                    {bad()}
                  </td>
                  <td class="device-error">
                    <Show when={deviceErrorOf(device, live())} fallback={<span class="muted">–</span>}>
                      {(error) => <span title={error()}>{error()}</span>}
                    </Show>
                  </td>
                </tr>
              );
            }}
          </For>
        </tbody>
      </table>
    </div>
  );
}
