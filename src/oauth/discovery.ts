import type { Context } from 'koa';
import type { Config } from '../config/index.js';
import { NotFound } from '../errors/index.js';
import { CLIENT_CREDENTIALS_GRANT, TOKEN_EXCHANGE_GRANT } from './token-types.js';

/** Metadata changes only with a redeploy; a short public cache spares the server. */
const METADATA_MAX_AGE_SECONDS = 300;

/** The issuer's path without a trailing slash (`/oauth` by default). */
function issuerPathOf(config: Config): string {
  return new URL(config.issuer).pathname.replace(/\/$/, '');
}

/** RFC 8414 §2 authorization server metadata, built once from configuration. */
export function authorizationServerMetadata(config: Config): Record<string, unknown> {
  const scopes = [...new Set(config.services.all.flatMap((service) => service.scopes))];
  return {
    issuer: config.issuer,
    token_endpoint: `${config.issuer}/token`,
    jwks_uri: `${config.issuer}/jwks`,
    // Not a registered RFC 8414 name (§2 allows extensions): where the per-token "not before"
    // times are published, signed with the keys of jwks_uri.
    revocation_feed_uri: `${config.issuer}/revocations`,
    grant_types_supported: [TOKEN_EXCHANGE_GRANT, CLIENT_CREDENTIALS_GRANT],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    // REQUIRED by §2, and empty: there is no authorization endpoint.
    response_types_supported: [],
    scopes_supported: scopes,
  };
}

/**
 * Where the document is served: RFC 8414 §3 inserts the well-known segment before the issuer's
 * path (`/.well-known/oauth-authorization-server/oauth`); the root form is served too, where
 * clients that only know the host look first, and the appended form
 * (`/oauth/.well-known/oauth-authorization-server`) for clients that append as OpenID Connect
 * Discovery does.
 */
export function metadataPaths(config: Config): string[] {
  const issuerPath = issuerPathOf(config);
  return [
    ...new Set([
      '/.well-known/oauth-authorization-server',
      `/.well-known/oauth-authorization-server${issuerPath}`,
      `${issuerPath}/.well-known/oauth-authorization-server`,
    ]),
  ];
}

/**
 * Where an OpenID provider's configuration would be (OpenID Connect Discovery §4, and the RFC
 * 8414 §5 insertion). Tollbooth is no OpenID provider — no authorization endpoint, no ID
 * tokens — so it cannot honestly fill that document's required fields; these paths answer a
 * 404 that names the RFC 8414 document instead.
 */
export function openIdConfigurationPaths(config: Config): string[] {
  const issuerPath = issuerPathOf(config);
  return [
    ...new Set([
      '/.well-known/openid-configuration',
      `/.well-known/openid-configuration${issuerPath}`,
      `${issuerPath}/.well-known/openid-configuration`,
    ]),
  ];
}

export function discoveryAction(config: Config) {
  const document = authorizationServerMetadata(config);
  return function discovery(ctx: Context): void {
    ctx.set('Cache-Control', `public, max-age=${METADATA_MAX_AGE_SECONDS}`);
    // RFC 8414 §3.2 / Discovery: public documents, readable from any origin.
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.body = document;
  };
}

/** The answer at the OpenID configuration paths: not served, and where to look instead. */
export function notAnOpenIdProvider(config: Config) {
  const metadata = `${new URL(config.issuer).origin}/.well-known/oauth-authorization-server${issuerPathOf(config)}`;
  return function refuse(): never {
    throw new NotFound(
      `Tollbooth is an OAuth 2.0 authorization server, not an OpenID provider: its metadata is the RFC 8414 document at ${metadata}`,
    );
  };
}
