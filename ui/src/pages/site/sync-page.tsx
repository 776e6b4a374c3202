import type { SyncStatus } from '@simtestlab/sync';
import { createSignal, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { describeError } from '../../api/api-error';
import { latestOnly } from '../../api/latest';
import { useApp } from '../../app/app-context';
import { now } from '../../app/clock';
import { formatAgo, formatDateTime } from '../../format/time';
import { formatNumber } from '../../format/values';
import { useSite } from '../../site/site-context';
import { browserTimeZone, siteTimeZone } from '../../site/site-time-zone';
import './sync-page.css';

/** How often the page reloads the status. */
const REFRESH_INTERVAL_MS = 10_000;

/** Formats a duration in the two largest units that fit: "45 s", "5 min 10 s", "3 h 12 min", "2 d 4 h". */
export function formatDuration(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

function clockSkewText(status: SyncStatus): string {
  if (status.clockSkewMs === null) return 'not measured yet';
  if (status.clockSkewMs === 0) return 'none';
  const size = Math.abs(status.clockSkewMs);
  const amount = size < 60_000 ? `${(size / 1000).toFixed(size < 10_000 ? 2 : 1)} s` : formatDuration(size);
  // The hub measures its clock minus the edge's send time, so a positive skew means the edge's clock is behind.
  const side = status.clockSkewMs > 0 ? "edge's clock behind the hub's" : "edge's clock ahead of the hub's";
  return `${amount} (${side})`;
}

function DetailRow(props: { term: string; children: JSX.Element }) {
  return (
    <>
      <dt>{props.term}</dt>
      <dd>{props.children}</dd>
    </>
  );
}

/**
 * The sync between the edge and the hub for this site: whether the link is up, when the two last spoke,
 * and what the edge still has to upload.
 */
export function SyncStatusPage() {
  const site = useSite();
  const app = useApp();
  const unpaired = () => app.instance.mode === 'edge' && !app.instance.cloud.paired;
  const timeZone = () => siteTimeZone(site.summary) ?? browserTimeZone();
  const [status, setStatus] = createSignal<SyncStatus | null>(null);
  const [loadedAt, setLoadedAt] = createSignal<number | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const [loading, setLoading] = createSignal(false);

  const load = latestOnly(
    () => site.api.syncStatus(),
    (loaded) => {
      setStatus(loaded);
      setLoadedAt(Date.now());
      setError(null);
      setLoading(false);
    },
    (failure) => {
      setError(failure);
      setLoading(false);
    },
  );
  const refresh = () => {
    if (unpaired()) return;
    setLoading(true);
    void load();
  };
  onMount(() => {
    refresh();
    const timer = setInterval(refresh, REFRESH_INTERVAL_MS);
    onCleanup(() => clearInterval(timer));
  });

  const explanation = () =>
    site.api.mode === 'edge'
      ? 'What this edge node has stored but not yet sent to the cloud hub, and when the hub last answered.'
      : "What the cloud hub knows of this site's edge node: its last contact and the backlog it reported with its last upload.";

  return (
    <section class="sync-page" data-testid="sync-page">
      <header class="page-header">
        <div>
          <h1>Sync status</h1>
          <p class="page-subtitle">{explanation()}</p>
        </div>
        <Show when={!unpaired()}>
          <div class="button-row">
            <Show when={loadedAt()}>{(at) => <span class="muted">Updated {formatAgo(at(), now())}</span>}</Show>
            <button type="button" onClick={refresh} disabled={loading()} data-testid="sync-refresh">
              {loading() ? 'Refreshing…' : 'Refresh'}
            </button>
          </div>
        </Show>
      </header>

      <Show when={!unpaired()} fallback={<p class="alert alert-info" data-testid="sync-unpaired">This edge node is not paired with a cloud hub, so it keeps all data on site and sends nothing. Pair it to sync its history and alarms with the cloud.</p>}>
        <Show when={error()}>
          <p class="alert alert-error" role="alert" data-testid="sync-error">
            The sync status could not be loaded: {describeError(error())}
            <Show when={status()}> The figures below are from the last successful refresh.</Show>
          </p>
        </Show>

        <Show when={status()} fallback={<p class="card empty">{error() ? 'No sync status available.' : 'Loading the sync status…'}</p>}>
          {(current) => {
            const backlog = () => current().backlog.rollups + current().backlog.events;
            return (
              <>
                <div class="grid grid-kpi">
                  <div class="kpi" data-testid="sync-connection">
                    <p class="kpi-label">{site.api.mode === 'edge' ? 'Cloud hub' : 'Edge node'}</p>
                    <p class="kpi-value">
                      <span class={current().liveConnected ? 'badge badge-good' : 'badge badge-bad'} data-testid="sync-connected" data-connected={String(current().liveConnected)}>
                        {current().liveConnected ? 'Connected' : 'Not connected'}
                      </span>
                    </p>
                    <p class="kpi-note">Live uplink between the edge and the hub</p>
                  </div>
                  <div class="kpi" data-testid="sync-last-contact">
                    <p class="kpi-label">Last contact</p>
                    <p class="kpi-value sync-kpi-text">{formatAgo(current().lastContactAt, now())}</p>
                    <p class="kpi-note">{current().lastContactAt === null ? 'No contact yet' : formatDateTime(current().lastContactAt, timeZone())}</p>
                  </div>
                  <div class="kpi" data-testid="sync-backlog">
                    <p class="kpi-label">Backlog</p>
                    <p class="kpi-value">
                      {formatNumber(backlog())}
                      <span class="kpi-unit">{backlog() === 1 ? 'item' : 'items'}</span>
                    </p>
                    <p class="kpi-note">
                      {formatNumber(current().backlog.rollups)} rollup {current().backlog.rollups === 1 ? 'row' : 'rows'}, {formatNumber(current().backlog.events)} {current().backlog.events === 1 ? 'event' : 'events'}
                    </p>
                  </div>
                  <div class="kpi" data-testid="sync-oldest-unsent">
                    <p class="kpi-label">Oldest unsent item</p>
                    <Show when={current().oldestUnsentAt} fallback={<p class="kpi-value sync-kpi-text">Nothing waiting</p>}>
                      {(oldest) => (
                        <>
                          <p class="kpi-value sync-kpi-text" classList={{ 'sync-lagging': now() - oldest() > 15 * 60_000 }}>
                            {formatDuration(now() - oldest())} old
                          </p>
                          <p class="kpi-note">{formatDateTime(oldest(), timeZone())}</p>
                        </>
                      )}
                    </Show>
                  </div>
                </div>

                <div class="card sync-details">
                  <div class="card-header">
                    <h2>Details</h2>
                  </div>
                  <dl class="details-list" data-testid="sync-details">
                    <DetailRow term="Site">
                      <span class="mono">{current().siteId ?? site.siteId}</span>
                    </DetailRow>
                    <DetailRow term="Last acknowledged upload">
                      {current().lastAckAt === null ? 'None yet' : `${formatDateTime(current().lastAckAt, timeZone())} (${formatAgo(current().lastAckAt, now())})`}
                    </DetailRow>
                    <DetailRow term="Lag of the hub's copy">{current().lagMs === 0 ? 'None: nothing waits to be sent' : formatDuration(current().lagMs)}</DetailRow>
                    <DetailRow term="Clock skew">
                      {clockSkewText(current())}
                      <Show when={current().clockSkewFlagged}>
                        {' '}
                        <span class="badge badge-warn">Above the hub's threshold</span>
                      </Show>
                    </DetailRow>
                    <DetailRow term="Rollup rows waiting">{formatNumber(current().backlog.rollups)}</DetailRow>
                    <DetailRow term="Events waiting">{formatNumber(current().backlog.events)}</DetailRow>
                    <DetailRow term="Live uplink">{current().liveConnected ? 'Open' : 'Closed'}</DetailRow>
                  </dl>
                </div>
              </>
            );
          }}
        </Show>
      </Show>
    </section>
  );
}
