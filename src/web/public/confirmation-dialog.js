// @ts-check
// A confirmation dialog's one action (delete, roll): one run at a time, the dialog held open
// (Escape refused) and both of its buttons disabled while it runs; closed when the action
// succeeds, the API's message shown inside the dialog when it fails.
import { asApiError } from './api.js';
import { showMessage } from './dom.js';
import { modalDialog } from './dialog.js';

/**
 * @param {{ dialog: HTMLDialogElement, confirm: HTMLButtonElement, cancel: HTMLButtonElement, error: HTMLElement }} parts
 */
export function confirmationDialog({ dialog, confirm, cancel, error }) {
  let pending = false;
  const modal = modalDialog(dialog, { canClose: () => !pending });
  return {
    /**
     * Opens the dialog with no message left from before, focusing `initialFocus`.
     * @param {HTMLElement} initialFocus
     */
    open(initialFocus) {
      showMessage(error, '');
      modal.open(initialFocus);
    },
    /**
     * Runs `action` unless a run is already in flight; what it resolves to runs once the
     * dialog has closed.
     * @param {() => Promise<() => void>} action
     */
    async run(action) {
      if (pending) return;
      pending = true;
      confirm.disabled = true;
      cancel.disabled = true;
      showMessage(error, '');
      try {
        const afterClosing = await action();
        pending = false;
        modal.close();
        afterClosing();
      } catch (failure) {
        showMessage(error, asApiError(failure).detail);
      } finally {
        pending = false;
        confirm.disabled = false;
        cancel.disabled = false;
      }
    },
  };
}
