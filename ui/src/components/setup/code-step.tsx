import { createSignal } from 'solid-js';
import type { SetupFailure } from '../../pages/setup/setup-errors';
import { StepFailure } from './step-failure';
import { createStepAction, type SetupSession } from './step-action';

/**
 * Shows step 1: the setup code. The edge node prints it on its console in setup mode, so only someone with
 * access to the machine or its journal can set the node up. `relockReason` is why an earlier token
 * stopped working, shown until the installer types or sends a code.
 */
export function CodeStep(props: { unlock(code: string): Promise<unknown>; relockReason: SetupFailure | null; session: SetupSession; onUnlocked(): void }) {
  const [code, setCode] = createSignal('');
  const [showReason, setShowReason] = createSignal(true);
  const action = createStepAction('unlock', props.session);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setShowReason(false);
    const result = await action.run(() => props.unlock(code().trim()));
    if (result === undefined) {
      setCode('');
      return;
    }
    props.onUnlocked();
  };

  return (
    <form onSubmit={(event) => void submit(event)} data-testid="setup-code-step" novalidate>
      <h2>Enter the setup code</h2>
      <p>
        The edge node prints an 8-digit setup code, such as <span class="mono">1234-5678</span>, when it starts without a site file. Find it on a screen attached
        to the machine, or over SSH with <span class="mono">journalctl -u simtestlab-edge</span>. The code stays the same after a restart until setup is finished.
      </p>
      <StepFailure failure={action.failure() ?? (showReason() ? props.relockReason : null)} />
      <div class="field setup-narrow">
        <label for="setup-code">Setup code</label>
        <input
          id="setup-code"
          inputmode="numeric"
          autocomplete="one-time-code"
          required
          autofocus
          maxLength={12}
          value={code()}
          aria-describedby="setup-code-hint"
          onInput={(event) => {
            setCode(event.currentTarget.value);
            setShowReason(false);
            action.clear();
          }}
        />
        <div class="field-hint" id="setup-code-hint">
          Dashes and spaces do not matter. Five wrong codes within 15 minutes block the form for a while.
        </div>
      </div>
      <div class="button-row">
        <button type="submit" class="btn-primary" disabled={action.busy() || code().trim() === ''}>
          {action.busy() ? 'Checking…' : 'Unlock setup'}
        </button>
      </div>
    </form>
  );
}
