// @ts-check
// Rolling a token: the person chooses how long the old secret keeps working, then the new
// secret is shown once in the same display a new token gets.
import { api, asApiError } from './api.js';
import { byId, showMessage } from './dom.js';
import { modalDialog } from './dialog.js';
import { revealSecret } from './generate-dialog.js';

/** @typedef {import('./api.js').Token} Token */

const dialog = byId('roll-dialog', HTMLDialogElement);
const form = byId('roll-form', HTMLFormElement);
const title = byId('roll-title');
const grace = byId('roll-grace', HTMLSelectElement);
const error = byId('roll-error');
const confirm = byId('roll-confirm', HTMLButtonElement);
const cancel = /** @type {HTMLButtonElement} */ (form.querySelector('button[data-dialog-close]'));

let pending = false;
/** @type {{ org: string, token: Token, rolled: (token: Token) => void } | null} */
let request = null;

const modal = modalDialog(dialog, { canClose: () => !pending });

/** @param {NonNullable<typeof request>} request */
async function roll({ org, token, rolled }) {
  pending = true;
  confirm.disabled = true;
  cancel.disabled = true;
  showMessage(error, '');
  try {
    const path = `/api/orgs/${encodeURIComponent(org)}/tokens/${encodeURIComponent(token.id)}/roll`;
    const answer = await api('POST', path, { body: { grace_seconds: Number(grace.value) } });
    pending = false;
    modal.close();
    revealSecret(answer.token, answer.secret, 'Copy the new secret');
    rolled(answer.token);
  } catch (failure) {
    showMessage(error, asApiError(failure).detail);
  } finally {
    pending = false;
    confirm.disabled = false;
    cancel.disabled = false;
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (request && !pending) roll(request);
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
  showMessage(error, '');
  modal.open(grace);
}
