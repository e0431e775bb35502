export { problemJson, toProblem, sendProblem, type Problem } from './problem.js';
export { requestContext } from './request-context.js';
export { securityHeaders } from './security-headers.js';
export { healthRoutes } from './health.js';
export type { AppState } from './state.js';
export { unavailablePages } from './unavailable.js';
