import { createSignal, Show } from 'solid-js';
import { checkAdminInput, USERNAME_HINT, type AdminProblem } from '../../pages/setup/admin-input';
import { PasswordInput } from '../../pages/account/change-password-form';
import { PASSWORD_RULE_HINT } from '../../pages/account/password-rules';
import { StepFailure } from './step-failure';
import { createStepAction, type SetupSession } from './step-action';

/** Shows step 2: the local admin account, which logs in on this node without the cloud. */
export function AdminStep(props: {
  exists: boolean;
  createAdmin(username: string, password: string): Promise<{ username: string }>;
  session: SetupSession;
  onDone(username: string | null): void;
}) {
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [repeat, setRepeat] = createSignal('');
  const [problem, setProblem] = createSignal<AdminProblem | null>(null);
  const action = createStepAction('admin', props.session);
  const errorOf = (field: AdminProblem['field']) => (problem()?.field === field ? problem()!.message : null);

  const buttonText = () => {
    if (action.busy()) return 'Creating…';
    return props.exists ? 'Replace the admin and continue' : 'Create the admin and continue';
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const found = checkAdminInput(username().trim(), password(), repeat());
    setProblem(found);
    if (found) return;
    const created = await action.run(() => props.createAdmin(username().trim(), password()));
    if (created === undefined) return;
    setPassword('');
    setRepeat('');
    props.onDone(created.username);
  };

  return (
    <form onSubmit={(event) => void submit(event)} onInput={action.clear} data-testid="setup-admin-step" novalidate>
      <h2>Create the local admin</h2>
      <p>
        This account logs in on this edge node, also when the node has no internet. It may change every setting of the site, so keep the password in a safe
        place.
      </p>
      <Show when={props.exists}>
        <div class="alert alert-info" role="status">
          An admin account was already created in this setup. Sending the form again replaces it, or{' '}
          <button type="button" class="btn-link" onClick={() => props.onDone(null)}>
            keep it and continue
          </button>
          .
        </div>
      </Show>
      <StepFailure failure={action.failure()} />
      <div class="setup-narrow">
        <div class="field">
          <label for="setup-username">Username</label>
          <input
            id="setup-username"
            autocomplete="username"
            required
            autofocus
            maxLength={64}
            value={username()}
            aria-invalid={errorOf('username') ? 'true' : undefined}
            aria-describedby={errorOf('username') ? 'setup-username-hint setup-username-error' : 'setup-username-hint'}
            onInput={(event) => setUsername(event.currentTarget.value)}
          />
          <div class="field-hint" id="setup-username-hint">
            {USERNAME_HINT}
          </div>
          <Show when={errorOf('username')}>
            <div class="field-error" id="setup-username-error">
              {errorOf('username')}
            </div>
          </Show>
        </div>
        <PasswordInput id="setup-password" label="Password" autocomplete="new-password" value={password()} error={errorOf('newPassword')} hint={PASSWORD_RULE_HINT} onInput={setPassword} />
        <PasswordInput id="setup-repeat-password" label="Repeat the password" autocomplete="new-password" value={repeat()} error={errorOf('repeatPassword')} onInput={setRepeat} />
      </div>
      <div class="button-row">
        <button type="submit" class="btn-primary" disabled={action.busy()}>
          {buttonText()}
        </button>
      </div>
    </form>
  );
}
