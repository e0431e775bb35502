/** A column of the tokens table that the Columns menu can show or hide. */
export interface TokenColumn {
  /** Used in class names (`col-<id>`) and in what the browser remembers. */
  id: string;
  label: string;
  /** Name stays: without it a row says nothing about which token it is. */
  hideable: boolean;
}

/**
 * The table's columns in order, besides the row checkbox and the admin-only Issued by (shown
 * with the whole-organization switch) and Deleted (shown in the Deleted view). The server renders the header from this list and the
 * page's scripts read it from the page settings, so the menu, the header and the rows agree.
 */
export const TOKEN_COLUMNS: readonly TokenColumn[] = [
  { id: 'name', label: 'Name', hideable: false },
  { id: 'service', label: 'Service', hideable: true },
  { id: 'token', label: 'Token', hideable: true },
  { id: 'created', label: 'Created', hideable: true },
  { id: 'expires', label: 'Expires', hideable: true },
  { id: 'last-used', label: 'Last used', hideable: true },
  { id: 'status', label: 'Status', hideable: true },
  { id: 'actions', label: 'Actions', hideable: true },
];

/** Issued by follows Token. */
const ISSUER_AFTER = 'token';
/** In the Deleted view, who deleted a token, when and why follows Status. */
const DELETION_AFTER = 'status';

function headerCell(column: TokenColumn): string {
  const label = column.id === 'actions' ? `<span class="visually-hidden">${column.label}</span>` : column.label;
  return `<th scope="col" class="col-${column.id}" data-column="${column.id}">${label}</th>`;
}

/** The header row: the select-all box, the columns, Issued by after Token and Deleted after Status. */
export function renderTokenHeader(): string {
  const cells = ['<th scope="col" class="col-select"><input type="checkbox" id="select-all" aria-label="Select all tokens"></th>'];
  for (const column of TOKEN_COLUMNS) {
    cells.push(headerCell(column));
    if (column.id === ISSUER_AFTER) cells.push('<th scope="col" class="col-issuer">Issued by</th>');
    if (column.id === DELETION_AFTER) cells.push('<th scope="col" class="col-deletion">Deleted</th>');
  }
  return `<tr>\n            ${cells.join('\n            ')}\n          </tr>`;
}
