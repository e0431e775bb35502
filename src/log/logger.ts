import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Matches a platform token anywhere in a string (`tbp_` + 38 base62 characters). */
const PLATFORM_TOKEN_PATTERN = /tbp_[0-9A-Za-z]{38}/g;

/** Replaces any platform token inside a string with its first 10 characters and a marker. */
export function scrubSecrets(text: string): string {
  return text.replace(PLATFORM_TOKEN_PATTERN, (token) => `${token.slice(0, 10)}…[redacted]`);
}

/**
 * pino JSON logger. Secrets never reach a log line: known secret-bearing fields are
 * redacted by path, and any string argument is scrubbed of platform tokens as a backstop.
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
        logMethod(args, method) {
          const scrubbed = args.map((argument) => (typeof argument === 'string' ? scrubSecrets(argument) : argument));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
