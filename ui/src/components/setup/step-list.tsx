import { For } from 'solid-js';
import { canOpen, isDone, SETUP_STEPS, STEP_LABELS, type SetupProgress, type SetupStep } from '../../pages/setup/wizard-steps';

/** Shows the wizard's steps with their state. A step that may be opened is a button, so the keyboard reaches it. */
export function StepList(props: { current: SetupStep; progress: SetupProgress; onOpen(step: SetupStep): void }) {
  return (
    <nav aria-label="Setup steps">
      <ol class="setup-steps">
        <For each={SETUP_STEPS}>
          {(step, index) => {
            const state = () => (step === props.current ? 'current' : isDone(step, props.progress) ? 'done' : 'open');
            const label = () => `${index() + 1}. ${STEP_LABELS[step]}`;
            return (
              <li class="setup-step" data-state={state()} data-testid={`setup-step-${step}`}>
                <button
                  type="button"
                  class="btn-link"
                  disabled={step === props.current || !canOpen(step, props.progress)}
                  aria-current={step === props.current ? 'step' : undefined}
                  onClick={() => props.onOpen(step)}
                >
                  {label()}
                  <span class="visually-hidden">{state() === 'done' ? ' (done)' : ''}</span>
                </button>
              </li>
            );
          }}
        </For>
      </ol>
    </nav>
  );
}
