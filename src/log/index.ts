export { createLogger, type Logger } from './logger.js';
export { maskPath, maskSecrets } from './mask.js';
