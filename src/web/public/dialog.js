// Modal dialogs after the WAI-ARIA APG "Dialog (Modal)" pattern, on native <dialog>:
// showModal() makes the page behind inert; this adds a Tab/Shift+Tab focus trap, Escape
// (the dialog's `cancel` event) that a dialog may refuse while busy, focus placed on open
// and returned to the opener on close.

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

function focusableIn(dialog) {
  return [...dialog.querySelectorAll(FOCUSABLE)].filter((element) => element.checkVisibility());
}

function trapTab(dialog, event) {
  const items = focusableIn(dialog);
  if (items.length === 0) {
    event.preventDefault();
    return;
  }
  const first = items[0];
  const last = items[items.length - 1];
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
 * that must finish is in flight); `onClose()` runs however the dialog closed.
 */
export function modalDialog(dialog, { canClose = () => true, onClose = () => {} } = {}) {
  let opener = null;
  let cleared = true;

  // `close` is dispatched from a queued task, so a dialog is already hidden before its
  // listeners run. Whatever onClose() removes (a secret on the page) goes at the moment of
  // closing instead: in `cancel` for Escape, before dialog.close() for buttons. The `close`
  // listener still runs it for any other way of closing (form method="dialog").
  function clear() {
    if (cleared) return;
    cleared = true;
    onClose();
  }
  function closeNow() {
    clear();
    if (dialog.open) dialog.close();
  }

  dialog.addEventListener('keydown', (event) => {
    if (event.key === 'Tab') trapTab(dialog, event);
  });
  dialog.addEventListener('cancel', (event) => {
    if (canClose()) clear();
    else event.preventDefault();
  });
  dialog.addEventListener('close', () => {
    clear();
    const target = opener?.isConnected && !opener.disabled ? opener : document.getElementById('main');
    opener = null;
    target?.focus();
  });
  for (const button of dialog.querySelectorAll('[data-dialog-close]')) {
    button.addEventListener('click', closeNow);
  }

  return {
    /** Opens the dialog and focuses `initialFocus` (or its first focusable element). */
    open(initialFocus) {
      opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      cleared = false;
      dialog.showModal();
      (initialFocus ?? focusableIn(dialog)[0])?.focus();
    },
    close: closeNow,
  };
}
