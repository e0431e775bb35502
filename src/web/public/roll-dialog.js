// @ts-check
// Rolling a token: the person chooses how long the old secret keeps working, then the new
// secret is shown once in the same display a new token gets.
import { api } from './api.js';
import { confirmationDialog } from './confirmation-dialog.js';
import { byId } from './dom.js';
import { revealSecret } from './generate-dialog.js';

/** @typedef {import('./api.js').Token} Token */

const dialog = byId('roll-dialog', HTMLDialogElement);
const form = byId('roll-form', HTMLFormElement);
const title = byId('roll-title');
const grace = byId('roll-grace', HTMLSelectElement);
const error = byId('roll-error');
const confirm = byId('roll-confirm', HTMLButtonElement);
const cancel = /** @type {HTMLButtonElement} */ (form.querySelector('button[data-dialog-close]'));

/** @type {{ org: string, token: Token, rolled: (token: Token) => void } | null} */
let request = null;

const confirmation = confirmationDialog({ dialog, confirm, cancel, error });

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const current = request;
  if (!current) return;
  confirmation.run(async () => {
    const path = `/api/orgs/${encodeURIComponent(current.org)}/tokens/${encodeURIComponent(current.token.id)}/roll`;
    const answer = await api('POST', path, { body: { grace_seconds: Number(grace.value) } });
    return () => {
      revealSecret(answer.token, answer.secret, 'Copy the new secret');
      current.rolled(answer.token);
    };
  });
});

/**
 * Asks how long the old secret of `token` (in organization `org`) may keep working, rolls it,
 * and shows the new secret once; `rolled(token)` runs after.
 * @param {{ org: string, token: Token }} what
 * @param {(token: Token) => void} rolled
 */
export function openRollDialog({ org, token }, rolled) {
  request = { org, token, rolled };
  title.textContent = `Roll “${token.name}”?`;
  grace.value = '3600';
  confirmation.open(grace);
}
