import type { Logger } from '../log/logger.js';

/** What the shared middleware puts on `ctx.state` for every request. */
export interface AppState {
  requestId: string;
  log: Logger;
  [key: string]: unknown;
}
