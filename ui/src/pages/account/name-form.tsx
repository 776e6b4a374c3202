import { createSignal, Show } from 'solid-js';
import { useCloud } from '../../app/app-context';
import { unwrap } from '../../api/http';
import { formMessage } from './form-errors';

/** The hub's limit for display names (`displayNameSchema` in cloud/src/api/text.ts). */
const NAME_MAX_LENGTH = 200;

/** Shows the form to change one's own name on the hub (`PATCH /api/me`). `changed` runs after the hub saved it. */
export function NameForm(props: { name: string; changed(): void }) {
  const cloud = useCloud();
  const [name, setName] = createSignal(props.name);
  const [error, setError] = createSignal<string | null>(null);
  const [saved, setSaved] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    setSaved(null);
    const requested = name().trim();
    if (requested === '') {
      setError('Enter a name, as colleagues should see it in the audit log and in alarm comments.');
      return;
    }
    setBusy(true);
    try {
      const profile = await unwrap(cloud.PATCH('/api/me', { body: { name: requested } }));
      setName(profile.name);
      setSaved(`Your name is now “${profile.name}”.`);
      props.changed();
    } catch (failure) {
      setError(formMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="profile-form" onSubmit={(event) => void submit(event)} data-testid="name-form" novalidate>
      <Show when={saved()}>
        <div class="alert alert-success" role="status" data-testid="name-success">
          {saved()}
        </div>
      </Show>
      <div class="field">
        <label for="profile-name">Name</label>
        <input
          id="profile-name"
          autocomplete="name"
          required
          maxLength={NAME_MAX_LENGTH}
          value={name()}
          aria-invalid={error() ? 'true' : undefined}
          aria-describedby={error() ? 'profile-name-hint profile-name-error' : 'profile-name-hint'}
          onInput={(event) => setName(event.currentTarget.value)}
          data-testid="profile-name-input"
        />
        <div class="field-hint" id="profile-name-hint">
          Shown in the header, the audit log and alarm comments. Edge nodes get the new name at their next sync.
        </div>
        <Show when={error()}>
          <div class="field-error" id="profile-name-error" role="alert" data-testid="name-error">
            {error()}
          </div>
        </Show>
      </div>
      <div class="button-row">
        <button type="submit" class="btn-primary" disabled={busy() || name().trim() === props.name} data-testid="name-submit">
          {busy() ? 'Saving…' : 'Save name'}
        </button>
      </div>
    </form>
  );
}
