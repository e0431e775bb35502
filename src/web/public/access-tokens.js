// @ts-check
// The Access tokens tab: loads the session, services and tokens from the management API,
// keeps the filters in the URL, and wires selection, bulk delete, rename and disable/enable.
import { api, ApiError, goToLogin, setCsrfToken } from './api.js';
import { applyHiddenColumns, bindColumnsMenu, rememberedHiddenColumns } from './columns-menu.js';
import { confirmDelete } from './delete-dialog.js';
import { showsDeletedTokens } from './deleted-tokens.js';
import { byId, showMessage } from './dom.js';
import { asSentence, characters, plural } from './format.js';
import { openGenerateDialog } from './generate-dialog.js';
import { openRollDialog } from './roll-dialog.js';
import { renderHeader } from './session-header.js';
import { settings } from './settings.js';
import { refreshExpiryMark } from './tab-warning.js';
import {
  bindFilters,
  filterByIssuer,
  filtersFromUrl,
  hasNarrowingFilters,
  offerDeletedStatus,
  offerWholeOrganization,
  renderIssuerFilter,
  writeFiltersToUrl,
} from './token-filters.js';
import { renderRows } from './tokens-table.js';

/**
 * @typedef {import('./api.js').Token} Token
 * @typedef {import('./api.js').Session} Session
 * @typedef {import('./api.js').Service} Service
 * @typedef {import('./token-filters.js').Filters} Filters
 */

const elements = {
  table: byId('tokens-table', HTMLTableElement),
  body: byId('tokens-body'),
  empty: byId('tokens-empty'),
  count: byId('token-count'),
  capExplanation: byId('cap-explanation'),
  capScope: byId('cap-scope'),
  generate: byId('generate-open', HTMLButtonElement),
  selectAll: byId('select-all', HTMLInputElement),
  selectionCount: byId('selection-count'),
  deleteButton: byId('delete-open', HTMLButtonElement),
  deletedNote: byId('deleted-note'),
  announcer: byId('announcer'),
  pageError: byId('page-error'),
};

/**
 * Everything the page shows, in one place; `render()` draws it.
 * @type {{
 *   session: Session | null,
 *   org: string | null,
 *   role: string | null,
 *   services: Service[],
 *   serviceNames: Map<string, string>,
 *   tokens: Token[],
 *   count: number,
 *   limit: number,
 *   loaded: boolean,
 *   filters: Filters,
 *   selected: Set<string>,
 *   renaming: string | null,
 *   renameError: string | null,
 *   hiddenColumns: Set<string>,
 *   request: AbortController | null,
 * }}
 */
const state = {
  session: null,
  org: null,
  role: null,
  services: [],
  serviceNames: new Map(),
  tokens: [],
  count: 0,
  limit: settings.tokenCap,
  loaded: false,
  filters: { q: '', service: '', status: '', all: false, issuer: '' },
  selected: new Set(),
  renaming: null,
  renameError: null,
  hiddenColumns: rememberedHiddenColumns(),
  request: null,
};

/** The session, once start() has loaded it (every caller runs after that). */
function session() {
  if (!state.session) throw new Error('the session has not loaded yet');
  return state.session;
}

/** The organization shown, once one is chosen (every caller runs after that). */
function currentOrg() {
  if (!state.org) throw new Error('no organization is shown');
  return state.org;
}

const orgPath = (suffix = '') => `/api/orgs/${encodeURIComponent(currentOrg())}/tokens${suffix}`;
const canSeeAll = () => state.role !== null && settings.organizationManagerRoles.includes(state.role);

function announce(message) {
  elements.announcer.textContent = '';
  // A fresh text node is announced even when the message repeats.
  requestAnimationFrame(() => {
    elements.announcer.textContent = message;
  });
}

function fail(error) {
  if (error?.name === 'AbortError') return;
  if (error instanceof ApiError && error.status === 401) {
    goToLogin();
    return;
  }
  showMessage(elements.pageError, error?.detail ?? String(error));
}

const visibleTokens = () => filterByIssuer(state.filters, state.tokens);

function writeUrl() {
  writeFiltersToUrl(state.filters, session().organizations.length > 1 ? state.org : null);
}

function renderCap() {
  const { count, limit } = state;
  elements.count.textContent = `${count} of ${limit} tokens`;
  const full = count >= limit;
  const noOrganization = !state.org;
  elements.generate.disabled = full || noOrganization || !state.loaded;
  showMessage(
    elements.capExplanation,
    noOrganization
      ? 'You are not a member of any organization yet, so you cannot generate tokens.'
      : full
        ? `You have reached the limit of ${limit} tokens. Delete a token you no longer need to generate a new one.`
        : '',
  );
}

function renderSelection(tokens) {
  const selected = tokens.filter((token) => state.selected.has(token.id)).length;
  elements.selectAll.checked = selected > 0 && selected === tokens.length;
  elements.selectAll.indeterminate = selected > 0 && selected < tokens.length;
  elements.selectAll.disabled = tokens.length === 0;
  elements.selectionCount.textContent = selected ? `${plural(selected, 'token', 'tokens')} selected` : 'No tokens selected';
  elements.deleteButton.disabled = selected === 0;
  elements.deleteButton.textContent = selected ? `Delete ${plural(selected, 'token', 'tokens')}` : 'Delete';
}

function emptyMessage() {
  if (!state.org) return '';
  const { q, service, all } = state.filters;
  if (showsDeletedTokens(state.filters) && !q && !service) {
    return all
      ? `No token of ${state.org} has been deleted.`
      : `None of your tokens in ${state.org} has been deleted. Turn on “All tokens in the organization” to see everyone’s.`;
  }
  if (hasNarrowingFilters(state.filters)) return 'No tokens match your search and filters.';
  if (state.filters.all) return `Nobody in ${state.org} has a token yet.`;
  return `You have no tokens in ${state.org} yet. Generate one to let a script or CI job call the platform’s APIs.`;
}

/** The Deleted view shows a record: the table says so, and the selection and Delete go away. */
function renderDeletedView() {
  const deleted = showsDeletedTokens(state.filters);
  elements.table.classList.toggle('with-deletion', deleted);
  elements.deletedNote.hidden = !deleted;
  if (deleted) elements.table.setAttribute('aria-describedby', 'deleted-note');
  else elements.table.removeAttribute('aria-describedby');
  elements.selectionCount.hidden = deleted;
  elements.deleteButton.hidden = deleted;
}

function render(focus) {
  const tokens = visibleTokens();
  elements.table.classList.toggle('with-issuer', state.filters.all);
  renderDeletedView();
  elements.table.setAttribute('aria-busy', String(!state.loaded));
  applyHiddenColumns(elements.table, state.hiddenColumns);
  renderIssuerFilter(state.filters, state.tokens);
  renderRows(
    elements.body,
    tokens,
    {
      userId: session().user.id,
      manager: canSeeAll(),
      serviceNames: state.serviceNames,
      selected: state.selected,
      renaming: state.renaming,
      renameError: state.renameError,
      hiddenColumns: state.hiddenColumns,
      now: Date.now(),
    },
    rowHandlers,
    focus,
  );
  elements.table.hidden = tokens.length === 0;
  showMessage(elements.empty, state.loaded && tokens.length === 0 ? emptyMessage() : '');
  renderCap();
  renderSelection(tokens);
}

async function load(focus) {
  if (!state.org) return;
  state.request?.abort();
  const request = new AbortController();
  state.request = request;
  const { q, service, status, all } = state.filters;
  const params = new URLSearchParams({ owner: all ? 'all' : 'me' });
  if (q) params.set('q', q);
  if (service) params.set('service', service);
  if (status) params.set('status', status);
  elements.table.setAttribute('aria-busy', 'true');
  try {
    const result = await api('GET', `${orgPath()}?${params}`, { signal: request.signal });
    state.tokens = result.tokens;
    state.count = result.count;
    state.limit = result.limit;
    state.loaded = true;
    const ids = new Set(result.tokens.map((token) => token.id));
    for (const id of state.selected) if (!ids.has(id)) state.selected.delete(id);
    if (state.renaming && !ids.has(state.renaming)) state.renaming = null;
    showMessage(elements.pageError, '');
    render(focus);
  } catch (error) {
    fail(error);
  }
}

/** After a change to the tokens: the list, and the tab's expiry mark, which may see other organizations. */
function reloadAfterChange(focus) {
  refreshExpiryMark(session());
  return load(focus);
}

async function act(work, message, focus) {
  try {
    await work();
    announce(message);
    await reloadAfterChange(focus);
  } catch (error) {
    fail(error);
  }
}

const rowHandlers = {
  onSelect(token, checked) {
    if (checked) state.selected.add(token.id);
    else state.selected.delete(token.id);
    render();
  },
  onRename(token) {
    state.renaming = token.id;
    state.renameError = null;
    render({ id: token.id, action: 'rename-input' });
  },
  onRenameCancel(token) {
    state.renaming = null;
    state.renameError = null;
    render({ id: token.id, action: 'rename' });
  },
  async onRenameSave(token, value) {
    const name = value.trim();
    const maxLength = settings.tokenNameMaxLength;
    state.renameError = !name
      ? 'Enter a name for the token.'
      : characters(name) > maxLength
        ? `Use at most ${maxLength} characters.`
        : null;
    if (state.renameError) return render({ id: token.id, action: 'rename-input' });
    try {
      await api('PATCH', orgPath(`/${encodeURIComponent(token.id)}`), { body: { name } });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status === 401 || error.status >= 500 || error.status === 0) return fail(error);
      const fieldError = error.problem.errors?.find((problem) => problem.field === 'name');
      state.renameError = fieldError ? asSentence(fieldError.message) : error.detail;
      return render({ id: token.id, action: 'rename-input' });
    }
    state.renaming = null;
    announce(`Renamed to “${name}”.`);
    await load({ id: token.id, action: 'rename' });
  },
  onRoll(token) {
    openRollDialog({ org: currentOrg(), token }, (rolled) => {
      announce(`“${rolled.name}” rolled. Copy the new secret now.`);
      load({ id: rolled.id, action: 'roll' });
    });
  },
  onToggleStatus(token) {
    const enabling = token.status === 'disabled';
    return act(
      () => api('POST', orgPath(`/${encodeURIComponent(token.id)}/${enabling ? 'enable' : 'disable'}`)),
      enabling ? `“${token.name}” enabled.` : `“${token.name}” disabled. It can’t be exchanged until you enable it again.`,
      { id: token.id, action: 'toggle' },
    );
  },
};

function filtersChanged(what) {
  writeUrl();
  if (what === 'issuer') return render();
  if (what === 'scope') state.selected.clear();
  return load();
}

function bindActions() {
  elements.selectAll.addEventListener('change', () => {
    for (const token of visibleTokens()) {
      if (elements.selectAll.checked) state.selected.add(token.id);
      else state.selected.delete(token.id);
    }
    render();
  });
  elements.deleteButton.addEventListener('click', () => {
    const tokens = visibleTokens().filter((token) => state.selected.has(token.id));
    if (tokens.length === 0) return;
    confirmDelete({ org: currentOrg(), tokens }, (deleted) => {
      state.selected.clear();
      announce(`${plural(deleted.length, 'token', 'tokens')} deleted.`);
      reloadAfterChange();
    });
  });
  elements.generate.addEventListener('click', () => {
    openGenerateDialog({ org: currentOrg(), role: state.role ?? 'viewer', services: state.services }, (token) => {
      announce(`Token “${token.name}” generated.`);
      reloadAfterChange();
    });
  });
}

/** Shows organization `slug`; a switch (not the first load) starts from a clean Issued by. */
function switchOrganization(slug, { firstLoad = false } = {}) {
  const membership = session().organizations.find((organization) => organization.slug === slug);
  if (!membership) return;
  state.org = membership.slug;
  state.role = membership.role;
  state.selected.clear();
  state.renaming = null;
  state.loaded = false;
  if (!firstLoad) state.filters.issuer = '';
  offerWholeOrganization(state.filters, canSeeAll());
  offerDeletedStatus(state.filters, canSeeAll());
  writeUrl();
  load();
}

async function start() {
  const requested = filtersFromUrl();
  state.filters = requested.filters;
  try {
    const [session, services] = await Promise.all([api('GET', '/api/session'), api('GET', '/api/services')]);
    setCsrfToken(session.csrf_token);
    state.session = session;
    state.services = services.services;
    state.serviceNames = new Map(state.services.map((service) => [service.id, service.name]));
  } catch (error) {
    return fail(error);
  }
  bindFilters(state.filters, state.services, filtersChanged);
  bindColumnsMenu(state.hiddenColumns, () => render());
  bindActions();
  refreshExpiryMark(session());
  const organizations = session().organizations;
  elements.capScope.hidden = organizations.length < 2;
  const membership = organizations.find((organization) => organization.slug === requested.org) ?? organizations[0];
  renderHeader(session(), membership?.slug, (chosen) => switchOrganization(chosen));
  if (!membership) {
    state.loaded = true;
    render();
    return;
  }
  switchOrganization(membership.slug, { firstLoad: true });
}

start();
