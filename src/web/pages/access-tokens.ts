import type { WebAssets } from '../assets.js';
import { renderSettingsPage } from './settings-shell.js';
import { DELETE_DIALOG, GENERATE_DIALOG, ROLL_DIALOG } from './token-dialogs.js';
import { renderTokenHeader } from './token-columns.js';

export { ACCESS_TOKENS_PATH } from './settings-shell.js';

const TOOLBAR = `<div class="toolbar" role="search" aria-label="Filter tokens">
      <div class="field field-search">
        <label for="filter-q">Search</label>
        <input id="filter-q" type="search" placeholder="Filter by name" autocomplete="off" spellcheck="false">
      </div>
      <div class="field">
        <label for="filter-service">Service</label>
        <select id="filter-service"><option value="">All services</option></select>
      </div>
      <div class="field">
        <label for="filter-status">Status</label>
        <select id="filter-status">
          <option value="">Any status</option>
          <option value="active">Active</option>
          <option value="disabled">Disabled</option>
          <option value="expired">Expired</option>
        </select>
      </div>
      <div class="field" id="issuer-field" hidden>
        <label for="filter-issuer">Issued by</label>
        <select id="filter-issuer"><option value="">Anyone</option></select>
      </div>
      <div class="switch-field" id="scope-field" hidden>
        <input type="checkbox" id="filter-all" role="switch">
        <label for="filter-all">All tokens in the organization</label>
      </div>
    </div>`;

const COLUMNS_MENU = `<div class="columns-menu" id="columns-menu">
        <button type="button" class="button" id="columns-open" aria-expanded="false" aria-controls="columns-panel">Columns</button>
        <div class="columns-panel" id="columns-panel" role="group" aria-label="Columns to show" hidden></div>
      </div>`;

const TABLE = `<div class="bulkbar">
      <p id="selection-count" class="selection-count">No tokens selected</p>
      <div class="bulkbar-actions">
        ${COLUMNS_MENU}
        <button type="button" class="button button-danger-quiet" id="delete-open" disabled>Delete</button>
      </div>
    </div>
    <p class="deleted-note" id="deleted-note" hidden>Deleted tokens are kept as a record of who deleted them, when and why.
      They no longer work and cannot be enabled, rolled or deleted again.</p>
    <div class="table-wrap">
      <table class="tokens" id="tokens-table" aria-labelledby="tokens-title" aria-busy="true">
        <thead>
          ${renderTokenHeader()}
        </thead>
        <tbody id="tokens-body"></tbody>
      </table>
    </div>
    <p class="empty" id="tokens-empty" hidden></p>`;

/**
 * The "Access tokens" tab of Profile settings. The server sends the
 * page's structure; access-tokens.js fills it from the management API, so there is one
 * source of truth for what a person may see.
 */
export function renderAccessTokensPage(assets: WebAssets): string {
  return renderSettingsPage(assets, {
    title: 'Access tokens',
    script: 'access-tokens.js',
    current: 'access-tokens',
    main: `    <div class="page-head">
      <div>
        <h2 id="tokens-title">Access tokens</h2>
        <p class="lede">Tokens let scripts and CI call the platform's APIs as you. Each is bound to one
          service in one organization and expires two years after it is created.</p>
      </div>
      <button type="button" class="button button-primary" id="generate-open" aria-describedby="token-cap" disabled>Generate token</button>
    </div>
    <div class="cap" id="token-cap">
      <p id="token-count" aria-live="polite">Loading tokens…</p>
      <p id="cap-scope" class="hint" hidden>The limit counts your live tokens in all your organizations.</p>
      <p id="cap-explanation" class="cap-full" hidden></p>
    </div>
    ${TOOLBAR}
    <p class="announcer" id="announcer" role="status" aria-live="polite"></p>
    <div class="form-alert" id="page-error" role="alert" hidden></div>
    ${TABLE}`,
    after: `${GENERATE_DIALOG}
${DELETE_DIALOG}
${ROLL_DIALOG}`,
  });
}
