import type { AlarmActionBody, AlarmUserAction } from '@simtestlab/sync';
import { useSearchParams } from '@solidjs/router';
import { createEffect, createSignal, For, on, onMount, Show } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { describeError } from '../../api/api-error';
import { useApp } from '../../app/app-context';
import { displayUnit } from '../../format/values';
import { createActiveAlarmList, type ActiveAlarmState } from '../../components/alarms/active-alarm-list';
import { AlarmRow } from '../../components/alarms/alarm-row';
import { useSite } from '../../site/site-context';
import { browserTimeZone, siteTimeZone } from '../../site/site-time-zone';
import { AlarmHistory } from './alarm-history';
import './alarms-page.css';

type AlarmTab = 'active' | 'history';

/**
 * Active alarms with their ISA-18.2 state and the actions the viewer may take, kept current by the live
 * stream, and the filtered alarm history with CSV export.
 */
export function AlarmsPage() {
  const site = useSite();
  const app = useApp();
  const [params, setParams] = useSearchParams();
  const tab = (): AlarmTab => (params.tab === 'history' ? 'history' : 'active');
  const timeZone = () => siteTimeZone(site.summary) ?? browserTimeZone();

  // A store reconciled by rule id keeps each row mounted across updates, so a row's open form and result survive live changes.
  const [view, setView] = createStore<ActiveAlarmState>({ alarms: [], loaded: false, loading: false, error: null });
  const list = createActiveAlarmList(
    () => site.api.activeAlarms(),
    (state) => setView(reconcile(state, { key: 'ruleId', merge: true })),
  );
  onMount(() => void list.reload());
  createEffect(
    on(site.lastAlarmChange, (change) => {
      if (change && change.alarm.siteId === site.siteId) list.apply(change.alarm);
    }),
  );

  const canRespond = () => app.viewer()?.can('alarm.acknowledge', site.siteId) ?? false;
  const canManage = () => app.viewer()?.can('site.manage', site.siteId) ?? false;
  const canExport = () => app.viewer()?.can('report.export', site.siteId) ?? false;
  const columns = () => (canRespond() || canManage() ? 6 : 5);
  const unitOf = (pointId: string | null) => {
    const point = pointId && (site.points.state === 'ready' || site.points.state === 'refreshing') ? site.points()?.find((entry) => entry.id === pointId) : undefined;
    return point ? displayUnit(point.unit) : '';
  };

  const act = async (ruleId: string, action: AlarmUserAction, body: AlarmActionBody) => {
    const result = await site.api.alarmAction(ruleId, action, body);
    void list.reload();
    return result;
  };

  const tabs: { id: AlarmTab; label: string }[] = [
    { id: 'active', label: 'Active' },
    { id: 'history', label: 'History' },
  ];
  const [focusTab, setFocusTab] = createSignal<AlarmTab | null>(null);
  const selectTab = (id: AlarmTab) => {
    setFocusTab(id);
    setParams({ tab: id === 'active' ? null : id });
  };

  return (
    <section class="alarms-page" data-testid="alarms-page">
      <header class="page-header">
        <div>
          <h1>Alarms</h1>
          <p class="page-subtitle">
            <Show when={view.loaded} fallback="Alarm states after ISA-18.2.">
              {view.alarms.length} active, {view.alarms.filter((alarm) => alarm.state === 'active_unack' || alarm.state === 'cleared_unack').length} unacknowledged.
            </Show>
          </p>
        </div>
      </header>

      <div class="tabs" role="tablist" aria-label="Alarm views">
        <For each={tabs}>
          {(entry) => (
            <button
              type="button"
              role="tab"
              class="tab"
              id={`alarms-tab-${entry.id}`}
              aria-selected={tab() === entry.id}
              aria-controls={`alarms-panel-${entry.id}`}
              tabIndex={tab() === entry.id ? 0 : -1}
              ref={(element) => createEffect(() => focusTab() === entry.id && element.focus())}
              onClick={() => selectTab(entry.id)}
              onKeyDown={(event) => {
                if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') selectTab(entry.id === 'active' ? 'history' : 'active');
              }}
              data-testid={`alarms-tab-${entry.id}`}
            >
              {entry.label}
            </button>
          )}
        </For>
      </div>

      <Show when={tab() === 'active'}>
        <div id="alarms-panel-active" role="tabpanel" aria-labelledby="alarms-tab-active">
          <Show when={view.error}>
            <p class="alert alert-error" role="alert" data-testid="alarms-error">
              Active alarms could not be loaded: {describeError(view.error)}{' '}
              <button type="button" class="btn-small" onClick={() => void list.reload()}>
                Try again
              </button>
            </p>
          </Show>
          <div class="card" aria-busy={view.loading}>
            <Show when={view.loaded} fallback={<p class="empty">{view.error ? '' : 'Loading active alarms…'}</p>}>
              <Show
                when={view.alarms.length > 0}
                fallback={
                  <p class="empty" data-testid="alarms-empty">
                    No active alarms. Everything is normal.
                  </p>
                }
              >
                <div class="table-wrap">
                  <table class="data alarm-table" data-testid="active-alarms">
                    <thead>
                      <tr>
                        <th scope="col">Severity</th>
                        <th scope="col">Alarm</th>
                        <th scope="col" class="numeric">
                          Value
                        </th>
                        <th scope="col">State</th>
                        <th scope="col">Active since</th>
                        <Show when={canRespond() || canManage()}>
                          <th scope="col">Actions</th>
                        </Show>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={view.alarms}>
                        {(alarm) => <AlarmRow alarm={alarm} unit={unitOf(alarm.point)} timeZone={timeZone()} canRespond={canRespond()} canManage={canManage()} columns={columns()} act={act} />}
                      </For>
                    </tbody>
                  </table>
                </div>
              </Show>
            </Show>
          </div>
        </div>
      </Show>

      <Show when={tab() === 'history'}>
        <div id="alarms-panel-history" role="tabpanel" aria-labelledby="alarms-tab-history">
          <AlarmHistory timeZone={timeZone()} canExport={canExport()} />
        </div>
      </Show>
    </section>
  );
}
