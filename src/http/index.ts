export { errorBoundary } from './error-boundary.js';
export {
  asTollboothError,
  oauthErrorBody,
  prepareErrorAnswer,
  writeError,
  PROBLEM_FORMAT,
  type ErrorFormat,
  type OAuthErrorBody,
} from './error-response.js';
export { problemBody, problemSchema, type Problem } from './problem-body.js';
export { clientAddress, proxyOptions } from './client-address.js';
export { requestContext } from './request-context.js';
export { securityHeaders } from './security-headers.js';
export { healthRoutes } from './health.js';
export type { AppState } from './state.js';
export { unavailablePages } from './unavailable.js';
