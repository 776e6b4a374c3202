import { createSignal, Show } from 'solid-js';
import { passwordFormError, type PasswordField } from './password-errors';
import { checkNewPassword, PASSWORD_MAX_LENGTH, PASSWORD_RULE_HINT } from './password-rules';

type Field = PasswordField | 'repeatPassword';

/** Shows a labelled password input with its hint and error, linked for screen readers. */
export function PasswordInput(props: {
  id: string;
  label: string;
  value: string;
  autocomplete: 'current-password' | 'new-password';
  error: string | null;
  hint?: string;
  onInput(value: string): void;
}) {
  const describedBy = () => [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="password"
        required
        maxLength={PASSWORD_MAX_LENGTH}
        autocomplete={props.autocomplete}
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy()}
        onInput={(event) => props.onInput(event.currentTarget.value)}
        data-testid={props.id}
      />
      <Show when={props.hint}>
        <div class="field-hint" id={`${props.id}-hint`}>
          {props.hint}
        </div>
      </Show>
      <Show when={props.error}>
        <div class="field-error" id={`${props.id}-error`} data-testid={`${props.id}-error`}>
          {props.error}
        </div>
      </Show>
    </div>
  );
}

/**
 * Shows the form to change one's own password: current, new and repeated new password. It checks the
 * length and the repetition before sending, and puts the server's rejection next to the field it concerns.
 */
export function ChangePasswordForm(props: { change(currentPassword: string, newPassword: string): Promise<void>; successText: string }) {
  const [current, setCurrent] = createSignal('');
  const [next, setNext] = createSignal('');
  const [repeat, setRepeat] = createSignal('');
  const [fieldError, setFieldError] = createSignal<{ field: Field; message: string } | null>(null);
  const [formError, setFormError] = createSignal<string | null>(null);
  const [success, setSuccess] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const errorOf = (field: Field) => (fieldError()?.field === field ? fieldError()!.message : null);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setFieldError(null);
    setFormError(null);
    setSuccess(false);
    const problem = checkNewPassword(next(), repeat(), current());
    if (problem) {
      setFieldError(problem);
      return;
    }
    setBusy(true);
    try {
      await props.change(current(), next());
      setCurrent('');
      setNext('');
      setRepeat('');
      setSuccess(true);
    } catch (error) {
      const failure = passwordFormError(error);
      if (failure.field) setFieldError({ field: failure.field, message: failure.message });
      else setFormError(failure.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} data-testid="password-form" novalidate>
      <Show when={success()}>
        <div class="alert alert-success" role="status" data-testid="password-success">
          {props.successText}
        </div>
      </Show>
      <Show when={formError()}>
        <div class="alert alert-error" role="alert" data-testid="password-error">
          {formError()}
        </div>
      </Show>
      <PasswordInput id="current-password" label="Current password" autocomplete="current-password" value={current()} error={errorOf('currentPassword')} onInput={setCurrent} />
      <PasswordInput id="new-password" label="New password" autocomplete="new-password" value={next()} error={errorOf('newPassword')} hint={PASSWORD_RULE_HINT} onInput={setNext} />
      <PasswordInput id="repeat-password" label="Repeat the new password" autocomplete="new-password" value={repeat()} error={errorOf('repeatPassword')} onInput={setRepeat} />
      <div class="button-row">
        <button type="submit" class="btn-primary" disabled={busy() || current() === ''} data-testid="password-submit">
          {busy() ? 'Changing…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}
