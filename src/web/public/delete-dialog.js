// @ts-check
// The confirmation before a bulk delete: it says how many tokens will be revoked and names
// them, and focuses Cancel first so Enter alone never deletes anything.
import { api } from './api.js';
import { confirmationDialog } from './confirmation-dialog.js';
import { byId, h } from './dom.js';
import { plural } from './format.js';

const NAMES_SHOWN = 5;

/** @typedef {import('./api.js').Token} Token */

const dialog = byId('delete-dialog', HTMLDialogElement);
const title = byId('delete-title');
const names = byId('delete-names');
const error = byId('delete-error');
const confirm = byId('delete-confirm', HTMLButtonElement);
const cancel = /** @type {HTMLButtonElement} */ (dialog.querySelector('button[data-dialog-close]'));

/** @type {{ org: string, tokens: Token[], deleted: (tokens: Token[]) => void } | null} */
let request = null;

const confirmation = confirmationDialog({ dialog, confirm, cancel, error });

confirm.addEventListener('click', () => {
  const current = request;
  if (!current) return;
  confirmation.run(async () => {
    const path = `/api/orgs/${encodeURIComponent(current.org)}/tokens/delete`;
    await api('POST', path, { body: { ids: current.tokens.map((token) => token.id) } });
    return () => current.deleted(current.tokens);
  });
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
  confirmation.open(cancel);
}
