import { A } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { ApiError } from '../../api/api-error';
import { useCloud } from '../../app/app-context';
import { unwrap } from '../../api/http';
import { formMessage } from './form-errors';
import './account.css';

/**
 * The text after every accepted request. It is the same whether or not an account uses the address, so
 * the page reveals nothing about which accounts exist.
 */
export const RESET_REQUESTED_TEXT =
  'If an account exists for that email, a reset link has been issued. Where no email delivery is set up, your administrator finds the link in the audit log: ask them for it.';

function requestError(error: unknown): string {
  if (error instanceof ApiError && error.status === 429) {
    return `${formMessage(error)} The number of reset requests per hour is limited for each email address and each network address.`;
  }
  return formMessage(error);
}

/** Shows the public page of the hub that requests a password reset link for an email address. */
export function ForgotPasswordPage() {
  const cloud = useCloud();
  const [email, setEmail] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [sent, setSent] = createSignal(false);
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await unwrap(cloud.POST('/api/auth/forgot-password', { body: { email: email().trim() } }));
      setSent(true);
    } catch (failure) {
      setError(requestError(failure));
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
        <h1>Reset your password</h1>
        <Show
          when={!sent()}
          fallback={
            <>
              <div class="alert alert-success" role="status" data-testid="forgot-password-sent">
                {RESET_REQUESTED_TEXT}
              </div>
              <p class="muted">The link works once. After you set a new password with it, log in with the new password.</p>
              <div class="button-row">
                <A href="/login">Back to login</A>
              </div>
            </>
          }
        >
          <form onSubmit={(event) => void submit(event)} aria-describedby="forgot-password-help" data-testid="forgot-password-form">
            <p id="forgot-password-help" class="muted">
              Enter the email address of your account. You get a link to choose a new password; your current password keeps working until you use it.
            </p>
            <Show when={error()}>
              <div class="alert alert-error" role="alert" data-testid="forgot-password-error">
                {error()}
              </div>
            </Show>
            <div class="field">
              <label for="forgot-password-email">Email</label>
              <input
                id="forgot-password-email"
                type="email"
                name="email"
                autocomplete="email"
                required
                autofocus
                maxLength={254}
                value={email()}
                onInput={(event) => setEmail(event.currentTarget.value)}
                data-testid="forgot-password-email"
              />
            </div>
            <div class="button-row">
              <button type="submit" class="btn-primary" disabled={busy()} data-testid="forgot-password-submit">
                {busy() ? 'Sending…' : 'Request reset link'}
              </button>
              <A href="/login">Back to login</A>
            </div>
          </form>
        </Show>
      </div>
    </div>
  );
}
