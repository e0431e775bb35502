// @ts-check
// Modal dialogs after the WAI-ARIA APG "Dialog (Modal)" pattern, on native <dialog>:
// showModal() makes the page behind inert; this adds a Tab/Shift+Tab focus trap, Escape
// that a dialog may refuse while busy, focus placed on open and returned to the opener on
// close.

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

/** @param {HTMLDialogElement} dialog */
function focusableIn(dialog) {
  return [...dialog.querySelectorAll(FOCUSABLE)].filter((element) => element instanceof HTMLElement && element.checkVisibility());
}

/**
 * @param {HTMLDialogElement} dialog
 * @param {KeyboardEvent} event
 */
function trapTab(dialog, event) {
  const items = focusableIn(dialog);
  if (items.length === 0) {
    event.preventDefault();
    return;
  }
  const first = /** @type {HTMLElement} */ (items[0]);
  const last = /** @type {HTMLElement} */ (items[items.length - 1]);
  const active = document.activeElement;
  if (event.shiftKey && (active === first || !dialog.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}

/**
 * Wires a <dialog>. `canClose()` may return false to refuse Escape (e.g. while a request
 * that must finish is in flight); `onClose()` runs however the dialog closed, possibly more
 * than once, so it must be idempotent.
 * @param {HTMLDialogElement} dialog
 * @param {{ canClose?: () => boolean, onClose?: () => void }} [behaviour]
 */
export function modalDialog(dialog, { canClose = () => true, onClose = () => {} } = {}) {
  /** @type {HTMLElement | null} */
  let opener = null;
  let focusToReturn = false;

  function returnFocus() {
    if (!focusToReturn) return;
    focusToReturn = false;
    const usable = opener?.isConnected && !(opener instanceof HTMLButtonElement && opener.disabled);
    const target = usable ? opener : document.getElementById('main');
    opener = null;
    target?.focus();
  }

  // `close` is dispatched from a queued task: the dialog is already hidden before its
  // listeners run, and may even have been opened again. So whatever onClose() removes (a
  // secret on the page) goes at the moment of closing: before dialog.close() for Escape and
  // the buttons, in `cancel` for the browser's other close requests; the `close` listener
  // covers any remaining way, unless the dialog is open again by then.
  function closeNow() {
    onClose();
    if (dialog.open) dialog.close();
    returnFocus();
  }

  dialog.addEventListener('keydown', (event) => {
    if (event.key === 'Tab') trapTab(dialog, event);
    // Escape is handled here rather than left to the browser's close request, which
    // Chromium may carry out without a `cancel` event (no fresh user activation).
    if (event.key === 'Escape') {
      event.preventDefault();
      if (canClose()) closeNow();
    }
  });
  dialog.addEventListener('cancel', (event) => {
    if (canClose()) onClose();
    else event.preventDefault();
  });
  dialog.addEventListener('close', () => {
    if (dialog.open) return;
    onClose();
    returnFocus();
  });
  for (const button of dialog.querySelectorAll('[data-dialog-close]')) {
    button.addEventListener('click', closeNow);
  }

  return {
    /**
     * Opens the dialog and focuses `initialFocus` (or its first focusable element).
     * @param {HTMLElement} [initialFocus]
     */
    open(initialFocus) {
      opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      focusToReturn = true;
      dialog.showModal();
      const focusTarget = initialFocus ?? focusableIn(dialog)[0];
      if (focusTarget instanceof HTMLElement) focusTarget.focus();
    },
    close: closeNow,
  };
}
