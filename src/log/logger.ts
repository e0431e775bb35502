import { pino, type Logger } from 'pino';
import { maskSecrets } from './mask.js';

export type { Logger } from 'pino';

/**
 * pino JSON logger. Secrets never reach a log line: known secret-bearing fields are
 * redacted by path, and every finished line is masked of platform tokens and JWTs as a
 * backstop, whatever field carried them (an error message, a header, a path).
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'tollbooth' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'secret',
          'password',
          'client_secret',
          'subject_token',
          'access_token',
          '*.secret',
          '*.password',
          '*.client_secret',
          '*.subject_token',
          '*.access_token',
          'req.headers.authorization',
          'req.headers.cookie',
          'headers.authorization',
          'headers.cookie',
        ],
        censor: '[redacted]',
      },
      hooks: {
        // Tokens and JWTs are base62/base64url: JSON escaping never splits one, so the
        // serialized line can be masked as text.
        streamWrite: maskSecrets,
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
