// @ts-check
// The page header: who is logged in, which organization the page shows (a switcher when
// the person belongs to several) and Log out.
import { api } from './api.js';
import { byId, h } from './dom.js';

/**
 * Fills the header; `switchTo(slug)` runs when another organization is chosen.
 * @param {import('./api.js').Session} session
 * @param {string | undefined} currentOrg
 * @param {(slug: string) => void} switchTo
 */
export function renderHeader(session, currentOrg, switchTo) {
  byId('user-email').textContent = session.user.email;
  const organizations = session.organizations;
  if (organizations.length > 1) {
    const select = byId('org-select', HTMLSelectElement);
    select.replaceChildren(...organizations.map((organization) => h('option', { value: organization.slug }, organization.slug)));
    select.value = currentOrg ?? '';
    select.addEventListener('change', () => switchTo(select.value));
    byId('org-switcher').hidden = false;
  } else if (organizations.length === 1) {
    const name = byId('org-name');
    name.textContent = organizations[0].slug;
    name.hidden = false;
  }
}

const logout = byId('logout', HTMLButtonElement);
logout.addEventListener('click', async () => {
  logout.disabled = true;
  try {
    await api('DELETE', '/api/session');
  } catch {
    // Already logged out or the session expired: either way the login page is next.
  }
  location.assign('/login');
});
