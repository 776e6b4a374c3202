import { A, useLocation, useNavigate } from '@solidjs/router';
import { createSignal, onMount, Show } from 'solid-js';
import { useCloud } from '../../app/app-context';
import { unwrap } from '../../api/http';
import { PasswordInput } from './change-password-form';
import { loginNoticeState } from './login-notice';
import { passwordFormError } from './password-errors';
import { passwordLinkToken } from './password-link-token';
import { checkNewPassword, PASSWORD_RULE_HINT } from './password-rules';
import './account.css';

/**
 * Public page of the hub behind invitation and password reset links: sets the account's password with
 * the link's token (`POST /api/auth/set-password`), then sends the user to the login page.
 */
export function ResetPasswordPage() {
  const cloud = useCloud();
  const location = useLocation();
  const navigate = useNavigate();
  const token = passwordLinkToken(location.search, location.hash);
  const [password, setPassword] = createSignal('');
  const [repeat, setRepeat] = createSignal('');
  const [fieldError, setFieldError] = createSignal<{ field: 'newPassword' | 'repeatPassword'; message: string } | null>(null);
  const [formError, setFormError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const errorOf = (field: 'newPassword' | 'repeatPassword') => (fieldError()?.field === field ? fieldError()!.message : null);

  // The token stays in memory only, so it does not linger in the address bar, in screenshots or in the history.
  onMount(() => {
    if (token !== null) window.history.replaceState(window.history.state, '', location.pathname);
  });

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setFieldError(null);
    setFormError(null);
    const problem = checkNewPassword(password(), repeat());
    if (problem) {
      setFieldError(problem);
      return;
    }
    setBusy(true);
    try {
      await unwrap(cloud.POST('/api/auth/set-password', { body: { token: token!, password: password() } }));
      navigate('/login', { replace: true, state: loginNoticeState('Your password is set. Log in with your email and the new password.') });
    } catch (failure) {
      const explained = passwordFormError(failure);
      if (explained.field === 'newPassword') setFieldError({ field: 'newPassword', message: explained.message });
      else setFormError(explained.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="centered-page">
      <div class="card auth-card">
        <div class="brand">
          <img src="/favicon.svg" alt="" />
          <span>SimTestLab EMS</span>
        </div>
        <h1>Choose your password</h1>
        <Show
          when={token !== null}
          fallback={
            <>
              <div class="alert alert-error" role="alert" data-testid="reset-password-no-token">
                This link has no token. Open the complete link from your invitation or password reset, or ask an administrator for a new link.
              </div>
              <div class="button-row">
                <A href="/forgot-password">Request a reset link</A>
                <A href="/login">Back to login</A>
              </div>
            </>
          }
        >
          <form onSubmit={(event) => void submit(event)} aria-describedby="reset-password-help" data-testid="reset-password-form" novalidate>
            <p id="reset-password-help" class="muted">
              Set the password for your SimTestLab EMS account. The link from your invitation or password reset works once, and setting the password logs you
              out everywhere.
            </p>
            <Show when={formError()}>
              <div class="alert alert-error" role="alert" data-testid="reset-password-error">
                {formError()}
              </div>
            </Show>
            <PasswordInput id="new-password" label="New password" autocomplete="new-password" value={password()} error={errorOf('newPassword')} hint={PASSWORD_RULE_HINT} onInput={setPassword} />
            <PasswordInput id="repeat-password" label="Repeat the new password" autocomplete="new-password" value={repeat()} error={errorOf('repeatPassword')} onInput={setRepeat} />
            <div class="button-row">
              <button type="submit" class="btn-primary" disabled={busy()} data-testid="reset-password-submit">
                {busy() ? 'Saving…' : 'Set password'}
              </button>
            </div>
          </form>
        </Show>
      </div>
    </div>
  );
}
