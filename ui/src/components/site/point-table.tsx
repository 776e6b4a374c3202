import { For, Show } from 'solid-js';
import { now } from '../../app/clock';
import { formatAgo, formatDateTime } from '../../format/time';
import type { Reading } from '../../live/live-values';
import type { SitePoint } from '../../site/site-api';
import { LiveValue } from './live-value';
import { QualityBadge } from './quality-badge';

export interface PointTableProps {
  points: readonly SitePoint[];
  latest: Readonly<Record<string, Reading>>;
  timeZone?: string | undefined;
  /** Whether writable points link to their control forms on the page. */
  showControls: boolean;
}

/** Renders every point of a device with its live value, quality with reason, and the age of the last update. */
export function PointTable(props: PointTableProps) {
  return (
    <div class="table-wrap">
      <table class="data" data-testid="point-table">
        <thead>
          <tr>
            <th scope="col">Point</th>
            <th scope="col" class="numeric">
              Value
            </th>
            <th scope="col">Quality</th>
            <th scope="col">Last update</th>
            <th scope="col">Kind</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.points}>
            {(point) => {
              const reading = () => props.latest[point.id] ?? point.reading;
              return (
                <tr id={`point-${point.id}`} data-testid={`point-row-${point.id}`}>
                  <td>
                    <div class="point-name">{point.name}</div>
                    <div class="muted mono point-id">{point.id}</div>
                  </td>
                  <td class="numeric">
                    <LiveValue reading={reading()} unit={point.unit} testId={`point-value-${point.id}`} />
                  </td>
                  <td>
                    <QualityBadge quality={reading()?.quality ?? null} reason={reading()?.reason} testId={`point-quality-${point.id}`} />
                  </td>
                  <td title={formatDateTime(reading()?.ts, props.timeZone)} data-testid={`point-updated-${point.id}`}>
                    {formatAgo(reading()?.ts, now())}
                  </td>
                  <td>
                    <span class="muted">{point.kind}</span>
                    <Show when={point.role}>
                      <span class="badge badge-info point-tag">{point.role}</span>
                    </Show>
                    <Show when={point.writable}>
                      <Show when={props.showControls} fallback={<span class="badge badge-info point-tag">writable</span>}>
                        <a class="point-tag" href={`#control-${point.id}`}>
                          control
                        </a>
                      </Show>
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
