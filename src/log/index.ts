export { createLogger, scrubSecrets, type Logger } from './logger.js';
