import type { AlarmActionBody, AlarmStatus, AlarmUserAction } from '@simtestlab/sync';
import { createSignal, Show } from 'solid-js';
import { describeError } from '../../api/api-error';
import { now } from '../../app/clock';
import { formatAgo, formatDateTime } from '../../format/time';
import { formatValue } from '../../format/values';
import type { AlarmActionOutcome } from '../../site/site-api';
import { AlarmActionForm, type AlarmFormKind, type AlarmFormValues } from './alarm-action-form';
import { AlarmStateBadge } from './alarm-state-badge';
import { SeverityBadge } from './severity-badge';

export interface AlarmRowProps {
  alarm: AlarmStatus;
  /** Unit of the alarm's point, shown with its value. */
  unit: string;
  timeZone: string | undefined;
  /** Acknowledge, shelve and comment. */
  canRespond: boolean;
  /** Remove from service and return to service. */
  canManage: boolean;
  /** Columns of the table, for the row that spans them. */
  columns: number;
  /** Sends the action; a refusal is thrown with the server's message. */
  act: (ruleId: string, action: AlarmUserAction, body: AlarmActionBody) => Promise<AlarmActionOutcome>;
}

const DONE_MESSAGES: Record<AlarmUserAction, string> = {
  acknowledge: 'Acknowledged.',
  shelve: 'Shelved.',
  unshelve: 'Unshelved.',
  comment: 'Comment added.',
  remove_from_service: 'Removed from service.',
  return_to_service: 'Returned to service.',
};

type Outcome = { ok: boolean; text: string };

function outcomeOf(action: AlarmUserAction, result: AlarmActionOutcome): Outcome {
  if (result.duplicate) return { ok: true, text: 'It was already acknowledged; your acknowledgement is recorded in the history.' };
  return { ok: true, text: DONE_MESSAGES[action] };
}

/** Day and time to the minute, for table cells; the full date and time goes in the cell's title. */
function formatShortDateTime(ms: number, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', ...(timeZone ? { timeZone } : {}) }).format(ms);
}

/** Formats an alarm's value for display, with boolean conditions as true or false. */
export function formatAlarmValue(value: AlarmStatus['value']): string {
  return typeof value === 'boolean' ? String(value) : formatValue(value);
}

/** One active alarm with its actions; forms and results open in a second row below it. */
export function AlarmRow(props: AlarmRowProps) {
  const [form, setForm] = createSignal<AlarmFormKind | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [outcome, setOutcome] = createSignal<Outcome | null>(null);
  const alarm = () => props.alarm;
  const unacknowledged = () => alarm().state === 'active_unack' || alarm().state === 'cleared_unack';

  const run = async (action: AlarmUserAction, body: AlarmActionBody) => {
    setBusy(true);
    setOutcome(null);
    try {
      const result = await props.act(alarm().ruleId, action, body);
      setOutcome(outcomeOf(action, result));
      setForm(null);
    } catch (error) {
      setOutcome({ ok: false, text: `Not done: ${describeError(error)}` });
    } finally {
      setBusy(false);
    }
  };

  const submitForm = (kind: AlarmFormKind, values: AlarmFormValues) => {
    const comment = values.comment ? { comment: values.comment } : {};
    if (kind === 'shelve') void run('shelve', { ...comment, shelvedUntil: Date.now() + (values.shelveMs ?? 3_600_000) });
    else void run(kind, comment);
  };

  const acknowledge = () => {
    const occurrence = alarm().occurrence;
    void run('acknowledge', occurrence ? { occurrence } : {});
  };

  return (
    <>
      <tr data-testid={`alarm-row-${alarm().ruleId}`} data-state={alarm().state} classList={{ 'alarm-unack': unacknowledged() }}>
        <td>
          <SeverityBadge severity={alarm().severity} />
        </td>
        <td class="alarm-name-cell">
          <div class="alarm-name">{alarm().name}</div>
          <div class="muted alarm-message">{alarm().message}</div>
          <Show when={alarm().point ?? alarm().device}>
            <div class="muted mono alarm-source">{alarm().point ?? alarm().device}</div>
          </Show>
        </td>
        <td class="numeric">
          {formatAlarmValue(alarm().value)}
          <Show when={props.unit && alarm().value !== null}>
            <span class="muted"> {props.unit}</span>
          </Show>
        </td>
        <td>
          <AlarmStateBadge state={alarm().state} testId={`alarm-state-${alarm().ruleId}`} />
          <Show when={alarm().state === 'shelved' && alarm().shelvedUntil}>
            {(until) => <div class="muted alarm-detail">until {formatDateTime(until(), props.timeZone)}</div>}
          </Show>
          <Show when={(alarm().state === 'shelved' || alarm().state === 'out_of_service') && alarm().conditionActive}>
            <div class="muted alarm-detail">Condition still active</div>
          </Show>
          <Show when={alarm().acknowledgedAt}>
            {(at) => (
              <div class="muted alarm-detail" title={formatDateTime(at(), props.timeZone)} data-testid={`alarm-acked-${alarm().ruleId}`}>
                Acknowledged by {alarm().acknowledgedBy?.name ?? 'an unknown user'}
                {alarm().acknowledgedBy?.origin === 'cloud' ? ' in the cloud' : alarm().acknowledgedBy?.origin === 'edge' ? ' on site' : ''}, {formatShortDateTime(at(), props.timeZone)}
              </div>
            )}
          </Show>
        </td>
        <td title={formatDateTime(alarm().activeSince, props.timeZone)}>
          <Show when={alarm().activeSince} fallback={<span class="muted">–</span>}>
            {(since) => (
              <>
                <div>{formatAgo(since(), now())}</div>
                <div class="muted alarm-detail">{formatShortDateTime(since(), props.timeZone)}</div>
              </>
            )}
          </Show>
        </td>
        <Show when={props.canRespond || props.canManage}>
          <td class="alarm-actions-cell">
            <div class="button-row alarm-actions">
              <Show when={props.canRespond && unacknowledged()}>
                <button type="button" class="btn-small btn-primary" onClick={acknowledge} disabled={busy()} data-testid={`alarm-ack-${alarm().ruleId}`}>
                  Acknowledge
                </button>
              </Show>
              <Show when={props.canRespond && alarm().state !== 'shelved' && alarm().state !== 'out_of_service'}>
                <button type="button" class="btn-small" onClick={() => setForm('shelve')} disabled={busy()} aria-expanded={form() === 'shelve'} data-testid={`alarm-shelve-${alarm().ruleId}`}>
                  Shelve
                </button>
              </Show>
              <Show when={props.canRespond && alarm().state === 'shelved'}>
                <button type="button" class="btn-small" onClick={() => void run('unshelve', {})} disabled={busy()} data-testid={`alarm-unshelve-${alarm().ruleId}`}>
                  Unshelve
                </button>
              </Show>
              <Show when={props.canRespond}>
                <button type="button" class="btn-small" onClick={() => setForm('comment')} disabled={busy()} aria-expanded={form() === 'comment'} data-testid={`alarm-comment-${alarm().ruleId}`}>
                  Comment
                </button>
              </Show>
              <Show when={props.canManage && alarm().state !== 'out_of_service'}>
                <button
                  type="button"
                  class="btn-small"
                  onClick={() => setForm('remove_from_service')}
                  disabled={busy()}
                  aria-expanded={form() === 'remove_from_service'}
                  data-testid={`alarm-remove-${alarm().ruleId}`}
                >
                  Remove from service
                </button>
              </Show>
              <Show when={props.canManage && alarm().state === 'out_of_service'}>
                <button type="button" class="btn-small" onClick={() => void run('return_to_service', {})} disabled={busy()} data-testid={`alarm-return-${alarm().ruleId}`}>
                  Return to service
                </button>
              </Show>
            </div>
          </td>
        </Show>
      </tr>
      <Show when={form() || outcome()}>
        <tr class="alarm-row-extra">
          <td colSpan={props.columns}>
            <Show when={form()}>
              {(kind) => <AlarmActionForm kind={kind()} ruleId={alarm().ruleId} busy={busy()} onSubmit={(values) => submitForm(kind(), values)} onCancel={() => setForm(null)} />}
            </Show>
            <Show when={outcome()}>
              {(shown) => (
                <p class={`alarm-outcome ${shown().ok ? 'alert-success' : 'alert-error'}`} role={shown().ok ? 'status' : 'alert'} data-testid={`alarm-outcome-${alarm().ruleId}`}>
                  {shown().text}
                </p>
              )}
            </Show>
          </td>
        </tr>
      </Show>
    </>
  );
}
