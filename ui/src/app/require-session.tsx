import { Navigate, useLocation } from '@solidjs/router';
import { Show, type ParentProps } from 'solid-js';
import { useApp } from './app-context';

/** Shows its children to a signed-in user and sends everyone else to the login page, keeping the target. */
export function RequireSession(props: ParentProps) {
  const app = useApp();
  const location = useLocation();
  const target = () => encodeURIComponent(location.pathname + location.search);
  return (
    <Show when={app.session.grant()} fallback={<Navigate href={`/login?next=${target()}`} />}>
      {props.children}
    </Show>
  );
}
