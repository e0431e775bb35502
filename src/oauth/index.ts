import type { Middleware } from 'koa';
import { PLATFORM_SERVICE_ID } from '../config/index.js';
import { openKeystore, type Keystore } from '../keys/index.js';
import { createLimiters, type Limiters } from '../limits/index.js';
import { createMailer, newNetworkAlerts } from '../notices/index.js';
import type { Runtime } from '../runtime.js';
import { createBearerAuthenticator, type BearerAuthenticator } from './bearer.js';
import { LastUsedRecorder } from './last-used.js';
import { networkRefusalReporter } from './network-refusals.js';
import { createProvider } from './provider.js';
import { oauthRoutes } from './routes.js';

export { createBearerAuthenticator, type BearerAuthenticator, type BearerIdentity } from './bearer.js';
export { authorizationServerMetadata, metadataPaths } from './discovery.js';
export { issueAccessToken, type IssuedAccessToken } from './issue.js';
export { REVOCATION_FEED_MAX_AGE_SECONDS, REVOCATION_FEED_TYPE } from './revocation-feed.js';
export { LastUsedRecorder, type LastUsedRecorderOptions } from './last-used.js';
export { networkRefusalReporter } from './network-refusals.js';
export { ACCESS_TOKEN_TYPE, CLIENT_CREDENTIALS_GRANT, JWT_TOKEN_TYPE, PLATFORM_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from './token-types.js';

export interface OAuthCapability {
  /** `/oauth/*` and the metadata documents; passes every other path on. */
  routes: Middleware;
  keystore: Keystore;
  /** Verifies JWTs minted for the `platform` service (the management API's bearer auth). */
  authenticateBearer: BearerAuthenticator;
}

/**
 * The OAuth capability (token exchange, the JWT, keys and discovery): loads the
 * signing keys, starts the last-used recorder, builds oidc-provider with the two grants.
 * Timers stop and pending last-used writes are flushed when the runtime closes.
 */
export async function createOAuth(runtime: Runtime, options: { limiters?: Limiters } = {}): Promise<OAuthCapability> {
  const { config, dataSource, logger, metrics } = runtime;
  const keystore = await openKeystore(runtime);
  const lastUsed = new LastUsedRecorder({ dataSource, logger });
  lastUsed.start();
  runtime.onClose(() => lastUsed.stop());

  const queryTimeoutMs = config.database.queryTimeoutMs;
  const mailer = createMailer({ dataSource, logger, smtpUrl: config.smtpUrl, from: config.mailFrom });
  const alerts = newNetworkAlerts({ dataSource, mailer, logger, publicUrl: config.publicUrl });
  runtime.onClose(async () => {
    await alerts.settled();
    mailer.close();
  });
  const provider = await createProvider({
    dataSource,
    keystore,
    services: config.services,
    issuer: config.issuer,
    lastUsed,
    queryTimeoutMs,
    logger,
    onNetworkRefusal: networkRefusalReporter({ dataSource, metrics, logger, queryTimeoutMs }),
    onUse: alerts.observe,
  });
  const limiters = options.limiters ?? createLimiters(runtime);
  const platform = config.services.get(PLATFORM_SERVICE_ID)!;

  return {
    routes: oauthRoutes({ config, keystore, dataSource, provider, metrics, limiters }),
    keystore,
    authenticateBearer: createBearerAuthenticator({
      keystore,
      dataSource,
      services: config.services,
      issuer: config.issuer,
      audience: platform.audience,
      queryTimeoutMs,
    }),
  };
}
