import { createSignal, Show } from 'solid-js';
import { describeError } from '../../api/api-error';

/** The outcome of the last action on a page section: a success line or the server's error message. */
export interface ActionOutcome {
  kind: 'success' | 'error';
  text: string;
}

/**
 * Tracks one section's actions: whether one is running and how the last one ended. `run` shows the
 * success text built from the result, or the server's error message, and resolves to the result or
 * undefined after a failure.
 */
export function createActionStatus() {
  const [outcome, setOutcome] = createSignal<ActionOutcome | null>(null);
  const [pending, setPending] = createSignal(false);

  async function run<T>(action: () => Promise<T>, success: (result: T) => string): Promise<T | undefined> {
    setPending(true);
    setOutcome(null);
    try {
      const result = await action();
      setOutcome({ kind: 'success', text: success(result) });
      return result;
    } catch (error) {
      setOutcome({ kind: 'error', text: describeError(error) });
      return undefined;
    } finally {
      setPending(false);
    }
  }

  return {
    outcome,
    pending,
    run,
    /** Shows an error found before any request, such as invalid input. */
    fail: (text: string) => setOutcome({ kind: 'error', text }),
    /** Shows the success of an action that another section ran, such as a deletion that closed it. */
    succeed: (text: string) => setOutcome({ kind: 'success', text }),
    clear: () => setOutcome(null),
  };
}

export type ActionStatus = ReturnType<typeof createActionStatus>;

/** Renders the last outcome of an action status as an alert. Screen readers announce errors at once and successes politely. */
export function StatusMessage(props: { status: ActionStatus; testId?: string }) {
  return (
    <Show when={props.status.outcome()}>
      {(outcome) => (
        <div
          class={outcome().kind === 'success' ? 'alert alert-success' : 'alert alert-error'}
          role={outcome().kind === 'success' ? 'status' : 'alert'}
          data-testid={props.testId ?? 'action-status'}
        >
          {outcome().text}
        </div>
      )}
    </Show>
  );
}
