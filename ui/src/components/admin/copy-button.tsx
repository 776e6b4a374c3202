import { createSignal, onCleanup } from 'solid-js';

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * Copies a text to the clipboard and shows whether it worked. The clipboard API exists only in secure
 * contexts (https or localhost), so elsewhere the button tells the user to copy the selected text by hand.
 */
export function CopyButton(props: { text: string; label?: string; testId?: string }) {
  const [state, setState] = createSignal<CopyState>('idle');
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setState('copied');
    } catch {
      setState('failed');
    }
    clearTimeout(timer);
    timer = setTimeout(() => setState('idle'), 4_000);
  };

  return (
    <button type="button" class="btn-small" onClick={() => void copy()} data-testid={props.testId ?? 'copy-button'}>
      <span aria-live="polite">
        {state() === 'copied' ? 'Copied' : state() === 'failed' ? 'Copy failed: select the text and press Ctrl+C' : (props.label ?? 'Copy')}
      </span>
    </button>
  );
}

/** Renders a one-time secret (a link or a code) as selectable text with a label and a copy button. */
export function SecretField(props: { label: string; value: string; testId: string; hint?: string }) {
  return (
    <div class="field">
      <p class="secret-label">{props.label}</p>
      <div class="secret-field">
        <code class="admin-command secret-value" data-testid={props.testId}>
          {props.value}
        </code>
        <CopyButton text={props.value} label={`Copy ${props.label.toLowerCase()}`} testId={`${props.testId}-copy`} />
      </div>
      {props.hint ? <p class="field-hint">{props.hint}</p> : null}
    </div>
  );
}
