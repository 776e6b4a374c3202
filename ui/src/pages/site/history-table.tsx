import { createMemo, For, Show } from 'solid-js';
import { formatDateTime } from '../../format/time';
import { displayUnit, formatNumber } from '../../format/values';
import type { PointHistory, SitePoint } from '../../site/site-api';

/** Rows rendered at most; the CSV export has them all. */
const MAX_TABLE_ROWS = 500;

function cell(value: number | null): string {
  return value === null ? '–' : formatNumber(value);
}

/** Tells the quality class of a raw sample; rollup rows mark only estimated counter growth. */
function qualityClass(quality: string | null): string {
  if (quality === 'uncertain' || quality === 'stale' || quality === 'bad') return `value-${quality}`;
  return 'value-good';
}

/**
 * The history of one point, newest first: the value and quality of raw samples, or the average, minimum
 * and maximum of each bucket, plus its growth for counters.
 */
export function HistoryTable(props: { history: PointHistory; point: SitePoint | undefined; timeZone: string }) {
  const raw = () => props.history.resolution === 'raw';
  const counter = () => props.point?.kind === 'counter' && !raw();
  const unit = () => displayUnit(props.point?.unit ?? '');
  const heading = (name: string) => (unit() ? `${name} (${unit()})` : name);
  const rows = createMemo(() => props.history.rows.slice(-MAX_TABLE_ROWS).reverse());

  return (
    <>
      <Show when={props.history.rows.length > MAX_TABLE_ROWS}>
        <p class="field-hint">
          Showing the newest {MAX_TABLE_ROWS} of {props.history.rows.length} rows; export CSV for all of them.
        </p>
      </Show>
      <div class="table-wrap history-table-wrap">
        <table class="data" data-testid="history-table">
          <thead>
            <tr>
              <th scope="col">{raw() ? 'Time' : 'Bucket start'}</th>
              <th scope="col" class="numeric">
                {heading(raw() ? 'Value' : 'Average')}
              </th>
              <Show when={!raw()}>
                <th scope="col" class="numeric">
                  {heading('Min')}
                </th>
                <th scope="col" class="numeric">
                  {heading('Max')}
                </th>
              </Show>
              <Show when={counter()}>
                <th scope="col" class="numeric">
                  {heading('Delta')}
                </th>
              </Show>
              <th scope="col">{raw() ? 'Quality' : 'Note'}</th>
            </tr>
          </thead>
          <tbody>
            <For each={rows()}>
              {(row) => (
                <tr>
                  <td class="numeric history-time">{formatDateTime(row.ts, props.timeZone)}</td>
                  <td class={`numeric ${raw() ? qualityClass(row.quality) : ''}`}>{cell(row.value)}</td>
                  <Show when={!raw()}>
                    <td class="numeric">{cell(row.min)}</td>
                    <td class="numeric">{cell(row.max)}</td>
                  </Show>
                  <Show when={counter()}>
                    <td class="numeric">{cell(row.delta)}</td>
                  </Show>
                  <td class="muted">{row.quality === 'estimated' ? 'Estimated over a gap' : raw() ? (row.quality ?? '') : ''}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </>
  );
}
