import { MAX_SHELVE_MS } from '@simtestlab/sync';
import { createSignal, For, Show } from 'solid-js';

/** Shelve durations offered, up to the 7-day maximum of the alarm model. */
const SHELVE_OPTIONS_MS = [15 * 60_000, 3_600_000, 4 * 3_600_000, 8 * 3_600_000, 24 * 3_600_000, 3 * 86_400_000, MAX_SHELVE_MS].filter(
  (durationMs) => durationMs <= MAX_SHELVE_MS,
);

function durationLabel(durationMs: number): string {
  if (durationMs < 3_600_000) return `${durationMs / 60_000} minutes`;
  if (durationMs < 86_400_000) return durationMs === 3_600_000 ? '1 hour' : `${durationMs / 3_600_000} hours`;
  return durationMs === 86_400_000 ? '1 day' : `${durationMs / 86_400_000} days`;
}

export type AlarmFormKind = 'shelve' | 'comment' | 'remove_from_service';

const COMMENT_LABELS: Record<AlarmFormKind, string> = {
  shelve: 'Reason (optional)',
  comment: 'Comment',
  remove_from_service: 'Reason for removing it from service (optional)',
};

const SUBMIT_LABELS: Record<AlarmFormKind, string> = {
  shelve: 'Shelve',
  comment: 'Add comment',
  remove_from_service: 'Remove from service',
};

export interface AlarmFormValues {
  comment?: string;
  shelveMs?: number;
}

/**
 * The inline form of an alarm action that needs more than a click: the shelve duration with an optional
 * comment, a comment alone, or an optional reason to take the alarm out of service.
 */
export function AlarmActionForm(props: { kind: AlarmFormKind; ruleId: string; busy: boolean; onSubmit: (values: AlarmFormValues) => void; onCancel: () => void }) {
  const [comment, setComment] = createSignal('');
  const [shelveMs, setShelveMs] = createSignal(3_600_000);
  const [error, setError] = createSignal<string | null>(null);
  const id = (field: string) => `alarm-${props.ruleId}-${field}`;

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const text = comment().trim();
    if (props.kind === 'comment' && text === '') {
      setError('Write a comment first.');
      return;
    }
    setError(null);
    props.onSubmit({ ...(text ? { comment: text } : {}), ...(props.kind === 'shelve' ? { shelveMs: shelveMs() } : {}) });
  };

  return (
    <form
      class="alarm-action-form"
      onSubmit={submit}
      data-testid={`alarm-form-${props.ruleId}`}
      ref={(form) => queueMicrotask(() => form.querySelector<HTMLElement>('select, input')?.focus())}
    >
      <div class="inline-fields">
        <Show when={props.kind === 'shelve'}>
          <div class="field">
            <label for={id('shelve-duration')}>Shelve for</label>
            <select id={id('shelve-duration')} value={String(shelveMs())} onChange={(event) => setShelveMs(Number(event.currentTarget.value))}>
              <For each={SHELVE_OPTIONS_MS}>{(durationMs) => <option value={String(durationMs)}>{durationLabel(durationMs)}</option>}</For>
            </select>
          </div>
        </Show>
        <div class="field alarm-comment-field">
          <label for={id('comment')}>{COMMENT_LABELS[props.kind]}</label>
          <input id={id('comment')} type="text" maxLength={2_000} value={comment()} onInput={(event) => setComment(event.currentTarget.value)} />
        </div>
        <div class="button-row">
          <button type="submit" class={props.kind === 'remove_from_service' ? 'btn-danger' : 'btn-primary'} disabled={props.busy}>
            {SUBMIT_LABELS[props.kind]}
          </button>
          <button type="button" onClick={() => props.onCancel()} disabled={props.busy}>
            Cancel
          </button>
        </div>
      </div>
      <Show when={error()}>
        <p class="field-hint alarm-form-error" role="alert">
          {error()}
        </p>
      </Show>
    </form>
  );
}
