// @ts-check
// The filter bar: Search (as you type), Service, Status and, for admins and owners, the
// Deleted status and the whole-organization switch with its Issued by filter. Filters are mirrored in the URL, so
// a reload or a shared link shows the same view.
import { byId, h } from './dom.js';

const SEARCH_DELAY_MS = 250;

/**
 * What the page shows, as the URL says it.
 * @typedef {object} Filters
 * @property {string} q
 * @property {string} service
 * @property {string} status
 * @property {boolean} all Every token of the organization, not only the person's own.
 * @property {string} issuer With `all`: only this owner's tokens (an id), or '' for anyone.
 */

const controls = {
  search: byId('filter-q', HTMLInputElement),
  service: byId('filter-service', HTMLSelectElement),
  status: byId('filter-status', HTMLSelectElement),
  all: byId('filter-all', HTMLInputElement),
  scopeField: byId('scope-field'),
  issuer: byId('filter-issuer', HTMLSelectElement),
  issuerField: byId('issuer-field'),
};

/**
 * The filters and organization a URL asks for.
 * @returns {{ org: string | null, filters: Filters }}
 */
export function filtersFromUrl() {
  const params = new URLSearchParams(location.search);
  return {
    org: params.get('org'),
    filters: {
      q: params.get('q') ?? '',
      service: params.get('service') ?? '',
      status: params.get('status') ?? '',
      all: params.get('owner') === 'all',
      issuer: params.get('issuer') ?? '',
    },
  };
}

/**
 * Rewrites the address bar (without a new history entry); `org` only when there is a choice.
 * @param {Filters} filters
 * @param {string | null} org
 */
export function writeFiltersToUrl(filters, org) {
  const params = new URLSearchParams();
  if (org) params.set('org', org);
  if (filters.q) params.set('q', filters.q);
  if (filters.service) params.set('service', filters.service);
  if (filters.status) params.set('status', filters.status);
  if (filters.all) params.set('owner', 'all');
  if (filters.all && filters.issuer) params.set('issuer', filters.issuer);
  const query = params.toString();
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
}

/** @param {Filters} filters */
export function hasNarrowingFilters(filters) {
  return Boolean(filters.q || filters.service || filters.status || (filters.all && filters.issuer));
}

/**
 * Issued by narrows the whole-organization list in the browser: it is already loaded.
 * @param {Filters} filters
 * @param {import('./api.js').Token[]} tokens
 */
export function filterByIssuer(filters, tokens) {
  return filters.all && filters.issuer ? tokens.filter((token) => token.owner?.id === filters.issuer) : tokens;
}

/**
 * Fills the controls from `filters` and keeps `filters` up to date. `changed(what)` is told
 * 'query' when the list must be fetched again, 'scope' when the switch flipped (likewise),
 * and 'issuer' when only the shown rows change.
 * @param {Filters} filters
 * @param {import('./api.js').Service[]} services
 * @param {(what: 'query' | 'scope' | 'issuer') => void} changed
 */
export function bindFilters(filters, services, changed) {
  controls.service.replaceChildren(
    h('option', { value: '' }, 'All services'),
    ...services.map((service) => h('option', { value: service.id }, service.name)),
  );
  controls.search.value = filters.q;
  controls.service.value = filters.service;
  controls.status.value = filters.status;
  controls.all.checked = filters.all;

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let searchTimer;
  controls.search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      filters.q = controls.search.value.trim();
      changed('query');
    }, SEARCH_DELAY_MS);
  });
  for (const key of /** @type {const} */ (['service', 'status'])) {
    controls[key].addEventListener('change', () => {
      filters[key] = controls[key].value;
      changed('query');
    });
  }
  controls.all.addEventListener('change', () => {
    filters.all = controls.all.checked;
    filters.issuer = '';
    changed('scope');
  });
  controls.issuer.addEventListener('change', () => {
    filters.issuer = controls.issuer.value;
    changed('issuer');
  });
}

/**
 * Shows the whole-organization switch to those allowed to use it, and turns it off for others.
 * @param {Filters} filters
 * @param {boolean} allowed
 */
export function offerWholeOrganization(filters, allowed) {
  if (!allowed) {
    filters.all = false;
    filters.issuer = '';
  }
  controls.all.checked = filters.all;
  controls.scopeField.hidden = !allowed;
}

/** The Deleted choice of the Status filter, offered to admins and owners only. */
const deletedOption = h('option', { value: 'deleted' }, 'Deleted');

/**
 * Offers Deleted in the Status filter to those allowed to list deleted tokens, and, for anyone
 * else, takes it away (and out of the filters, should an address ask for it).
 * @param {Filters} filters
 * @param {boolean} allowed
 */
export function offerDeletedStatus(filters, allowed) {
  if (allowed) controls.status.append(deletedOption);
  else deletedOption.remove();
  if (!allowed && filters.status === 'deleted') filters.status = '';
  controls.status.value = filters.status;
}

/**
 * The Issued by choices: everyone who owns a token in the loaded list.
 * @param {Filters} filters
 * @param {import('./api.js').Token[]} tokens
 */
export function renderIssuerFilter(filters, tokens) {
  /** @type {Map<string, string>} */
  const owners = new Map();
  for (const token of tokens) if (token.owner) owners.set(token.owner.id, token.owner.email);
  if (filters.issuer && !owners.has(filters.issuer)) filters.issuer = '';
  const sorted = [...owners].sort((left, right) => left[1].localeCompare(right[1]));
  controls.issuer.replaceChildren(h('option', { value: '' }, 'Anyone'), ...sorted.map(([id, email]) => h('option', { value: id }, email)));
  controls.issuer.value = filters.issuer;
  controls.issuerField.hidden = !filters.all;
}
