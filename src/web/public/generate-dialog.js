// @ts-check
// The "Generate token" dialog: name, service, its scopes (all ticked at first), role (when the
// person may choose one), an optional description and allowed networks; then the one and only
// display of the new token with Copy token (also used for the new secret of a roll).
// Closing the dialog, by Done or Escape, drops the token from the page for good.
import { api, asApiError } from './api.js';
import { byId, h, showMessage } from './dom.js';
import { modalDialog } from './dialog.js';
import { asSentence, characters } from './format.js';
import { settings } from './settings.js';

/** @typedef {'name' | 'service' | 'role' | 'description' | 'networks'} Field */

/** @type {Field[]} */
const FIELDS = ['name', 'service', 'role', 'description', 'networks'];

const dialog = byId('generate-dialog', HTMLDialogElement);
const form = byId('generate-form', HTMLFormElement);
const formError = byId('generate-error');
const nameInput = byId('token-name', HTMLInputElement);
const serviceSelect = byId('token-service', HTMLSelectElement);
const scopesField = byId('token-scopes-field', HTMLFieldSetElement);
const scopesOptions = byId('token-scopes');
const scopesError = byId('token-scopes-error');
const roleField = byId('token-role-field');
const roleSelect = byId('token-role', HTMLSelectElement);
const descriptionInput = byId('token-description', HTMLTextAreaElement);
const networksInput = byId('token-networks', HTMLTextAreaElement);
const submit = byId('generate-submit', HTMLButtonElement);
const cancel = /** @type {HTMLButtonElement} */ (form.querySelector('button[data-dialog-close]'));
const reveal = byId('reveal');
const revealName = byId('reveal-name');
const revealToken = byId('reveal-token');
const copyButton = byId('copy-token', HTMLButtonElement);
const copyStatus = byId('copy-status');
/** @type {Record<Field, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>} */
const controls = { name: nameInput, service: serviceSelect, role: roleSelect, description: descriptionInput, networks: networksInput };

let pending = false;
/** @type {{ org: string, services: import('./api.js').Service[] }} */
let context = { org: '', services: [] };
/** @type {(token: import('./api.js').Token) => void} */
let onCreated = () => {};

/**
 * @param {Field} field
 * @param {string} message
 */
function setFieldError(field, message) {
  const control = controls[field];
  showMessage(byId(`token-${field}-error`), message);
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}

/** @param {string} message */
function setScopesError(message) {
  showMessage(scopesError, message);
  if (message) scopesField.setAttribute('aria-invalid', 'true');
  else scopesField.removeAttribute('aria-invalid');
}

function clearErrors() {
  for (const field of FIELDS) setFieldError(field, '');
  setScopesError('');
  showMessage(formError, '');
}

/** @returns {HTMLInputElement[]} */
const scopeBoxes = () => [...scopesOptions.querySelectorAll('input[type="checkbox"]')].filter((box) => box instanceof HTMLInputElement);

/** One checkbox per scope of the chosen service, all ticked: a token gets every scope unless some are left out. */
function fillScopes() {
  const service = context.services.find((candidate) => candidate.id === serviceSelect.value);
  const scopes = service?.scopes ?? [];
  scopesOptions.replaceChildren(
    ...scopes.map((scope, index) =>
      h(
        'label',
        { class: 'scope-option' },
        h('input', { type: 'checkbox', name: 'scopes', value: scope, checked: true, id: `token-scope-${index}` }),
        h('code', {}, scope),
      ),
    ),
  );
  scopesField.hidden = scopes.length === 0;
  setScopesError('');
}

function forgetSecret() {
  revealToken.textContent = '';
  revealName.textContent = '';
  showMessage(copyStatus, '');
  reveal.hidden = true;
  form.hidden = false;
  dialog.setAttribute('aria-labelledby', 'generate-title');
}

const modal = modalDialog(dialog, {
  canClose: () => !pending,
  onClose: forgetSecret,
});

/** @param {import('./api.js').Service[]} services */
function fillServices(services) {
  serviceSelect.replaceChildren(
    h('option', { value: '' }, 'Choose a service…'),
    ...services.map((service) => h('option', { value: service.id }, service.name)),
  );
  if (services.length === 1) serviceSelect.value = services[0].id;
  fillScopes();
}

/**
 * Roles up to the person's own: a token never does more than its creator can.
 * @param {string} ownRole
 */
function fillRoles(ownRole) {
  const allowed = settings.roles.slice(0, settings.roles.indexOf(ownRole) + 1);
  roleSelect.replaceChildren(...allowed.map((role) => h('option', { value: role }, role === ownRole ? `${role} (your role)` : role)));
  roleSelect.value = ownRole;
  roleField.hidden = allowed.length < 2;
}

/** @returns {Partial<Record<Field | 'scopes', string>>} */
function validate() {
  /** @type {Partial<Record<Field | 'scopes', string>>} */
  const problems = {};
  const name = nameInput.value.trim();
  if (!name) problems.name = 'Enter a name for the token.';
  else if (characters(name) > settings.tokenNameMaxLength) problems.name = `Use at most ${settings.tokenNameMaxLength} characters.`;
  if (!serviceSelect.value) problems.service = 'Choose the service this token is for.';
  else if (!scopeBoxes().some((box) => box.checked)) problems.scopes = 'Choose at least one scope.';
  if (characters(descriptionInput.value.trim()) > settings.tokenDescriptionMaxLength) {
    problems.description = `Use at most ${settings.tokenDescriptionMaxLength} characters.`;
  }
  return problems;
}

/**
 * Codes that concern one field, besides the validation errors' own `errors[].field`.
 * @type {Record<string, Field>}
 */
const FIELD_OF_CODE = { role_exceeds_membership: 'role', unknown_service: 'service' };
/** Codes that concern the scope checkboxes. */
const SCOPE_CODES = new Set(['invalid_scope']);

/**
 * The dialog's field an API error's `field` concerns: `allowed_ips.2` is the networks box.
 * @param {string} field
 * @returns {Field | undefined}
 */
function fieldOf(field) {
  if (field === 'allowed_ips' || field.startsWith('allowed_ips.')) return 'networks';
  return /** @type {string[]} */ (FIELDS).includes(field) ? /** @type {Field} */ (field) : undefined;
}

/** The networks typed, one a line (commas and spaces separate them too). */
const typedNetworks = () => networksInput.value.split(/[\s,]+/).filter(Boolean);

/**
 * Puts an API error next to the field it concerns, or at the top of the form.
 * @param {import('./api.js').ApiError} failure
 */
function showServerError(failure) {
  const fieldErrors = (failure.problem.errors ?? []).filter((error) => fieldOf(error.field));
  for (const error of fieldErrors) setFieldError(/** @type {Field} */ (fieldOf(error.field)), asSentence(error.message));
  const fieldOfCode = FIELD_OF_CODE[failure.code];
  const aboutScopes = SCOPE_CODES.has(failure.code) || (failure.problem.errors ?? []).some((error) => error.field.startsWith('scopes'));
  if (fieldOfCode) setFieldError(fieldOfCode, failure.detail);
  else if (aboutScopes) setScopesError(asSentence(failure.detail));
  else if (fieldErrors.length === 0) showMessage(formError, failure.detail);
  const invalid = FIELDS.map((name) => controls[name]).find((control) => control.getAttribute('aria-invalid') === 'true');
  (invalid ?? (aboutScopes ? scopeBoxes()[0] : undefined) ?? nameInput).focus();
}

/**
 * @param {import('./api.js').Token} token
 * @param {string} secret
 * @param {string} [title] What the display says above the secret.
 */
function showSecret(token, secret, title = 'Copy your new token') {
  byId('reveal-title').textContent = title;
  revealName.textContent = `“${token.name}”`;
  revealToken.textContent = secret;
  form.hidden = true;
  reveal.hidden = false;
  dialog.setAttribute('aria-labelledby', 'reveal-title');
  form.reset();
  copyButton.focus();
}

async function create() {
  clearErrors();
  const problems = validate();
  for (const field of FIELDS) if (problems[field]) setFieldError(field, problems[field]);
  if (problems.scopes) setScopesError(problems.scopes);
  const first = FIELDS.find((field) => problems[field]);
  if (first || problems.scopes) {
    (first ? controls[first] : scopeBoxes()[0])?.focus();
    return;
  }
  /** @type {{ name: string, service: string, role?: string, description?: string, scopes?: string[], allowed_ips?: string[] }} */
  const body = { name: nameInput.value.trim(), service: serviceSelect.value };
  const boxes = scopeBoxes();
  // Left out when all are ticked: the API's default is every scope of the service.
  if (boxes.some((box) => !box.checked)) body.scopes = boxes.filter((box) => box.checked).map((box) => box.value);
  if (!roleField.hidden) body.role = roleSelect.value;
  if (descriptionInput.value.trim()) body.description = descriptionInput.value.trim();
  if (typedNetworks().length > 0) body.allowed_ips = typedNetworks();
  // Until the answer arrives the dialog can't close: a token created but never shown
  // would be a secret nobody can copy.
  pending = true;
  submit.disabled = true;
  cancel.disabled = true;
  submit.textContent = 'Generating…';
  try {
    const created = await api('POST', `/api/orgs/${encodeURIComponent(context.org)}/tokens`, { body });
    showSecret(created.token, created.secret);
    onCreated(created.token);
  } catch (failure) {
    showServerError(asApiError(failure));
  } finally {
    pending = false;
    submit.disabled = false;
    cancel.disabled = false;
    submit.textContent = 'Generate token';
  }
}

async function copySecret() {
  try {
    await navigator.clipboard.writeText(revealToken.textContent ?? '');
    showMessage(copyStatus, 'Copied to your clipboard.');
  } catch {
    // No clipboard permission: select the text so Ctrl+C / ⌘C copies it.
    getSelection()?.selectAllChildren(revealToken);
    revealToken.focus();
    showMessage(copyStatus, 'Your browser blocked copying. The token is selected: press Ctrl+C (⌘C on a Mac).');
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (!pending) create();
});
for (const field of FIELDS) controls[field].addEventListener('input', () => setFieldError(field, ''));
serviceSelect.addEventListener('change', fillScopes);
scopesOptions.addEventListener('change', () => setScopesError(''));
copyButton.addEventListener('click', copySecret);
byId('reveal-done').addEventListener('click', () => modal.close());

/**
 * The one-time display on its own, for a secret made elsewhere (a roll): the same warning,
 * Copy token and Done, and the secret gone from the page once closed.
 * @param {import('./api.js').Token} token
 * @param {string} secret
 * @param {string} title
 */
export function revealSecret(token, secret, title) {
  forgetSecret();
  showSecret(token, secret, title);
  modal.open(copyButton);
}

/**
 * Opens the dialog for organization `org` where the person holds `role`;
 * `created(token)` runs once a token exists (the secret stays in the dialog).
 * @param {{ org: string, role: string, services: import('./api.js').Service[] }} where
 * @param {(token: import('./api.js').Token) => void} created
 */
export function openGenerateDialog({ org, role, services }, created) {
  context = { org, services };
  onCreated = created;
  form.reset();
  clearErrors();
  forgetSecret();
  fillServices(services);
  fillRoles(role);
  modal.open(nameInput);
}
