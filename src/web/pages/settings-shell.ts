import type { WebAssets } from '../assets.js';
import { renderDocument } from './layout.js';
import { PAGE_SETTINGS } from './page-settings.js';

export const ACCESS_TOKENS_PATH = '/settings/profile/access-tokens';
export const NOTIFICATIONS_PATH = '/settings/profile/notifications';

/** The tabs of Profile settings, in order. */
const TABS = [
  { id: 'access-tokens', path: ACCESS_TOKENS_PATH, label: 'Access tokens' },
  { id: 'notifications', path: NOTIFICATIONS_PATH, label: 'Notifications' },
] as const;

export type SettingsTab = (typeof TABS)[number]['id'];

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

/**
 * The tab links. Access tokens carries the expiry mark, hidden until tab-warning.js finds a
 * token the person can see that expires within the warning window; its label is what a
 * screen reader says.
 */
function renderTabs(current: SettingsTab): string {
  const items = TABS.map((tab) => {
    const currentAttribute = tab.id === current ? ' aria-current="page"' : '';
    const mark =
      tab.id === 'access-tokens'
        ? ` <span class="tab-warning" id="expiry-mark" role="img" aria-label="A token expires within ${PAGE_SETTINGS.expiresSoonDays} days" hidden>!</span>`
        : '';
    return `<li><a href="${tab.path}"${currentAttribute}>${tab.label}${mark}</a></li>`;
  });
  return `<nav class="settings-tabs" aria-label="Profile settings">
    <ul>
      ${items.join('\n      ')}
    </ul>
  </nav>`;
}

export interface SettingsPageOptions {
  title: string;
  script: string;
  current: SettingsTab;
  /** The tab's content, inside `<main>`; already escaped. */
  main: string;
  /** Markup after the layout (dialogs); already escaped. */
  after?: string;
}

/** A tab of Profile settings: the header, the title, the tabs and the tab's content. */
export function renderSettingsPage(assets: WebAssets, { title, script, current, main, after = '' }: SettingsPageOptions): string {
  return renderDocument(assets, {
    title,
    script,
    bodyClass: 'page-settings',
    body: `${HEADER}
<div class="layout">
  <h1 class="settings-title">Profile settings</h1>
  ${renderTabs(current)}
  <main id="main" class="content" tabindex="-1">
${main}
  </main>
</div>
${after}`,
  });
}
