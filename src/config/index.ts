import { join, resolve } from 'node:path';
import { parseEnvironment, type Environment } from './env.js';
import { loadOrCreateLocalKey } from './key-encryption-key.js';
import { packageRoot } from './package-root.js';
import { loadServices, type ServiceCatalog } from './services.js';

export { ConfigurationError, validateEnvironment } from './env.js';
export { PLATFORM_SERVICE_ID, ServiceCatalog, type Service } from './services.js';
export { packageRoot } from './package-root.js';

export type DatabaseConfig =
  { kind: 'mysql'; url: string; poolSize: number; queryTimeoutMs: number } | { kind: 'sqlite'; path: string; queryTimeoutMs: number };

export type SigningAlgorithm = Environment['SIGNING_ALG'];

/** The one validated configuration object, built at start and passed down. */
export interface Config {
  readonly env: Environment['NODE_ENV'];
  readonly host: string;
  readonly port: number;
  /** Base URL people and scripts reach Tollbooth at, without a trailing slash. */
  readonly publicUrl: string;
  /** OAuth issuer: `${publicUrl}/oauth`. */
  readonly issuer: string;
  readonly database: DatabaseConfig;
  readonly dataDir: string;
  readonly keyEncryptionKey: Buffer;
  readonly logLevel: Environment['LOG_LEVEL'];
  readonly signingAlgorithm: SigningAlgorithm;
  readonly keysRefreshSeconds: number;
  readonly keyRotationDays: number | undefined;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  readonly metricsToken: string | undefined;
  readonly rateLimitStore: Environment['RATE_LIMIT_STORE'];
  /** Proxies trusted to append to `X-Forwarded-For` (0: the header is ignored). */
  readonly trustedProxyHops: number;
  /** Cookies get `Secure` when Tollbooth is served over https. */
  readonly secureCookies: boolean;
  readonly services: ServiceCatalog;
}

export interface LoadConfigOptions {
  /** Overrides for tests and the CLI; merged over the process environment. */
  overrides?: Record<string, string | undefined>;
  servicesFile?: string;
}

export function loadConfig(source: NodeJS.ProcessEnv, options: LoadConfigOptions = {}): Config {
  const environment = parseEnvironment({ ...source, ...options.overrides });
  const dataDir = resolve(environment.DATA_DIR);
  const publicUrl = (environment.PUBLIC_URL ?? `http://localhost:${environment.PORT}`).replace(/\/+$/, '');
  const database: DatabaseConfig = environment.DATABASE_URL
    ? {
        kind: 'mysql',
        url: environment.DATABASE_URL,
        poolSize: environment.DB_POOL_SIZE,
        queryTimeoutMs: environment.DB_QUERY_TIMEOUT_MS,
      }
    : { kind: 'sqlite', path: join(dataDir, 'tollbooth.sqlite'), queryTimeoutMs: environment.DB_QUERY_TIMEOUT_MS };
  const keyEncryptionKey = environment.KEY_ENCRYPTION_KEY
    ? Buffer.from(environment.KEY_ENCRYPTION_KEY, 'base64')
    : loadOrCreateLocalKey(dataDir);

  return {
    env: environment.NODE_ENV,
    host: environment.HOST,
    port: environment.PORT,
    publicUrl,
    issuer: `${publicUrl}/oauth`,
    database,
    dataDir,
    keyEncryptionKey,
    logLevel: environment.LOG_LEVEL,
    signingAlgorithm: environment.SIGNING_ALG,
    keysRefreshSeconds: environment.KEYS_REFRESH_SECONDS,
    keyRotationDays: environment.KEY_ROTATION_DAYS,
    smtpUrl: environment.SMTP_URL,
    mailFrom: environment.MAIL_FROM,
    metricsToken: environment.METRICS_TOKEN,
    rateLimitStore: environment.RATE_LIMIT_STORE,
    trustedProxyHops: environment.TRUST_PROXY,
    secureCookies: publicUrl.startsWith('https://'),
    services: loadServices(options.servicesFile ?? join(packageRoot(), 'config', 'services.json')),
  };
}
