// @ts-check
// The warning mark on the Access tokens tab: shown while any token the person can see (their
// own, and every token of the organizations where they are an admin or owner) expires within
// the warning window. Expired tokens do not count: they are already shown in red.
import { api } from './api.js';
import { byId } from './dom.js';
import { expiryState } from './format.js';
import { settings } from './settings.js';

const mark = byId('expiry-mark');

/**
 * Looks at every organization of the session and shows or hides the mark. A failed look-up
 * leaves the mark as it was: it is a hint, and the page reports API errors elsewhere.
 * @param {import('./api.js').Session} session
 */
export async function refreshExpiryMark(session) {
  try {
    const lists = await Promise.all(
      session.organizations.map((organization) => {
        const owner = settings.organizationManagerRoles.includes(organization.role) ? 'all' : 'me';
        return api('GET', `/api/orgs/${encodeURIComponent(organization.slug)}/tokens?owner=${owner}`);
      }),
    );
    const now = Date.now();
    /** @type {import('./api.js').Token[]} */
    const tokens = lists.flatMap((list) => list.tokens);
    mark.hidden = !tokens.some((token) => expiryState(token.expires_at, now) === 'soon');
  } catch {
    // Keep the mark as it is.
  }
}
