import { A, useSearchParams } from '@solidjs/router';
import { createMemo, createSignal, For, Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import { describeError } from '../../api/api-error';
import { latestOnly } from '../../api/latest';
import { useApp, useCloud } from '../../app/app-context';
import { now } from '../../app/clock';
import { formatTime } from '../../format/time';
import { loadAllSummaries } from './load-summaries';
import { SiteCard } from './site-card';
import { countByStatus, groupByOrganization, matchesSearch, matchesStatus, parseStatusFilter, statusFilters, type SiteSummary, type StatusFilter } from './site-list';
import './sites-page.css';

/** How often the overview reloads the summaries while it is open. */
const REFRESH_INTERVAL_MS = 30_000;

const filterLabels: Record<StatusFilter, string> = { all: 'All', offline: 'Offline', alarms: 'With alarms' };

/** Shows the empty state for a user without sites: who can change that and where. */
function NoSites() {
  const app = useApp();
  const canAdminister = () => (app.viewer.state === 'ready' || app.viewer.state === 'refreshing') && app.viewer()?.canAdminister === true;
  return (
    <div class="card empty" data-testid="sites-empty">
      <h2>No sites yet</h2>
      <Show
        when={canAdminister()}
        fallback={<p>You have no access to any site yet. An administrator of your organization must grant you access to a site before it appears here.</p>}
      >
        <p>
          No site exists that you can open. Create a site under <A href="/admin/sites">Admin › Sites</A>, or grant yourself access under{' '}
          <A href="/admin/access">Admin › Access</A>.
        </p>
      </Show>
    </div>
  );
}

/**
 * Remote mode's start page: every site the user may open, grouped by organization, each with its edge
 * link, headline KPIs, alarms and devices. It reloads every 30 s; a late response never replaces a newer one.
 */
export function SitesOverviewPage() {
  const cloud = useCloud();
  const [params, setParams] = useSearchParams<{ q?: string; status?: string }>();
  const [summaries, setSummaries] = createSignal<SiteSummary[] | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const [loadedAt, setLoadedAt] = createSignal<number | null>(null);
  const [pending, setPending] = createSignal(0);

  const load = latestOnly(
    () => loadAllSummaries(cloud),
    (list) => {
      setSummaries(list);
      setError(null);
      setLoadedAt(Date.now());
    },
    setError,
  );
  const refresh = async () => {
    setPending((count) => count + 1);
    await load();
    setPending((count) => count - 1);
  };

  onMount(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_INTERVAL_MS);
    onCleanup(() => clearInterval(timer));
  });

  const query = () => params.q ?? '';
  const status = () => parseStatusFilter(params.status);
  const counts = createMemo(() => countByStatus(summaries() ?? [], now()));
  const visible = createMemo(() => (summaries() ?? []).filter((summary) => matchesSearch(summary, query()) && matchesStatus(summary, status(), now())));
  const groups = createMemo(() => groupByOrganization(visible()));
  // The lists below iterate over ids, which stay equal across reloads and clock ticks, so a reload
  // updates the cards in place instead of rebuilding them, and keyboard focus stays where it was.
  const groupsById = createMemo(() => new Map(groups().map((group) => [group.id, group])));
  const summariesById = createMemo(() => new Map((summaries() ?? []).map((summary) => [summary.site.id, summary])));
  const organizationCount = () => groupByOrganization(summaries() ?? []).length;
  const setFilter = (next: StatusFilter) => setParams({ status: next === 'all' ? undefined : next }, { replace: true });

  return (
    <>
      <div class="page-header">
        <div>
          <h1>Sites</h1>
          <p class="page-subtitle" data-testid="sites-subtitle">
            <Show when={summaries()?.length} fallback="All sites you can open">
              {(siteCount) => `${siteCount()} ${siteCount() === 1 ? 'site' : 'sites'} in ${organizationCount()} ${organizationCount() === 1 ? 'organization' : 'organizations'}`}
            </Show>
            <Show when={loadedAt()}>{(at) => ` · updated ${formatTime(at())}`}</Show>
          </p>
        </div>
        <div class="button-row">
          <button type="button" class="btn-small" onClick={() => void refresh()} disabled={pending() > 0} data-testid="sites-refresh">
            {pending() > 0 ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      </div>

      <Show when={error() && summaries()}>
        <div class="banner banner-warn" role="status" data-testid="sites-refresh-error">
          Refreshing failed: {describeError(error())}. The sites below show the state of {formatTime(loadedAt() ?? 0)}; the page tries again every 30 s.
        </div>
      </Show>

      <Switch>
        <Match when={error() && !summaries()}>
          <div class="alert alert-error" role="alert" data-testid="sites-error">
            Loading the sites failed: {describeError(error())}.{' '}
            <button type="button" class="btn-small" onClick={() => void refresh()}>
              Try again
            </button>
          </div>
        </Match>
        <Match when={!summaries()}>
          <p class="muted" role="status" data-testid="sites-loading">
            Loading sites…
          </p>
        </Match>
        <Match when={summaries()?.length === 0}>
          <NoSites />
        </Match>
        <Match when={true}>
          <div class="sites-toolbar">
            <div class="field sites-search">
              <label for="sites-search">Search sites</label>
              <input
                id="sites-search"
                type="search"
                placeholder="Site or organization name"
                value={query()}
                onInput={(event) => setParams({ q: event.currentTarget.value || undefined }, { replace: true })}
                data-testid="sites-search"
              />
            </div>
            <div class="sites-filter" role="group" aria-label="Show sites">
              <For each={statusFilters}>
                {(filter) => (
                  <button type="button" class="tab" aria-pressed={status() === filter} onClick={() => setFilter(filter)} data-testid={`sites-filter-${filter}`}>
                    {filterLabels[filter]} <span class="sites-filter-count">{counts()[filter]}</span>
                  </button>
                )}
              </For>
            </div>
          </div>
          <Show
            when={groups().length > 0}
            fallback={
              <div class="card empty" data-testid="sites-no-match">
                <p>No site matches this search and filter.</p>
                <button type="button" class="btn-small" onClick={() => setParams({ q: undefined, status: undefined }, { replace: true })}>
                  Show all sites
                </button>
              </div>
            }
          >
            <div class="site-groups" data-testid="site-groups">
              <For each={groups().map((group) => group.id)}>
                {(organizationId) => {
                  const group = () => groupsById().get(organizationId);
                  return (
                    <section aria-labelledby={`organization-${organizationId}`} data-testid={`site-group-${organizationId}`}>
                      <h2 class="site-group-title" id={`organization-${organizationId}`}>
                        {group()?.name} <span class="muted">{group()?.sites.length}</span>
                      </h2>
                      <div class="site-cards">
                        <For each={group()?.sites.map((summary) => summary.site.id) ?? []}>
                          {(siteId) => <Show when={summariesById().get(siteId)}>{(summary) => <SiteCard summary={summary()} />}</Show>}
                        </For>
                      </div>
                    </section>
                  );
                }}
              </For>
            </div>
          </Show>
        </Match>
      </Switch>
    </>
  );
}
