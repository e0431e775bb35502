// @ts-check
// Renders the tokens table body. Each row: select box, name (or the inline rename form),
// service, masked prefix, issuer, dates, status and per-row actions; a deleted token's row
// has no select box and no actions, and says who deleted it, when and why.
import { deletionDetails } from './deleted-tokens.js';
import { h } from './dom.js';
import { expiryState, formatDate, formatDateTime, maskedPrefix, relativeTime } from './format.js';
import { settings } from './settings.js';

/**
 * @typedef {import('./api.js').Token} Token
 * @typedef {import('./dom.js').Children} Children
 *
 * What the rows show besides the tokens themselves.
 * @typedef {object} View
 * @property {string} userId The person looking: only their own tokens can be renamed.
 * @property {boolean} manager Whether the person looking is an admin or owner of the organization.
 * @property {Map<string, string>} serviceNames Service id → display name.
 * @property {Set<string>} selected Ids of the checked rows.
 * @property {string | null} renaming Id of the row showing the rename form.
 * @property {string | null} renameError The rename form's message.
 * @property {Set<string>} hiddenColumns Ids of the columns the Columns menu hides.
 * @property {number} now
 *
 * What a row's controls call.
 * @typedef {object} Handlers
 * @property {(token: Token, checked: boolean) => void} onSelect
 * @property {(token: Token) => void} onRename
 * @property {(token: Token) => void} onRenameCancel
 * @property {(token: Token, value: string) => void} onRenameSave
 * @property {(token: Token) => void} onToggleStatus
 * @property {(token: Token) => void} onRoll
 *
 * A control to focus after rendering: the row's token id and the control's data-action.
 * @typedef {{ id: string, action: string }} Focus
 */

/** @type {Record<Token['status'], string>} */
const STATUS_LABELS = { active: 'Active', disabled: 'Disabled', expired: 'Expired', deleted: 'Deleted' };

/**
 * @param {string} iso
 * @param {string} text
 */
function timeElement(iso, text) {
  return h('time', { datetime: iso, title: formatDateTime(iso) }, text);
}

/**
 * @param {Token} token
 * @param {number} now
 * @returns {Children}
 */
function expiresCell(token, now) {
  const date = timeElement(token.expires_at, formatDate(token.expires_at));
  // A deleted token will never expire in any sense that matters: just the date it would have.
  if (token.deletion) return [date];
  const state = expiryState(token.expires_at, now);
  if (state === 'expired') return h('span', { class: 'expired-date' }, date);
  if (state === 'soon')
    return [date, ' ', h('span', { class: 'badge badge-warning', title: relativeTime(token.expires_at, now) }, 'Expires soon')];
  return [date];
}

/**
 * @param {Token} token
 * @param {number} now
 * @returns {Children}
 */
function lastUsedCell(token, now) {
  if (!token.last_used_at) return h('span', { class: 'muted' }, 'Never');
  const when = timeElement(token.last_used_at, relativeTime(token.last_used_at, now));
  return token.last_used_ip ? [when, h('span', { class: 'subtle' }, ` from ${token.last_used_ip}`)] : when;
}

/**
 * The masked prefix, the networks the token is limited to, and the old secret while a roll's
 * grace period lasts.
 * @param {Token} token
 * @returns {Children}
 */
function tokenCell(token) {
  const networks = token.allowed_ips ?? [];
  return [
    h('code', { class: 'prefix', title: 'Only the start of the token is kept for display' }, maskedPrefix(token.prefix)),
    networks.length > 0 ? h('span', { class: 'row-networks' }, `Only from ${networks.join(', ')}`) : null,
    token.previous_secret
      ? h(
          'span',
          { class: 'row-previous' },
          `Old secret ${maskedPrefix(token.previous_secret.prefix)} works until `,
          timeElement(token.previous_secret.expires_at, formatDateTime(token.previous_secret.expires_at)),
        )
      : null,
  ];
}

/**
 * Lets a long address break after the @ rather than anywhere.
 * @param {string} email
 * @returns {Children}
 */
function emailWithBreak(email) {
  const at = email.indexOf('@');
  return at < 0 ? email : [email.slice(0, at + 1), h('wbr'), email.slice(at + 1)];
}

/**
 * @param {Token} token
 * @param {View} view
 * @param {Handlers} handlers
 * @returns {Children}
 */
function nameCell(token, view, handlers) {
  if (view.renaming === token.id) return renameForm(token, view, handlers);
  return [
    h('span', { class: 'token-name' }, token.name),
    token.description ? h('span', { class: 'token-description' }, token.description) : null,
  ];
}

/**
 * @param {Token} token
 * @param {View} view
 * @param {Handlers} handlers
 */
function renameForm(token, view, handlers) {
  const inputId = `rename-${token.id}`;
  const errorId = `rename-error-${token.id}`;
  const input = h('input', {
    id: inputId,
    name: 'name',
    value: token.name,
    required: true,
    autocomplete: 'off',
    dataset: { action: 'rename-input' },
    'aria-describedby': errorId,
    'aria-invalid': view.renameError ? 'true' : null,
    onkeydown: (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        handlers.onRenameCancel(token);
      }
    },
  });
  return h(
    'form',
    {
      class: 'rename-form',
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        handlers.onRenameSave(token, input.value);
      },
    },
    h('label', { for: inputId, class: 'visually-hidden' }, `New name for ${token.name}`),
    input,
    h('button', { type: 'submit', class: 'button button-small button-primary' }, 'Save'),
    h('button', { type: 'button', class: 'button button-small', onclick: () => handlers.onRenameCancel(token) }, 'Cancel'),
    h('p', { class: 'field-error', id: errorId, hidden: !view.renameError }, view.renameError ?? ''),
  );
}

/**
 * Who disabled `token`, when someone other than its owner (an admin or owner of the
 * organization) did and the person looking is not an admin or owner: the server refuses to
 * let them enable it, so the page offers no Enable, only why.
 * @param {Token} token
 * @param {View} view
 * @returns {string | null}
 */
function lockedDisable(token, view) {
  const by = token.disabled?.by;
  if (token.status !== 'disabled' || !by || by.id === token.owner?.id || view.manager) return null;
  return by.email;
}

/**
 * @param {Token} token
 * @param {View} view
 * @param {Handlers} handlers
 */
function actionsCell(token, view, handlers) {
  const actions = [];
  if (token.owner?.id === view.userId && view.renaming !== token.id) {
    actions.push(
      h(
        'button',
        {
          type: 'button',
          class: 'button button-small',
          dataset: { action: 'rename' },
          'aria-label': `Rename ${token.name}`,
          onclick: () => handlers.onRename(token),
        },
        'Rename',
      ),
    );
  }
  if (token.owner?.id === view.userId && token.status !== 'expired') {
    actions.push(
      h(
        'button',
        {
          type: 'button',
          class: 'button button-small',
          dataset: { action: 'roll' },
          'aria-label': `Roll ${token.name}`,
          onclick: () => handlers.onRoll(token),
        },
        'Roll',
      ),
    );
  }
  const lockedBy = lockedDisable(token, view);
  if (lockedBy) {
    actions.push(h('span', { class: 'row-locked' }, `Disabled by ${lockedBy}; only an admin or owner can enable it`));
  } else if (token.status === 'active' || token.status === 'disabled') {
    const enabling = token.status === 'disabled';
    const verb = enabling ? 'Enable' : 'Disable';
    actions.push(
      h(
        'button',
        {
          type: 'button',
          class: 'button button-small',
          dataset: { action: 'toggle' },
          'aria-label': `${verb} ${token.name}`,
          onclick: () => handlers.onToggleStatus(token),
        },
        verb,
      ),
    );
  }
  return h('div', { class: 'row-actions' }, actions);
}

/** Column id → its label, from the list the header was rendered from. */
const COLUMN_LABELS = new Map(settings.tokenColumns.map((column) => [column.id, column.label]));

/**
 * A labelled cell of column `id`; the label heads the value when narrow screens turn rows
 * into cards. Hidden when the Columns menu hides its column, in both layouts.
 * @param {string} id
 * @param {Children} content
 * @param {View} view
 */
function cell(id, content, view) {
  return h(
    'td',
    { class: `col-${id}`, 'data-label': COLUMN_LABELS.get(id) ?? id, hidden: view.hiddenColumns.has(id) },
    h('div', { class: 'cell-value' }, content),
  );
}

/**
 * Why a token the status calls usable is refused at the exchange: its role is above what its
 * owner now holds (their role was lowered after it was created).
 * @param {Token} token
 * @param {View} view
 * @returns {import('./dom.js').Child[]}
 */
function suspension(token, view) {
  if (!token.suspended) return [];
  const whose = token.owner?.id === view.userId ? 'your role' : "its owner's role";
  const now = token.suspended.owner_role ? ` (now ${token.suspended.owner_role})` : '';
  return [
    h('span', { class: 'badge badge-warning' }, 'Suspended'),
    h('span', { class: 'row-suspended' }, `Its role (${token.role}) is above ${whose}${now}: refused until the role is given back`),
  ];
}

/**
 * The status badge; when someone other than the owner (an admin or owner of the organization)
 * disabled the token, who (only they can enable it again); and whether it is suspended above
 * its owner's role.
 * @param {Token} token
 * @param {View} view
 * @returns {Children}
 */
function statusCell(token, view) {
  const badge = h('span', { class: `badge badge-${token.status}` }, STATUS_LABELS[token.status] ?? token.status);
  const by = token.disabled?.by;
  const disabledBy = by && by.id !== token.owner?.id ? [h('span', { class: 'row-disabled-by' }, `by ${by.email}`)] : [];
  return [badge, ...disabledBy, ...suspension(token, view)];
}

/**
 * @param {Token} token
 * @param {View} view
 * @param {Handlers} handlers
 */
function row(token, view, handlers) {
  const selected = view.selected.has(token.id);
  const service = view.serviceNames.get(token.service) ?? token.service;
  // A deleted token is a record: nothing to select or act on.
  const actionable = !token.deletion;
  return h(
    'tr',
    { class: `status-${token.status}${selected ? ' is-selected' : ''}`, dataset: { id: token.id } },
    h(
      'td',
      { class: 'col-select' },
      actionable
        ? h('input', {
            type: 'checkbox',
            checked: selected,
            'aria-label': `Select ${token.name}`,
            dataset: { action: 'select' },
            onchange: (event) => handlers.onSelect(token, event.target.checked),
          })
        : null,
    ),
    cell('name', nameCell(token, view, handlers), view),
    cell(
      'service',
      [
        service,
        h('span', { class: 'row-role' }, `as ${token.role}`),
        h('span', { class: 'row-scopes' }, h('span', { class: 'visually-hidden' }, 'Scopes: '), token.scopes.join(', ')),
      ],
      view,
    ),
    cell('token', tokenCell(token), view),
    h(
      'td',
      { class: 'col-issuer', 'data-label': 'Issued by' },
      h('div', { class: 'cell-value' }, emailWithBreak(token.owner?.email ?? '')),
    ),
    cell('created', timeElement(token.created_at, formatDate(token.created_at)), view),
    cell('expires', expiresCell(token, view.now), view),
    cell('last-used', lastUsedCell(token, view.now), view),
    cell('status', statusCell(token, view), view),
    h('td', { class: 'col-deletion', 'data-label': 'Deleted' }, h('div', { class: 'cell-value' }, deletionDetails(token))),
    h('td', { class: 'col-actions', hidden: view.hiddenColumns.has('actions') }, actionable ? actionsCell(token, view, handlers) : null),
  );
}

/**
 * Replaces the rows, keeping keyboard focus on the same control of the same row when it
 * still exists (a re-render must not drop a keyboard user back to the top of the page).
 * `focus` ({ id, action }) moves it on purpose instead, e.g. into a rename form just opened.
 * @param {HTMLElement} tbody
 * @param {Token[]} tokens
 * @param {View} view
 * @param {Handlers} handlers
 * @param {Focus} [focus]
 */
export function renderRows(tbody, tokens, view, handlers, focus) {
  const focused = document.activeElement;
  const focusedRow = focused instanceof HTMLElement && tbody.contains(focused) ? focused.closest('tr')?.dataset.id : undefined;
  const focusedAction = focused instanceof HTMLElement ? focused.dataset.action : undefined;
  const target = focus ?? (focusedRow && focusedAction ? { id: focusedRow, action: focusedAction } : undefined);
  tbody.replaceChildren(...tokens.map((token) => row(token, view, handlers)));
  if (!target) return;
  const control = tbody.querySelector(`tr[data-id="${CSS.escape(target.id)}"] [data-action="${target.action}"]`);
  if (control instanceof HTMLElement) control.focus();
}
