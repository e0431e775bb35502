// @ts-check
// /login: posts the credentials to POST /api/session and goes to `next` (already checked
// by the server to be a local path; checked again here because it is cheap).
import { api, asApiError } from './api.js';
import { byId, showMessage } from './dom.js';

const form = byId('login-form', HTMLFormElement);
const email = byId('login-email', HTMLInputElement);
const password = byId('login-password', HTMLInputElement);
const submit = byId('login-submit', HTMLButtonElement);
const error = byId('login-error');

/**
 * Where to go after logging in: `candidate` resolved the way the browser will resolve it (dot
 * segments, dropped tabs and newlines, backslashes), kept only when that lands on this origin.
 * @param {string | undefined} candidate
 */
function localDestination(candidate) {
  const fallback = new URL('/settings/profile/access-tokens', location.origin).href;
  if (typeof candidate !== 'string' || !candidate.startsWith('/')) return fallback;
  try {
    const url = new URL(candidate, location.origin);
    return url.origin === location.origin ? url.href : fallback;
  } catch {
    return fallback;
  }
}

/** @param {import('./api.js').ApiError} failure */
function messageFor(failure) {
  if (failure.status === 401) return 'Incorrect email or password.';
  if (failure.status === 429) {
    const seconds = Number(failure.problem.retry_after);
    return Number.isFinite(seconds) && seconds > 0
      ? `Too many attempts. Try again in ${Math.ceil(seconds)} seconds.`
      : 'Too many attempts. Try again in a little while.';
  }
  return failure.detail;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  showMessage(error, '');
  if (!email.value.trim() || !password.value) {
    showMessage(error, 'Enter your email and password.');
    (email.value.trim() ? password : email).focus();
    return;
  }
  submit.disabled = true;
  submit.textContent = 'Logging in…';
  try {
    await api('POST', '/api/session', { body: { email: email.value.trim(), password: password.value } });
    location.assign(localDestination(form.dataset.next));
  } catch (failure) {
    showMessage(error, messageFor(asApiError(failure)));
    password.value = '';
    password.focus();
    submit.disabled = false;
    submit.textContent = 'Log in';
  }
});
