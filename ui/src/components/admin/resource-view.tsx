import { Match, Switch, untrack, type Accessor, type JSX, type Resource } from 'solid-js';
import { describeError } from '../../api/api-error';

/**
 * Shows a resource's loading state, its error with the server's message, or its value. The value stays
 * on screen while the resource reloads, and `children` runs once, so inputs keep their focus.
 */
export function ResourceView<T>(props: { resource: Resource<T>; what: string; children: (value: Accessor<T>) => JSX.Element }) {
  const hasValue = () => props.resource.state === 'ready' || props.resource.state === 'refreshing';
  return (
    <Switch>
      <Match when={props.resource.state === 'errored'}>
        <div class="alert alert-error" role="alert" data-testid="load-error">
          Loading {props.what} failed: {describeError(props.resource.error)}
        </div>
      </Match>
      <Match when={hasValue()}>{untrack(() => props.children(() => props.resource() as T))}</Match>
      <Match when={true}>
        <p class="muted" role="status" data-testid="loading">
          Loading {props.what}…
        </p>
      </Match>
    </Switch>
  );
}

/** Renders the empty state of a list, in place of a table without rows. */
export function EmptyState(props: { children: JSX.Element; testId?: string }) {
  return (
    <p class="empty" data-testid={props.testId ?? 'empty'}>
      {props.children}
    </p>
  );
}
