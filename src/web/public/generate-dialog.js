// The "Generate token" dialog: name, service, role (when the person may choose one) and an
// optional description; then the one and only display of the new token with Copy token.
// Closing the dialog, by Done or Escape, drops the token from the page for good.
import { api } from './api.js';
import { byId, h, showMessage } from './dom.js';
import { modalDialog } from './dialog.js';
import { asSentence } from './format.js';

const ROLES = ['viewer', 'member', 'manager', 'admin', 'owner'];
const FIELDS = ['name', 'service', 'role', 'description'];

const dialog = byId('generate-dialog');
const form = byId('generate-form');
const formError = byId('generate-error');
const nameInput = byId('token-name');
const serviceSelect = byId('token-service');
const roleField = byId('token-role-field');
const roleSelect = byId('token-role');
const descriptionInput = byId('token-description');
const submit = byId('generate-submit');
const cancel = form.querySelector('[data-dialog-close]');
const reveal = byId('reveal');
const revealName = byId('reveal-name');
const revealToken = byId('reveal-token');
const copyButton = byId('copy-token');
const copyStatus = byId('copy-status');
const controls = { name: nameInput, service: serviceSelect, role: roleSelect, description: descriptionInput };

let pending = false;
let context = null;
let onCreated = () => {};

function setFieldError(field, message) {
  const control = controls[field];
  showMessage(byId(`token-${field}-error`), message);
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}

function clearErrors() {
  for (const field of FIELDS) setFieldError(field, '');
  showMessage(formError, '');
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

function fillServices(services) {
  serviceSelect.replaceChildren(
    h('option', { value: '' }, 'Choose a service…'),
    ...services.map((service) => h('option', { value: service.id }, service.name)),
  );
  if (services.length === 1) serviceSelect.value = services[0].id;
}

/** Roles up to the person's own: a token never does more than its creator can. */
function fillRoles(ownRole) {
  const allowed = ROLES.slice(0, ROLES.indexOf(ownRole) + 1);
  roleSelect.replaceChildren(...allowed.map((role) => h('option', { value: role }, role === ownRole ? `${role} (your role)` : role)));
  roleSelect.value = ownRole;
  roleField.hidden = allowed.length < 2;
}

function validate() {
  const problems = {};
  const name = nameInput.value.trim();
  if (!name) problems.name = 'Enter a name for the token.';
  else if ([...name].length > 100) problems.name = 'Use at most 100 characters.';
  if (!serviceSelect.value) problems.service = 'Choose the service this token is for.';
  if ([...descriptionInput.value.trim()].length > 500) problems.description = 'Use at most 500 characters.';
  return problems;
}

/** Codes that concern one field, besides the validation errors' own `errors[].field`. */
const FIELD_OF_CODE = { role_exceeds_membership: 'role', unknown_service: 'service' };

/** Puts an API error next to the field it concerns, or at the top of the form. */
function showServerError(failure) {
  const fieldErrors = (failure.problem.errors ?? []).filter((error) => FIELDS.includes(error.field));
  for (const error of fieldErrors) setFieldError(error.field, asSentence(error.message));
  if (FIELD_OF_CODE[failure.code]) setFieldError(FIELD_OF_CODE[failure.code], failure.detail);
  else if (fieldErrors.length === 0) showMessage(formError, failure.detail);
  const invalid = FIELDS.map((name) => controls[name]).find((control) => control.getAttribute('aria-invalid') === 'true');
  (invalid ?? nameInput).focus();
}

function showSecret(token, secret) {
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
  for (const [field, message] of Object.entries(problems)) setFieldError(field, message);
  const first = FIELDS.find((field) => problems[field]);
  if (first) {
    controls[first].focus();
    return;
  }
  const body = { name: nameInput.value.trim(), service: serviceSelect.value };
  if (!roleField.hidden) body.role = roleSelect.value;
  if (descriptionInput.value.trim()) body.description = descriptionInput.value.trim();
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
    showServerError(failure);
  } finally {
    pending = false;
    submit.disabled = false;
    cancel.disabled = false;
    submit.textContent = 'Generate token';
  }
}

async function copySecret() {
  try {
    await navigator.clipboard.writeText(revealToken.textContent);
    showMessage(copyStatus, 'Copied to your clipboard.');
  } catch {
    // No clipboard permission: select the text so Ctrl+C / ⌘C copies it.
    getSelection().selectAllChildren(revealToken);
    revealToken.focus();
    showMessage(copyStatus, 'Your browser blocked copying. The token is selected: press Ctrl+C (⌘C on a Mac).');
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (!pending) create();
});
for (const field of FIELDS) controls[field].addEventListener('input', () => setFieldError(field, ''));
copyButton.addEventListener('click', copySecret);
byId('reveal-done').addEventListener('click', () => modal.close());

/**
 * Opens the dialog for organization `org` where the person holds `role`;
 * `created(token)` runs once a token exists (the secret stays in the dialog).
 */
export function openGenerateDialog({ org, role, services }, created) {
  context = { org };
  onCreated = created;
  form.reset();
  clearErrors();
  forgetSecret();
  fillServices(services);
  fillRoles(role);
  modal.open(nameInput);
}
