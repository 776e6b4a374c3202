import {
  alarmSeverities,
  alarmStates,
  alarmTransitionActions,
  type AlarmHistoryFilter,
  type AlarmSeverity,
  type AlarmState,
  type AlarmTransition,
  type AlarmTransitionAction,
} from '@simtestlab/sync';
import { createMemo, createSignal, For, onMount, Show } from 'solid-js';
import { describeError } from '../../api/api-error';
import { latestOnly } from '../../api/latest';
import { formatAlarmValue } from '../../components/alarms/alarm-row';
import { ALARM_STATE_LABELS, AlarmStateBadge } from '../../components/alarms/alarm-state-badge';
import { SEVERITY_LABELS, SeverityBadge } from '../../components/alarms/severity-badge';
import { formatDateTime } from '../../format/time';
import { useSite } from '../../site/site-context';
import { parseLocalInput } from '../../site/time-range';
import { CsvExport } from './csv-export';

/** Rows the history returns per request, the API's default. */
const HISTORY_LIMIT = 500;

const ACTION_LABELS: Record<AlarmTransitionAction, string> = {
  raise: 'Raised',
  clear: 'Cleared',
  acknowledge: 'Acknowledged',
  shelve: 'Shelved',
  unshelve: 'Unshelved',
  shelve_expired: 'Shelve expired',
  remove_from_service: 'Removed from service',
  return_to_service: 'Returned to service',
  comment: 'Comment',
};

interface FilterFields {
  device: string;
  point: string;
  severity: AlarmSeverity | '';
  state: AlarmState | '';
  action: AlarmTransitionAction | '';
  from: string;
  to: string;
}

const EMPTY_FIELDS: FilterFields = { device: '', point: '', severity: '', state: '', action: '', from: '', to: '' };

/** Builds the API filter from the form; the datetime-local fields are read in the site's time zone. */
function filterOf(fields: FilterFields, timeZone: string): Partial<AlarmHistoryFilter> | string {
  const from = fields.from ? parseLocalInput(fields.from, timeZone) : null;
  const to = fields.to ? parseLocalInput(fields.to, timeZone) : null;
  if (fields.from && from === null) return 'The start time is not a valid date and time.';
  if (fields.to && to === null) return 'The end time is not a valid date and time.';
  if (from !== null && to !== null && from >= to) return 'The start must be before the end.';
  return {
    limit: HISTORY_LIMIT,
    ...(fields.device ? { device: fields.device } : {}),
    ...(fields.point ? { point: fields.point } : {}),
    ...(fields.severity ? { severity: fields.severity } : {}),
    ...(fields.state ? { state: fields.state } : {}),
    ...(fields.action ? { action: fields.action } : {}),
    ...(from !== null ? { from: new Date(from).toISOString() } : {}),
    ...(to !== null ? { to: new Date(to).toISOString() } : {}),
  };
}

/** The alarm history of the site with filters, newest first, and its CSV export. */
export function AlarmHistory(props: { timeZone: string; canExport: boolean }) {
  const site = useSite();
  const [fields, setFields] = createSignal<FilterFields>(EMPTY_FIELDS);
  const [applied, setApplied] = createSignal<Partial<AlarmHistoryFilter>>({ limit: HISTORY_LIMIT });
  const [rows, setRows] = createSignal<AlarmTransition[] | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const [formError, setFormError] = createSignal<string | null>(null);

  const load = latestOnly(
    (filter: Partial<AlarmHistoryFilter>) => site.api.alarmHistory(filter),
    (loaded) => {
      setRows(loaded);
      setError(null);
      setLoading(false);
    },
    (failure) => {
      setError(failure);
      setLoading(false);
    },
  );
  const search = (filter: Partial<AlarmHistoryFilter>) => {
    setApplied(filter);
    setLoading(true);
    void load(filter);
  };
  onMount(() => search(applied()));

  const set = <K extends keyof FilterFields>(key: K, value: FilterFields[K]) => setFields((current) => ({ ...current, [key]: value }));
  const devices = () => (site.devices.state === 'ready' || site.devices.state === 'refreshing' ? (site.devices() ?? []) : []);
  const points = createMemo(() => {
    const all = site.points.state === 'ready' || site.points.state === 'refreshing' ? (site.points() ?? []) : [];
    const device = fields().device;
    return device ? all.filter((point) => point.device === device) : all;
  });

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const filter = filterOf(fields(), props.timeZone);
    if (typeof filter === 'string') {
      setFormError(filter);
      return;
    }
    setFormError(null);
    search(filter);
  };
  const reset = () => {
    setFields(EMPTY_FIELDS);
    setFormError(null);
    search({ limit: HISTORY_LIMIT });
  };

  return (
    <div data-testid="alarm-history">
      <form class="card alarm-filters" onSubmit={submit} aria-label="Alarm history filters">
        <div class="inline-fields">
          <div class="field">
            <label for="alarm-filter-device">Device</label>
            <select
              id="alarm-filter-device"
              value={fields().device}
              onChange={(event) => {
                set('device', event.currentTarget.value);
                set('point', '');
              }}
            >
              <option value="">All devices</option>
              <For each={devices()}>{(device) => <option value={device.key}>{device.name}</option>}</For>
            </select>
          </div>
          <div class="field">
            <label for="alarm-filter-point">Point</label>
            <select id="alarm-filter-point" value={fields().point} onChange={(event) => set('point', event.currentTarget.value)}>
              <option value="">All points</option>
              <For each={points()}>{(point) => <option value={point.id}>{fields().device ? point.name : `${point.device} · ${point.name}`}</option>}</For>
            </select>
          </div>
          <div class="field">
            <label for="alarm-filter-severity">Severity</label>
            <select id="alarm-filter-severity" value={fields().severity} onChange={(event) => set('severity', event.currentTarget.value as AlarmSeverity | '')}>
              <option value="">Any severity</option>
              <For each={alarmSeverities}>{(severity) => <option value={severity}>{SEVERITY_LABELS[severity]}</option>}</For>
            </select>
          </div>
          <div class="field">
            <label for="alarm-filter-state">State after</label>
            <select id="alarm-filter-state" value={fields().state} onChange={(event) => set('state', event.currentTarget.value as AlarmState | '')}>
              <option value="">Any state</option>
              <For each={alarmStates}>{(state) => <option value={state}>{ALARM_STATE_LABELS[state]}</option>}</For>
            </select>
          </div>
          <div class="field">
            <label for="alarm-filter-action">Action</label>
            <select id="alarm-filter-action" value={fields().action} onChange={(event) => set('action', event.currentTarget.value as AlarmTransitionAction | '')}>
              <option value="">Any action</option>
              <For each={alarmTransitionActions}>{(action) => <option value={action}>{ACTION_LABELS[action]}</option>}</For>
            </select>
          </div>
          <div class="field">
            <label for="alarm-filter-from">From</label>
            <input id="alarm-filter-from" type="datetime-local" value={fields().from} onInput={(event) => set('from', event.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="alarm-filter-to">To</label>
            <input id="alarm-filter-to" type="datetime-local" value={fields().to} onInput={(event) => set('to', event.currentTarget.value)} />
          </div>
          <div class="button-row">
            <button type="submit" class="btn-primary" data-testid="alarm-history-apply">
              Apply filters
            </button>
            <button type="button" onClick={reset}>
              Reset
            </button>
          </div>
        </div>
        <p class="field-hint">Times in the {props.timeZone} time zone.</p>
        <Show when={formError()}>
          <p class="alert alert-error" role="alert">
            {formError()}
          </p>
        </Show>
      </form>

      <div class="card" aria-busy={loading()}>
        <div class="card-header">
          <h2>Transitions</h2>
          <Show when={props.canExport}>
            <CsvExport
              testId="alarm-history-export"
              download={(options) => site.api.alarmHistoryCsv(applied(), options)}
              filename={() => `alarm-history-${site.siteId}-${new Date().toISOString().slice(0, 10)}.csv`}
            />
          </Show>
        </div>
        <Show when={error()}>
          <p class="alert alert-error" role="alert" data-testid="alarm-history-error">
            The alarm history could not be loaded: {describeError(error())}
          </p>
        </Show>
        <Show when={rows()} fallback={<p class="empty">{loading() ? 'Loading the alarm history…' : ''}</p>}>
          {(loaded) => (
            <Show when={loaded().length > 0} fallback={<p class="empty" data-testid="alarm-history-empty">No alarm transitions match these filters.</p>}>
              <Show when={loaded().length >= HISTORY_LIMIT}>
                <p class="field-hint">Showing the newest {HISTORY_LIMIT} transitions; narrow the filters or export CSV for more.</p>
              </Show>
              <div class="table-wrap alarm-history-wrap" classList={{ 'alarm-stale': loading() }}>
                <table class="data" data-testid="alarm-history-table">
                  <thead>
                    <tr>
                      <th scope="col">Time</th>
                      <th scope="col">Severity</th>
                      <th scope="col">Alarm</th>
                      <th scope="col">Action</th>
                      <th scope="col">State after</th>
                      <th scope="col" class="numeric">
                        Value
                      </th>
                      <th scope="col">User</th>
                      <th scope="col">Comment</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={loaded()}>
                      {(transition) => (
                        <tr data-testid={`alarm-transition-${transition.id}`}>
                          <td class="alarm-time">{formatDateTime(transition.at, props.timeZone)}</td>
                          <td>
                            <SeverityBadge severity={transition.severity} />
                          </td>
                          <td>
                            <div class="mono">{transition.ruleId}</div>
                            <div class="muted alarm-message">{transition.message}</div>
                          </td>
                          <td>
                            {ACTION_LABELS[transition.action]}
                            <Show when={transition.action === 'shelve' && transition.shelvedUntil}>
                              {(until) => <div class="muted alarm-detail">until {formatDateTime(until(), props.timeZone)}</div>}
                            </Show>
                          </td>
                          <td>
                            <AlarmStateBadge state={transition.to} />
                          </td>
                          <td class="numeric">{formatAlarmValue(transition.value)}</td>
                          <td>{transition.user ? `${transition.user.name} (${transition.user.origin === 'edge' ? 'on site' : 'cloud'})` : <span class="muted">System</span>}</td>
                          <td>{transition.comment ?? ''}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
          )}
        </Show>
      </div>
    </div>
  );
}
