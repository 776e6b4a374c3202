import { A, useLocation, useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { ApiError, describeError } from '../../api/api-error';
import { useApp } from '../../app/app-context';
import { loginNoticeOf } from '../account/login-notice';

/** Returns where to go after login: the requested page, if it is a path of this app. */
function safeNext(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  return value && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

function loginError(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) return 'The username or password is not right. Check both and try again.';
  if (error instanceof ApiError && error.status === 429) return `${error.message}. The server locks out repeated failed logins to protect the account.`;
  return describeError(error);
}

/** Login for both modes: the edge takes local installer accounts and the site's hub users, offline. */
export function LoginPage() {
  const app = useApp();
  const navigate = useNavigate();
  const notice = loginNoticeOf(useLocation().state);
  const [params] = useSearchParams();
  const [identifier, setIdentifier] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const edge = app.instance.mode === 'edge' ? app.instance : null;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await app.session.login(identifier().trim(), password());
      navigate(safeNext(params.next), { replace: true });
    } catch (failure) {
      setError(loginError(failure));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="centered-page">
      <form class="card auth-card" onSubmit={(event) => void submit(event)} aria-describedby="login-help">
        <div class="brand">
          <img src="/favicon.svg" alt="" />
          <span>SimTestLab EMS</span>
        </div>
        <h1>{edge ? `Log in to ${edge.siteName}` : 'Log in'}</h1>
        <p id="login-help" class="muted">
          {edge
            ? 'Use a local account of this edge node, or your cloud email and password. Login works without internet.'
            : 'Use the email and password of your SimTestLab EMS account.'}
        </p>
        <Show when={notice}>
          <div class="alert alert-success" role="status">
            {notice}
          </div>
        </Show>
        <Show when={app.session.ended()}>
          <div class="alert alert-info" role="status">
            {app.session.ended()}
          </div>
        </Show>
        <Show when={error()}>
          <div class="alert alert-error" role="alert">
            {error()}
          </div>
        </Show>
        <div class="field">
          <label for="login-identifier">{app.session.identifierLabel}</label>
          <input
            id="login-identifier"
            name="username"
            autocomplete="username"
            required
            autofocus
            value={identifier()}
            onInput={(event) => setIdentifier(event.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="login-password">Password</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password()}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
        </div>
        <div class="button-row">
          <button type="submit" class="btn-primary" disabled={busy()}>
            {busy() ? 'Logging in…' : 'Log in'}
          </button>
          <Show when={!edge}>
            <A href="/forgot-password">Forgot your password?</A>
          </Show>
        </div>
      </form>
    </div>
  );
}
