import type { Logger } from '../log/index.js';

/** What the shared middleware puts on `ctx.state` for every request. */
export interface AppState {
  requestId: string;
  log: Logger;
  [key: string]: unknown;
}
