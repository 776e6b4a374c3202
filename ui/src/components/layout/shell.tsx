import { A, useNavigate } from '@solidjs/router';
import { Show, type JSX, type ParentProps } from 'solid-js';
import { useApp } from '../../app/app-context';
import { ThemeToggle } from './theme-toggle';

/**
 * Renders the frame of every signed-in page: header with the user menu, an optional banner row (link state),
 * navigation on the left and the page. A skip link lets keyboard users jump to the page.
 */
export function Shell(props: ParentProps<{ nav: JSX.Element; banner?: JSX.Element; title?: string }>) {
  const app = useApp();
  const navigate = useNavigate();
  const logout = async () => {
    await app.session.logout();
    navigate('/login', { replace: true });
  };
  return (
    <div class="shell">
      <a
        class="skip-link"
        href="#main"
        onClick={(event) => {
          // The router handles hash links itself, so focus moves here rather than by the browser.
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="shell-header">
        <A class="brand" href="/">
          <img src="/favicon.svg" alt="" />
          <span>SimTestLab EMS</span>
        </A>
        <span class="badge badge-info" title={app.instance.mode === 'edge' ? 'Served by the edge node on this site' : 'Served by the cloud hub'}>
          {app.instance.mode === 'edge' ? 'Local' : 'Cloud'}
        </span>
        <Show when={props.title}>
          <span class="muted shell-title" title={props.title}>
            {props.title}
          </span>
        </Show>
        <div class="header-spacer" />
        <ThemeToggle />
        <Show when={app.viewer()}>
          {(viewer) => (
            <div class="user-menu">
              <A class="nav-link" href="/profile" title="Your profile">
                <span class="user-name">{viewer().name}</span>
              </A>
              <button type="button" class="btn-small" onClick={() => void logout()}>
                Log out
              </button>
            </div>
          )}
        </Show>
      </header>
      <div class="shell-banner">{props.banner}</div>
      <nav class="shell-nav" aria-label="Main">
        {props.nav}
      </nav>
      <main class="shell-main" id="main" tabindex="-1">
        {props.children}
      </main>
    </div>
  );
}
