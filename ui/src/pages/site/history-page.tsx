import { resolutionSchema, type Resolution } from '@simtestlab/sync';
import { useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, createSignal, For, on, Show } from 'solid-js';
import { describeError } from '../../api/api-error';
import { useApp } from '../../app/app-context';
import type { ChartSeries } from '../../components/charts/line-chart';
import { LineChart } from '../../components/charts/line-chart';
import { formatDateTime } from '../../format/time';
import { displayUnit, formatNumber } from '../../format/values';
import { createHistoryLoader, type HistoryState } from '../../site/history-loader';
import { availableResolutions, chooseResolution, RESOLUTION_LABELS } from '../../site/resolution';
import type { PointHistory, SitePoint, TimeRange } from '../../site/site-api';
import { useSite } from '../../site/site-context';
import { siteTimeZone } from '../../site/site-time-zone';
import { isRangePreset, presetRange, type RangePreset } from '../../site/time-range';
import { CsvExport } from './csv-export';
import { HistoryTable } from './history-table';
import { PointPicker } from './point-picker';
import { RangePicker } from './range-picker';
import './history-page.css';

/** Points on one chart at most; more lines are no longer readable. */
const MAX_POINTS = 8;
const DEFAULT_PRESET: RangePreset = '24h';

/** Bucket length per rollup resolution, to break chart lines where buckets are missing. */
const BUCKET_MS: Record<Exclude<Resolution, 'raw'>, number> = { '1m': 60_000, '15m': 900_000, '1h': 3_600_000, '1d': 86_400_000 };

function listParam(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter(Boolean);
}

function timeParam(value: string | string[] | undefined): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/** Chart points of one history, with a null wherever buckets are missing so the line breaks instead of bridging the gap. */
function chartPoints(history: PointHistory): ChartSeries['points'] {
  const bucketMs = history.resolution === 'raw' ? null : BUCKET_MS[history.resolution];
  const points: ChartSeries['points'] = [];
  let previous: number | null = null;
  for (const row of history.rows) {
    if (bucketMs !== null && previous !== null && row.ts - previous > 1.5 * bucketMs) points.push({ x: previous + bucketMs, y: null });
    points.push({ x: row.ts, y: row.value });
    previous = row.ts;
  }
  return points;
}

/** Rough row count of a request, to warn before a fine resolution over a long range. */
function expectedRows(range: TimeRange, resolution: Resolution): number | null {
  return resolution === 'raw' ? null : Math.ceil((range.to - range.from) / BUCKET_MS[resolution]);
}

/**
 * History of up to eight points over a preset or custom range, as a chart and a table, with CSV export.
 * The points, range and resolution live in the URL query, so a view can be bookmarked and shared.
 */
export function HistoryPage() {
  const site = useSite();
  const app = useApp();
  const [params, setParams] = useSearchParams();
  const canExport = () => app.viewer()?.can('report.export', site.siteId) ?? false;
  const [refreshCount, setRefreshCount] = createSignal(0);
  const [state, setState] = createSignal<HistoryState>({ loading: false, result: null, error: null });
  const [tablePointChoice, setTablePointChoice] = createSignal<string | null>(null);
  const loader = createHistoryLoader(site.api, setState);

  // A memo, so a summary reload (after every alarm change) does not recompute the range and reload the history.
  const timeZone = createMemo(() => siteTimeZone(site.summary));
  const selectedKey = createMemo(() => listParam(params.point).slice(0, MAX_POINTS).join('\n'));
  const selected = createMemo(() => (selectedKey() ? selectedKey().split('\n') : []));
  const preset = (): RangePreset | 'custom' => (params.range === 'custom' ? 'custom' : isRangePreset(params.range) ? params.range : DEFAULT_PRESET);
  const pointsById = createMemo(() => new Map((site.points.state === 'ready' ? site.points() : []).map((point) => [point.id, point])));

  const range = createMemo<TimeRange | null>(() => {
    refreshCount();
    const zone = timeZone();
    if (!zone) return null;
    const chosen = preset();
    if (chosen === 'custom') {
      const from = timeParam(params.from);
      const to = timeParam(params.to);
      if (from !== null && to !== null && from < to) return { from, to };
      return presetRange(DEFAULT_PRESET, Date.now(), zone);
    }
    return presetRange(chosen, Date.now(), zone);
  });

  const automaticResolution = () => {
    const current = range();
    return current ? chooseResolution(current.to - current.from, site.api.mode) : null;
  };
  const overrideResolution = (): Resolution | null => {
    const parsed = resolutionSchema.safeParse(params.resolution);
    return parsed.success && availableResolutions(site.api.mode).includes(parsed.data) ? parsed.data : null;
  };
  const resolution = () => overrideResolution() ?? automaticResolution();

  createEffect(
    on([selectedKey, range, resolution], ([, current, chosen]) => {
      if (!current || !chosen || selected().length === 0) return;
      void loader.load({ points: selected(), range: current, resolution: chosen });
    }),
  );

  const result = () => state().result;
  const series = createMemo<ChartSeries[]>(() =>
    (result()?.histories ?? []).map((history) => {
      const point = pointsById().get(history.point);
      return { label: point ? `${point.name} · ${point.device}` : history.point, unit: displayUnit(point?.unit ?? ''), points: chartPoints(history) };
    }),
  );
  const tablePoint = () => {
    const histories = result()?.histories ?? [];
    return histories.find((history) => history.point === tablePointChoice()) ?? histories[0];
  };
  const rowWarning = () => {
    const current = range();
    const chosen = resolution();
    if (!current || !chosen) return null;
    const rows = expectedRows(current, chosen);
    return rows !== null && rows > 10_000 ? rows : null;
  };

  const pointLabel = (id: string) => {
    const point: SitePoint | undefined = pointsById().get(id);
    return point ? `${point.name} (${point.device})` : id;
  };

  return (
    <section class="history-page" data-testid="history-page">
      <header class="page-header">
        <div>
          <h1>History</h1>
          <p class="page-subtitle">Stored values of chosen points over a time range, {site.api.mode === 'edge' ? 'from this edge node' : 'from the cloud hub'}.</p>
        </div>
      </header>

      <div class="history-controls">
        <div class="card">
          <div class="card-header">
            <h2>Points</h2>
          </div>
          <Show when={site.points.state !== 'errored'} fallback={<p class="alert alert-error">Points could not be loaded: {describeError(site.points.error)}</p>}>
            <Show when={site.points.state === 'ready' || site.points.state === 'refreshing'} fallback={<p class="muted">Loading points…</p>}>
              <PointPicker points={site.points() ?? []} selected={selected()} max={MAX_POINTS} onChange={(ids) => setParams({ point: ids })} />
            </Show>
          </Show>
        </div>

        <div class="card">
          <div class="card-header">
            <h2>Time range</h2>
            <button type="button" class="btn-small" onClick={() => setRefreshCount((count) => count + 1)} disabled={preset() === 'custom'} data-testid="history-refresh">
              Refresh
            </button>
          </div>
          <Show when={timeZone() && range()} fallback={<p class="muted">Loading the site's time zone…</p>}>
            <RangePicker
              selected={preset()}
              range={range()!}
              timeZone={timeZone()!}
              onPreset={(chosen) => setParams({ range: chosen, from: null, to: null })}
              onCustom={(custom) => setParams({ range: 'custom', from: new Date(custom.from).toISOString(), to: new Date(custom.to).toISOString() })}
            />
            <div class="inline-fields history-resolution">
              <div class="field">
                <label for="history-resolution">Resolution</label>
                <select
                  id="history-resolution"
                  value={overrideResolution() ?? 'auto'}
                  onChange={(event) => setParams({ resolution: event.currentTarget.value === 'auto' ? null : event.currentTarget.value })}
                  data-testid="history-resolution"
                >
                  <option value="auto">Automatic ({RESOLUTION_LABELS[automaticResolution() ?? '1m']})</option>
                  <For each={availableResolutions(site.api.mode)}>{(option) => <option value={option}>{RESOLUTION_LABELS[option]}</option>}</For>
                </select>
              </div>
              <p class="field-hint">
                {formatDateTime(range()!.from, timeZone()!)} to {formatDateTime(range()!.to, timeZone()!)}
                <Show when={site.api.mode === 'cloud'}> · The hub stores 1-minute and coarser buckets, not raw samples.</Show>
              </p>
            </div>
            <Show when={rowWarning()}>
              {(rows) => (
                <p class="alert alert-info">
                  About {formatNumber(rows())} rows per point at this resolution; the server may return only part of them. A coarser resolution loads faster.
                </p>
              )}
            </Show>
          </Show>
        </div>
      </div>

      <Show
        when={selected().length > 0}
        fallback={
          <div class="card empty" data-testid="history-empty">
            Choose up to {MAX_POINTS} points above to see their history.
          </div>
        }
      >
        <Show when={state().error}>
          <p class="alert alert-error" role="alert" data-testid="history-error">
            History could not be loaded: {describeError(state().error)}
          </p>
        </Show>
        <For each={result()?.failures ?? []}>
          {(failure) => (
            <p class="alert alert-error" role="alert">
              {pointLabel(failure.point)}: {describeError(failure.error)}
            </p>
          )}
        </For>
        <For each={(result()?.histories ?? []).filter((history) => history.truncated)}>
          {(history) => (
            <p class="alert alert-info">
              {pointLabel(history.point)}: the server returned only the first {formatNumber(history.rows.length)} rows. Choose a coarser resolution or a shorter range to see all.
            </p>
          )}
        </For>

        <div class="card" aria-busy={state().loading}>
          <div class="card-header">
            <h2>Chart</h2>
            <Show when={state().loading}>
              <span class="muted" role="status" data-testid="history-loading">
                Loading…
              </span>
            </Show>
          </div>
          <Show when={result()} fallback={<p class="empty">{state().loading ? 'Loading history…' : 'No history loaded.'}</p>}>
            <div classList={{ 'history-stale': state().loading }}>
              <Show
                when={series().some((line) => line.points.length > 0)}
                fallback={
                  <p class="empty" data-testid="history-no-data">
                    No values stored for these points in this range.
                  </p>
                }
              >
                <LineChart series={series()} from={result()!.request.range.from} to={result()!.request.range.to} timeZone={timeZone() ?? undefined} label="History of the chosen points" height={340} />
              </Show>
            </div>
          </Show>
        </div>

        <Show when={tablePoint()}>
          {(history) => (
            <div class="card" classList={{ 'history-stale': state().loading }}>
              <div class="card-header history-table-header">
                <h2>Table</h2>
                <div class="inline-fields">
                  <div class="field">
                    <label for="history-table-point">Point</label>
                    <select id="history-table-point" value={history().point} onChange={(event) => setTablePointChoice(event.currentTarget.value)} data-testid="history-table-point">
                      <For each={result()?.histories ?? []}>{(option) => <option value={option.point}>{pointLabel(option.point)}</option>}</For>
                    </select>
                  </div>
                  <Show when={canExport()}>
                    <CsvExport
                      testId="history-export"
                      download={(options) => site.api.historyCsv(history().point, result()!.request.range, history().resolution, options)}
                      filename={() => `${history().point}-${history().resolution}-${new Date(result()!.request.range.from).toISOString().slice(0, 10)}.csv`}
                    />
                  </Show>
                </div>
              </div>
              <p class="field-hint">
                {RESOLUTION_LABELS[history().resolution]} · {formatNumber(history().rows.length)} rows · times in {timeZone()}
              </p>
              <Show when={history().rows.length > 0} fallback={<p class="empty">No values stored for this point in this range.</p>}>
                <HistoryTable history={history()} point={pointsById().get(history().point)} timeZone={timeZone() ?? 'UTC'} />
              </Show>
            </div>
          )}
        </Show>
      </Show>
    </section>
  );
}
