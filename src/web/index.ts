/** The profile pages: `/login` and the Access tokens tab, with their assets. */
export { webPages } from './routes.js';
