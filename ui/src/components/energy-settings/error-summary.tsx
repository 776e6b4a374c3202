import { For, Show } from 'solid-js';
import { countFieldErrors, fieldElementId, type FieldErrors } from './field-errors';

/** Returns every message with the path it belongs to, in the order the form shows its fields. */
function listErrors(errors: FieldErrors): { path: string; message: string }[] {
  return Object.entries(errors).flatMap(([path, messages]) => messages.map((message) => ({ path, message })));
}

/**
 * Lists the problems that stop a save, above the form. Each one links to its field, and one that
 * belongs to no field (or to a field not on screen) is listed as it is. Screen readers announce the
 * list only with `announce`, after a save, so typing does not set off an announcement per key.
 */
export function ErrorSummary(props: { errors: FieldErrors; heading: string; announce: boolean; ref?: (element: HTMLDivElement) => void }) {
  const focusField = (path: string) => {
    const element = document.getElementById(fieldElementId(path));
    if (!element) return;
    element.focus();
    element.scrollIntoView({ block: 'center' });
  };

  return (
    <Show when={countFieldErrors(props.errors) > 0}>
      <div class="alert alert-error energy-error-summary" role={props.announce ? 'alert' : undefined} tabindex="-1" ref={props.ref} data-testid="energy-settings-errors">
        <p>{props.heading}</p>
        <ul>
          <For each={listErrors(props.errors)}>
            {(error) => (
              <li>
                <Show when={error.path !== '' && document.getElementById(fieldElementId(error.path))} fallback={error.message}>
                  <a
                    href={`#${fieldElementId(error.path)}`}
                    onClick={(event) => {
                      event.preventDefault();
                      focusField(error.path);
                    }}
                  >
                    {error.message}
                  </a>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </div>
    </Show>
  );
}
