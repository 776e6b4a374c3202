import { createSignal, Show } from 'solid-js';

/**
 * Renders a name with a Rename button that turns into a small form. `save` resolves true when the server
 * accepted the new name; the form stays open after a failure so the user can correct it. Escape cancels.
 */
export function InlineRename(props: { name: string; label: string; testId: string; disabled?: boolean; save: (name: string) => Promise<boolean> }) {
  const [editing, setEditing] = createSignal(false);
  const [draft, setDraft] = createSignal('');
  const [saving, setSaving] = createSignal(false);

  const start = () => {
    setDraft(props.name);
    setEditing(true);
  };
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const name = draft().trim();
    if (name === '' || name === props.name) {
      setEditing(false);
      return;
    }
    setSaving(true);
    const saved = await props.save(name);
    setSaving(false);
    if (saved) setEditing(false);
  };

  return (
    <Show
      when={editing()}
      fallback={
        <span class="admin-rename">
          <span data-testid={`${props.testId}-name`}>{props.name}</span>{' '}
          <Show when={!props.disabled}>
            <button type="button" class="btn-link btn-small" onClick={start} aria-label={`Rename ${props.label} ${props.name}`} data-testid={`${props.testId}-rename`}>
              Rename
            </button>
          </Show>
        </span>
      }
    >
      <form class="button-row" onSubmit={(event) => void submit(event)} onKeyDown={(event) => event.key === 'Escape' && setEditing(false)}>
        <label class="visually-hidden" for={`${props.testId}-input`}>
          New name of {props.label} {props.name}
        </label>
        <input
          id={`${props.testId}-input`}
          class="admin-inline-input"
          value={draft()}
          onInput={(event) => setDraft(event.currentTarget.value)}
          required
          maxLength={200}
          ref={(input) => queueMicrotask(() => input.focus())}
          data-testid={`${props.testId}-input`}
        />
        <button type="submit" class="btn-small btn-primary" disabled={saving()}>
          Save
        </button>
        <button type="button" class="btn-small" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </form>
    </Show>
  );
}
