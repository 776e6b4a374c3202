import { For, Show, splitProps, type JSX } from 'solid-js';
import { useEditor } from './editor-context';
import { fieldElementId } from './field-errors';

/** Renders the messages of one field path, with the id its input names in `aria-describedby`. */
export function FieldMessages(props: { path: string }) {
  const editor = useEditor();
  const messages = () => editor.errors()[props.path] ?? [];
  return (
    <Show when={messages().length > 0}>
      <ul class="energy-field-error" id={`${fieldElementId(props.path)}-error`} data-testid={`error-${props.path}`}>
        <For each={messages()}>{(message) => <li>{message}</li>}</For>
      </ul>
    </Show>
  );
}

/** Returns the `aria-describedby` of a control: its error list while it has errors, and its hint. */
export function describedBy(path: string, hasError: boolean, hintId?: string): string | undefined {
  const ids = [hasError ? `${fieldElementId(path)}-error` : undefined, hintId].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** Returns whether a field path has errors. */
export function useHasError(path: () => string): () => boolean {
  const editor = useEditor();
  return () => (editor.errors()[path()]?.length ?? 0) > 0;
}

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onInput'>;

/** Renders a labelled text input bound to one field path, with the path's errors. It is disabled while the editor is read-only. */
export function TextField(
  props: InputProps & {
    path: string;
    label: string;
    value: string;
    onValue: (value: string) => void;
    hint?: string;
    ref?: (element: HTMLInputElement) => void;
  },
) {
  const editor = useEditor();
  const [own, input] = splitProps(props, ['path', 'label', 'value', 'onValue', 'hint', 'ref']);
  const hasError = useHasError(() => own.path);
  const hintId = () => (own.hint ? `${fieldElementId(own.path)}-hint` : undefined);
  return (
    <div class="field">
      <label for={fieldElementId(own.path)}>{own.label}</label>
      <input
        {...input}
        id={fieldElementId(own.path)}
        aria-invalid={hasError()}
        aria-describedby={describedBy(own.path, hasError(), hintId())}
        ref={own.ref}
        value={own.value}
        disabled={editor.readOnly()}
        onInput={(event) => own.onValue(event.currentTarget.value)}
        onBlur={() => editor.touch(own.path)}
      />
      <Show when={own.hint}>
        <p class="field-hint" id={hintId()}>
          {own.hint}
        </p>
      </Show>
      <FieldMessages path={own.path} />
    </div>
  );
}
