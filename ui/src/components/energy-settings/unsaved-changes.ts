import { useBeforeLeave } from '@solidjs/router';
import { onCleanup, onMount, type Accessor } from 'solid-js';

/** Question of the confirmation before a navigation would drop unsaved settings. */
export const LEAVE_QUESTION = 'The energy settings have unsaved changes. Leave the page and lose them?';

/**
 * Requests confirmation before unsaved changes are lost, asking `question`. A link, the navigation or the Back button goes
 * through the router, which shows a confirmation dialog. Closing or reloading the tab goes through
 * `beforeunload`, where the browser shows its own question, because pages cannot set its text.
 */
export function guardUnsavedChanges(unsaved: Accessor<boolean>, question: string = LEAVE_QUESTION): void {
  useBeforeLeave((event) => {
    if (event.defaultPrevented || !unsaved()) return;
    event.preventDefault();
    if (window.confirm(question)) event.retry(true);
  });

  const warnOnUnload = (event: BeforeUnloadEvent) => {
    if (!unsaved()) return;
    event.preventDefault();
    // Older browsers, Chromium before version 119 among them, show the question only when returnValue is set.
    event.returnValue = '';
  };
  onMount(() => window.addEventListener('beforeunload', warnOnUnload));
  onCleanup(() => window.removeEventListener('beforeunload', warnOnUnload));
}
