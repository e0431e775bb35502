/** The profile pages: `/login` and the Access tokens tab of Profile settings, with their assets. */
export { webPages } from './routes.js';
