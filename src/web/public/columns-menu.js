// @ts-check
// The Columns menu: a disclosure button and a group of checkboxes, one per column of the
// tokens table (Name always shown). The choice is remembered in this browser (localStorage),
// so a reload or a later visit shows the same columns. Keyboard: Enter or Space opens it and
// moves to the first box, Space ticks, Escape (or Tab past the last box) closes it and
// returns to the button.
import { byId, h } from './dom.js';
import { settings } from './settings.js';

const STORAGE_KEY = 'tollbooth.access-tokens.hidden-columns';

const button = byId('columns-open', HTMLButtonElement);
const panel = byId('columns-panel');
const menu = byId('columns-menu');

const hideable = new Set(settings.tokenColumns.filter((column) => column.hideable).map((column) => column.id));

/**
 * The hidden columns this browser remembers; unknown or unhideable ids (from an older page) are dropped.
 * @returns {Set<string>}
 */
export function rememberedHiddenColumns() {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    return new Set(Array.isArray(stored) ? stored.filter((id) => typeof id === 'string' && hideable.has(id)) : []);
  } catch {
    // Storage may be disabled or hold something else: show every column.
    return new Set();
  }
}

/** @param {Set<string>} hidden */
function remember(hidden) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify([...hidden]));
  } catch {
    // Not remembered (storage disabled); the choice still holds on this page.
  }
}

/**
 * Hides the header cells of hidden columns; the rows read the same set when they render.
 * @param {HTMLTableElement} table
 * @param {Set<string>} hidden
 */
export function applyHiddenColumns(table, hidden) {
  for (const cell of table.querySelectorAll('thead th[data-column]')) {
    if (cell instanceof HTMLElement) cell.hidden = hidden.has(cell.dataset.column ?? '');
  }
}

/** @param {boolean} open */
function setOpen(open) {
  panel.hidden = !open;
  button.setAttribute('aria-expanded', String(open));
}

/**
 * Builds the menu from the page settings and calls `changed(hidden)` after each tick.
 * @param {Set<string>} hidden Changed in place.
 * @param {(hidden: Set<string>) => void} changed
 */
export function bindColumnsMenu(hidden, changed) {
  panel.replaceChildren(
    ...settings.tokenColumns.map((column) =>
      h(
        'label',
        { class: 'columns-option' },
        h('input', {
          type: 'checkbox',
          checked: !hidden.has(column.id),
          disabled: !column.hideable,
          dataset: { column: column.id },
          onchange: (/** @type {Event} */ event) => {
            const box = /** @type {HTMLInputElement} */ (event.target);
            if (box.checked) hidden.delete(column.id);
            else hidden.add(column.id);
            remember(hidden);
            changed(hidden);
          },
        }),
        column.hideable ? column.label : `${column.label} (always shown)`,
      ),
    ),
  );
  button.addEventListener('click', () => {
    const opening = panel.hidden;
    setOpen(opening);
    const first = panel.querySelector('input:not([disabled])');
    if (opening && first instanceof HTMLInputElement) first.focus();
  });
  menu.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || panel.hidden) return;
    event.preventDefault();
    event.stopPropagation();
    setOpen(false);
    button.focus();
  });
  // Tabbing out of the menu closes it (a click on a label inside moves focus nowhere, so it stays).
  menu.addEventListener('focusout', (event) => {
    if (event.relatedTarget instanceof Node && !menu.contains(event.relatedTarget)) setOpen(false);
  });
  document.addEventListener('click', (event) => {
    if (!panel.hidden && event.target instanceof Node && !menu.contains(event.target)) setOpen(false);
  });
}
