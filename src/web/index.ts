/** The profile pages (SPEC "Profile page"): `/login` and the Access tokens tab, with their assets. */
export { webPages } from './routes.js';
