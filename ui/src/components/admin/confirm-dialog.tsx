import { createEffect, createSignal, createUniqueId, Show, type JSX } from 'solid-js';

/** The content of a confirmation: a title, what will happen, and the label of the button that does it. */
export interface ConfirmRequest {
  title: string;
  message: JSX.Element;
  confirmLabel: string;
  /** Marks an action that deletes or cuts off something, with a red button. */
  danger?: boolean;
}

interface PendingConfirm extends ConfirmRequest {
  resolve(confirmed: boolean): void;
}

/** Creates the confirmation one page shares: `ask` opens the dialog and resolves true when the user confirms. */
export function createConfirm() {
  const [pending, setPending] = createSignal<PendingConfirm | null>(null);

  const ask = (request: ConfirmRequest): Promise<boolean> => {
    pending()?.resolve(false);
    return new Promise<boolean>((resolve) => setPending({ ...request, resolve }));
  };

  const answer = (confirmed: boolean): void => {
    const current = pending();
    setPending(null);
    current?.resolve(confirmed);
  };

  return { ask, pending, answer };
}

export type Confirm = ReturnType<typeof createConfirm>;

/**
 * Renders the modal dialog of a `createConfirm`. The native dialog keeps the focus inside and closes on Escape;
 * Cancel has the focus first, so pressing Enter by habit does not run a destructive action.
 */
export function ConfirmDialog(props: { confirm: Confirm }) {
  let dialog: HTMLDialogElement | undefined;
  let cancel: HTMLButtonElement | undefined;
  const titleId = createUniqueId();

  createEffect(() => {
    const open = props.confirm.pending() !== null;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      cancel?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  });

  return (
    <dialog
      ref={dialog}
      class="admin-dialog"
      aria-labelledby={titleId}
      data-testid="confirm-dialog"
      onCancel={(event) => {
        event.preventDefault();
        props.confirm.answer(false);
      }}
    >
      <Show when={props.confirm.pending()}>
        {(request) => (
          <form
            method="dialog"
            onSubmit={(event) => {
              event.preventDefault();
              props.confirm.answer(true);
            }}
          >
            <h2 id={titleId}>{request().title}</h2>
            <div class="admin-dialog-body">{request().message}</div>
            <div class="button-row admin-dialog-buttons">
              <button type="button" ref={cancel} onClick={() => props.confirm.answer(false)}>
                Cancel
              </button>
              <button type="submit" class={request().danger ? 'btn-danger' : 'btn-primary'} data-testid="confirm-button">
                {request().confirmLabel}
              </button>
            </div>
          </form>
        )}
      </Show>
    </dialog>
  );
}
