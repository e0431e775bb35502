// @ts-check
// The confirmation before a bulk delete: it says how many tokens will be revoked and names
// them, and focuses Cancel first so Enter alone never deletes anything.
import { api, asApiError } from './api.js';
import { byId, h, showMessage } from './dom.js';
import { modalDialog } from './dialog.js';
import { plural } from './format.js';

const NAMES_SHOWN = 5;

/** @typedef {import('./api.js').Token} Token */

const dialog = byId('delete-dialog', HTMLDialogElement);
const title = byId('delete-title');
const names = byId('delete-names');
const error = byId('delete-error');
const confirm = byId('delete-confirm', HTMLButtonElement);
const cancel = /** @type {HTMLButtonElement} */ (dialog.querySelector('button[data-dialog-close]'));

let pending = false;
/** @type {{ org: string, tokens: Token[], deleted: (tokens: Token[]) => void } | null} */
let request = null;

const modal = modalDialog(dialog, { canClose: () => !pending });

/** @param {NonNullable<typeof request>} request */
async function deleteTokens({ org, tokens, deleted }) {
  pending = true;
  confirm.disabled = true;
  cancel.disabled = true;
  showMessage(error, '');
  try {
    await api('POST', `/api/orgs/${encodeURIComponent(org)}/tokens/delete`, { body: { ids: tokens.map((token) => token.id) } });
    pending = false;
    modal.close();
    deleted(tokens);
  } catch (failure) {
    showMessage(error, asApiError(failure).detail);
  } finally {
    pending = false;
    confirm.disabled = false;
    cancel.disabled = false;
  }
}

confirm.addEventListener('click', () => {
  if (request && !pending) deleteTokens(request);
});

/**
 * Asks to confirm deleting `tokens` of organization `org`; `deleted(tokens)` runs after.
 * @param {{ org: string, tokens: Token[] }} what
 * @param {(tokens: Token[]) => void} deleted
 */
export function confirmDelete({ org, tokens }, deleted) {
  request = { org, tokens, deleted };
  const count = plural(tokens.length, 'token', 'tokens');
  title.textContent = `Delete ${count}?`;
  confirm.textContent = `Delete ${count}`;
  const shown = tokens.slice(0, NAMES_SHOWN).map((token) => h('li', {}, token.name));
  if (tokens.length > NAMES_SHOWN) shown.push(h('li', { class: 'muted' }, `and ${tokens.length - NAMES_SHOWN} more`));
  names.replaceChildren(...shown);
  showMessage(error, '');
  modal.open(cancel);
}
