import type { WebAssets } from '../assets.js';
import { renderDocument } from './layout.js';
import { DELETE_DIALOG, GENERATE_DIALOG, ROLL_DIALOG } from './token-dialogs.js';
import { renderTokenHeader } from './token-columns.js';

export const ACCESS_TOKENS_PATH = '/settings/profile/access-tokens';

const HEADER = `<a class="skip-link" href="#main">Skip to content</a>
<header class="topbar">
  <a class="brand" href="${ACCESS_TOKENS_PATH}"><span class="brand-mark" aria-hidden="true"></span>Tollbooth</a>
  <div class="topbar-end">
    <div class="org-switcher" id="org-switcher" hidden>
      <label for="org-select">Organization</label>
      <select id="org-select"></select>
    </div>
    <p class="org-name" id="org-name" hidden></p>
    <p class="user-email" id="user-email"></p>
    <button type="button" class="button button-quiet" id="logout">Log out</button>
  </div>
</header>`;

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
  return renderDocument(assets, {
    title: 'Access tokens',
    script: 'access-tokens.js',
    bodyClass: 'page-settings',
    body: `${HEADER}
<div class="layout">
  <h1 class="settings-title">Profile settings</h1>
  <nav class="settings-tabs" aria-label="Profile settings">
    <ul>
      <li><a href="${ACCESS_TOKENS_PATH}" aria-current="page">Access tokens</a></li>
    </ul>
  </nav>
  <main id="main" class="content" tabindex="-1">
    <div class="page-head">
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
    ${TABLE}
  </main>
</div>
${GENERATE_DIALOG}
${DELETE_DIALOG}
${ROLL_DIALOG}`,
  });
}
