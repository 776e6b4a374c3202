import { Show } from 'solid-js';
import type { SetupFailure } from '../../pages/setup/setup-errors';

/** Shows what failed, in the server's words, and what to do next. */
export function StepFailure(props: { failure: SetupFailure | null; testId?: string }) {
  return (
    <Show when={props.failure}>
      {(failure) => (
        <div class="alert alert-error" role="alert" data-testid={props.testId ?? 'setup-error'}>
          <strong>{failure().message}</strong> {failure().advice}
        </div>
      )}
    </Show>
  );
}
