import { useLocation } from '@solidjs/router';
import type { ParentProps } from 'solid-js';
import { isCurrentPath } from './nav-path';

/**
 * Renders a navigation link that marks the current page with `aria-current="page"` and the `active` class.
 * It is a plain anchor: the router handles clicks on same-origin anchors itself.
 */
export function NavLink(props: ParentProps<{ href: string; exact?: boolean; class?: string; testId?: string; title?: string }>) {
  const location = useLocation();
  const current = () => isCurrentPath(location.pathname, props.href, props.exact ?? false);
  return (
    <a
      href={props.href}
      class={`nav-link ${props.class ?? ''}`}
      classList={{ active: current() }}
      aria-current={current() ? 'page' : undefined}
      data-testid={props.testId}
      title={props.title}
    >
      {props.children}
    </a>
  );
}
