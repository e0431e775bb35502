import { z } from 'zod';

/**
 * Every environment variable Tollbooth reads, validated once at start.
 * Nothing else in the code base touches `process.env`.
 */
/**
 * How many proxies in front of Tollbooth append to `X-Forwarded-For`: `false`/`0` none (the
 * header is ignored), `true`/`1` one, `2`… a chain. The client address is the entry that many
 * places from the right, the one the outermost trusted proxy appended; entries to its left
 * are whatever the client sent and are never believed.
 */
const trustedProxyHops = z
  .string()
  .regex(/^(true|false|[0-9]|10)$/, 'must be false, true, or the number of trusted proxies (0-10)')
  .transform((value) => (value === 'true' ? 1 : value === 'false' ? 0 : Number(value)));

export const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^mysql:\/\/[^\s]+$/, 'must be a mysql://user:password@host:port/database URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  KEY_ENCRYPTION_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SIGNING_ALG: z.enum(['ES256', 'EdDSA', 'RS256']).default('ES256'),
  KEYS_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  KEY_ROTATION_DAYS: z.coerce.number().int().min(1).max(3650).optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  DB_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Tollbooth <no-reply@tollbooth.local>'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  RATE_LIMIT_STORE: z.enum(['memory', 'database']).default('memory'),
  TRUST_PROXY: trustedProxyHops.default(0),
});

export type Environment = z.infer<typeof environmentSchema>;

/** Thrown when the environment is invalid; its message is one line naming every bad variable. */
export class ConfigurationError extends Error {
  readonly code = 'invalid_configuration';
}

/**
 * Validates environment variables against `schema`, or throws a `ConfigurationError` whose one
 * line names every bad variable (zod's messages never repeat a value, so no secret leaks).
 */
export function validateEnvironment<Schema extends z.ZodType>(schema: Schema, source: NodeJS.ProcessEnv): z.output<Schema> {
  // Empty strings count as unset: `PORT= npm start` should mean the default, not an error.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
}

export function parseEnvironment(source: NodeJS.ProcessEnv): Environment {
  const environment = validateEnvironment(environmentSchema, source);
  if (environment.NODE_ENV === 'production' && !environment.KEY_ENCRYPTION_KEY) {
    throw new ConfigurationError('Invalid configuration: KEY_ENCRYPTION_KEY is required when NODE_ENV=production');
  }
  return environment;
}
