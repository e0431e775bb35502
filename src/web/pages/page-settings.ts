import { canManageOrganizationTokens, ROLES } from '../../accounts/index.js';
import { NOTICE_WINDOWS } from '../../notices/index.js';
import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, TOKEN_CAP } from '../../tokens/index.js';
import { TOKEN_COLUMNS } from './token-columns.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The element id the page's scripts read the settings from (settings.js). */
export const PAGE_SETTINGS_ID = 'page-settings';

/**
 * The rules the page's scripts apply before they ask the server, taken from the modules that
 * own them, so the page never carries a second copy: roles lowest first, who sees a whole
 * organization, the length limits, the cap, and how early a token is flagged as expiring
 * (the first expiry notice); and the table's columns, which the Columns menu shows or hides.
 */
export const PAGE_SETTINGS = {
  roles: [...ROLES],
  organizationManagerRoles: ROLES.filter(canManageOrganizationTokens),
  tokenNameMaxLength: NAME_MAX_LENGTH,
  tokenDescriptionMaxLength: DESCRIPTION_MAX_LENGTH,
  tokenCap: TOKEN_CAP,
  expiresSoonDays: Math.max(...NOTICE_WINDOWS.map((window) => window.to)) / DAY_MS,
  tokenColumns: TOKEN_COLUMNS,
};

/**
 * The settings as a JSON data block. A `type="application/json"` script is data, never run,
 * so the CSP's `script-src 'self'` has nothing to refuse; `<` is escaped so no value can end
 * the element early.
 */
export function renderPageSettings(): string {
  const json = JSON.stringify(PAGE_SETTINGS).replace(/</g, '\\u003c');
  return `<script type="application/json" id="${PAGE_SETTINGS_ID}">${json}</script>`;
}
