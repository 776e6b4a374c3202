import { createEffect, type ParentProps } from 'solid-js';
import './confirm-dialog.css';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  confirmLabel: string;
  /** Styles the confirm button as dangerous. */
  danger?: boolean;
  testId?: string;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * Asks for confirmation in a modal native `<dialog>`, which keeps focus inside and closes on Escape. The
 * cancel button gets the focus first, so pressing Enter by habit sends nothing.
 */
export function ConfirmDialog(props: ParentProps<ConfirmDialogProps>) {
  let dialog!: HTMLDialogElement;
  let cancel!: HTMLButtonElement;

  createEffect(() => {
    if (props.open && !dialog.open) {
      dialog.showModal();
      cancel.focus();
    } else if (!props.open && dialog.open) {
      dialog.close();
    }
  });

  return (
    <dialog
      ref={dialog}
      class="confirm-dialog"
      aria-labelledby={`${props.testId ?? 'confirm'}-title`}
      data-testid={props.testId}
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id={`${props.testId ?? 'confirm'}-title`}>{props.title}</h2>
      <div class="confirm-dialog-body">{props.children}</div>
      <div class="button-row confirm-dialog-buttons">
        <button type="button" ref={cancel} onClick={() => props.onCancel()} data-testid="confirm-cancel">
          Cancel
        </button>
        <button type="button" class={props.danger ? 'btn-danger' : 'btn-primary'} onClick={() => props.onConfirm()} data-testid="confirm-send">
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
