// @ts-check
// The Notifications tab: one switch per kind of mail, read from and saved to
// /api/me/notifications as soon as it is flipped.
import { api, ApiError, goToLogin, setCsrfToken } from './api.js';
import { byId, showMessage } from './dom.js';
import { renderHeader } from './session-header.js';
import { settings } from './settings.js';
import { refreshExpiryMark } from './tab-warning.js';

/** @typedef {{ expiry_notices: boolean, new_network_alerts: boolean }} Preferences */

const ACCESS_TOKENS_PATH = '/settings/profile/access-tokens';
const PATH = '/api/me/notifications';

const announcer = byId('announcer');
const pageError = byId('page-error');
/** @type {HTMLInputElement[]} */
const switches = [...byId('notification-form').querySelectorAll('input[data-preference]')].filter(
  (input) => input instanceof HTMLInputElement,
);

/** @param {string} message */
function announce(message) {
  announcer.textContent = '';
  requestAnimationFrame(() => {
    announcer.textContent = message;
  });
}

/** @param {unknown} error */
function fail(error) {
  if (error instanceof ApiError && error.status === 401) return goToLogin();
  showMessage(pageError, error instanceof ApiError ? error.detail : String(error));
}

/** @param {Preferences} preferences */
function show(preferences) {
  for (const input of switches) {
    input.checked = Boolean(preferences[/** @type {keyof Preferences} */ (input.dataset.preference)]);
    input.disabled = false;
  }
}

/** @returns {Preferences} */
function chosen() {
  /** @type {Record<string, boolean>} */
  const values = {};
  for (const input of switches) values[input.dataset.preference ?? ''] = input.checked;
  return { expiry_notices: Boolean(values.expiry_notices), new_network_alerts: Boolean(values.new_network_alerts) };
}

/** @param {HTMLInputElement} input */
async function save(input) {
  const label = input.labels?.[0]?.textContent ?? 'Notifications';
  for (const other of switches) other.disabled = true;
  try {
    const saved = await api('PUT', PATH, { body: chosen() });
    show(saved);
    showMessage(pageError, '');
    announce(`${label} turned ${input.checked ? 'on' : 'off'}.`);
  } catch (error) {
    input.checked = !input.checked;
    for (const other of switches) other.disabled = false;
    fail(error);
  }
  input.focus();
}

/**
 * Expiry notices about other people's tokens reach only admins and owners; someone who is
 * neither anywhere is told the switch changes nothing for them today.
 * @param {import('./api.js').Session} session
 */
function showIdleNotes(session) {
  const manages = session.organizations.some((organization) => settings.organizationManagerRoles.includes(organization.role));
  for (const note of document.querySelectorAll('[data-idle-note]')) if (note instanceof HTMLElement) note.hidden = manages;
}

async function start() {
  let session;
  try {
    session = await api('GET', '/api/session');
    setCsrfToken(session.csrf_token);
    show(await api('GET', PATH));
  } catch (error) {
    return fail(error);
  }
  showIdleNotes(session);
  renderHeader(session, session.organizations[0]?.slug, (slug) => location.assign(`${ACCESS_TOKENS_PATH}?org=${encodeURIComponent(slug)}`));
  for (const input of switches) input.addEventListener('change', () => save(input));
  refreshExpiryMark(session);
}

start();
