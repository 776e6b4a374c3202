import { useSearchParams } from '@solidjs/router';
import { For, Show, createMemo } from 'solid-js';
import { describeError } from '../../api/api-error';
import { createBackfill } from '../../components/site/create-backfill';
import { FeedStateBadge } from '../../components/site/feed-state-badge';
import { LiveChartCard } from '../../components/site/live-chart-card';
import { isRolePowerPoint } from '../../components/site/live-kpis';
import {
  LIVE_WINDOWS_MIN,
  formatPointsQuery,
  groupByUnit,
  isChartable,
  parsePointsQuery,
  parseWindowQuery,
  type LiveWindowMin,
} from '../../components/site/live-selection';
import { loaded } from '../../components/site/loaded';
import { PointPicker } from '../../components/site/point-picker';
import { useSite } from '../../site/site-context';
import './live-page.css';

/**
 * Shows live charts of the points the user picks, one chart per unit, updated from the live stream. The
 * selection and the window live in the URL query, so a link or a reload shows the same charts, and
 * the start of the window is filled from history.
 */
export function LiveDashboardPage() {
  const site = useSite();
  const [query, setQuery] = useSearchParams<{ points?: string; window?: string }>();
  const points = () => (loaded(site.points) ?? []).filter(isChartable);
  const devices = () => loaded(site.devices) ?? [];
  const windowMin = () => parseWindowQuery(query.window);
  const timeZone = () => loaded(site.summary)?.site.timeZone;

  // Without a selection in the URL, the site's power meters are shown, as on the overview.
  const selectedIds = createMemo(() => {
    const fromQuery = parsePointsQuery(query.points);
    return query.points === undefined ? points().filter(isRolePowerPoint).map((point) => point.id) : fromQuery;
  });
  const selected = createMemo(() => {
    const byId = new Map(points().map((point) => [point.id, point]));
    return selectedIds().flatMap((id) => byId.get(id) ?? []);
  });
  const unknownIds = () => (site.points.latest ? selectedIds().filter((id) => !points().some((point) => point.id === id)) : []);
  const groups = createMemo(() => groupByUnit(selected()));
  const deviceName = (key: string) => devices().find((device) => device.key === key)?.name ?? key;

  const select = (ids: string[]) => setQuery({ points: formatPointsQuery(ids) ?? '' }, { replace: true });
  const chooseWindow = (minutes: LiveWindowMin) => setQuery({ window: String(minutes) }, { replace: true });

  const backfill = createBackfill(site.api, selected, () => windowMin() * 60_000);

  return (
    <section data-testid="live-page">
      <div class="page-header">
        <div>
          <h1>Live</h1>
          <p class="page-subtitle">Values as they arrive from the site, one chart per unit.</p>
        </div>
        <div class="button-row">
          <div class="tabs live-window" role="group" aria-label="Time window">
            <For each={LIVE_WINDOWS_MIN}>
              {(minutes) => (
                <button
                  type="button"
                  class="tab"
                  aria-pressed={windowMin() === minutes}
                  onClick={() => chooseWindow(minutes)}
                  data-testid={`live-window-${minutes}`}
                >
                  {minutes} min
                </button>
              )}
            </For>
          </div>
          <FeedStateBadge state={site.feedState()} />
        </div>
      </div>

      <Show when={site.points.error}>
        <div class="alert alert-error" role="alert">
          The points could not be loaded: {describeError(site.points.error)}
        </div>
      </Show>
      <Show when={backfill.error()}>
        <div class="alert alert-info" role="status">
          The history for the start of the window could not be loaded ({describeError(backfill.error())}); the charts show what arrived live since
          the page opened.
        </div>
      </Show>
      <Show when={unknownIds().length > 0}>
        <div class="alert alert-info" role="status">
          Not on this site or not chartable, so left out: <span class="mono">{unknownIds().join(', ')}</span>
        </div>
      </Show>

      <div class="card">
        <div class="card-header">
          <h2>Points</h2>
          <span class="muted">{selected().length} selected</span>
        </div>
        <Show when={site.points.latest} fallback={<Show when={!site.points.error}><p class="empty">Loading points…</p></Show>}>
          <PointPicker points={points()} devices={devices()} selected={selectedIds()} onChange={select} />
        </Show>
      </div>

      <Show when={site.points.latest && selected().length === 0}>
        <p class="empty" data-testid="live-empty">
          Pick one or more points above to chart their live values.
        </p>
      </Show>
      <For each={groups()}>
        {(group) => (
          <LiveChartCard
            unit={group.unit}
            points={group.points}
            live={site.live}
            backfill={backfill.rows()}
            windowMs={windowMin() * 60_000}
            timeZone={timeZone()}
            deviceName={deviceName}
          />
        )}
      </For>
    </section>
  );
}
